/**
 * The GitHub Action's pipeline around `run(...)`: picks the flow from the mode and event, plans
 * (desired-only for forks), checks who may change what, reports (sticky comment, annotations, job
 * summary, merged-PR comment, tracking issue) and decides whether the check fails. It returns data;
 * action/src/main.ts writes it through @actions/core.
 */
import { lstatSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { AwsError } from '../aws/errors.js';
import type { CostsPort } from '../aws/ports.js';
import type { AwsPorts } from '../aws/ports.js';
import type { EnvironmentCandidate } from '../environments/model.js';
import type { RecordStore, RunRecord } from '../model/record.js';
import { foreignDataUse } from '../kinds/workstation/plan/data-owners.js';
import type { DataUse } from '../kinds/workstation/plan/data-owners.js';
import { renderPlanComment } from '../report/pr-comment.js';
import type { PlanCommentInput } from '../report/pr-comment.js';
import { buildStatus } from '../kinds/workstation/status-rows.js';
import { GITHUB_COMMENT_LIMIT } from '../report/markdown-safe.js';
import { planHash } from '../report/plan-hash.js';
import { planToJson } from '../report/plan-json.js';
import { hasChanges } from '../report/plan-summary.js';
import { planDesiredOnly } from '../engine/desired-only.js';
import { appliedOf, plannedRun, run } from '../engine/pipeline.js';
import type { AppliedRun, PlannedRun, RunResult } from '../engine/pipeline.js';
import { validateLab } from '../specs/validate.js';
import { annotations, renderJobSummary, renderResultComment } from './action-report.js';
import type { Annotation } from './action-report.js';
import { findOwnSticky, formatMarker, upsertSticky } from './comment.js';
import type { StickyOutcome } from './comment.js';
import { applyRefusal, chooseFlow } from './event.js';
import type { ActionEvent, ActionMode, Flow } from './event.js';
import { ForgeError, repoId } from './forge.js';
import type { Forge, RepoId } from './forge.js';
import { syncCostLabel } from './cost-label.js';
import { changeDeltaUSD } from '../report/plan-rows.js';
import type { Plan } from '../model/plan.js';
import { currentApprovers } from './approvals.js';
import { commitVouchers } from './vouchers.js';
import { activeHolds } from '../record/holds.js';
import { LeaseBusyError } from '../record/lease.js';
import type { LeaseRequest } from '../record/lease.js';
import type { GateRun } from '../engine/pipeline.js';
import { missingApprovals } from '../trust/approvals.js';
import type { ApprovalCheck } from '../trust/approvals.js';
import { GateRefusal, gate } from '../trust/gate.js';
import { GitObjectError, GitObjects } from '../trust/git-objects.js';
import { checkPull } from '../trust/pull-check.js';
import { SYMLINK_MESSAGE } from '../specs/lab-files.js';
import { redact } from '../record/redact.js';
import { updateStatusIssue } from './status-issue.js';

/** The Action's inputs (action.yml). */
export interface ActionInputs {
  mode: ActionMode;
  /** Lab folder, relative to the repository root. @default "." */
  path: string;
  /** `update`: keep the sticky pull request comment; `off`: no comment. */
  comment: 'update' | 'off';
  /** Label the pull request with its change to the monthly run-rate (`+$412/mo`). @default false */
  costLabel?: boolean;
}

/** Where the GitHub workflow run is (not the executor's per-action ActionContext in engine/apply/context.ts). */
export interface WorkflowRunContext {
  event: ActionEvent;
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** This run's page, for pointers to the job summary. */
  runUrl: string;
}

/** What the Action talks to; tests pass fakes and `labops sim` ports. */
export interface ActionDeps {
  /** GitHub; absent without a token (no comments, and apply refuses: approvals cannot be checked). */
  forge?: Forge;
  catalog: readonly EnvironmentCandidate[];
  ports: (region: string) => AwsPorts;
  costs?: () => CostsPort;
  record?: RecordStore;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  log: (message: string) => void;
  /** The `instance-profile` input: overrides the specs' `access.instanceProfile` at launch. @default none */
  instanceProfile?: string;
}

/** Everything main.ts writes. */
export interface ActionOutcome {
  flow: Flow;
  outputs: { 'has-changes': string; 'monthly-delta-usd': string; 'plan-json': string };
  annotations: Annotation[];
  summary: string;
  /** Why the check fails; empty when it passes. */
  failures: string[];
  /** What happened to the sticky comment, when there is one. */
  comment?: StickyOutcome;
}

/** The approval picture a run reports: every check, and one sentence per missing approval. */
interface Approvals {
  checks: ApprovalCheck[];
  missing: string[];
  admins: string[];
}

interface Work {
  result: RunResult;
  desiredOnly: boolean;
  approvals?: Approvals;
  notes: string[];
  failures: string[];
  comment?: StickyOutcome;
  /** Where each name is declared at the approved base, for validation. */
  claims?: Map<string, string>;
  /** Who vouches for a pull request and which workstations it changes (name → file), for data approvals. */
  data?: DataContext;
}

interface DataContext {
  vouching: string[];
  changed: Map<string, string>;
  admins: string[];
}

/**
 * A workstation the pull request changes that would launch from another owner's data needs that
 * owner's (or an admin's) approval too; uses that were there before the pull request are not its doing.
 */
function addDataChecks(approvals: Approvals, uses: readonly DataUse[], data: DataContext): void {
  for (const use of uses) {
    const file = data.changed.get(use.workstation);
    if (file === undefined) continue;
    const admin = data.vouching.find((v) => data.admins.includes(v));
    const ok = admin !== undefined || data.vouching.includes(use.owner);
    const owners = use.owner ? [use.owner] : [];
    const check: ApprovalCheck = {
      spec: {
        file,
        kind: 'Workstation',
        name: use.workstation,
        change: 'modified',
        owners,
        files: [file],
        note: `it uses ${use.what}`,
      },
      needs: owners.length ? 'owner-or-admin' : 'admin',
      ok,
      ...(ok ? { by: admin ? `${admin} (admin)` : use.owner } : {}),
    };
    approvals.checks.push(check);
    if (!ok) approvals.missing.push(...missingApprovals([check], data.admins));
  }
}

/** Runs the Action once. Throws only for what cannot be reported (GitHub unreachable, a broken payload). */
export async function runAction(
  inputs: ActionInputs,
  context: WorkflowRunContext,
  deps: ActionDeps,
): Promise<ActionOutcome> {
  const flow = chooseFlow(inputs.mode, context.event);
  const prefix = labPrefix(inputs.path);
  const dir = resolve(context.workspace, prefix || '.');
  const now = deps.now();
  const work: Work = {
    result: { outcome: 'invalid', validation: validateLab(dir, { catalog: deps.catalog }) },
    desiredOnly: false,
    notes: [],
    failures: [],
  };
  const refusal = applyRefusal(flow, context.event) ?? symlinkedLabPath(context.workspace, prefix);
  if (refusal) work.failures.push(refusal);
  else if (flow === 'plan') await planFlow(inputs, context, deps, work, dir, now);
  else if (flow === 'apply' || flow === 'reconcile') await applyFlow(flow, inputs, context, deps, work, dir, now);
  const { result } = work;
  const ran = plannedRun(result);
  const applied = appliedOf(result);
  if (!result.validation.valid)
    work.failures.unshift(
      `specs are invalid: ${result.validation.problems.filter((p) => p.severity === 'error').length} error(s)`,
    );
  if (work.approvals?.missing.length)
    work.failures.push(...work.approvals.missing.map((m) => `approval missing: ${m}`));
  if (applied && !applied.ok)
    work.failures.push(
      `apply: ${applied.error?.message ?? `${applied.results.filter((r) => r.status === 'failed').length} action(s) failed`}`,
    );
  const title = `labops ${flow} — ${context.event.repo}${prefix ? `/${prefix}` : ''}`;
  return {
    flow,
    outputs: {
      'has-changes': String(ran ? hasChanges(ran.plan) : false),
      'monthly-delta-usd': (ran?.plan.monthlyDeltaUSD ?? 0).toFixed(2),
      'plan-json': ran ? JSON.stringify(planToJson(ran.plan)) : '',
    },
    annotations: annotations(result.validation.problems, work.approvals?.checks ?? [], prefix),
    summary: renderJobSummary({
      title,
      desiredOnly: work.desiredOnly,
      problems: result.validation.problems,
      plan: ran?.plan,
      applied,
      budgets: ran?.budgets,
      checks: work.approvals?.checks ?? [],
      missing: work.approvals?.missing ?? [],
      notes: [...work.notes, ...work.failures],
    }),
    failures: work.failures,
    ...(work.comment ? { comment: work.comment } : {}),
  };
}

/** The lab as a title names it: `acme/neuro-lab (labs/neuro)`, or the repository alone for its root. */
export function labName(repo: string, path: string): string {
  return path === '.' || path === '' ? repo : `${repo} (${path})`;
}

/** What the comment's rows and totals need from a run: live states, orphans' run-rates, the planned run-rate after the change. */
function commentCosts(ran: PlannedRun | AppliedRun, now: Date): Pick<PlanCommentInput, 'rows' | 'runRateAfterUSD'> {
  const status = buildStatus(ran.desired, ran.observed, now);
  return {
    rows: {
      instanceStates: new Map(ran.observed.instances.map((i) => [i.instanceId, i.state])),
      orphanMonthlyUSD: new Map(status.orphans.map((o) => [o.instanceId, o.monthlyUSD])),
    },
    runRateAfterUSD: status.totalMonthlyUSD,
  };
}

/** `lab` for `lab`, `./lab/`; `''` for `.`. */
export function labPrefix(path: string): string {
  const normal = posix
    .normalize(path.replace(/\\/g, '/'))
    .replace(/^\.\/?/, '')
    .replace(/\/+$/, '');
  return normal === '.' ? '' : normal;
}

/** Why the lab folder cannot be read: a symlink on its path inside the checkout. */
function symlinkedLabPath(workspace: string, prefix: string): string | undefined {
  const parts = prefix ? prefix.split('/') : [];
  for (let i = 1; i <= parts.length; i++) {
    const path = parts.slice(0, i).join('/');
    try {
      if (lstatSync(join(workspace, path)).isSymbolicLink()) return `${path}: ${SYMLINK_MESSAGE}`;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function runDeps(deps: ActionDeps, record: RecordStore | undefined, lease: LeaseRequest | undefined) {
  return {
    catalog: deps.catalog,
    ports: deps.ports,
    sleep: deps.sleep,
    ...(deps.costs ? { costs: deps.costs } : {}),
    ...(record ? { record } : {}),
    ...(lease ? { lease } : {}),
    ...(deps.instanceProfile ? { instanceProfile: deps.instanceProfile } : {}),
  };
}

async function pipeline(
  mode: 'plan' | 'apply',
  context: WorkflowRunContext,
  deps: ActionDeps,
  work: Work,
  dir: string,
  now: Date,
  record: RecordStore | undefined,
  extra: {
    gate?: (record: RunRecord) => Promise<GateRun>;
    claims?: Map<string, string>;
    dataApproved?: (use: DataUse) => boolean;
  } = {},
): Promise<void> {
  try {
    // Apply on merge waits for a run in progress (the container's, say); a scheduled reconcile leaves the round to it.
    const lease: LeaseRequest =
      context.event.name === 'push'
        ? { kind: 'action apply', waitSeconds: 900 }
        : { kind: 'action reconcile', waitSeconds: 120 };
    const base = extra.claims ? { base: { names: new Set(extra.claims.keys()), claims: extra.claims } } : {};
    work.result = await run(
      {
        dir,
        mode,
        now,
        repo: () => Promise.resolve(context.event.repo),
        ...(extra.gate ? { gate: extra.gate } : {}),
        ...(extra.dataApproved ? { dataApproved: extra.dataApproved } : {}),
        ...base,
      },
      runDeps(deps, record, mode === 'apply' ? lease : undefined),
    );
  } catch (err) {
    if (err instanceof GateRefusal || err instanceof GitObjectError) {
      work.failures.push(`${redact(err.message)}; nothing was changed`);
      return;
    }
    if (err instanceof LeaseBusyError) {
      if (context.event.name === 'push')
        work.failures.push(`${redact(err.message)}; nothing was changed — re-run this job when it is done`);
      else work.notes.push(`skipped: ${redact(err.message)}; the next scheduled run will try again`);
      return;
    }
    if (!(err instanceof AwsError)) throw err;
    work.failures.push(`AWS ${err.operation} failed: ${err.code}: ${redact(err.message)}`);
  }
}

/** validate + plan (+ approvals and the sticky comment on a pull request). A fork gets the desired-only plan and no AWS. */
async function planFlow(
  inputs: ActionInputs,
  context: WorkflowRunContext,
  deps: ActionDeps,
  work: Work,
  dir: string,
  now: Date,
): Promise<void> {
  const pr = context.event.pullRequest;
  // A plan may read the run record but never writes it: pull request runs have no write access.
  const { record } = deps;
  const readOnly = record && { load: () => record.load(), save: () => Promise.resolve() };
  if (pr && deps.forge) {
    try {
      const git = new GitObjects(context.workspace);
      const head = git.resolve('HEAD');
      if (!head) throw new GitObjectError('the checkout is not a git repository: use actions/checkout');
      const holds = readOnly ? activeHolds(await readOnly.load()) : [];
      const approvers = currentApprovers(
        await deps.forge.listReviews(repoId(context.event.repo), pr.number),
        pr.headSha,
      );
      const check = checkPull({
        git,
        prefix: labPrefix(inputs.path),
        base: pr.baseSha,
        head,
        holds,
        author: pr.author,
        approvers,
      });
      work.approvals = { checks: check.checks, missing: check.missing, admins: check.admins };
      work.notes.push(...check.ignored);
      work.claims = check.claims;
      const vouching = [pr.author, ...approvers].map((p) => p.toLowerCase());
      const changed = new Map(check.changes.filter((c) => c.kind === 'Workstation').map((c) => [c.name, c.file]));
      work.data = { vouching, changed, admins: check.admins };
    } catch (err) {
      if (!(err instanceof GitObjectError)) throw err;
      work.failures.push(`cannot check who may change what: ${redact(err.message)}`);
      return;
    }
  }
  if (pr?.fromFork) {
    work.desiredOnly = true;
    work.result = await planDesiredOnly({ dir, repo: context.event.repo, now }, { catalog: deps.catalog });
  } else {
    const data = work.data;
    const dataApproved = data
      ? (use: DataUse): boolean =>
          !data.changed.has(use.workstation) || data.vouching.some((v) => v === use.owner || data.admins.includes(v))
      : undefined;
    await pipeline('plan', context, deps, work, dir, now, readOnly, {
      ...(work.claims ? { claims: work.claims } : {}),
      ...(dataApproved ? { dataApproved } : {}),
    });
    const ran = plannedRun(work.result);
    if (data && work.approvals && ran) addDataChecks(work.approvals, foreignDataUse(ran.desired, ran.observed), data);
  }
  if (!pr) return;
  if (!deps.forge) {
    work.failures.push('github-token is needed to check who may change what on a pull request');
    return;
  }
  const repo = repoId(context.event.repo);
  if (!work.approvals) return;
  const { result } = work;
  const ran = plannedRun(result);
  if (inputs.costLabel && ran) await labelCost(deps.forge, repo, pr.number, work, ran.plan);
  if (inputs.comment === 'off') return;
  const marker = {
    kind: 'plan' as const,
    repo: context.event.repo,
    path: labPrefix(inputs.path) || '.',
    validAt: pr.updatedAt,
    planHash: work.desiredOnly ? 'desired-only' : ran ? planHash(ran.plan) : 'none',
  };
  const limit = GITHUB_COMMENT_LIMIT - formatMarker(marker).length - 1024;
  const { body, level } = renderPlanComment(
    {
      title: `labops plan — ${labName(context.event.repo, marker.path)}`,
      desiredOnly: work.desiredOnly,
      problems: result.validation.problems,
      sourceLine: result.validation.sourceLine,
      plan: ran?.plan,
      budgets: ran?.budgets,
      approvals: work.approvals.checks,
      missing: work.approvals.missing,
      admins: work.approvals.admins,
      ...(ran ? commentCosts(ran, now) : {}),
      summaryUrl: context.runUrl,
    },
    limit,
  );
  work.comment = await upsertSticky(deps.forge, repo, pr.number, marker, body);
  deps.log(`pull request comment ${work.comment.action} (${level})`);
  if (work.comment.action === 'stale')
    work.notes.push(
      `the pull request comment was left alone: a newer run (valid at ${work.comment.newerValidAt}) wrote it`,
    );
}

/**
 * The cost label: not for a fork's desired-only plan (its token cannot write labels, and its
 * figures are list-price guesses); a label GitHub refuses is a note, not a failed check.
 */
async function labelCost(forge: Forge, repo: RepoId, pull: number, work: Work, plan: Plan): Promise<void> {
  if (work.desiredOnly) {
    work.notes.push('cost-label: no label on a pull request from a fork (desired-only plan)');
    return;
  }
  try {
    const outcome = await syncCostLabel(forge, repo, pull, changeDeltaUSD(plan));
    if (outcome.action === 'added' || outcome.removed.length)
      work.notes.push(
        `cost label ${outcome.label}${outcome.removed.length ? ` (replacing ${outcome.removed.join(', ')})` : ''}`,
      );
  } catch (err) {
    if (!(err instanceof ForgeError)) throw err;
    work.notes.push(`cost-label: ${err.message} (the workflow needs pull-requests: write or issues: write)`);
  }
}

/** The pull request a push brought (for its result comment): the one merged as this commit. */
async function mergedPull(forge: Forge, context: WorkflowRunContext): Promise<number | undefined> {
  const pulls = await forge.pullsForCommit(repoId(context.event.repo), context.event.sha);
  return (pulls.find((p) => p.mergeCommitSha === context.event.sha) ?? pulls.find((p) => p.mergedAt !== undefined))
    ?.number;
}

/**
 * apply (a push to the default branch) and reconcile (scheduled or dispatched): both fail closed —
 * every change since the last applied commit is checked against the approvals of the pull
 * requests that brought it, under the lease, before anything changes in AWS.
 */
async function applyFlow(
  flow: 'apply' | 'reconcile',
  inputs: ActionInputs,
  context: WorkflowRunContext,
  deps: ActionDeps,
  work: Work,
  dir: string,
  now: Date,
): Promise<void> {
  if (!deps.forge) {
    work.failures.push(
      `github-token is needed to check the approvals of what ${flow} would change; nothing was changed`,
    );
    return;
  }
  const forge = deps.forge;
  const git = new GitObjects(context.workspace);
  const head = git.resolve('HEAD');
  if (!head) {
    work.failures.push(
      'the checkout is not a git repository: use actions/checkout (with fetch-depth: 0); nothing was changed',
    );
    return;
  }
  const prefix = labPrefix(inputs.path);
  const before = context.event.push?.before;
  const vouchers = commitVouchers(forge, context.event.repo, context.event.defaultBranch);
  const gateRun = async (record: RunRecord): Promise<GateRun> => {
    const outcome = await gate({
      git,
      prefix,
      head,
      ...(record.applied ? { applied: record.applied.commit } : {}),
      ...(before ? { fallback: before } : {}),
      holds: activeHolds(record),
      vouchers,
    });
    return { ...outcome, head };
  };
  await pipeline('apply', context, deps, work, dir, now, deps.record, { gate: gateRun });
  const gated = work.result.gated;
  if (gated) {
    // What this run refused fails the check; holds from earlier runs are reported, not failed again.
    work.approvals = { checks: gated.checks, missing: gated.refused, admins: gated.admins };
    work.notes.push(...gated.ignored);
    if (gated.missing.length)
      work.notes.push(
        `held ${gated.holdChanges.hold?.length ?? 0} file(s) changed without the approval they need: labops keeps applying their last approved version until an approved change or a revert; the rest was applied`,
      );
    if (!deps.record)
      work.notes.push('no run record: the next run checks again from the start of the lab, or from the pushed range');
  }
  if (!work.result.validation.valid) work.notes.push('some specs are invalid: their resources are left alone');
  await report(
    inputs,
    context,
    deps,
    work,
    context.event.name === 'push' ? await mergedPull(forge, context) : undefined,
    now,
  );
}

/** The merged pull request's result comment and the tracking issue. */
async function report(
  inputs: ActionInputs,
  context: WorkflowRunContext,
  deps: ActionDeps,
  work: Work,
  pull: number | undefined,
  now: Date,
): Promise<void> {
  if (!deps.forge) return;
  const repo = repoId(context.event.repo);
  const path = labPrefix(inputs.path) || '.';
  const { result } = work;
  const ran = plannedRun(result);
  const applied = appliedOf(result);
  const refused = work.approvals?.missing ?? [];
  if (pull !== undefined && inputs.comment !== 'off') {
    const shown = (await findOwnSticky(deps.forge, repo, pull, { kind: 'plan', repo: context.event.repo, path }))
      ?.marker.planHash;
    const appliedHash = ran ? planHash(ran.plan) : undefined;
    if (shown && appliedHash && shown !== appliedHash && shown !== 'desired-only' && !refused.length)
      work.notes.push(
        `the plan applied (${appliedHash.slice(0, 19)}) differs from the plan pull request #${pull} showed (${shown.slice(0, 19)})`,
      );
    const body = renderResultComment({
      sha: context.event.sha,
      runUrl: context.runUrl,
      plan: ran?.plan,
      applied,
      refused,
      ...(shown ? { shownHash: shown } : {}),
      ...(appliedHash ? { appliedHash } : {}),
    });
    const validAt = context.event.push?.timestamp || now.toISOString();
    await upsertSticky(
      deps.forge,
      repo,
      pull,
      { kind: 'result', repo: context.event.repo, path, validAt: new Date(validAt).toISOString() },
      body,
    );
  }
  const what =
    context.event.name === 'push' ? `apply of ${context.event.sha.slice(0, 12)}` : `reconcile (${context.event.name})`;
  const stillHeld = (result.held ?? [])
    .filter((h) => !refused.some((r) => r.startsWith(`${h.file} `)))
    .map((h) => `${h.file} is held at its last approved version since ${h.sha.slice(0, 12)}: ${h.reasons.join('; ')}`);
  const attention = [...refused, ...stillHeld];
  await updateStatusIssue(deps.forge, repo, {
    repo: context.event.repo,
    path,
    at: now.toISOString(),
    what,
    runUrl: context.runUrl,
    plan: ran?.plan,
    applied,
    budgets: ran?.budgets,
    ...(attention.length ? { refused: attention } : {}),
  });
}
