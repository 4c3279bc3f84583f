/**
 * Batch job queues: every region starts with the queues a research account typically has
 * (`research-spot`, `research-ondemand`, `gpu-queue`); CreateJobQueue adds more.
 */
import type { SimContext } from './contract.js';
import { batchArn, batchStateOf, clientError } from './batch-model.js';
import type { BatchJobQueue, BatchState } from './batch-model.js';
import { decodeToken, encodeToken, optionalInteger, optionalList, optionalString, requiredString, stringMap } from './batch-input.js';

/** Queues every region starts with, with the compute environment each feeds. */
export const SEEDED_QUEUES: readonly { name: string; priority: number; environments: string[] }[] = [
  { name: 'research-spot', priority: 10, environments: ['research-spot-ce'] },
  { name: 'research-ondemand', priority: 20, environments: ['research-ondemand-ce'] },
  { name: 'gpu-queue', priority: 30, environments: ['gpu-spot-ce', 'gpu-ondemand-ce'] },
];

/** The Batch slice with the request region's seeded queues in place. */
export function seededBatchState(ctx: SimContext): BatchState {
  const batch = batchStateOf(ctx.state);
  if (batch.seededRegions.includes(ctx.region)) return batch;
  batch.seededRegions.push(ctx.region);
  for (const queue of SEEDED_QUEUES) {
    batch.queues.push({
      jobQueueName: queue.name,
      jobQueueArn: batchArn(ctx, 'job-queue', queue.name),
      region: ctx.region,
      state: 'ENABLED',
      priority: queue.priority,
      computeEnvironmentOrder: queue.environments.map((ce, i) => ({
        order: i + 1,
        computeEnvironment: batchArn(ctx, 'compute-environment', ce),
      })),
      tags: {},
    });
  }
  return batch;
}

/** The queue a name or ARN refers to in the request region, if any. */
export function findQueue(batch: BatchState, region: string, ref: string): BatchJobQueue | undefined {
  return batch.queues.find(
    (q) => q.region === region && (q.jobQueueName === ref || q.jobQueueArn === ref),
  );
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

/** DescribeJobQueues: by names or ARNs, or all queues of the region, paginated. */
export function describeJobQueues(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = seededBatchState(ctx);
  const refs = optionalList(input, 'jobQueues');
  const maxResults = optionalInteger(input, 'maxResults', 1, 100) ?? 100;
  const offset = decodeToken(optionalString(input, 'nextToken'));
  const all = batch.queues.filter(
    (q) => q.region === ctx.region && (!refs || refs.includes(q.jobQueueName) || refs.includes(q.jobQueueArn)),
  );
  const page = all.slice(offset, offset + maxResults);
  const next = offset + maxResults < all.length ? encodeToken(offset + maxResults) : undefined;
  return { jobQueues: page.map(queueOutput), ...(next ? { nextToken: next } : {}) };
}

/** CreateJobQueue: a new queue in the region. @throws ClientException when the name is taken */
export function createJobQueue(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = seededBatchState(ctx);
  const name = requiredString(input, 'jobQueueName');
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(name)) throw clientError('jobQueueName is not valid.');
  if (findQueue(batch, ctx.region, name)) throw clientError(`Object already exists: ${name}`);
  const priority = optionalInteger(input, 'priority', 0, 1000);
  if (priority === undefined) throw clientError('priority is required.');
  const order = (optionalList(input, 'computeEnvironmentOrder') ?? []) as Record<string, unknown>[];
  if (order.length < 1 || order.length > 3) {
    throw clientError('computeEnvironmentOrder must have between 1 and 3 entries.');
  }
  const queue: BatchJobQueue = {
    jobQueueName: name,
    jobQueueArn: batchArn(ctx, 'job-queue', name),
    region: ctx.region,
    state: optionalString(input, 'state') === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    priority,
    computeEnvironmentOrder: order.map((entry, i) => ({
      order: typeof entry.order === 'number' ? entry.order : i + 1,
      computeEnvironment: String(entry.computeEnvironment ?? ''),
    })),
    tags: stringMap(input, 'tags'),
  };
  batch.queues.push(queue);
  return { jobQueueName: queue.jobQueueName, jobQueueArn: queue.jobQueueArn };
}
