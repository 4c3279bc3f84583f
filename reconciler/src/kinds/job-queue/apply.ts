/**
 * The JobQueue actions, each with Batch's own order rules kept inside bounded waits: a compute
 * environment is created ENABLED and waited for until VALID; a queue is created or reordered only
 * once every environment it names is VALID; an environment is deleted only once it is DISABLED,
 * no longer VALID-in-transition (UPDATING) and no queue (a deleted one included, until it is gone)
 * names it; a queue is deleted only when DISABLED and no job waits or runs in it (read again).
 * Every change first reads the resource again and refuses unless its Batch tags say it is this
 * repository's JobQueue (names in a plan file are untrusted).
 */
import type { BatchPort } from '../../aws/ports.js';
import { batchOf } from '../../engine/apply/context.js';
import type { ActionContext } from '../../engine/apply/context.js';
import { ApplyError } from '../../engine/apply/errors.js';
import type { StepResult } from '../../engine/apply/steps.js';
import { queueTaggedFor } from '../../model/job-queue.js';
import type {
  CreateComputeEnvironmentDetails,
  CreateJobQueueDetails,
  DeleteComputeEnvironmentDetails,
  DeleteJobQueueDetails,
  ObservedBatchQueue,
  ObservedComputeEnvironment,
  UpdateComputeEnvironmentDetails,
  UpdateJobQueueDetails,
} from '../../model/job-queue.js';
import { TAG } from '../../model/tags.js';

async function environment(
  batch: BatchPort,
  region: string,
  name: string,
): Promise<ObservedComputeEnvironment | undefined> {
  return (await batch.describeComputeEnvironments(region)).find((ce) => ce.name === name);
}

async function queueNamed(batch: BatchPort, region: string, name: string): Promise<ObservedBatchQueue | undefined> {
  return (await batch.describeBatchQueues(region)).find((q) => q.name === name);
}

function notOurs(what: string, name: string, tags: Record<string, string>, queue: string): ApplyError {
  const tagged = `labops:repo=${tags[TAG.repo] ?? '(none)'}, labops:name=${tags[TAG.name] ?? '(none)'}`;
  return new ApplyError(
    'unexpected-state',
    `${what} ${name} not changed: Batch tags it ${tagged}, not JobQueue ${queue}`,
    {
      resource: name,
    },
  );
}

/** Waits until every named environment is VALID (only a VALID one may join a queue). */
async function untilValid(ctx: ActionContext, batch: BatchPort, names: readonly string[]): Promise<void> {
  await ctx.wait(`compute environments ${names.join(', ')} VALID`, async () => {
    const all = await batch.describeComputeEnvironments(ctx.region);
    const states = names.map((n) => all.find((ce) => ce.name === n));
    const invalid = states.find((ce) => ce?.status === 'INVALID');
    if (invalid !== undefined)
      throw new ApplyError(
        'unexpected-state',
        `compute environment ${invalid.name} is INVALID${invalid.statusReason ? ` (${invalid.statusReason})` : ''}`,
        { resource: invalid.name },
      );
    return states.every((ce) => ce?.status === 'VALID') ? true : undefined;
  });
}

/** Runs a `create-compute-environment` action. */
export async function runCreateComputeEnvironment(
  ctx: ActionContext,
  details: CreateComputeEnvironmentDetails,
): Promise<StepResult> {
  const batch = batchOf(ctx);
  const { request } = details;
  const repo = request.tags[TAG.repo] ?? '';
  await batch.createComputeEnvironment(ctx.region, request);
  const made = await environment(batch, ctx.region, request.name);
  if (made !== undefined && !queueTaggedFor(made.tags, repo, details.queue))
    throw notOurs('compute environment', request.name, made.tags, details.queue);
  await untilValid(ctx, batch, [request.name]);
  return { detail: `created ${request.name} (${request.type}, ${request.minVcpus}..${request.maxVcpus} vCPUs): VALID` };
}

/** Runs an `update-compute-environment` action. */
export async function runUpdateComputeEnvironment(
  ctx: ActionContext,
  details: UpdateComputeEnvironmentDetails,
): Promise<StepResult> {
  const batch = batchOf(ctx);
  const seen = await environment(batch, ctx.region, details.computeEnvironment);
  if (seen === undefined)
    throw new ApplyError('unexpected-state', `compute environment ${details.computeEnvironment} does not exist`, {
      resource: details.computeEnvironment,
    });
  if (!queueTaggedFor(seen.tags, details.repo, details.queue))
    throw notOurs('compute environment', details.computeEnvironment, seen.tags, details.queue);
  await batch.updateComputeEnvironment(ctx.region, details.computeEnvironment, {
    ...(details.maxVcpus === undefined ? {} : { maxVcpus: details.maxVcpus }),
    ...(details.minVcpus === undefined ? {} : { minVcpus: details.minVcpus }),
    ...(details.state === undefined ? {} : { state: details.state }),
  });
  await untilValid(ctx, batch, [details.computeEnvironment]);
  const what = [
    details.maxVcpus === undefined ? '' : `maxVcpus ${details.maxVcpus}`,
    details.minVcpus === undefined ? '' : `minVcpus ${details.minVcpus}`,
    details.state ?? '',
  ].filter((t) => t !== '');
  return { detail: `updated ${details.computeEnvironment}: ${what.join(', ')}` };
}

/** Runs a `create-job-queue` action. */
export async function runCreateJobQueue(ctx: ActionContext, details: CreateJobQueueDetails): Promise<StepResult> {
  const batch = batchOf(ctx);
  await untilValid(ctx, batch, details.order);
  await batch.createJobQueue(ctx.region, {
    name: details.queue,
    priority: details.priority,
    state: details.state,
    order: details.order,
    tags: details.tags,
  });
  const made = await ctx.wait(`job queue ${details.queue} VALID`, async () => {
    const q = await queueNamed(batch, ctx.region, details.queue);
    return q?.status === 'VALID' ? q : undefined;
  });
  if (!queueTaggedFor(made.tags, details.tags[TAG.repo] ?? '', details.queue))
    throw notOurs('job queue', details.queue, made.tags, details.queue);
  return { detail: `created job queue ${details.queue} on ${details.order.join(' → ')}: VALID` };
}

/** Runs an `update-job-queue` action. */
export async function runUpdateJobQueue(ctx: ActionContext, details: UpdateJobQueueDetails): Promise<StepResult> {
  const batch = batchOf(ctx);
  const seen = await queueNamed(batch, ctx.region, details.queue);
  if (seen === undefined)
    throw new ApplyError('unexpected-state', `job queue ${details.queue} does not exist`, { resource: details.queue });
  if (!queueTaggedFor(seen.tags, details.repo, details.queue))
    throw notOurs('job queue', details.queue, seen.tags, details.queue);
  if (details.order !== undefined) await untilValid(ctx, batch, details.order);
  await batch.updateJobQueue(ctx.region, details.queue, {
    ...(details.priority === undefined ? {} : { priority: details.priority }),
    ...(details.state === undefined ? {} : { state: details.state }),
    ...(details.order === undefined ? {} : { order: details.order }),
  });
  const what = [
    details.priority === undefined ? '' : `priority ${details.priority}`,
    details.state ?? '',
    details.order === undefined ? '' : `order ${details.order.join(' → ')}`,
  ].filter((t) => t !== '');
  return { detail: `updated job queue ${details.queue}: ${what.join(', ')}` };
}

/** Runs a `delete-job-queue` action. */
export async function runDeleteJobQueue(ctx: ActionContext, details: DeleteJobQueueDetails): Promise<StepResult> {
  const batch = batchOf(ctx);
  const seen = await queueNamed(batch, ctx.region, details.queue);
  if (seen === undefined) return { detail: `job queue ${details.queue} already gone` };
  if (!queueTaggedFor(seen.tags, details.repo, details.queue))
    throw notOurs('job queue', details.queue, seen.tags, details.queue);
  if (seen.state !== 'DISABLED')
    throw new ApplyError(
      'unexpected-state',
      `job queue ${details.queue} is ${seen.state}: not deleted until DISABLED`,
      { resource: details.queue },
    );
  const active = await batch.countActiveJobs(ctx.region, details.queue);
  if (active > 0)
    throw new ApplyError(
      'unexpected-state',
      `job queue ${details.queue} not deleted: ${active} job(s) waiting or running`,
      {
        resource: details.queue,
      },
    );
  await batch.deleteJobQueue(ctx.region, details.queue);
  return { detail: `deleted job queue ${details.queue}` };
}

/** Runs a `delete-compute-environment` action. */
export async function runDeleteComputeEnvironment(
  ctx: ActionContext,
  details: DeleteComputeEnvironmentDetails,
): Promise<StepResult> {
  const batch = batchOf(ctx);
  const name = details.computeEnvironment;
  const seen = await environment(batch, ctx.region, name);
  if (seen === undefined) return { detail: `compute environment ${name} already gone` };
  if (!queueTaggedFor(seen.tags, details.repo, details.queue))
    throw notOurs('compute environment', name, seen.tags, details.queue);
  if (seen.state !== 'DISABLED')
    throw new ApplyError(
      'unexpected-state',
      `compute environment ${name} is ${seen.state}: not deleted until DISABLED`,
      { resource: name },
    );
  // Batch refuses while any queue (a DELETING one too) names it, or while it is UPDATING.
  await ctx.wait(`compute environment ${name} out of every job queue`, async () => {
    const queues = await batch.describeBatchQueues(ctx.region);
    const ce = await environment(batch, ctx.region, name);
    const used = queues.some((q) => seen.arn !== '' && q.order.includes(seen.arn));
    return !used && ce?.status !== 'UPDATING' && ce?.status !== 'CREATING' ? true : undefined;
  });
  await batch.deleteComputeEnvironment(ctx.region, name);
  return { detail: `deleted compute environment ${name}` };
}
