/**
 * Batch compute environments and job queues. A new account has none: they exist once
 * CreateComputeEnvironment and CreateJobQueue make them, so a lab naming a queue its account
 * lacks fails in the sim as on AWS. The sim creates both at once (AWS reports CREATING for a
 * moment, then VALID); each is VALID from its first Describe.
 */
import type { SimContext } from './contract.js';
import { batchArn, batchStateOf, clientError } from './batch-model.js';
import type { BatchComputeEnvironment, BatchJobQueue } from './batch-model.js';
import type { BatchState } from './batch-model.js';
import { decodeToken, encodeToken, optionalInteger, optionalList, optionalString, requiredString, stringMap } from './batch-input.js';

/** Most compute environments one queue may feed: "You can associate up to three compute environments with a job queue." */
export const MAX_QUEUE_ENVIRONMENTS = 3;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The queue a name or ARN refers to in the request region, if any. */
export function findQueue(batch: BatchState, region: string, ref: string): BatchJobQueue | undefined {
  return batch.queues.find(
    (q) => q.region === region && (q.jobQueueName === ref || q.jobQueueArn === ref),
  );
}

/** The compute environment a name or ARN refers to in the request region, if any. */
export function findComputeEnvironment(batch: BatchState, region: string, ref: string): BatchComputeEnvironment | undefined {
  return batch.computeEnvironments.find(
    (ce) => ce.region === region && (ce.computeEnvironmentName === ref || ce.computeEnvironmentArn === ref),
  );
}

function page<T>(all: T[], input: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const maxResults = optionalInteger(input, 'maxResults', 1, 100) ?? 100;
  const offset = decodeToken(optionalString(input, 'nextToken'));
  const next = offset + maxResults < all.length ? encodeToken(offset + maxResults) : undefined;
  return { items: all.slice(offset, offset + maxResults), ...(next ? { nextToken: next } : {}) };
}

function queueOutput(queue: BatchJobQueue): Record<string, unknown> {
  return {
    jobQueueName: queue.jobQueueName,
    jobQueueArn: queue.jobQueueArn,
    state: queue.state,
    status: 'VALID',
    statusReason: 'JobQueue Healthy',
    priority: queue.priority,
    computeEnvironmentOrder: queue.computeEnvironmentOrder,
    tags: queue.tags,
    jobQueueType: 'ECS',
  };
}

function environmentOutput(ce: BatchComputeEnvironment): Record<string, unknown> {
  return {
    computeEnvironmentName: ce.computeEnvironmentName,
    computeEnvironmentArn: ce.computeEnvironmentArn,
    type: ce.type,
    state: ce.state,
    status: 'VALID',
    statusReason: 'ComputeEnvironment Healthy',
    tags: ce.tags,
    containerOrchestrationType: 'ECS',
  };
}

/** DescribeJobQueues: by names or ARNs, or all queues of the region, paginated; unknown names are simply absent. */
export function describeJobQueues(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const refs = optionalList(input, 'jobQueues');
  const all = batch.queues.filter(
    (q) => q.region === ctx.region && (!refs || refs.includes(q.jobQueueName) || refs.includes(q.jobQueueArn)),
  );
  const { items, nextToken } = page(all, input);
  return { jobQueues: items.map(queueOutput), ...(nextToken ? { nextToken } : {}) };
}

/** DescribeComputeEnvironments: by names or ARNs, or all of the region, paginated. */
export function describeComputeEnvironments(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const refs = optionalList(input, 'computeEnvironments');
  const all = batch.computeEnvironments.filter(
    (ce) => ce.region === ctx.region && (!refs || refs.includes(ce.computeEnvironmentName) || refs.includes(ce.computeEnvironmentArn)),
  );
  const { items, nextToken } = page(all, input);
  return { computeEnvironments: items.map(environmentOutput), ...(nextToken ? { nextToken } : {}) };
}

function stateOf(input: Record<string, unknown>): 'ENABLED' | 'DISABLED' {
  const state = optionalString(input, 'state') ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw clientError(`state ${state} is not valid; use ENABLED or DISABLED.`);
  return state;
}

/** CreateComputeEnvironment: a MANAGED or UNMANAGED environment, ENABLED unless asked. @throws ClientException when the name is taken */
export function createComputeEnvironment(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const name = requiredString(input, 'computeEnvironmentName');
  if (!NAME.test(name)) throw clientError('computeEnvironmentName is not valid.');
  if (findComputeEnvironment(batch, ctx.region, name)) throw clientError(`Object already exists: ${name}`);
  const type = requiredString(input, 'type');
  if (type !== 'MANAGED' && type !== 'UNMANAGED') throw clientError(`type ${type} is not valid; use MANAGED or UNMANAGED.`);
  const ce: BatchComputeEnvironment = {
    computeEnvironmentName: name,
    computeEnvironmentArn: batchArn(ctx, 'compute-environment', name),
    region: ctx.region,
    type,
    state: stateOf(input),
    tags: stringMap(input, 'tags'),
  };
  batch.computeEnvironments.push(ce);
  return { computeEnvironmentName: ce.computeEnvironmentName, computeEnvironmentArn: ce.computeEnvironmentArn };
}

/**
 * CreateJobQueue: a new queue fed by one to three existing compute environments of the region,
 * tried in ascending `order` (orders must differ).
 * @throws ClientException when the name is taken or a compute environment does not exist
 */
export function createJobQueue(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const name = requiredString(input, 'jobQueueName');
  if (!NAME.test(name)) throw clientError('jobQueueName is not valid.');
  if (findQueue(batch, ctx.region, name)) throw clientError(`Object already exists: ${name}`);
  const priority = optionalInteger(input, 'priority', 0, 1000);
  if (priority === undefined) throw clientError('priority is required.');
  const order = (optionalList(input, 'computeEnvironmentOrder') ?? []) as Record<string, unknown>[];
  if (order.length < 1 || order.length > MAX_QUEUE_ENVIRONMENTS) {
    throw clientError(`computeEnvironmentOrder must have between 1 and ${MAX_QUEUE_ENVIRONMENTS} entries.`);
  }
  const entries = order.map((entry) => {
    const ref = typeof entry?.computeEnvironment === 'string' ? entry.computeEnvironment : '';
    if (typeof entry?.order !== 'number' || !Number.isInteger(entry.order) || entry.order < 0) {
      throw clientError('computeEnvironmentOrder[].order must be a non-negative integer.');
    }
    const ce = findComputeEnvironment(batch, ctx.region, ref);
    if (!ce) throw clientError(`Compute environment ${ref} does not exist.`);
    return { order: entry.order, computeEnvironment: ce.computeEnvironmentArn };
  });
  if (new Set(entries.map((e) => e.order)).size !== entries.length) {
    throw clientError('computeEnvironmentOrder[].order values must be unique.');
  }
  const queue: BatchJobQueue = {
    jobQueueName: name,
    jobQueueArn: batchArn(ctx, 'job-queue', name),
    region: ctx.region,
    state: stateOf(input),
    priority,
    computeEnvironmentOrder: entries.sort((a, b) => a.order - b.order),
    tags: stringMap(input, 'tags'),
  };
  batch.queues.push(queue);
  return { jobQueueName: queue.jobQueueName, jobQueueArn: queue.jobQueueArn };
}

/** UpdateJobQueue: `state` (ENABLED / DISABLED) and `priority`. @throws ClientException when the queue does not exist */
export function updateJobQueue(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const ref = requiredString(input, 'jobQueue');
  const queue = findQueue(batch, ctx.region, ref);
  if (!queue) throw clientError(`Job queue ${ref} does not exist.`);
  if (input.state !== undefined) queue.state = stateOf(input);
  const priority = optionalInteger(input, 'priority', 0, 1000);
  if (priority !== undefined) queue.priority = priority;
  return { jobQueueName: queue.jobQueueName, jobQueueArn: queue.jobQueueArn };
}
