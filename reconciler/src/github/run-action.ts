/**
 * The GitHub Action's pipeline around `run(...)`: picks the flow from the mode and event, plans
 * (desired-only for forks), checks who may change what, reports (sticky comment, annotations, job
 * summary, merged-PR comment, tracking issue) and decides whether the check fails. It returns data;
 * action/src/main.ts writes it through @actions/core.
 */
import { resolve } from 'node:path';
import { AwsError } from '../aws/errors.js';
import type { CostsPort } from '../aws/ports.js';
import type { AwsPorts } from '../aws/ports.js';
import type { EnvironmentCandidate } from '../environments/model.js';
import type { RecordStore } from '../model/record.js';
import { renderPlanComment } from '../report/pr-comment.js';
import { GITHUB_COMMENT_LIMIT } from '../report/markdown-safe.js';
import { planHash } from '../report/plan-hash.js';
import { planToJson } from '../report/plan-json.js';
import { hasChanges } from '../report/plan-summary.js';
import { planDesiredOnly } from '../run-desired-only.js';
import { run } from '../run.js';
import type { RunResult } from '../run.js';
import { validateLab } from '../specs/validate.js';
import { annotations, renderJobSummary, renderResultComment } from './action-report.js';
import type { Annotation } from './action-report.js';
import { findSticky, formatMarker, upsertSticky } from './comment.js';
import type { StickyOutcome } from './comment.js';
import { applyRefusal, chooseFlow } from './event.js';
import type { ActionEvent, ActionMode, Flow } from './event.js';
import { repoId } from './forge.js';
import type { Forge } from './forge.js';
import { missingApprovals } from './approvals.js';
import { checkChangeApprovals, labPrefix } from './pull-approvals.js';
import type { ApprovalReport, ApprovedBase, ChangeSource } from './pull-approvals.js';
import { activeHolds } from '../record/holds.js';
import { LeaseBusyError } from '../record/lease.js';
import type { LeaseRequest } from '../record/lease.js';
import type { HoldChanges } from '../record/holds.js';
import { updateStatusIssue } from './status-issue.js';

/** The Action's inputs (action.yml). */
export interface ActionInputs {
  mode: ActionMode;
  /** Lab folder, relative to the repository root. @default "." */
  path: string;
  /** `update`: keep the sticky pull request comment; `off`: no comment. */
  comment: 'update' | 'off';
}

/** Where the run is. */
export interface ActionContext {
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
  ports(region: string): AwsPorts;
  costs?(): CostsPort;
  record?: RecordStore;
  now(): Date;
  sleep(ms: number): Promise<void>;
  log(message: string): void;
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

interface Work {
  result: RunResult;
  desiredOnly: boolean;
  approvals?: ApprovalReport;
  notes: string[];
  failures: string[];
  comment?: StickyOutcome;
}

/** Runs the Action once. Throws only for what cannot be reported (GitHub unreachable, a broken payload). */
export async function runAction(inputs: ActionInputs, context: ActionContext, deps: ActionDeps): Promise<ActionOutcome> {
  const flow = chooseFlow(inputs.mode, context.event);
  const prefix = labPrefix(inputs.path);
  const dir = resolve(context.workspace, prefix || '.');
  const now = deps.now();
  const work: Work = { result: { validation: validateLab(dir, { catalog: deps.catalog }) }, desiredOnly: false, notes: [], failures: [] };
  const refusal = applyRefusal(flow, context.event);
  if (refusal) work.failures.push(refusal);
  else if (flow === 'plan') await planFlow(inputs, context, deps, work, dir, now);
  else if (flow === 'apply' || flow === 'reconcile') await applyFlow(flow, inputs, context, deps, work, dir, now);
  const { result } = work;
  if (!result.validation.valid) work.failures.unshift(`specs are invalid: ${result.validation.problems.filter((p) => p.severity === 'error').length} error(s)`);
  if (work.approvals?.missing.length) work.failures.push(...work.approvals.missing.map((m) => `approval missing: ${m}`));
  if (result.applied && !result.applied.ok) work.failures.push(`apply: ${result.applied.error?.message ?? `${result.applied.results.filter((r) => r.status === 'failed').length} action(s) failed`}`);
  const title = `labops ${flow} — ${context.event.repo}${prefix ? `/${prefix}` : ''}`;
  return {
    flow,
    outputs: {
      'has-changes': String(result.plan ? hasChanges(result.plan) : false),
      'monthly-delta-usd': (result.plan?.monthlyDeltaUSD ?? 0).toFixed(2),
      'plan-json': result.plan ? JSON.stringify(planToJson(result.plan)) : '',
    },
    annotations: annotations(result.validation.problems, work.approvals?.checks ?? [], prefix),
    summary: renderJobSummary({ title, desiredOnly: work.desiredOnly, problems: result.validation.problems, plan: result.plan, applied: result.applied, budgets: result.budgets, checks: work.approvals?.checks ?? [], missing: work.approvals?.missing ?? [], notes: [...work.notes, ...work.failures] }),
    failures: work.failures,
    ...(work.comment ? { comment: work.comment } : {}),
  };
}

function runDeps(deps: ActionDeps, record: RecordStore | undefined, lease: LeaseRequest | undefined) {
  return { catalog: deps.catalog, ports: deps.ports, sleep: deps.sleep, ...(deps.costs ? { costs: deps.costs } : {}), ...(record ? { record } : {}), ...(lease ? { lease } : {}) };
}

async function pipeline(mode: 'plan' | 'apply', context: ActionContext, deps: ActionDeps, work: Work, dir: string, now: Date, record: RecordStore | undefined, holds?: HoldChanges): Promise<void> {
  try {
    // Apply on merge waits for a run in progress (the container's, say); a scheduled reconcile leaves the round to it.
    const lease: LeaseRequest = context.event.name === 'push' ? { kind: 'action apply', waitSeconds: 900 } : { kind: 'action reconcile', waitSeconds: 120 };
    work.result = await run({ dir, mode, now, repo: async () => context.event.repo, ...(holds ? { holds } : {}) }, runDeps(deps, record, mode === 'apply' ? lease : undefined));
  } catch (err) {
    if (err instanceof LeaseBusyError) {
      if (context.event.name === 'push') work.failures.push(`${err.message}; nothing was changed — re-run this job when it is done`);
      else work.notes.push(`skipped: ${err.message}; the next scheduled run will try again`);
      return;
    }
    if (!(err instanceof AwsError)) throw err;
    work.failures.push(`AWS ${err.operation} failed: ${err.code}: ${err.message}`);
  }
}

/** validate + plan (+ approvals and the sticky comment on a pull request). A fork gets the desired-only plan and no AWS. */
async function planFlow(inputs: ActionInputs, context: ActionContext, deps: ActionDeps, work: Work, dir: string, now: Date): Promise<void> {
  const pr = context.event.pullRequest;
  if (pr?.fromFork) {
    work.desiredOnly = true;
    work.result = planDesiredOnly({ dir, repo: context.event.repo, now }, { catalog: deps.catalog });
  } else {
    // A plan may read the run record but never writes it: pull request runs have no write access.
    const readOnly = deps.record && { load: () => deps.record!.load(), save: async () => undefined };
    const approved = await approvedBase(readOnly);
    if (pr && deps.forge) work.approvals = await checkChangeApprovals(deps.forge, repoId(context.event.repo), { pull: pr.number, author: pr.author, headSha: pr.headSha, baseSha: pr.baseSha }, inputs.path, context.workspace, approved);
    // The plan shows what merging would apply: held files this pull request changes are read as it has them.
    await pipeline('plan', context, deps, work, dir, now, readOnly, work.approvals ? { release: work.approvals.files } : undefined);
  }
  if (!pr) return;
  if (!deps.forge) {
    work.failures.push('github-token is needed to check who may change what on a pull request');
    return;
  }
  const repo = repoId(context.event.repo);
  work.approvals ??= await checkChangeApprovals(deps.forge, repo, { pull: pr.number, author: pr.author, headSha: pr.headSha, baseSha: pr.baseSha }, inputs.path, context.workspace);
  if (inputs.comment === 'off') return;
  const { result } = work;
  const marker = { kind: 'plan' as const, repo: context.event.repo, path: labPrefix(inputs.path) || '.', validAt: pr.updatedAt, planHash: work.desiredOnly ? 'desired-only' : result.plan ? planHash(result.plan) : 'none' };
  const limit = GITHUB_COMMENT_LIMIT - formatMarker(marker).length - 1024;
  const { body, level } = renderPlanComment(
    { title: `labops plan — ${marker.path}`, desiredOnly: work.desiredOnly, problems: result.validation.problems, sourceLine: result.validation.sourceLine, plan: result.plan, budgets: result.budgets, approvals: work.approvals.checks, missing: work.approvals.missing, summaryUrl: context.runUrl },
    limit,
  );
  work.comment = await upsertSticky(deps.forge, repo, pr.number, marker, body);
  deps.log(`pull request comment ${work.comment.action} (${level})`);
  if (work.comment.action === 'stale') work.notes.push(`the pull request comment was left alone: a newer run (valid at ${work.comment.newerValidAt}) wrote it`);
}

/** Where a push's change came from: its merged pull request, else the push itself (no reviews). */
async function changeSource(forge: Forge, context: ActionContext): Promise<{ source: ChangeSource; pull?: number }> {
  const event = context.event;
  const pulls = await forge.pullsForCommit(repoId(event.repo), event.sha);
  const merged = pulls.find((p) => p.mergeCommitSha === event.sha) ?? pulls.find((p) => p.mergedAt !== undefined);
  if (merged) return { pull: merged.number, source: { pull: merged.number, author: merged.author, headSha: merged.headSha, baseSha: merged.baseSha } };
  return { source: { author: event.push?.pusher ?? '', headSha: event.sha, baseSha: event.push?.before ?? '', files: event.push?.files ?? [] } };
}

/** apply (a push to the default branch: approvals re-checked first) or reconcile (scheduled: the default branch as it is). */
async function applyFlow(flow: 'apply' | 'reconcile', inputs: ActionInputs, context: ActionContext, deps: ActionDeps, work: Work, dir: string, now: Date): Promise<void> {
  const repo = repoId(context.event.repo);
  const isPush = flow === 'apply' && context.event.name === 'push';
  let pull: number | undefined;
  let holds: HoldChanges | undefined;
  if (isPush) {
    if (!deps.forge) {
      work.failures.push('github-token is needed to re-check the approvals of a push before applying it');
      return;
    }
    const found = await changeSource(deps.forge, context);
    pull = found.pull;
    work.approvals = await checkChangeApprovals(deps.forge, repo, found.source, inputs.path, context.workspace, await approvedBase(deps.record));
    if (work.approvals.missing.length && !deps.record) {
      // Without a run record a held file cannot be remembered, so nothing of this push is applied.
      work.notes.push(`apply refused: ${work.approvals.missing.length} change(s) merged without the approval they need; nothing was changed in AWS (with a run record, labops would hold just those files and apply the rest)`);
      await report(inputs, context, deps, work, pull, now);
      return;
    }
    holds = holdChanges(work.approvals, context.event.sha);
    if (holds.hold?.length) work.notes.push(`held ${holds.hold.length} file(s) merged without the approval they need: labops keeps applying their last approved version until an approved change or a revert; the rest was applied`);
  }
  if (!work.result.validation.valid) work.notes.push('some specs are invalid: their resources are left alone');
  await pipeline('apply', context, deps, work, dir, now, deps.record, holds);
  for (const hold of work.result.held ?? []) {
    if (!holds?.hold?.some((h) => h.file === hold.file)) work.notes.push(`${hold.file} is held since ${hold.sha.slice(0, 12)} (${hold.since}): ${hold.reasons.join('; ')}`);
  }
  await report(inputs, context, deps, work, pull, now);
}

/** The last approved text of each held file, from the run record. */
async function approvedBase(record: RecordStore | undefined): Promise<ApprovedBase> {
  if (!record) return new Map();
  return new Map(activeHolds(await record.load()).map((h) => [h.file, h.baseContent]));
}

/** A push's holds: files with a missing approval are held at their text before it; the other files it touched are approved. */
function holdChanges(approvals: ApprovalReport, sha: string): HoldChanges {
  const refused = new Map<string, string[]>();
  const failed = approvals.checks.filter((check) => !check.ok);
  const reasons = missingApprovals(failed, approvals.admins);
  failed.forEach((check, i) => refused.set(check.spec.file, [...(refused.get(check.spec.file) ?? []), reasons[i]!]));
  return {
    hold: [...refused].map(([file, reasons]) => ({ file, baseContent: approvals.before[file] ?? null, sha, reasons })),
    release: approvals.files.filter((file) => !refused.has(file)),
    releasedBy: `approved in ${sha.slice(0, 12)}`,
  };
}

/** The merged pull request's result comment and the tracking issue. */
async function report(inputs: ActionInputs, context: ActionContext, deps: ActionDeps, work: Work, pull: number | undefined, now: Date): Promise<void> {
  if (!deps.forge) return;
  const repo = repoId(context.event.repo);
  const path = labPrefix(inputs.path) || '.';
  const { result } = work;
  const refused = work.approvals?.missing ?? [];
  if (pull !== undefined && inputs.comment !== 'off') {
    const shown = findSticky(await deps.forge.listComments(repo, pull), { kind: 'plan', repo: context.event.repo, path })?.marker.planHash;
    const appliedHash = result.plan ? planHash(result.plan) : undefined;
    if (shown && appliedHash && shown !== appliedHash && shown !== 'desired-only' && !refused.length) work.notes.push(`the plan applied (${appliedHash.slice(0, 19)}) differs from the plan pull request #${pull} showed (${shown.slice(0, 19)})`);
    const body = renderResultComment({ sha: context.event.sha, runUrl: context.runUrl, plan: result.plan, applied: result.applied, refused, ...(shown ? { shownHash: shown } : {}), ...(appliedHash ? { appliedHash } : {}) });
    const validAt = context.event.push?.timestamp || now.toISOString();
    await upsertSticky(deps.forge, repo, pull, { kind: 'result', repo: context.event.repo, path, validAt: new Date(validAt).toISOString() }, body);
  }
  const what = context.event.name === 'push' ? `apply of ${context.event.sha.slice(0, 12)}` : `reconcile (${context.event.name})`;
  const stillHeld = (result.held ?? []).filter((h) => !refused.some((r) => r.startsWith(`${h.file} `))).map((h) => `${h.file} is held at its last approved version since ${h.sha.slice(0, 12)}: ${h.reasons.join('; ')}`);
  const attention = [...refused, ...stillHeld];
  await updateStatusIssue(deps.forge, repo, { repo: context.event.repo, path, at: now.toISOString(), what, runUrl: context.runUrl, plan: result.plan, applied: result.applied, budgets: result.budgets, ...(attention.length ? { refused: attention } : {}) });
}
