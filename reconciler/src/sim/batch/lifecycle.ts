/**
 * How one Batch job moves: SUBMITTED → PENDING (while it waits for dependencies) → RUNNABLE →
 * STARTING → RUNNING → SUCCEEDED | FAILED, with retries back to RUNNABLE. A RUNNABLE job is placed
 * only while one of its queue's compute environments is ENABLED and VALID, and waits (without a
 * next transition) otherwise. Each attempt's running time opens and closes a usage segment billed
 * at the cheapest instance that fits. An array parent stays PENDING until every child is final.
 */
import type { SimContext, SimState, UsageSegment } from '../core/contract.js';
import { hashUnit, isFinal, specOf } from './model.js';
import type { BatchJob, BatchJobQueue, BatchJobSpec, BatchJobStatus, BatchState } from './model.js';
import { shouldRetry } from './checks.js';
import { environmentsOf, placeableSince, statusOf } from './compute.js';

/** Seconds from RUNNABLE to STARTING (the scheduler placing the job). */
export const RUNNABLE_SECONDS = 20;
/** Seconds from STARTING to RUNNING (pulling the image, starting the container). */
export const STARTING_SECONDS = 30;
/** Reason Batch gives when an attempt outlives `timeout.attemptDurationSeconds`. */
export const TIMEOUT_REASON = 'Job attempt duration exceeded timeout';
/** Reason a job stuck RUNNABLE shows when no instance type can hold it. */
export const NO_FIT_REASON =
  'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.';
/**
 * Reason a RUNNABLE job shows while every compute environment of its queue is INVALID, from
 * https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable_invalid_ce.html
 */
export const INVALID_CE_REASON = 'ACTION_REQUIRED - CE(s) associated with the job queue are invalid.';
const EXITED = 'Essential container in task exited';

/** What transitions need besides the job: the slice, indexes and a way to queue events. */
export interface BatchWorld {
  batch: BatchState;
  state: SimState;
  ctx: SimContext;
  /** Job id → ids of jobs waiting for it. */
  dependents: Map<string, string[]>;
  /** Array parent id → children not yet final, filled lazily. */
  remaining: Map<string, number>;
  /** Called whenever a job gets a new `nextAt`. */
  schedule(job: BatchJob): void;
}

/** Running time of each attempt of a job, in seconds. */
export function durationOf(spec: BatchJobSpec, job: BatchJob, seed: number): number {
  if (spec.durationSeconds !== undefined) return spec.durationSeconds;
  return 120 + Math.floor(hashUnit(`${seed}:duration:${job.jobId}`) * 240);
}

function moveTo(w: BatchWorld, job: BatchJob, status: BatchJobStatus, nextAt?: number): void {
  job.status = status;
  delete job.statusReason;
  if (nextAt === undefined) return;
  job.nextAt = nextAt;
  w.schedule(job);
}

/** The queue a job was submitted to, while it exists. */
export function queueOfJob(batch: BatchState, spec: BatchJobSpec): BatchJobQueue | undefined {
  return batch.queues.find((q) => q.jobQueueArn === spec.jobQueue);
}

function placeable(w: BatchWorld, spec: BatchJobSpec, at: number): boolean {
  const queue = queueOfJob(w.batch, spec);
  return queue !== undefined && placeableSince(w.batch, queue, at) !== undefined;
}

/** Keeps a job RUNNABLE with no next transition until its queue has capacity (batch-advance.ts wakes it). */
function holdRunnable(w: BatchWorld, job: BatchJob, spec: BatchJobSpec, at: number): void {
  moveTo(w, job, 'RUNNABLE');
  const queue = queueOfJob(w.batch, spec);
  const environments = queue === undefined ? [] : environmentsOf(w.batch, queue);
  if (environments.length > 0 && environments.every((ce) => statusOf(ce, at) === 'INVALID'))
    job.statusReason = INVALID_CE_REASON;
}

/** Applies the transition due at `at` to one job. */
export function stepJob(w: BatchWorld, job: BatchJob, at: number): void {
  delete job.nextAt;
  if (job.status === 'SUBMITTED' || job.status === 'PENDING') evaluateWaiting(w, job, at);
  else if (job.status === 'RUNNABLE' && !placeable(w, specOf(w.batch, job), at))
    holdRunnable(w, job, specOf(w.batch, job), at);
  else if (job.status === 'RUNNABLE') moveTo(w, job, 'STARTING', at + STARTING_SECONDS * 1000);
  else if (job.status === 'STARTING') startAttempt(w, job, at);
  else if (job.status === 'RUNNING') endAttempt(w, job, at);
}

function evaluateWaiting(w: BatchWorld, job: BatchJob, at: number): void {
  const spec = specOf(w.batch, job);
  if (job.spec?.arraySize !== undefined) {
    moveTo(w, job, 'PENDING');
    return;
  }
  // A dependency already forgotten finished more than 7 days ago; had it failed, this job would have failed then.
  const deps = job.waitsFor.map((id) => w.batch.jobs[id]).filter((d) => d !== undefined);
  if (deps.some((d) => d.status === 'FAILED')) {
    finishJob(w, job, 'FAILED', at, 'Dependent Job failed');
  } else if (deps.some((d) => d.status !== 'SUCCEEDED')) {
    moveTo(w, job, 'PENDING');
  } else if (spec.hourlyUSD === undefined) {
    moveTo(w, job, 'RUNNABLE');
    job.statusReason = NO_FIT_REASON;
  } else if (placeable(w, spec, at)) {
    moveTo(w, job, 'RUNNABLE', at + RUNNABLE_SECONDS * 1000);
  } else {
    holdRunnable(w, job, spec, at);
  }
}

function startAttempt(w: BatchWorld, job: BatchJob, at: number): void {
  const spec = specOf(w.batch, job);
  const segment: UsageSegment = {
    resourceId: job.jobId,
    service: 'Amazon Elastic Compute Cloud - Compute',
    usageType: `BoxUsage:${spec.instanceType ?? 'unknown'}`,
    region: spec.region,
    tags: { ...spec.tags },
    start: new Date(at).toISOString(),
    hourlyUSD: spec.hourlyUSD ?? 0,
  };
  w.state.usage.push(segment);
  const definitionName = spec.jobDefinition.split('/').pop()?.split(':')[0] ?? 'job';
  job.attempts.push({
    startedAt: at,
    logStreamName: `${definitionName}/default/${job.jobId.replace(':', '-')}-${job.attempts.length + 1}`,
    segment: w.state.usage.length - 1,
  });
  job.startedAt = at;
  const duration = durationOf(spec, job, w.ctx.config.seed);
  const limit = spec.timeoutSeconds ?? Number.POSITIVE_INFINITY;
  moveTo(w, job, 'RUNNING', at + Math.min(duration, limit) * 1000);
}

function exitCodeOf(spec: BatchJobSpec, job: BatchJob): number {
  if (job.arrayIndex !== undefined && spec.failingIndexes.includes(job.arrayIndex)) return 1;
  const n = Math.min(job.attempts.length, spec.exitCodes.length);
  return spec.exitCodes[n - 1] ?? 0;
}

function endAttempt(w: BatchWorld, job: BatchJob, at: number): void {
  const spec = specOf(w.batch, job);
  const attempt = job.attempts[job.attempts.length - 1];
  if (!attempt) return;
  if (durationOf(spec, job, w.ctx.config.seed) > (spec.timeoutSeconds ?? Number.POSITIVE_INFINITY)) {
    // Timed-out attempts are never retried.
    attempt.reason = TIMEOUT_REASON;
    finishJob(w, job, 'FAILED', at, TIMEOUT_REASON);
    return;
  }
  attempt.exitCode = exitCodeOf(spec, job);
  if (attempt.exitCode === 0) {
    finishJob(w, job, 'SUCCEEDED', at, EXITED);
    return;
  }
  attempt.statusReason = EXITED;
  if (job.attempts.length < spec.maxAttempts && shouldRetry(spec.evaluateOnExit, attempt)) {
    closeAttempt(w, job, at, EXITED);
    moveTo(w, job, 'RUNNABLE', at + RUNNABLE_SECONDS * 1000);
    return;
  }
  finishJob(w, job, 'FAILED', at, EXITED);
}

/** Ends the running attempt, if any, and closes its usage segment. */
function closeAttempt(w: BatchWorld, job: BatchJob, at: number, reason: string): void {
  const attempt = job.attempts[job.attempts.length - 1];
  if (!attempt || attempt.stoppedAt !== undefined) return;
  attempt.stoppedAt = at;
  attempt.statusReason ??= reason;
  const iso = new Date(at).toISOString();
  const indexed = attempt.segment === undefined ? undefined : w.state.usage[attempt.segment];
  const segment =
    indexed?.resourceId === job.jobId && indexed.end === undefined
      ? indexed
      : w.state.usage.find((s) => s.resourceId === job.jobId && s.end === undefined);
  if (segment) segment.end = iso;
}

/** Makes a job final, then wakes its dependents and, for a child, maybe its array parent. */
export function finishJob(
  w: BatchWorld,
  job: BatchJob,
  status: 'SUCCEEDED' | 'FAILED',
  at: number,
  reason: string,
): void {
  if (isFinal(job.status)) return;
  closeAttempt(w, job, at, reason);
  job.status = status;
  job.statusReason = reason;
  job.stoppedAt = at;
  delete job.nextAt;
  for (const id of w.dependents.get(job.jobId) ?? []) {
    const dependent = w.batch.jobs[id];
    if (dependent?.status !== 'PENDING') continue;
    dependent.nextAt = at;
    w.schedule(dependent);
  }
  if (job.arrayParentId !== undefined) childFinished(w, job.arrayParentId, at);
}

function childFinished(w: BatchWorld, parentId: string, at: number): void {
  const parent = w.batch.jobs[parentId];
  const size = parent?.spec?.arraySize ?? 0;
  if (!parent || isFinal(parent.status)) return;
  let left = w.remaining.get(parentId);
  if (left === undefined) {
    left = 0;
    for (let i = 0; i < size; i++) {
      const child = w.batch.jobs[`${parentId}:${i}`];
      if (child && !isFinal(child.status)) left++;
    }
  } else {
    left--;
  }
  w.remaining.set(parentId, left);
  if (left > 0) return;
  let failed = false;
  for (let i = 0; i < size; i++) failed ||= w.batch.jobs[`${parentId}:${i}`]?.status === 'FAILED';
  finishJob(
    w,
    parent,
    failed ? 'FAILED' : 'SUCCEEDED',
    at,
    failed ? 'Array Child Job failed' : 'Array Child Jobs succeeded',
  );
}
