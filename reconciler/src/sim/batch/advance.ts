/**
 * Moves every Batch job forward to a point in simulated time, event by event in time order, so
 * a dependency that finishes at 10:03 releases its dependents at 10:03 even when the clock jumps
 * a week. Compute environments and job queues whose deletion has finished are removed first (the
 * unfinished jobs of a deleted queue FAILED), and RUNNABLE jobs held for want of capacity are
 * placed from the moment their queue has some. Jobs that finished more than 7 days ago are then
 * forgotten, as Batch forgets them.
 */
import type { SimContext, SimState } from '../core/contract.js';
import { batchStateOf, isFinal, specOf } from './model.js';
import type { BatchJob, BatchState } from './model.js';
import { heapPop, heapPush } from './heap.js';
import type { BatchEvent } from './heap.js';
import { placeableSince } from './compute.js';
import { everFits } from './capacity.js';
import { RUNNABLE_SECONDS, drawReclaim, finishJob, queueOfJob, stepJob } from './lifecycle.js';
import type { BatchWorld } from './lifecycle.js';

/** How long Batch keeps a finished job: "at least 7 days". */
export const RETENTION_MS = 7 * 24 * 3600 * 1000;

function dependentsIndex(batch: BatchState): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const job of Object.values(batch.jobs)) {
    if (isFinal(job.status)) continue;
    for (const id of job.waitsFor) {
      const list = index.get(id);
      if (list) list.push(job.jobId);
      else index.set(id, [job.jobId]);
    }
  }
  return index;
}

/** The context transitions run in; `schedule` queues events due by `until`. */
export function batchWorld(state: SimState, ctx: SimContext, until: number, heap: BatchEvent[]): BatchWorld {
  let seq = 0;
  return {
    batch: batchStateOf(state),
    state,
    ctx,
    dependents: dependentsIndex(batchStateOf(state)),
    remaining: new Map(),
    schedule(job: BatchJob): void {
      if (job.nextAt !== undefined && job.nextAt <= until) {
        heapPush(heap, { at: job.nextAt, seq: seq++, jobId: job.jobId });
      }
    },
  };
}

/**
 * Status reason of a job failed because its queue was deleted ("All jobs in the queue are
 * eventually terminated when you delete a job queue"); Batch's own wording is not documented.
 */
export const QUEUE_DELETED_REASON = 'Terminated: the job queue was deleted';

/** Removes compute environments and queues gone by `until`, failing the unfinished jobs of each queue. */
function removeDeleted(world: BatchWorld, until: number): void {
  const batch = world.batch;
  for (const queue of batch.queues) {
    const goneAt = queue.goneAt;
    if (goneAt === undefined || goneAt > until) continue;
    for (const job of Object.values(batch.jobs)) {
      if (!isFinal(job.status) && job.region === queue.region && specOf(batch, job).jobQueue === queue.jobQueueArn) {
        finishJob(world, job, 'FAILED', goneAt, QUEUE_DELETED_REASON);
      }
    }
  }
  batch.queues = batch.queues.filter((q) => q.goneAt === undefined || q.goneAt > until);
  batch.computeEnvironments = batch.computeEnvironments.filter((ce) => ce.goneAt === undefined || ce.goneAt > until);
}

/** A RUNNABLE job held for want of capacity gets its next transition once its queue has some by `until`. */
function wakeHeld(world: BatchWorld, job: BatchJob, from: number, until: number): void {
  if (job.status !== 'RUNNABLE' || job.nextAt !== undefined) return;
  const spec = specOf(world.batch, job);
  const queue = queueOfJob(world.batch, spec);
  // A job no compute environment of its queue can ever hold stays RUNNABLE with its reason.
  if (queue === undefined || everFits(world.batch, queue, spec) !== 'yes') return;
  const since = placeableSince(world.batch, queue, until);
  if (since === undefined) return;
  job.nextAt = Math.max(since, from) + RUNNABLE_SECONDS * 1000;
}

/** Runs every transition due at or before `to`, then forgets jobs finished 7 days before it. */
export function advanceBatch(state: SimState, from: Date, to: Date, ctx: SimContext): void {
  const until = to.getTime();
  const heap: BatchEvent[] = [];
  const world = batchWorld(state, ctx, until, heap);
  removeDeleted(world, until);
  for (const job of Object.values(world.batch.jobs)) {
    wakeHeld(world, job, from.getTime(), until);
    // A Spot reclaim fault posted while the attempt was already running takes it from `from` on.
    drawReclaim(world, job, from.getTime());
    world.schedule(job);
  }
  for (let event = heapPop(heap); event; event = heapPop(heap)) {
    const job = world.batch.jobs[event.jobId];
    // Stale entries (the job was rescheduled since) are skipped.
    if (job?.nextAt !== event.at) continue;
    stepJob(world, job, event.at);
  }
  forgetOldJobs(world.batch, until);
}

/** Deletes finished top-level jobs (with their array children) stopped 7 or more days before `now`. */
export function forgetOldJobs(batch: BatchState, now: number): void {
  for (const job of Object.values(batch.jobs)) {
    if (job.arrayParentId !== undefined || !isFinal(job.status)) continue;
    if ((job.stoppedAt ?? now) + RETENTION_MS > now) continue;
    for (let i = 0; i < (job.spec?.arraySize ?? 0); i++) delete batch.jobs[`${job.jobId}:${i}`];
    delete batch.jobs[job.jobId];
  }
}
