/**
 * How one Batch job moves: SUBMITTED → PENDING (while it waits for dependencies) → RUNNABLE →
 * STARTING → RUNNING → SUCCEEDED | FAILED, with retries back to RUNNABLE. A RUNNABLE job is placed
 * (capacity.ts) on the first ENABLED and VALID compute environment of its ENABLED queue with room
 * under `maxvCpus`, and waits (without a next transition) otherwise, until capacity frees. Each
 * attempt's running time opens and closes a usage segment: the job's vCPU share of the instance
 * type its compute environment launched, under the environment's `computeResources.tags` (the
 * instance's tags, which Cost Explorer reads). A Spot reclaim fault ends an attempt on a SPOT
 * environment with `Host EC2 (instance i-…) terminated.`, which the retry strategy may retry. An
 * array parent stays PENDING until every child is final.
 */
import type { SimContext, SimState, UsageSegment } from '../core/contract.js';
import { hashUnit, isFinal, specOf } from './model.js';
import type { BatchJob, BatchJobQueue, BatchJobSpec, BatchJobStatus, BatchState } from './model.js';
import { shouldRetry } from './checks.js';
import { environmentsOf, placeableSince, queuesUsing, statusOf } from './compute.js';
import { everFits, jobNeeds, maxVcpusOf, placeJob, usedVcpus } from './capacity.js';

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
/**
 * Reason a RUNNABLE job shows when it needs more vCPUs than any compute environment's `maxvCpus`, from
 * https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html
 */
export const MAX_RESOURCE_REASON =
  'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - CE(s) associated with the job queue cannot meet the CPU requirement of the job.';

/** The status reason of an attempt whose Spot instance was reclaimed: "Host EC2 (instance i-…) terminated." */
export function reclaimReason(instanceId: string): string {
  return `Host EC2 (instance ${instanceId}) terminated.`;
}
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
  /** vCPUs each compute environment runs, filled lazily. */
  used?: Map<string, number>;
  /** RUNNABLE jobs waiting for capacity, by queue ARN in submission order, filled lazily. */
  held?: Map<string, BatchJob[]>;
}

function usedOf(w: BatchWorld): Map<string, number> {
  w.used ??= usedVcpus(w.batch);
  return w.used;
}

function heldOf(w: BatchWorld): Map<string, BatchJob[]> {
  if (w.held !== undefined) return w.held;
  const held = new Map<string, BatchJob[]>();
  for (const job of Object.values(w.batch.jobs)) {
    if (job.status !== 'RUNNABLE' || job.nextAt !== undefined) continue;
    const queue = specOf(w.batch, job).jobQueue;
    held.set(queue, [...(held.get(queue) ?? []), job]);
  }
  w.held = held;
  return held;
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

/**
 * Keeps a job RUNNABLE with no next transition until its queue has capacity (batch-advance.ts, or
 * {@link releaseCapacity} when a job ends, wakes it), with the reason Batch gives when it has one.
 */
function holdRunnable(w: BatchWorld, job: BatchJob, spec: BatchJobSpec, at: number): void {
  moveTo(w, job, 'RUNNABLE');
  const queue = queueOfJob(w.batch, spec);
  const environments = queue === undefined ? [] : environmentsOf(w.batch, queue);
  if (environments.length > 0 && environments.every((ce) => statusOf(ce, at) === 'INVALID'))
    job.statusReason = INVALID_CE_REASON;
  else if (queue !== undefined && environments.length > 0) {
    const fits = everFits(w.batch, queue, spec);
    if (fits === 'type') job.statusReason = NO_FIT_REASON;
    else if (fits === 'vcpus') job.statusReason = MAX_RESOURCE_REASON;
  }
  const held = heldOf(w);
  held.set(spec.jobQueue, [...(held.get(spec.jobQueue) ?? []), job]);
}

/**
 * Frees the vCPUs a job held on its compute environment and wakes, queue by queue (highest
 * priority first), as many waiting jobs as the freed room may take.
 */
function releaseCapacity(w: BatchWorld, job: BatchJob, at: number): void {
  const placement = job.placement;
  if (placement === undefined) return;
  delete job.placement;
  const used = usedOf(w);
  const left = Math.max(0, (used.get(placement.computeEnvironment) ?? 0) - placement.vcpus);
  used.set(placement.computeEnvironment, left);
  const ce = w.batch.computeEnvironments.find((c) => c.computeEnvironmentArn === placement.computeEnvironment);
  if (ce === undefined) return;
  let room = maxVcpusOf(ce) - left;
  const held = heldOf(w);
  for (const queue of queuesUsing(w.batch, ce).sort((a, b) => b.priority - a.priority)) {
    const waiting = held.get(queue.jobQueueArn) ?? [];
    while (room > 0 && waiting.length > 0) {
      const next = waiting.shift() as BatchJob;
      if (next.status !== 'RUNNABLE' || next.nextAt !== undefined) continue;
      room -= jobNeeds(specOf(w.batch, next)).vcpus;
      delete next.statusReason;
      next.nextAt = at + RUNNABLE_SECONDS * 1000;
      w.schedule(next);
    }
  }
}

/** Applies the transition due at `at` to one job. */
export function stepJob(w: BatchWorld, job: BatchJob, at: number): void {
  delete job.nextAt;
  if (job.status === 'SUBMITTED' || job.status === 'PENDING') evaluateWaiting(w, job, at);
  else if (job.status === 'RUNNABLE') placeRunnable(w, job, at);
  else if (job.status === 'STARTING') startAttempt(w, job, at);
  else if (job.status === 'RUNNING' && job.placement?.reclaimAt !== undefined && at >= job.placement.reclaimAt)
    reclaimAttempt(w, job, at);
  else if (job.status === 'RUNNING') endAttempt(w, job, at);
}

/** RUNNABLE → STARTING on the compute environment that has room, or held RUNNABLE. */
function placeRunnable(w: BatchWorld, job: BatchJob, at: number): void {
  const spec = specOf(w.batch, job);
  const queue = queueOfJob(w.batch, spec);
  const placement = placeJob(w.batch, queue, job, spec, at, usedOf(w), w.ctx.config.seed);
  if (placement === undefined) {
    holdRunnable(w, job, spec, at);
    return;
  }
  job.placement = placement;
  moveTo(w, job, 'STARTING', at + STARTING_SECONDS * 1000);
}

/**
 * Draws, once per fault plan, whether a Spot reclaim fault takes the instance of a job's attempt
 * on a SPOT compute environment; if so the attempt ends `afterSeconds` after it started (or after
 * `at`, for an attempt already running when the plan came).
 */
export function drawReclaim(w: BatchWorld, job: BatchJob, at: number): void {
  const placement = job.placement;
  const plan = w.ctx.faultPlanId;
  if (placement === undefined || job.status !== 'RUNNING' || plan === undefined || placement.reclaimDraw === plan)
    return;
  const ce = w.batch.computeEnvironments.find((c) => c.computeEnvironmentArn === placement.computeEnvironment);
  if (ce === undefined || ce.computeResources?.type !== 'SPOT') return;
  placement.reclaimDraw = plan;
  const afterSeconds = w.ctx.spotReclaim?.(ce.computeEnvironmentName);
  if (afterSeconds === undefined) return;
  const started = job.attempts[job.attempts.length - 1]?.startedAt ?? at;
  const reclaimAt = Math.max(started + afterSeconds * 1000, at);
  placement.reclaimAt = reclaimAt;
  if (job.nextAt === undefined || reclaimAt < job.nextAt) {
    job.nextAt = reclaimAt;
    w.schedule(job);
  }
}

/** The Spot instance under a RUNNING attempt is reclaimed: the attempt fails, and is retried if the strategy says so. */
function reclaimAttempt(w: BatchWorld, job: BatchJob, at: number): void {
  const spec = specOf(w.batch, job);
  const attempt = job.attempts[job.attempts.length - 1];
  const reason = reclaimReason(job.placement?.instanceId ?? 'i-00000000000000000');
  if (attempt) attempt.statusReason = reason;
  if (attempt && job.attempts.length < spec.maxAttempts && shouldRetry(spec.evaluateOnExit, attempt)) {
    closeAttempt(w, job, at, reason);
    releaseCapacity(w, job, at);
    moveTo(w, job, 'RUNNABLE', at + RUNNABLE_SECONDS * 1000);
    return;
  }
  finishJob(w, job, 'FAILED', at, reason);
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
  } else if (placeable(w, spec, at)) {
    moveTo(w, job, 'RUNNABLE', at + RUNNABLE_SECONDS * 1000);
  } else {
    holdRunnable(w, job, spec, at);
  }
}

function startAttempt(w: BatchWorld, job: BatchJob, at: number): void {
  const spec = specOf(w.batch, job);
  const placement = job.placement;
  const ce = w.batch.computeEnvironments.find((c) => c.computeEnvironmentArn === placement?.computeEnvironment);
  const instanceTags = (ce?.computeResources?.tags ?? {}) as Record<string, string>;
  const segment: UsageSegment = {
    resourceId: job.jobId,
    service: 'Amazon Elastic Compute Cloud - Compute',
    usageType: `BoxUsage:${placement?.instanceType ?? spec.instanceType ?? 'unknown'}`,
    region: spec.region,
    tags: { ...instanceTags },
    start: new Date(at).toISOString(),
    hourlyUSD: placement?.hourlyUSD ?? spec.hourlyUSD ?? 0,
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
  drawReclaim(w, job, at);
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
    releaseCapacity(w, job, at);
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
  releaseCapacity(w, job, at);
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
