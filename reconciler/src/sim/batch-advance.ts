/**
 * Moves every Batch job forward to a point in simulated time, event by event in time order, so
 * a dependency that finishes at 10:03 releases its dependents at 10:03 even when the clock jumps
 * a week. Jobs that finished more than 7 days ago are then forgotten, as Batch forgets them.
 */
import type { SimContext, SimState } from './contract.js';
import { batchStateOf, isFinal } from './batch-model.js';
import type { BatchJob, BatchState } from './batch-model.js';
import { heapPop, heapPush } from './batch-heap.js';
import type { BatchEvent } from './batch-heap.js';
import { stepJob } from './batch-lifecycle.js';
import type { BatchWorld } from './batch-lifecycle.js';

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

/** Runs every transition due at or before `to`, then forgets jobs finished 7 days before it. */
export function advanceBatch(state: SimState, _from: Date, to: Date, ctx: SimContext): void {
  const until = to.getTime();
  const heap: BatchEvent[] = [];
  const world = batchWorld(state, ctx, until, heap);
  for (const job of Object.values(world.batch.jobs)) world.schedule(job);
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
