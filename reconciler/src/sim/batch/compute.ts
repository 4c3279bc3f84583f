/**
 * Batch compute environments: CreateComputeEnvironment, DescribeComputeEnvironments,
 * UpdateComputeEnvironment, DeleteComputeEnvironment, and the status every Batch resource
 * derives from the clock. A new account has none. As on AWS, an environment is CREATING for a
 * while and then VALID; only a VALID one may join a job queue; it must be DISABLED and in no
 * queue before it is deleted, and stays DELETING for a while before it is gone. How long each
 * step takes is not documented: the sim's figures are the constants below.
 */
import { wireText, type SimContext } from '../core/contract.js';
import { unknownBatchInstanceTypes } from '../../cost/prices/index.js';
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
 * compute environments has been both ENABLED and VALID (or UPDATING), undefined while none is, or
 * while the queue itself is not ENABLED and VALID (or UPDATING).
 * "If the state is DISABLED, then the Batch scheduler doesn't attempt to place jobs within the environment."
 */
export function placeableSince(batch: BatchState, queue: BatchJobQueue, now: number): number | undefined {
  const queueStatus = statusOf(queue, now);
  if (queue.state !== 'ENABLED' || (queueStatus !== 'VALID' && queueStatus !== 'UPDATING')) return undefined;
  let since: number | undefined;
  for (const ce of environmentsOf(batch, queue)) {
    const status = statusOf(ce, now);
    if (ce.state !== 'ENABLED' || (status !== 'VALID' && status !== 'UPDATING')) continue;
    const from = Math.max(ce.readyAt ?? 0, ce.enabledAt);
    since = since === undefined ? from : Math.min(since, from);
  }
  return since === undefined ? undefined : Math.max(since, queue.readyAt ?? 0);
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

/**
 * `allocationStrategy` values by resource type (ComputeResource.allocationStrategy: "Valid Values:
 * BEST_FIT | BEST_FIT_PROGRESSIVE | SPOT_CAPACITY_OPTIMIZED | SPOT_PRICE_CAPACITY_OPTIMIZED"; the
 * SPOT_ ones are for Spot only; "This parameter isn't applicable to jobs that are running on
 * Fargate resources").
 */
const ALLOCATION_STRATEGIES: Record<string, readonly string[]> = {
  EC2: ['BEST_FIT', 'BEST_FIT_PROGRESSIVE'],
  SPOT: ['BEST_FIT', 'BEST_FIT_PROGRESSIVE', 'SPOT_CAPACITY_OPTIMIZED', 'SPOT_PRICE_CAPACITY_OPTIMIZED'],
};

/** `ec2Configuration[].imageType` values (Ec2Configuration.imageType; `ECS_AL2_NVIDIA` and `ECS_AL2023_NVIDIA` for GPU types). */
export const IMAGE_TYPES: readonly string[] = [
  'ECS_AL2',
  'ECS_AL2_NVIDIA',
  'ECS_AL2023',
  'ECS_AL2023_NVIDIA',
  'ECS_AL1',
];

/** Members of `computeResources` Fargate environments must not carry ("shouldn't be specified"). */
const EC2_ONLY = [
  'allocationStrategy',
  'instanceTypes',
  'instanceRole',
  'ec2Configuration',
  'minvCpus',
  'desiredvCpus',
  'bidPercentage',
  'imageId',
  'ec2KeyPair',
  'launchTemplate',
  'placementGroup',
  'tags',
];

/** Checks the EC2-only members of `computeResources` (type EC2 or SPOT). @throws ClientException */
function checkEc2Members(resources: Record<string, unknown>, type: string): void {
  const strategy = optionalString(resources, 'allocationStrategy');
  if (strategy !== undefined && !(ALLOCATION_STRATEGIES[type] ?? []).includes(strategy))
    throw clientError(
      `computeResources.allocationStrategy ${strategy} is not valid for ${type}; use ${(ALLOCATION_STRATEGIES[type] ?? []).join(', ')}.`,
    );
  const types = optionalList(resources, 'instanceTypes');
  if (types !== undefined) {
    if (types.some((t) => typeof t !== 'string')) throw clientError('computeResources.instanceTypes must be strings.');
    const unknown = unknownBatchInstanceTypes(types as string[]);
    if (unknown.length > 0) throw clientError(`Instance type(s) ${unknown.join(', ')} are not valid.`);
  }
  optionalString(resources, 'instanceRole');
  for (const entry of optionalList(resources, 'ec2Configuration') ?? []) {
    const imageType = (entry as Record<string, unknown> | null)?.imageType;
    if (typeof imageType !== 'string' || !IMAGE_TYPES.includes(imageType))
      throw clientError(`computeResources.ec2Configuration[].imageType must be one of ${IMAGE_TYPES.join(', ')}.`);
  }
  stringMap(resources, 'tags');
}

/** A MANAGED environment's `computeResources`: "type", "maxvCpus", "subnets" and security groups (or a launch template) are required. */
function checkComputeResources(resources: Record<string, unknown> | undefined): Record<string, unknown> {
  if (resources === undefined) throw clientError('computeResources is required for a MANAGED compute environment.');
  const type = requiredString(resources, 'type');
  if (!RESOURCE_TYPES.includes(type))
    throw clientError(`computeResources.type ${type} is not valid; use ${RESOURCE_TYPES.join(', ')}.`);
  const max = optionalInteger(resources, 'maxvCpus', 0, 1_000_000);
  if (max === undefined) throw clientError('computeResources.maxvCpus is required.');
  const min = optionalInteger(resources, 'minvCpus', 0, 1_000_000) ?? 0;
  if (min > max) throw clientError('computeResources.minvCpus cannot be greater than maxvCpus.');
  const desired = optionalInteger(resources, 'desiredvCpus', 0, 1_000_000);
  if (desired !== undefined && (desired < min || desired > max))
    throw clientError('computeResources.desiredvCpus must be between minvCpus and maxvCpus.');
  const subnets = optionalList(resources, 'subnets');
  if (subnets === undefined || subnets.length === 0) throw clientError('computeResources.subnets is required.');
  // "One or more security groups must be specified, either in securityGroupIds or using a launch
  // template referenced in launchTemplate. This parameter is required for jobs that are running on
  // Fargate resources ... Fargate doesn't support launch templates." (ComputeResource)
  const groups = optionalList(resources, 'securityGroupIds');
  const template = resources.launchTemplate !== undefined && resources.launchTemplate !== null;
  if ((groups === undefined || groups.length === 0) && (type.startsWith('FARGATE') || !template))
    throw clientError(
      type.startsWith('FARGATE')
        ? 'computeResources.securityGroupIds is required for a Fargate compute environment.'
        : 'computeResources: one or more security groups must be specified, either in securityGroupIds or in the launch template referenced in launchTemplate.',
    );
  if (type.startsWith('FARGATE')) {
    const misplaced = EC2_ONLY.filter(
      (key) => key !== 'minvCpus' && resources[key] !== undefined && resources[key] !== null,
    );
    if (misplaced.length > 0)
      throw clientError(`computeResources.${misplaced[0]} is not applicable to a ${type} compute environment.`);
    return { ...resources };
  }
  checkEc2Members(resources, type);
  return { ...resources, minvCpus: min, desiredvCpus: desired ?? min };
}

/** The members of `computeResources` whose change is a scaling update: "desiredvCpus", "maxvCpus", "minvCpus". */
const SCALING_MEMBERS = ['minvCpus', 'maxvCpus', 'desiredvCpus'];
/** What a Fargate environment may also change: "securityGroupIds", "subnets". */
const FARGATE_UPDATABLE = [...SCALING_MEMBERS, 'securityGroupIds', 'subnets'];
/** The allocation strategies an infrastructure update may set: "must be either BEST_FIT_PROGRESSIVE or SPOT_CAPACITY_OPTIMIZED" (or SPOT_PRICE_CAPACITY_OPTIMIZED). */
const UPDATE_STRATEGIES = ['BEST_FIT_PROGRESSIVE', 'SPOT_CAPACITY_OPTIMIZED', 'SPOT_PRICE_CAPACITY_OPTIMIZED'];

/**
 * `computeResources` after an update, checked as the user guide's "Updating compute environments"
 * pages say: `minvCpus`/`maxvCpus`/`desiredvCpus` alone are a scaling update (any allocation
 * strategy; desiredvCpus "must be between minvCpus and maxvCpus" and "greater than or equal to the
 * current desiredvCpus"); any other member is an infrastructure update, which "If the original
 * allocation strategy is BEST_FIT, infrastructure updates aren't supported"; a Fargate environment
 * may change only `securityGroupIds`, `subnets` and the vCPU figures.
 * @throws ClientException
 */
function updatedResources(current: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const type = wireText(current.type);
  const changed = Object.keys(update).filter((key) => update[key] !== undefined && update[key] !== null);
  const infrastructure = changed.filter((key) => !SCALING_MEMBERS.includes(key));
  if (type.startsWith('FARGATE')) {
    const refused = changed.find((key) => !FARGATE_UPDATABLE.includes(key));
    if (refused !== undefined)
      throw clientError(`computeResources.${refused} cannot be updated on a ${type} compute environment.`);
  } else if (infrastructure.length > 0) {
    const original = wireText(current.allocationStrategy) || 'BEST_FIT';
    if (original === 'BEST_FIT')
      throw clientError(
        `Infrastructure updates (${infrastructure.join(', ')}) are not supported for a compute environment whose allocation strategy is BEST_FIT.`,
      );
    const strategy = optionalString(update, 'allocationStrategy');
    if (strategy !== undefined && !UPDATE_STRATEGIES.includes(strategy))
      throw clientError(`computeResources.allocationStrategy must be one of ${UPDATE_STRATEGIES.join(', ')}.`);
    const newType = optionalString(update, 'type');
    if (newType !== undefined && newType !== 'EC2' && newType !== 'SPOT')
      throw clientError(`computeResources.type ${newType} is not valid; an EC2 or SPOT environment stays EC2 or SPOT.`);
  }
  const merged: Record<string, unknown> = { ...current };
  for (const key of changed) merged[key] = update[key];
  for (const key of SCALING_MEMBERS) optionalInteger(merged, key, 0, 1_000_000);
  const min = Number(merged.minvCpus ?? 0);
  const max = Number(merged.maxvCpus ?? 0);
  if (min > max) throw clientError('computeResources.minvCpus cannot be greater than maxvCpus.');
  const desired = optionalInteger(update, 'desiredvCpus', 0, 1_000_000);
  if (desired !== undefined) {
    // https://docs.aws.amazon.com/batch/latest/userguide/error-desired-vcpus-update.html
    if (desired < Number(current.desiredvCpus ?? 0))
      throw clientError(
        'Manually scaling down compute environment is not supported. Disconnecting job queues from compute environment will cause it to scale-down to minvCpus.',
      );
    if (desired < min || desired > max)
      throw clientError('computeResources.desiredvCpus must be between minvCpus and maxvCpus.');
  }
  if (!type.startsWith('FARGATE')) checkEc2Members(merged, wireText(merged.type));
  return merged;
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
 * UpdateComputeEnvironment: `state`, and `computeResources` (see {@link updatedResources} for
 * which members may change how); UPDATING for {@link UPDATE_SECONDS}.
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
    ce.computeResources = updatedResources(ce.computeResources, resources);
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
