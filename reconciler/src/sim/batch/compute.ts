/**
 * Batch compute environments: CreateComputeEnvironment, DescribeComputeEnvironments,
 * UpdateComputeEnvironment, DeleteComputeEnvironment, and the status every Batch resource
 * derives from the clock. A new account has none. As on AWS, an environment is CREATING for a
 * while and then VALID; only a VALID one may join a job queue; it must be DISABLED and in no
 * queue before it is deleted, and stays DELETING for a while before it is gone. How long each
 * step takes is not documented: the sim's figures are the constants below.
 */
import type { SimContext } from '../core/contract.js';
import { batchArn, batchStateOf, clientError } from './model.js';
import type { BatchComputeEnvironment, BatchJobQueue, BatchLifecycle, BatchState } from './model.js';
import {
  decodeToken,
  encodeToken,
  optionalInteger,
  optionalList,
  optionalObject,
  optionalString,
  requiredString,
  stringMap,
} from './input.js';

/** Simulated seconds a new compute environment stays CREATING before it is VALID. */
export const COMPUTE_ENVIRONMENT_CREATE_SECONDS = 30;
/** Simulated seconds a new job queue stays CREATING before it is VALID. */
export const JOB_QUEUE_CREATE_SECONDS = 10;
/** Simulated seconds an update keeps a compute environment or job queue UPDATING. */
export const UPDATE_SECONDS = 10;
/** Simulated seconds a deleted compute environment or job queue stays DELETING before it is gone. */
export const DELETE_SECONDS = 30;
/** Simulated seconds from a fresh account to compute environments and queues that are both VALID. */
export const QUEUE_SETUP_SECONDS = COMPUTE_ENVIRONMENT_CREATE_SECONDS + JOB_QUEUE_CREATE_SECONDS;

/** `status` of a compute environment or job queue (DELETED ones are no longer listed). */
export type BatchResourceStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'VALID' | 'INVALID';

/** Compute environment and job queue names: "up to 128 letters (uppercase and lowercase), numbers, hyphens, and underscores". */
export const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The status of a resource at `now` (epoch ms). */
export function statusOf(resource: BatchLifecycle, now: number): BatchResourceStatus {
  if (resource.deletingAt !== undefined) return 'DELETING';
  if (resource.invalidReason !== undefined) return 'INVALID';
  if (now < (resource.readyAt ?? 0)) return 'CREATING';
  if (resource.updatingUntil !== undefined && now < resource.updatingUntil) return 'UPDATING';
  return 'VALID';
}

/** Marks a resource UPDATING for {@link UPDATE_SECONDS} from `now` (a CREATING one just stays CREATING). */
export function startUpdate(resource: BatchLifecycle, now: number): void {
  if (now >= (resource.readyAt ?? 0)) resource.updatingUntil = now + UPDATE_SECONDS * 1000;
}

/** Marks a resource DELETING from `now`; it is gone {@link DELETE_SECONDS} later. */
export function startDelete(resource: BatchLifecycle, now: number): void {
  resource.deletingAt = now;
  resource.goneAt = now + DELETE_SECONDS * 1000;
}

/** `ENABLED` or `DISABLED` from a request's `state`, or `fallback` when absent. @throws ClientException for any other value */
export function stateInput(
  input: Record<string, unknown>,
  fallback?: 'ENABLED' | 'DISABLED',
): 'ENABLED' | 'DISABLED' | undefined {
  const state = optionalString(input, 'state') ?? fallback;
  if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED')
    throw clientError(`state ${state} is not valid; use ENABLED or DISABLED.`);
  return state;
}

/** One page of `all`: `maxResults` 1..100 (default 100) from the offset in `nextToken`. */
export function pageOf<T>(all: readonly T[], input: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const maxResults = optionalInteger(input, 'maxResults', 1, 100) ?? 100;
  const offset = decodeToken(optionalString(input, 'nextToken'));
  const next = offset + maxResults < all.length ? encodeToken(offset + maxResults) : undefined;
  return { items: all.slice(offset, offset + maxResults), ...(next ? { nextToken: next } : {}) };
}

/** The compute environment a name or ARN refers to in `region`, if any. */
export function findComputeEnvironment(
  batch: BatchState,
  region: string,
  ref: string,
): BatchComputeEnvironment | undefined {
  return batch.computeEnvironments.find(
    (ce) => ce.region === region && (ce.computeEnvironmentName === ref || ce.computeEnvironmentArn === ref),
  );
}

/** The job queues of the compute environment's Region that place jobs on it. */
export function queuesUsing(batch: BatchState, ce: BatchComputeEnvironment): BatchJobQueue[] {
  return batch.queues.filter(
    (q) =>
      q.region === ce.region &&
      q.computeEnvironmentOrder.some((o) => o.computeEnvironment === ce.computeEnvironmentArn),
  );
}

/** The compute environments a queue places jobs on, in its order (those that still exist). */
export function environmentsOf(batch: BatchState, queue: BatchJobQueue): BatchComputeEnvironment[] {
  return queue.computeEnvironmentOrder
    .map((o) => batch.computeEnvironments.find((ce) => ce.computeEnvironmentArn === o.computeEnvironment))
    .filter((ce): ce is BatchComputeEnvironment => ce !== undefined);
}

/**
 * Since when (epoch ms) a queue has had somewhere to place jobs: the earliest instant one of its
 * compute environments has been both ENABLED and VALID (or UPDATING), undefined while none is.
 * "If the state is DISABLED, then the Batch scheduler doesn't attempt to place jobs within the environment."
 */
export function placeableSince(batch: BatchState, queue: BatchJobQueue, now: number): number | undefined {
  let since: number | undefined;
  for (const ce of environmentsOf(batch, queue)) {
    const status = statusOf(ce, now);
    if (ce.state !== 'ENABLED' || (status !== 'VALID' && status !== 'UPDATING')) continue;
    const from = Math.max(ce.readyAt ?? 0, ce.enabledAt);
    since = since === undefined ? from : Math.min(since, from);
  }
  return since;
}

function environmentOutput(ce: BatchComputeEnvironment, now: number): Record<string, unknown> {
  const status = statusOf(ce, now);
  const reason =
    status === 'INVALID' ? ce.invalidReason : status === 'VALID' ? 'ComputeEnvironment Healthy' : undefined;
  return {
    computeEnvironmentName: ce.computeEnvironmentName,
    computeEnvironmentArn: ce.computeEnvironmentArn,
    type: ce.type,
    state: ce.state,
    status,
    ...(reason === undefined ? {} : { statusReason: reason }),
    ...(ce.computeResources === undefined ? {} : { computeResources: ce.computeResources }),
    ...(ce.serviceRole === undefined ? {} : { serviceRole: ce.serviceRole }),
    tags: ce.tags,
    containerOrchestrationType: 'ECS',
  };
}

/** DescribeComputeEnvironments: by names or ARNs (unknown ones simply absent), or all of the Region, paginated. */
export function describeComputeEnvironments(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const refs = optionalList(input, 'computeEnvironments');
  if (refs !== undefined && refs.length > 100)
    throw clientError('computeEnvironments can list at most 100 names or ARNs.');
  const all = batch.computeEnvironments.filter(
    (ce) =>
      ce.region === ctx.region &&
      (!refs || refs.includes(ce.computeEnvironmentName) || refs.includes(ce.computeEnvironmentArn)),
  );
  const { items, nextToken } = pageOf(all, input);
  const now = ctx.now.getTime();
  return { computeEnvironments: items.map((ce) => environmentOutput(ce, now)), ...(nextToken ? { nextToken } : {}) };
}

const RESOURCE_TYPES = ['EC2', 'SPOT', 'FARGATE', 'FARGATE_SPOT'];

/** A MANAGED environment's `computeResources`: "type", "maxvCpus" and "subnets" are required. */
function checkComputeResources(resources: Record<string, unknown> | undefined): Record<string, unknown> {
  if (resources === undefined) throw clientError('computeResources is required for a MANAGED compute environment.');
  const type = requiredString(resources, 'type');
  if (!RESOURCE_TYPES.includes(type))
    throw clientError(`computeResources.type ${type} is not valid; use ${RESOURCE_TYPES.join(', ')}.`);
  const max = optionalInteger(resources, 'maxvCpus', 0, 1_000_000);
  if (max === undefined) throw clientError('computeResources.maxvCpus is required.');
  const min = optionalInteger(resources, 'minvCpus', 0, 1_000_000) ?? 0;
  if (min > max) throw clientError('computeResources.minvCpus cannot be greater than maxvCpus.');
  const subnets = optionalList(resources, 'subnets');
  if (subnets === undefined || subnets.length === 0) throw clientError('computeResources.subnets is required.');
  return { ...resources, minvCpus: min };
}

/**
 * CreateComputeEnvironment: MANAGED (with `computeResources`) or UNMANAGED (with `serviceRole`),
 * ENABLED unless asked otherwise, CREATING for {@link COMPUTE_ENVIRONMENT_CREATE_SECONDS}.
 * @throws ClientException when the name is taken or the request is incomplete
 */
export function createComputeEnvironment(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const name = requiredString(input, 'computeEnvironmentName');
  if (!RESOURCE_NAME.test(name))
    throw clientError('computeEnvironmentName must be up to 128 letters, numbers, hyphens and underscores.');
  if (findComputeEnvironment(batch, ctx.region, name)) throw clientError(`Object already exists: ${name}`);
  const type = requiredString(input, 'type');
  if (type !== 'MANAGED' && type !== 'UNMANAGED')
    throw clientError(`type ${type} is not valid; use MANAGED or UNMANAGED.`);
  const serviceRole = optionalString(input, 'serviceRole');
  // The user guide (using-service-linked-roles-batch-general): an UNMANAGED environment needs an explicit serviceRole, else "ServiceRole is required".
  if (type === 'UNMANAGED' && serviceRole === undefined) throw clientError('ServiceRole is required');
  const computeResources =
    type === 'MANAGED' ? checkComputeResources(optionalObject(input, 'computeResources')) : undefined;
  const now = ctx.now.getTime();
  const ce: BatchComputeEnvironment = {
    computeEnvironmentName: name,
    computeEnvironmentArn: batchArn(ctx, 'compute-environment', name),
    region: ctx.region,
    type,
    state: stateInput(input, 'ENABLED') ?? 'ENABLED',
    ...(computeResources === undefined ? {} : { computeResources }),
    ...(serviceRole === undefined ? {} : { serviceRole }),
    enabledAt: now,
    readyAt: now + COMPUTE_ENVIRONMENT_CREATE_SECONDS * 1000,
    tags: stringMap(input, 'tags'),
  };
  batch.computeEnvironments.push(ce);
  return { computeEnvironmentName: ce.computeEnvironmentName, computeEnvironmentArn: ce.computeEnvironmentArn };
}

/**
 * UpdateComputeEnvironment: `state`, and `computeResources` `minvCpus` / `maxvCpus` /
 * `desiredvCpus`; UPDATING for {@link UPDATE_SECONDS}.
 * @throws ClientException when the environment does not exist or is being deleted
 */
export function updateComputeEnvironment(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const ref = requiredString(input, 'computeEnvironment');
  const ce = findComputeEnvironment(batch, ctx.region, ref);
  if (ce === undefined) throw clientError(`Compute environment ${ref} does not exist.`);
  if (ce.deletingAt !== undefined)
    throw clientError(`Compute environment ${ce.computeEnvironmentName} is being deleted.`);
  const now = ctx.now.getTime();
  const state = stateInput(input);
  const resources = optionalObject(input, 'computeResources');
  if (resources !== undefined) {
    if (ce.computeResources === undefined)
      throw clientError('computeResources applies only to a MANAGED compute environment.');
    const merged = { ...ce.computeResources };
    for (const key of ['minvCpus', 'maxvCpus', 'desiredvCpus']) {
      const value = optionalInteger(resources, key, 0, 1_000_000);
      if (value !== undefined) merged[key] = value;
    }
    if (Number(merged.minvCpus ?? 0) > Number(merged.maxvCpus ?? 0))
      throw clientError('computeResources.minvCpus cannot be greater than maxvCpus.');
    ce.computeResources = merged;
  }
  if (state !== undefined && state !== ce.state) {
    ce.state = state;
    if (state === 'ENABLED') ce.enabledAt = now;
  }
  const serviceRole = optionalString(input, 'serviceRole');
  if (serviceRole !== undefined) ce.serviceRole = serviceRole;
  startUpdate(ce, now);
  return { computeEnvironmentName: ce.computeEnvironmentName, computeEnvironmentArn: ce.computeEnvironmentArn };
}

/**
 * DeleteComputeEnvironment: "Before you can delete a compute environment, you must set its state
 * to DISABLED with the UpdateComputeEnvironment API operation and disassociate it from any job
 * queues with the UpdateJobQueue API operation." DELETING for {@link DELETE_SECONDS}, then gone.
 * @throws ClientException when it does not exist, is ENABLED, or a job queue still uses it
 */
export function deleteComputeEnvironment(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const ref = requiredString(input, 'computeEnvironment');
  const ce = findComputeEnvironment(batch, ctx.region, ref);
  if (ce === undefined) throw clientError(`Compute environment ${ref} does not exist.`);
  if (ce.deletingAt !== undefined) return {};
  if (ce.state !== 'DISABLED')
    throw clientError(
      `Cannot delete, compute environment ${ce.computeEnvironmentName} is ENABLED; set its state to DISABLED first.`,
    );
  const users = queuesUsing(batch, ce);
  // The message AWS answers, as reported in terraform-aws-modules/terraform-aws-batch#9.
  if (users.length > 0)
    throw clientError(
      `Cannot delete, found existing JobQueue relationship (${users.map((q) => q.jobQueueName).join(', ')})`,
    );
  startDelete(ce, ctx.now.getTime());
  return {};
}
