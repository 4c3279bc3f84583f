/**
 * What `labops plan`, `labops apply` and `labops reconcile` share (commands/{plan,apply,reconcile}.ts):
 * one pipeline, three stopping points. Their options and help, the lab's git source and approval
 * gate, one run of the pipeline and its report and exit status.
 */
import { relative, resolve, sep } from 'node:path';
import type { ApplyResult, ProgressEvent } from '../engine/apply/types.js';
import { LeaseBusyError } from '../record/lease.js';
import { AwsError } from '../aws/errors.js';
import { LabopsError } from '../errors.js';
import { budgetReportToJson, renderBudgetMarkdown, renderBudgetText } from '../kinds/budget/report.js';
import { parseDurationSeconds } from '../model/duration.js';
import { INSTANCE_PROFILE_NAME } from '../model/launch.js';
import { renderApplyText, applyToJson, renderApplyMarkdown } from '../report/apply-report.js';
import { planToJson } from '../report/plan-json.js';
import { renderPlanMarkdown } from '../report/plan-markdown.js';
import { hasChanges } from '../report/plan-summary.js';
import { renderPlanText } from '../report/plan-text.js';
import { renderProblemsText } from '../report/problems.js';
import { paint, styleFor } from '../report/style.js';
import type { Style } from '../report/style.js';
import { appliedOf, plannedRun, run } from '../engine/pipeline.js';
import type { DecisionReport, PlannedRun, RunMode, RunOptions, RunResult } from '../engine/pipeline.js';
import { activeHolds } from '../record/holds.js';
import { commitVouchers } from '../github/vouchers.js';
import type { Forge } from '../github/forge.js';
import { GateRefusal, gate } from '../trust/gate.js';
import { GitObjectError, GitObjects } from '../trust/git-objects.js';
import { createRuntime } from '../runtime/runtime.js';
import type { Runtime } from '../runtime/runtime.js';
import { recordFlag } from '../runtime/record-option.js';
import { formatOption, nowOption, parseCommand } from './args.js';
import { PIPELINE_FLAGS } from './definitions.js';
import {
  SavedPlanError,
  checkNotStale,
  isSavedPlanPath,
  readSavedPlan,
  savePlanOf,
  writeSavedPlan,
} from './saved-plan.js';
import type { SavedPlan } from './saved-plan.js';
import { inCommand } from './command-error.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';
import { isGitUrl, syncCheckout, workdirFor } from './git-source.js';
import { redact } from '../record/redact.js';
import { escapeControls } from '../report/safe-text.js';
import { recordPlace } from './record-place.js';
import { repoFromRemote, resolveRepoName } from './repo-name.js';

type Command = 'plan' | 'apply' | 'reconcile';

/** A parsed command line: `once` runs the pipeline one time and returns its exit status. */
export interface PipelineInvocation {
  once(signal: AbortSignal): Promise<number>;
  /** reconcile `--watch`. */
  watch: boolean;
  /** reconcile `--interval`, in seconds. @default 900 */
  intervalSeconds: number;
}

/** What a command that runs the pipeline on behalf of another adds (`labops env build`). */
export interface PipelineExtras {
  /** The command line's name in messages and help (`env build`). @default the pipeline command's */
  name?: string;
  /** Environment versions whose image to build now. @default none */
  imageBuildRequests?: readonly string[];
  /** The resource the run is cut to, as `--target` does (`Kind/name`). @default the whole plan */
  target?: string;
  /**
   * Whether the run did what was asked, once it is reported: a line (printed on stderr, exit 1)
   * when it did not, else undefined. Read only when the run itself succeeded. @default always done
   */
  unmet?: (result: RunResult) => string | undefined;
}

/**
 * Parses the command line of plan, apply or reconcile; prints the help and returns undefined for `--help`.
 * @throws {UsageError} for a bad option
 */
export function parsePipelineCommand(
  command: Command,
  argv: string[],
  io: Io,
  extra: PipelineExtras = {},
): PipelineInvocation | undefined {
  const { values, positionals } = parseCommand(extra.name ?? command, argv, PIPELINE_FLAGS);
  // `apply FILE [DIR]`: a plan saved by `plan --out FILE`.
  const savedFile =
    command === 'apply' && positionals[0] !== undefined && isSavedPlanPath(resolve(io.cwd, positionals[0]))
      ? resolve(io.cwd, positionals[0])
      : undefined;
  const dirArgs = savedFile === undefined ? positionals : positionals.slice(1);
  if (dirArgs.length > 1)
    throw new UsageError(
      `labops ${command}: expected at most one DIR${savedFile ? ' after the plan FILE' : ''}, got ${dirArgs.length}`,
    );
  if (values.out !== undefined && command !== 'plan')
    throw new UsageError(`labops ${command}: --out is for plan (then: labops apply FILE)`);
  if (values.target !== undefined && command === 'reconcile')
    throw new UsageError('labops reconcile: --target is for plan and apply; the scheduled job converges the whole lab');
  if (values.target !== undefined && savedFile !== undefined)
    throw new UsageError(`labops apply: a saved plan keeps its own --target; give FILE or --target, not both`);
  if (values.target === '') throw new UsageError(`labops ${command}: --target needs a resource name`);
  const saved = savedFile === undefined ? undefined : readPlanFile(command, savedFile);
  const format = formatOption(command, values.format, ['text', 'json', 'markdown']) as 'text' | 'json' | 'markdown';
  if (values['trust-main'] && values.git === undefined && !isGitUrl(values.repo ?? '') && !io.env.LABOPS_GIT_URL)
    throw new UsageError(`labops ${command}: --trust-main is for a lab reconciled from --git`);
  if ((values.watch || values.interval) && command !== 'reconcile')
    throw new UsageError(`labops ${command}: --watch and --interval are for reconcile`);
  const intervalSeconds = values.interval === undefined ? 900 : parseDurationSeconds(values.interval);
  if (intervalSeconds === undefined || intervalSeconds < 60)
    throw new UsageError(
      `labops ${command}: --interval must be a duration of at least 1m, e.g. 15m (got ${values.interval})`,
    );
  const leaseWait =
    values['lease-wait'] === undefined
      ? command === 'reconcile'
        ? 120
        : 900
      : parseDurationSeconds(values['lease-wait']);
  if (leaseWait === undefined)
    throw new UsageError(
      `labops ${command}: --lease-wait must be a duration such as 2m or 15m (got ${values['lease-wait']})`,
    );
  const style = styleFor({ isTTY: io.isTTY }, Boolean(values['no-color']), io.env);
  const quiet = Boolean(values.quiet);
  const { gitUrl, repo } = gitSource(command, values.git, values.repo, io.env);
  const recordOption = recordFlag(values.record, values['record-branch']);
  if (values['instance-profile'] !== undefined && !INSTANCE_PROFILE_NAME.test(values['instance-profile']))
    throw new UsageError(
      `labops ${command}: --instance-profile must be an IAM instance profile name (letters, digits, _+=,.@-; not an ARN) (got ${values['instance-profile']})`,
    );
  const once = async (signal: AbortSignal): Promise<number> => {
    const now = nowOption(command, values.now);
    const mode: RunMode = command === 'plan' ? 'plan' : 'apply';
    // With a git URL, the lab is labops' own checkout of it, brought up to date before each run.
    const base = gitUrl === undefined ? io.cwd : workdirFor(gitUrl, io.env);
    if (gitUrl !== undefined) {
      const at = (await checkout(command, gitUrl, base)).slice(0, 12);
      if (!quiet) io.stderr(`labops ${command}: ${redact(gitUrl)} at ${at}\n`);
    }
    const dir = resolve(base, dirArgs[0] ?? '.');
    const gated = gitUrl !== undefined && !values['trust-main'];
    const token = gated ? io.env.GITHUB_TOKEN || io.env.GH_TOKEN || '' : '';
    const progress = progressLine(io, { quiet, toStdout: format === 'text' });
    const runtime = await createRuntime({
      env: io.env,
      record: recordPlace(recordOption, dir, io, gitUrl),
      ...(token ? { github: { token, warn: (m: string) => io.stderr(`labops ${command}: ${m}\n`) } } : {}),
      onProgress: (event) => progress.update(event),
      signal,
      ...(values['instance-profile'] ? { instanceProfile: values['instance-profile'] } : {}),
    });
    try {
      const gate = gated ? containerGate(command, base, dir, repo, runtime.forge, io) : undefined;
      return await runOnce({
        command,
        mode,
        now,
        dir,
        format,
        style,
        io,
        repoFlag: repo,
        allowDestroyAll: Boolean(values['allow-destroy-all']),
        ...(extra.imageBuildRequests ? { imageBuildRequests: extra.imageBuildRequests } : {}),
        allowDuplicates: Boolean(values['allow-duplicates']),
        acceptEmptyRecord: Boolean(values['accept-empty-record']),
        runtime,
        detailed: Boolean(values['detailed-exitcode']),
        signal,
        leaseWait,
        // The budget planner looks one interval ahead: reconcile's own interval when it is known.
        ...(command === 'reconcile' && (values.watch || values.interval !== undefined) ? { intervalSeconds } : {}),
        quiet,
        ...(gate ? { gate } : {}),
        ...(extra.target !== undefined
          ? { target: extra.target }
          : values.target !== undefined
            ? { target: values.target }
            : saved?.target
              ? { target: saved.target }
              : {}),
        ...(extra.unmet ? { unmet: extra.unmet } : {}),
        ...(values.out !== undefined ? { out: resolve(io.cwd, values.out) } : {}),
        ...(saved && savedFile ? { saved: { file: savedFile, plan: saved } } : {}),
        beforeLines: () => progress.clear(),
      });
    } finally {
      progress.clear();
      runtime.close();
    }
  };
  return { once, watch: Boolean(values.watch), intervalSeconds };
}

/**
 * Runs `fn` with a signal that SIGINT/SIGTERM abort: apply stops between actions, the one in
 * flight finishes and no new one starts.
 */
export async function withStopSignals(fn: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const stop = new AbortController();
  const onSigint = (): void => stop.abort('SIGINT');
  const onSigterm = (): void => stop.abort('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    return await fn(stop.signal);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

/** Brings labops' clone of the lab up to date; a git failure (a GitObjectError, credentials left out) names the command. */
async function checkout(command: Command, url: string, workdir: string): Promise<string> {
  try {
    return await syncCheckout(url, workdir);
  } catch (err) {
    throw err instanceof LabopsError ? inCommand(command, err) : err;
  }
}

/**
 * The lab's git URL (`--git`, a URL given as `--repo`, else LABOPS_GIT_URL) and the identity flag:
 * `--repo OWNER/NAME` when given beside `--git`, else derived from a GitHub URL.
 */
function gitSource(
  command: Command,
  git: string | undefined,
  repo: string | undefined,
  env: NodeJS.ProcessEnv,
): { gitUrl?: string; repo?: string } {
  const repoIsUrl = repo !== undefined && isGitUrl(repo);
  if (git !== undefined && repoIsUrl)
    throw new UsageError(`labops ${command}: give the git URL once, as --git (--repo then names owner/name)`);
  const gitUrl = git ?? (repoIsUrl ? repo : undefined) ?? (env.LABOPS_GIT_URL || undefined);
  if (gitUrl === undefined) return repo === undefined ? {} : { repo };
  const identity = repo !== undefined && !repoIsUrl ? repo : repoFromRemote(gitUrl);
  return identity === undefined ? { gitUrl } : { gitUrl, repo: identity };
}

interface OnceOptions {
  command: Command;
  mode: RunMode;
  now: Date;
  dir: string;
  format: 'text' | 'json' | 'markdown';
  style: Style;
  io: Io;
  repoFlag: string | undefined;
  allowDestroyAll: boolean;
  /** Environment versions whose image to build now (`labops env build`). @default none */
  imageBuildRequests?: readonly string[];
  allowDuplicates: boolean;
  acceptEmptyRecord: boolean;
  /** The run's dependencies: AWS, Cost Explorer, the run record (`--record`), GitHub, progress. */
  runtime: Runtime;
  detailed: boolean;
  /** Aborted by SIGINT/SIGTERM: apply starts no further action. */
  signal: AbortSignal;
  /** Seconds to wait for the lease another run holds. */
  leaseWait: number;
  /** The approval gate (a lab reconciled from --git without --trust-main). @default none */
  gate?: RunOptions['gate'];
  /** reconcile's `--interval` when given (or `--watch`'s default). @default undefined (the budget planner's default) */
  intervalSeconds?: number;
  /** `--quiet`: only changes and errors. */
  quiet: boolean;
  /** `--target NAME` (or the saved plan's). @default the whole plan */
  target?: string;
  /** See {@link PipelineExtras.unmet}. @default always done */
  unmet?: (result: RunResult) => string | undefined;
  /** `plan --out FILE`: where to save the plan. @default not saved */
  out?: string;
  /** `apply FILE`: the saved plan, applied only when nothing changed since. @default none */
  saved?: { file: string; plan: SavedPlan };
  /** Clears the terminal's progress line before a full line is written. */
  beforeLines: () => void;
}

/**
 * The container's approval gate: the checkout's HEAD is applied only as far as each change since
 * the last applied commit came through a merged pull request with the approvals it needs, looked
 * up with GITHUB_TOKEN (GITHUB_API_URL for GitHub Enterprise). Without a token nothing can be
 * confirmed, so every change since the last applied commit is held.
 */
function containerGate(
  command: Command,
  workdir: string,
  dir: string,
  repo: string | undefined,
  forge: Forge | undefined,
  io: Io,
): RunOptions['gate'] {
  if (forge && (repo === undefined || !/^[\w.-]+\/[\w.-]+$/.test(repo)))
    throw new UsageError(
      `labops ${command}: checking approvals needs the GitHub repository: pass --repo OWNER/NAME beside --git`,
    );
  const prefix = relative(workdir, dir).split(sep).join('/');
  if (prefix.startsWith('..')) throw new UsageError(`labops ${command}: DIR must be inside the checkout of --git`);
  if (!forge)
    io.stderr(
      `labops ${command}: no GITHUB_TOKEN: changes since the last applied commit cannot be checked for approval and are held (set GITHUB_TOKEN, or pass --trust-main to apply the branch as it is)\n`,
    );
  return async (record) => {
    const git = new GitObjects(workdir);
    const head = git.resolve('HEAD');
    if (!head) throw new GitObjectError('the checkout has no HEAD commit');
    const vouchers = forge && repo !== undefined ? commitVouchers(forge, repo) : () => Promise.resolve(undefined);
    return {
      ...(await gate({
        git,
        prefix,
        head,
        ...(record.applied ? { applied: record.applied.commit } : {}),
        holds: activeHolds(record),
        vouchers,
      })),
      head,
    };
  };
}

async function runOnce(o: OnceOptions): Promise<number> {
  let result: RunResult;
  try {
    result = await run(
      {
        dir: o.dir,
        mode: o.mode,
        now: o.now,
        allowDestroyAll: o.allowDestroyAll,
        ...(o.imageBuildRequests ? { imageBuildRequests: o.imageBuildRequests } : {}),
        allowDuplicates: o.allowDuplicates,
        acceptEmptyRecord: o.acceptEmptyRecord,
        repo: (labName, declared) =>
          resolveRepoName({ flag: o.repoFlag, env: o.io.env, dir: o.dir, labName, declared }),
        ...(o.intervalSeconds === undefined ? {} : { intervalMs: o.intervalSeconds * 1000 }),
        ...(o.gate ? { gate: o.gate } : {}),
        ...(o.target !== undefined ? { target: o.target } : {}),
        beforeApply: (planned) => {
          if (o.saved) checkNotStale(o.saved.file, o.saved.plan, savePlanOf(planned, o.dir, o.target));
          reportPlanFirst(o, planned);
        },
      },
      o.runtime.runDeps({
        lease: {
          kind: o.command,
          waitSeconds: o.leaseWait,
          onWait: (holder, until, where) => {
            if (o.quiet) return;
            o.beforeLines();
            o.io.stderr(
              `${stamp(o.io)}labops ${o.command}: waiting up to ${o.leaseWait}s for the lease on ${redact(where)}: held by ${redact(holder.holder)} (${holder.kind} on ${redact(holder.host)}, since ${holder.acquiredAt}) until ${until}\n`,
            );
          },
        },
      }),
    );
  } catch (err) {
    if (err instanceof LeaseBusyError && o.command === 'reconcile') {
      // A scheduled reconcile that finds another run at work leaves this round to it.
      o.io.stderr(`labops reconcile: skipped: ${redact(err.message)}; the next run will try again\n`);
      return 0;
    }
    if (err instanceof AwsError) throw inCommand(o.command, err, '', 'AWS ');
    if (err instanceof SavedPlanError) throw inCommand(o.command, err);
    if (err instanceof LeaseBusyError || err instanceof GateRefusal || err instanceof GitObjectError)
      throw inCommand(o.command, err, '; nothing was changed');
    if (err instanceof LabopsError) throw inCommand(o.command, err);
    throw err;
  }
  if (o.out !== undefined && result.outcome !== 'invalid' && result.validation.valid) {
    writeSavedPlan(o.out, savePlanOf(result, o.dir, o.target));
    if (!o.quiet) o.io.stderr(`labops plan: saved to ${o.out}; apply it with: labops apply ${o.out}\n`);
  }
  report(o, result);
  const status = exitStatus(o, result);
  const unmet = status === 0 ? o.unmet?.(result) : undefined;
  if (unmet === undefined) return status;
  o.io.stderr(`${unmet}\n`);
  return 1;
}

/** The saved plan FILE, or one line naming the command, the file and the first bad field. */
function readPlanFile(command: Command, file: string): SavedPlan {
  try {
    return readSavedPlan(file);
  } catch (err) {
    throw err instanceof SavedPlanError ? inCommand(command, err) : err;
  }
}

/** `[ISO time] ` before a line when stdout is not a terminal (a CI log), else nothing. */
function stamp(io: Io): string {
  return io.isTTY ? '' : `${new Date().toISOString()} `;
}

/**
 * apply and reconcile, text output: the plan is printed before anything is changed, so a person
 * (or a CI log) sees what is about to happen; the report after the actions leaves it out.
 */
function reportPlanFirst(o: OnceOptions, planned: PlannedRun): void {
  // --quiet: the action lines are the changes; the plan before them is left out.
  if (o.format !== 'text' || o.quiet) return;
  o.beforeLines();
  o.io.stdout(renderPlanText(planned.plan, o.style, title(o, planned)));
  if (planned.plan.actions.length) o.io.stdout('\n');
}

function title(o: OnceOptions, result: RunResult): string {
  return `labops ${o.command} — ${plannedRun(result)?.desired.lab.repo ?? 'lab'} at ${o.now.toISOString()}`;
}

function report(o: OnceOptions, result: RunResult): void {
  const { io, style } = o;
  for (const line of identityWarnings(o.command, result)) io.stderr(paint(style, 'yellow', `${line}\n`));
  const ran = plannedRun(result);
  const applied = appliedOf(result);
  if (o.format === 'json') {
    const body = {
      validation: { valid: result.validation.valid, problems: result.validation.problems },
      plan: ran ? planToJson(ran.plan) : null,
      apply: applied ? applyToJson(applied) : null,
      budgets: ran?.budgets ? budgetReportToJson(ran.budgets) : null,
      identity: ran ? ran.identity : null,
      foreign: ran ? ran.foreign : [],
      record: ran ? ran.record : null,
      held: (result.held ?? []).map((h) => ({ file: h.file, sha: h.sha, since: h.since, reasons: h.reasons })),
      ...(result.gated
        ? {
            gate: {
              base: result.gated.base,
              head: result.gated.head,
              commits: result.gated.commits,
              ignored: result.gated.ignored,
            },
          }
        : {}),
    };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const problems = result.validation.problems;
  const held = [
    ...(result.gated?.ignored ?? []).map((line) => `error: ${line}\n`),
    ...(result.held ?? []).map(
      (h) =>
        `held: ${h.file} — merged in ${h.sha.slice(0, 12)} without the approval it needs (${h.reasons.join('; ')}); its last approved version is used\n`,
    ),
  ];
  if (o.format === 'markdown') {
    for (const line of held) io.stdout(`> ${line}`);
    if (ran) io.stdout(renderPlanMarkdown(ran.plan, title(o, result)));
    if (applied) io.stdout(renderApplyMarkdown(applied));
    const budgets = shownBudgets(result);
    if (budgets) io.stdout(renderBudgetMarkdown(budgets));
    if (problems.length) io.stdout(`\n${problems.length} validation problem(s); run \`labops validate\`.\n`);
    return;
  }
  // --quiet: errors (not warnings) and changes only.
  const shown = o.quiet ? problems.filter((p) => p.severity === 'error') : problems;
  if (shown.length) io.stdout(renderProblemsText(shown, result.validation.sourceLine, style));
  for (const line of held) io.stdout(paint(style, 'yellow', line));
  if (!ran) {
    io.stdout(`labops ${o.command}: nothing planned: labops.yaml is missing or invalid\n`);
    return;
  }
  // An applying run printed its plan before the actions (reportPlanFirst).
  if (!applied && !(o.quiet && !hasChanges(ran.plan))) io.stdout(renderPlanText(ran.plan, style, title(o, result)));
  if (applied && !(o.quiet && applied.results.length === 0 && !applied.error))
    io.stdout(renderApplyText(applied, style));
  const budgets = shownBudgets(result);
  if (budgets && !o.quiet) io.stdout(renderBudgetText(budgets, style));
}

/**
 * One line each: an id derived rather than declared, each other lab id whose workstations are named
 * like this lab's, and a missing run record (what was withheld and how to end it). Untrusted tag
 * values are escaped.
 */
export function identityWarnings(command: string, result: RunResult): string[] {
  if (result.outcome === 'invalid') return [];
  const lines: string[] = [];
  const { identity } = result;
  if (identity.source === 'derived')
    lines.push(
      `warning: labops.yaml declares no spec.id; this run uses the derived id ${identity.repo} (renaming the repository or changing its origin remote changes it: add \`id: ${identity.repo}\` under spec)`,
    );
  for (const g of result.foreign) {
    const id = escapeControls(JSON.stringify(g.id));
    lines.push(
      `warning: ${g.instanceIds.length} workstation(s) named like this lab's (${g.names.join(', ')}) run under another lab id ${id}, not ${identity.repo}: creating them again is refused; \`labops adopt --from ${id}\` moves them to this lab`,
    );
  }
  if (result.record === 'missing')
    lines.push(
      `labops ${command}: the run record is missing but the lab has live resources: Jobs, snapshot schedules and budget alerts are withheld until the record is restored, migrated (labops record migrate), or --accept-empty-record is passed; workstations are managed as usual`,
    );
  if (result.record === 'accepted')
    lines.push(
      `labops ${command}: the run record is missing but the lab has live resources; --accept-empty-record: starting a new record (Jobs may be submitted again, alerts sent again)`,
    );
  return lines;
}

/** The budget section, when the lab has budgets or the plan changes what a project costs. */
function shownBudgets(result: RunResult): DecisionReport | undefined {
  if (result.outcome === 'invalid' || result.budgets === undefined) return undefined;
  const { statuses, projects } = result.budgets;
  return statuses.length > 0 || projects.length > 0 ? result.budgets : undefined;
}

function exitStatus(o: OnceOptions, result: RunResult): number {
  switch (result.outcome) {
    case 'invalid':
      return 1;
    case 'planned':
      if (!result.validation.valid) return 1;
      return o.detailed && hasChanges(result.plan) ? 2 : 0;
    case 'applied':
      if (!result.validation.valid) return 1;
      return result.applied.ok || stoppedCleanly(result.applied, o.signal) ? 0 : 1;
  }
}

/** Stopped by SIGINT/SIGTERM with nothing failed: what ran is done, the rest waits for the next run. */
function stoppedCleanly(applied: ApplyResult, signal: AbortSignal): boolean {
  return signal.aborted && applied.error === undefined && applied.results.every((r) => r.status !== 'failed');
}

/**
 * Apply's progress, as it happens: one line as each action starts and as it ends (ISO timestamps
 * when stdout is not a terminal, so a CI log shows when), on stdout for text output and on stderr
 * beside a JSON or markdown document. `--quiet` keeps the ends (the changes) and drops the starts.
 * On a terminal, what an action is waiting for is shown on one status line on stderr, rewritten in place.
 */
function progressLine(
  io: Io,
  options: { quiet: boolean; toStdout: boolean },
): { update(event: ProgressEvent): void; clear(): void } {
  let shown = false;
  const clear = (): void => {
    if (shown) io.stderr('\r\u001b[K');
    shown = false;
  };
  const write = (text: string): void => (options.toStdout ? io.stdout(text) : io.stderr(text));
  return {
    update(event) {
      const text = escapeControls(
        redact(event.phase === 'started' ? event.actionId : `${event.actionId}: ${event.message}`),
      );
      if (event.phase === 'waiting') {
        if (!io.isTTY || options.quiet) return;
        io.stderr(`\r\u001b[K… ${text}`.slice(0, 200));
        shown = true;
        return;
      }
      if (event.phase === 'started' && options.quiet) return;
      clear();
      write(`${stamp(io)}${PROGRESS_MARKS[event.phase]} ${text}\n`);
    },
    clear,
  };
}

const PROGRESS_MARKS: Record<Exclude<ProgressEvent['phase'], 'waiting'>, string> = {
  started: '→ start',
  done: '✓ done ',
  failed: '✗ failed',
  skipped: '- skipped',
};
