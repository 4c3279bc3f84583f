/**
 * Stopping Batch jobs. CancelJob fails jobs still in SUBMITTED, PENDING or RUNNABLE and leaves
 * STARTING or RUNNING jobs alone (the call still succeeds); TerminateJob fails a job in any
 * state that is not final. Both act on every child of an array parent, and dependents of the
 * stopped jobs fail in the same request.
 */
import type { SimContext } from '../core/contract.js';
import { batchStateOf, clientError, isFinal } from './model.js';
import type { BatchJob, BatchJobStatus, BatchState } from './model.js';
import { requiredString } from './input.js';
import { advanceBatch, batchWorld } from './advance.js';
import { finishJob } from './lifecycle.js';
import { findJob } from './jobs.js';

const CANCELLABLE: readonly BatchJobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE'];

/** What stopping does to one job. */
type StopMode = 'cancel' | 'terminate';

function stoppable(job: BatchJob, mode: StopMode): boolean {
  if (isFinal(job.status)) return false;
  return mode === 'terminate' || CANCELLABLE.includes(job.status);
}

function childrenOf(batch: BatchState, parent: BatchJob): BatchJob[] {
  const children: BatchJob[] = [];
  for (let i = 0; i < (parent.spec?.arraySize ?? 0); i++) {
    const child = batch.jobs[`${parent.jobId}:${i}`];
    if (child) children.push(child);
  }
  return children;
}

function readRequest(input: Record<string, unknown>, ctx: SimContext): { job: BatchJob; reason: string } {
  const jobId = requiredString(input, 'jobId');
  const reason = requiredString(input, 'reason');
  if (reason.length > 1024) throw clientError('reason can be at most 1024 characters.');
  const job = findJob(batchStateOf(ctx.state), ctx.region, jobId);
  if (!job) throw clientError(`Job ${jobId} does not exist.`);
  return { job, reason };
}

function stop(input: Record<string, unknown>, ctx: SimContext, mode: StopMode): unknown {
  const { job, reason } = readRequest(input, ctx);
  const now = ctx.now.getTime();
  const world = batchWorld(ctx.state, ctx, now, []);
  if (job.spec?.arraySize !== undefined) {
    const children = childrenOf(world.batch, job).filter((child) => !isFinal(child.status));
    const targets = children.filter((child) => stoppable(child, mode));
    // The parent takes the caller's reason when nothing keeps running under it.
    if (!isFinal(job.status) && targets.length === children.length) finishJob(world, job, 'FAILED', now, reason);
    for (const child of targets) finishJob(world, child, 'FAILED', now, reason);
  } else if (stoppable(job, mode)) {
    finishJob(world, job, 'FAILED', now, reason);
  }
  // Dependents woken at `now` fail (or run) within this same request.
  advanceBatch(ctx.state, ctx.now, ctx.now, ctx);
  return {};
}

/** CancelJob: answers `{}` whatever the job's state. @throws ClientException for an unknown job */
export function cancelJob(input: Record<string, unknown>, ctx: SimContext): unknown {
  return stop(input, ctx, 'cancel');
}

/** TerminateJob: answers `{}`. @throws ClientException for an unknown job */
export function terminateJob(input: Record<string, unknown>, ctx: SimContext): unknown {
  return stop(input, ctx, 'terminate');
}
