/**
 * Batch job queues: CreateJobQueue, DescribeJobQueues, UpdateJobQueue, DeleteJobQueue. A new
 * account has none, so a lab naming a queue its account lacks fails in the sim as on AWS. A queue
 * places its jobs on one to three VALID compute environments of its Region, tried in ascending
 * `order`; it must be DISABLED before it is deleted, and its jobs are terminated when it is gone.
 */
import { wireText, type SimContext } from '../core/contract.js';
import { batchArn, batchStateOf, clientError } from './model.js';
import type { BatchComputeEnvironment, BatchJobQueue, BatchState } from './model.js';
import { optionalInteger, optionalList, requiredString, stringMap } from './input.js';
import {
  JOB_QUEUE_CREATE_SECONDS,
  RESOURCE_NAME,
  findComputeEnvironment,
  pageOf,
  startDelete,
  startUpdate,
  stateInput,
  statusOf,
} from './compute.js';

/** Most compute environments one queue may use: "You can associate up to three compute environments with a job queue." */
export const MAX_QUEUE_ENVIRONMENTS = 3;

/** The queue a name or ARN refers to in the request Region, if any. */
export function findQueue(batch: BatchState, region: string, ref: string): BatchJobQueue | undefined {
  return batch.queues.find((q) => q.region === region && (q.jobQueueName === ref || q.jobQueueArn === ref));
}

function queueOutput(queue: BatchJobQueue, now: number): Record<string, unknown> {
  const status = statusOf(queue, now);
  const reason = status === 'INVALID' ? queue.invalidReason : status === 'VALID' ? 'JobQueue Healthy' : undefined;
  return {
    jobQueueName: queue.jobQueueName,
    jobQueueArn: queue.jobQueueArn,
    state: queue.state,
    status,
    ...(reason === undefined ? {} : { statusReason: reason }),
    priority: queue.priority,
    computeEnvironmentOrder: queue.computeEnvironmentOrder,
    tags: queue.tags,
    jobQueueType: 'ECS',
  };
}

/** DescribeJobQueues: by names or ARNs (unknown ones simply absent), or all queues of the Region, paginated (1..100 a page). */
export function describeJobQueues(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const refs = optionalList(input, 'jobQueues');
  if (refs !== undefined && refs.length > 100) throw clientError('jobQueues can list at most 100 names or ARNs.');
  const all = batch.queues.filter(
    (q) => q.region === ctx.region && (!refs || refs.includes(q.jobQueueName) || refs.includes(q.jobQueueArn)),
  );
  const { items, nextToken } = pageOf(all, input);
  const now = ctx.now.getTime();
  return { jobQueues: items.map((q) => queueOutput(q, now)), ...(nextToken ? { nextToken } : {}) };
}

/** Whether a compute environment runs on Fargate (FARGATE or FARGATE_SPOT) rather than EC2. */
function isFargate(ce: BatchComputeEnvironment): boolean {
  return wireText(ce.computeResources?.type).startsWith('FARGATE');
}

/**
 * A `computeEnvironmentOrder` checked as Batch documents it: one to three entries, each an
 * existing VALID compute environment of the Region ("Compute environments must be in the VALID
 * state before you can associate them with a job queue"), all EC2 or all Fargate ("EC2 and
 * Fargate compute environments can't be mixed"), each at its own `order`; sorted by `order`.
 */
function checkOrder(
  input: Record<string, unknown>,
  batch: BatchState,
  ctx: SimContext,
): BatchJobQueue['computeEnvironmentOrder'] {
  const order = (optionalList(input, 'computeEnvironmentOrder') ?? []) as (Record<string, unknown> | null)[];
  if (order.length < 1 || order.length > MAX_QUEUE_ENVIRONMENTS) {
    throw clientError(`computeEnvironmentOrder must have between 1 and ${MAX_QUEUE_ENVIRONMENTS} entries.`);
  }
  const now = ctx.now.getTime();
  const environments: BatchComputeEnvironment[] = [];
  const entries = order.map((entry) => {
    const ref = typeof entry?.computeEnvironment === 'string' ? entry.computeEnvironment : '';
    if (typeof entry?.order !== 'number' || !Number.isInteger(entry.order) || entry.order < 0) {
      throw clientError('computeEnvironmentOrder[].order must be a non-negative integer.');
    }
    const ce = findComputeEnvironment(batch, ctx.region, ref);
    if (ce === undefined) throw clientError(`Compute environment ${ref} does not exist.`);
    const status = statusOf(ce, now);
    if (status !== 'VALID')
      throw clientError(
        `Compute environment ${ce.computeEnvironmentName} is ${status}; only a VALID compute environment can be associated with a job queue.`,
      );
    environments.push(ce);
    return { order: entry.order, computeEnvironment: ce.computeEnvironmentArn };
  });
  if (new Set(entries.map((e) => e.order)).size !== entries.length)
    throw clientError('computeEnvironmentOrder[].order values must be unique.');
  if (new Set(entries.map((e) => e.computeEnvironment)).size !== entries.length)
    throw clientError('computeEnvironmentOrder lists a compute environment twice.');
  if (new Set(environments.map(isFargate)).size > 1)
    throw clientError('EC2 and Fargate compute environments cannot be mixed in one job queue.');
  return entries.sort((a, b) => a.order - b.order);
}

/**
 * CreateJobQueue: a new queue on one to three existing VALID compute environments of the Region,
 * CREATING for {@link JOB_QUEUE_CREATE_SECONDS}.
 * @throws ClientException when the name is taken or the compute environments do not qualify
 */
export function createJobQueue(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const name = requiredString(input, 'jobQueueName');
  if (!RESOURCE_NAME.test(name))
    throw clientError('jobQueueName must be up to 128 letters, numbers, hyphens and underscores.');
  if (findQueue(batch, ctx.region, name)) throw clientError(`Object already exists: ${name}`);
  const priority = optionalInteger(input, 'priority', 0, 1000);
  if (priority === undefined) throw clientError('priority is required.');
  const now = ctx.now.getTime();
  const queue: BatchJobQueue = {
    jobQueueName: name,
    jobQueueArn: batchArn(ctx, 'job-queue', name),
    region: ctx.region,
    state: stateInput(input, 'ENABLED') ?? 'ENABLED',
    priority,
    computeEnvironmentOrder: checkOrder(input, batch, ctx),
    readyAt: now + JOB_QUEUE_CREATE_SECONDS * 1000,
    tags: stringMap(input, 'tags'),
  };
  batch.queues.push(queue);
  return { jobQueueName: queue.jobQueueName, jobQueueArn: queue.jobQueueArn };
}

function existingQueue(input: Record<string, unknown>, batch: BatchState, region: string): BatchJobQueue {
  const ref = requiredString(input, 'jobQueue');
  const queue = findQueue(batch, region, ref);
  if (queue === undefined) throw clientError(`Job queue ${ref} does not exist.`);
  return queue;
}

/**
 * UpdateJobQueue: `state`, `priority` and `computeEnvironmentOrder` (the same rules as at
 * creation); UPDATING for a while.
 * @throws ClientException when the queue does not exist or is being deleted
 */
export function updateJobQueue(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const queue = existingQueue(input, batch, ctx.region);
  if (queue.deletingAt !== undefined) throw clientError(`Job queue ${queue.jobQueueName} is being deleted.`);
  const state = stateInput(input);
  const priority = optionalInteger(input, 'priority', 0, 1000);
  const order =
    input.computeEnvironmentOrder === undefined || input.computeEnvironmentOrder === null
      ? undefined
      : checkOrder(input, batch, ctx);
  if (state !== undefined) queue.state = state;
  if (priority !== undefined) queue.priority = priority;
  if (order !== undefined) queue.computeEnvironmentOrder = order;
  startUpdate(queue, ctx.now.getTime());
  return { jobQueueName: queue.jobQueueName, jobQueueArn: queue.jobQueueArn };
}

/**
 * DeleteJobQueue: "You must first disable submissions for a queue with the UpdateJobQueue
 * operation. All jobs in the queue are eventually terminated when you delete a job queue."
 * DELETING for a while, then gone, its unfinished jobs FAILED (batch-advance.ts).
 * @throws ClientException when the queue does not exist or is still ENABLED
 */
export function deleteJobQueue(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const queue = existingQueue(input, batch, ctx.region);
  if (queue.deletingAt !== undefined) return {};
  if (queue.state !== 'DISABLED')
    throw clientError(`Cannot delete, job queue ${queue.jobQueueName} is ENABLED; set its state to DISABLED first.`);
  startDelete(queue, ctx.now.getTime());
  return {};
}
