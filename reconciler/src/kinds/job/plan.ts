/**
 * The pure Job planner: Desired + the run record's submissions + Batch's view of them → actions.
 * A Job is submitted once per (spec hash, rerun): a submission in the record is never repeated,
 * however long ago Batch forgot it. Dependencies are submitted first (`after`) and passed to
 * Batch by job id (known from the record) or by deterministic name (submitted in the same apply);
 * a dependency that already succeeded needs no link, one that failed holds its dependants back.
 * A removed Job with `prune: true` is cancelled (or terminated, once running); without prune it
 * is reported. A budget's `block-launches`, `stop` or `hibernate` in force for a Job's project
 * refuses its submission (and so holds back its dependants): a Job is new spend, as a launch is. A Job whose queue does
 * not exist in its Region, or is DISABLED or INVALID there, is refused too (when the Region's
 * queues were read). No I/O, no clock reads.
 */
import type { Desired } from '../../model/desired.js';
import type { DesiredJob, SubmitDependency, SubmitJobDetails } from '../../model/job.js';
import { FINAL_JOB_STATES, FORGOTTEN_JOB_STATE, jobTaggedFor } from '../../model/job.js';
import type { Observed } from '../../model/observed.js';
import type { Action, PlanPart, PlanRefusal } from '../../model/plan.js';
import type { JobRecord } from '../../model/record.js';
import { TAG, ownershipTags } from '../../model/tags.js';
import { orderActions } from '../../engine/actions.js';
import { compareText } from '../../model/problem.js';
import { jobEstimate } from '../../cost/job-estimate.js';
import type { BudgetOverride } from '../../model/budget.js';
import { resourceAction } from '../../engine/clock-actions.js';
import { JOB_PLAN_ACTIONS } from './actions.js';
import { createQueueActionId, hasSpot } from '../../model/job-queue.js';
import { SPOT_DEFAULT_ATTEMPTS, SPOT_RECLAIM_RETRY } from '../../model/job.js';

/** The submission of a job's current (spec hash, rerun), if the record has it. */
export function currentSubmission(
  job: Pick<DesiredJob, 'name' | 'specHash' | 'rerun'>,
  records: readonly JobRecord[],
): JobRecord | undefined {
  return records.find((r) => r.name === job.name && r.specHash === job.specHash && r.rerun === job.rerun);
}

function jobTags(repo: string, job: DesiredJob): Record<string, string> {
  return { ...ownershipTags(repo, job, 'Job'), [TAG.specHash]: job.specHash, 'labops:rerun': String(job.rerun) };
}

/** Most queue names a missing-queue message lists. */
const LISTED_QUEUES = 5;

/**
 * Why a Job cannot go to its queue, in one line naming the spec file and the field, when its
 * Region's queues were read: the queue does not exist there (Batch refuses the job), is DISABLED
 * (Batch accepts no new jobs in it) or is INVALID (its jobs would sit RUNNABLE until someone
 * repairs it). Undefined when the queue can take the job or nothing was read.
 */
export function queueProblem(
  job: Pick<DesiredJob, 'name' | 'region' | 'queue' | 'queueAt'>,
  observed: Pick<Observed, 'jobQueues'>,
): string | undefined {
  const queues = observed.jobQueues[job.region];
  if (queues === undefined) return undefined;
  const where = job.queueAt ?? `Job ${job.name}`;
  const queue = queues.find((q) => q.name === job.queue || q.arn === job.queue);
  if (queue === undefined) {
    const names = queues.map((q) => q.name).sort(compareText);
    const known =
      names.length === 0
        ? `${job.region} has no job queue`
        : `queues there: ${names.slice(0, LISTED_QUEUES).join(', ')}${names.length > LISTED_QUEUES ? `, and ${names.length - LISTED_QUEUES} more` : ''}`;
    return `${where}: job queue ${job.queue} does not exist in ${job.region} (${known}); create it or name an existing one (spec.queue)`;
  }
  if (queue.state === 'DISABLED')
    return `${where}: job queue ${job.queue} in ${job.region} is DISABLED: Batch accepts no new jobs in it (spec.queue)`;
  if (queue.status === 'INVALID') {
    return `${where}: job queue ${job.queue} in ${job.region} is INVALID${queue.statusReason ? ` (${queue.statusReason})` : ''}: its jobs would sit RUNNABLE (spec.queue)`;
  }
  return undefined;
}

/** Whether the Job's queue is a JobQueue of its Region that Batch does not have yet (the JobQueue planner creates it). */
function queueBeingCreated(job: DesiredJob, desired: Desired, observed: Observed): boolean {
  const declared = desired.jobQueues.some((q) => q.name === job.queue && q.region === job.region && !q.external);
  return declared && !(observed.batchQueues[job.region] ?? []).some((q) => q.name === job.queue);
}

/** Jobs in dependency order (dependencies first), ties by name. */
function inDependencyOrder(jobs: readonly DesiredJob[]): DesiredJob[] {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const out: DesiredJob[] = [];
  const seen = new Set<string>();
  const visit = (job: DesiredJob): void => {
    if (seen.has(job.name)) return;
    seen.add(job.name);
    for (const dep of job.dependsOn) {
      const target = byName.get(dep.job);
      if (target !== undefined) visit(target);
    }
    out.push(job);
  };
  for (const job of [...jobs].sort((a, b) => compareText(a.name, b.name))) visit(job);
  return out;
}

type DependencyOutcome = { ok: true; dependsOn: SubmitDependency[]; after: string[] } | { ok: false; why: string };

function dependencies(
  job: DesiredJob,
  byName: ReadonlyMap<string, DesiredJob>,
  records: readonly JobRecord[],
  planned: ReadonlyMap<string, string>,
): DependencyOutcome {
  const dependsOn: SubmitDependency[] = [];
  const after: string[] = [];
  for (const dep of job.dependsOn) {
    const target = byName.get(dep.job);
    if (target === undefined) return { ok: false, why: `dependency ${dep.job} is not a valid Job` };
    const submitted = currentSubmission(target, records);
    const link: SubmitDependency = {
      job: target.name,
      jobName: target.jobName,
      queue: target.queue,
      ...(dep.type === undefined ? {} : { type: dep.type }),
    };
    if (submitted === undefined) {
      const actionId = planned.get(target.name);
      if (actionId === undefined) return { ok: false, why: `dependency ${dep.job} cannot be submitted` };
      dependsOn.push(link);
      after.push(actionId);
    } else if (submitted.cancelledAt !== undefined || submitted.status === 'FAILED') {
      return {
        ok: false,
        why: `dependency ${dep.job} (${submitted.jobId}) ${submitted.cancelledAt !== undefined ? 'was cancelled' : 'FAILED'}; bump its rerun to run it again`,
      };
    } else if (submitted.status === FORGOTTEN_JOB_STATE) {
      return {
        ok: false,
        why: `dependency ${dep.job} (${submitted.jobId}) ended unseen and Batch has forgotten it; bump its rerun to run it again`,
      };
    } else if (submitted.status !== 'SUCCEEDED') {
      dependsOn.push({ ...link, jobId: submitted.jobId });
    }
  }
  return { ok: true, dependsOn, after };
}

/** The retry a Job is submitted with: the spec's, or on a Spot JobQueue, Spot reclaims retried and nothing else. */
function retryOf(
  job: DesiredJob,
  desired: Desired,
): Pick<SubmitJobDetails, 'retryAttempts' | 'evaluateOnExit'> & { spot: boolean } {
  const queue = desired.jobQueues.find((q) => q.name === job.queue && q.region === job.region && !q.external);
  const spot = queue !== undefined && hasSpot(queue) && job.evaluateOnExit === undefined;
  const attempts = job.retryAttempts ?? (spot ? SPOT_DEFAULT_ATTEMPTS : undefined);
  const rules = job.evaluateOnExit ?? (spot ? SPOT_RECLAIM_RETRY.map((r) => ({ ...r })) : undefined);
  return {
    spot,
    ...(attempts === undefined ? {} : { retryAttempts: attempts }),
    ...(rules === undefined || attempts === undefined ? {} : { evaluateOnExit: rules }),
  };
}

function submitAction(
  desired: Desired,
  job: DesiredJob,
  deps: { dependsOn: SubmitDependency[]; after: string[] },
  records: readonly JobRecord[],
): Action {
  const repo = desired.lab.repo;
  const retry = retryOf(job, desired);
  const details: SubmitJobDetails = {
    kind: 'submit-job',
    job: job.name,
    specHash: job.specHash,
    rerun: job.rerun,
    queue: job.queue,
    jobName: job.jobName,
    definition:
      'registered' in job.definition
        ? { registered: job.definition.registered }
        : {
            register: {
              name: `labops-${job.name}`,
              container: job.definition.inline,
              tags: { [TAG.repo]: repo, [TAG.kind]: 'Job', [TAG.name]: job.name },
            },
          },
    parameters: job.parameters,
    dependsOn: deps.dependsOn,
    tags: jobTags(repo, job),
    ...(job.array === undefined ? {} : { arraySize: job.array }),
    ...(retry.retryAttempts === undefined ? {} : { retryAttempts: retry.retryAttempts }),
    ...(retry.evaluateOnExit === undefined ? {} : { evaluateOnExit: retry.evaluateOnExit }),
    ...(job.timeoutSeconds === undefined ? {} : { timeoutSeconds: job.timeoutSeconds }),
  };
  const estimate = jobEstimate(job);
  if (estimate !== undefined) details.estimate = estimate;
  const earlier = records
    .filter((r) => r.name === job.name)
    .sort((a, b) => compareText(b.submittedAt, a.submittedAt))[0];
  const notes = [
    `submit ${job.jobName} to ${job.queue}${job.array === undefined ? '' : ` as an array of ${job.array}`}`,
    deps.dependsOn.length > 0
      ? `after ${deps.dependsOn.map((d) => (d.type === undefined ? d.job : `${d.job} (${d.type})`)).join(', ')}`
      : '',
    earlier === undefined
      ? ''
      : earlier.specHash !== job.specHash
        ? `spec changed since ${earlier.jobId} (${earlier.status ?? 'submitted'})`
        : `rerun ${job.rerun} (was ${earlier.rerun})`,
    estimate === undefined ? 'cost unknown (registered definition)' : `est. ${estimate.basis}`,
    retry.spot ? `Spot queue: retries Spot reclaims only (${retry.retryAttempts} attempts)` : '',
  ];
  return resourceAction(JOB_PLAN_ACTIONS, 'Job', job.name, 'submit-job', undefined, {
    region: job.region,
    rule: 'spec',
    reason: notes.filter((n) => n !== '').join('; '),
    monthlyDeltaUSD: 0,
    details,
    after: deps.after,
    ...(estimate === undefined ? {} : { estimatedUSD: estimate.usd }),
  });
}

/** Submissions of removed Jobs that may still run: cancelled with prune, reported without. */
function planRemoved(desired: Desired, observed: Observed, records: readonly JobRecord[]): Action[] {
  const declared = new Set([...desired.jobs.map((j) => j.name), ...desired.unknownJobs]);
  const actions: Action[] = [];
  const open = records.filter(
    (r) =>
      !declared.has(r.name) &&
      r.cancelledAt === undefined &&
      r.status !== FORGOTTEN_JOB_STATE &&
      !FINAL_JOB_STATES.includes(r.status ?? ''),
  );
  for (const record of [...open].sort((a, b) => compareText(a.name, b.name) || compareText(a.jobId, b.jobId))) {
    const seen = observed.jobs.find((j) => j.jobId === record.jobId);
    // A record entry naming a job Batch does not tag as this repo's Job is forged: never acted on.
    if (
      seen === undefined ||
      FINAL_JOB_STATES.includes(seen.status) ||
      !jobTaggedFor(seen, desired.lab.repo, record.name)
    )
      continue;
    const fields = { region: record.region, rule: 'prune', monthlyDeltaUSD: 0 };
    if (!desired.lab.prune) {
      actions.push(
        resourceAction(JOB_PLAN_ACTIONS, 'Job', record.name, 'orphan', record.jobId, {
          ...fields,
          rule: 'orphan',
          reason: `Job file removed; ${record.jobId} is ${seen.status} (prune is off: left running)`,
          details: { kind: 'orphan' },
        }),
      );
      continue;
    }
    const verb = ['SUBMITTED', 'PENDING', 'RUNNABLE'].includes(seen.status) ? 'CancelJob' : 'TerminateJob';
    const reason = `Job file removed: ${verb} ${record.jobId} (${seen.status})`;
    actions.push(
      resourceAction(JOB_PLAN_ACTIONS, 'Job', record.name, 'cancel-job', record.jobId, {
        ...fields,
        reason,
        details: {
          kind: 'cancel-job',
          job: record.name,
          jobId: record.jobId,
          repo: desired.lab.repo,
          status: seen.status,
          reason: `labops: Job ${record.name} removed from the lab repository`,
        },
      }),
    );
  }
  return actions;
}

/**
 * Why a budget refuses a Job's submission, when one of its project's actions is in force:
 * `block-launches` blocks it outright; a `stop` or `hibernate` does too, since a Job submitted while
 * the project's workstations are held off would spend what the budget is holding back.
 */
function budgetBlock(job: DesiredJob, overrides: readonly BudgetOverride[]): string | undefined {
  const mine = overrides.filter((o) => o.project === job.project);
  const block = mine.find((o) => o.action === 'block-launches');
  if (block !== undefined) return `job ${job.name}: submission blocked by ${block.rule} (project ${job.project})`;
  const off = mine[0];
  if (off === undefined) return undefined;
  const since = off.since === undefined ? '' : ` since ${off.since}`;
  return `job ${job.name}: submission blocked by ${off.rule}, its ${off.action} in force${since} (project ${job.project}): a budget ${off.action} holds back new Jobs as it holds the project's workstations off`;
}

/**
 * Plans every Job: submissions in dependency order, and stops for removed ones.
 * @param overrides budget actions in force; `block-launches`, `stop` and `hibernate` refuse the submissions of their project. @default []
 */
export function planJobs(
  desired: Desired,
  observed: Observed,
  records: readonly JobRecord[],
  overrides: readonly BudgetOverride[] = [],
): PlanPart {
  const jobs = desired.jobs;
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const planned = new Map<string, string>();
  const actions: Action[] = [];
  const refusals: PlanRefusal[] = [];
  for (const job of inDependencyOrder(jobs)) {
    if (currentSubmission(job, records) !== undefined) continue;
    const block = budgetBlock(job, overrides);
    if (block !== undefined) {
      refusals.push({ code: 'budget-blocked', message: block, resource: { kind: 'Job', name: job.name } });
      continue;
    }
    // A JobQueue this plan creates: the submission waits for it (the queue's step waits until VALID).
    const creating = queueBeingCreated(job, desired, observed);
    const queue = creating ? undefined : queueProblem(job, observed);
    if (queue !== undefined) {
      refusals.push({ code: 'job-queue', message: queue, resource: { kind: 'Job', name: job.name } });
      continue;
    }
    const deps = dependencies(job, byName, records, planned);
    if (!deps.ok) {
      refusals.push({
        code: 'job-blocked',
        message: `job ${job.name}: not submitted: ${deps.why}`,
        resource: { kind: 'Job', name: job.name },
      });
      continue;
    }
    const action = submitAction(
      desired,
      job,
      creating ? { ...deps, after: [...deps.after, createQueueActionId(job.queue)] } : deps,
      records,
    );
    planned.set(job.name, action.id);
    actions.push(action);
  }
  actions.push(...planRemoved(desired, observed, records));
  return { actions: orderActions(actions, JOB_PLAN_ACTIONS), refusals };
}
