/**
 * JobQueue vocabulary: a Batch job queue and the compute environments it owns, as the planner
 * sees them (defaults settled, instance types resolved, the replacement hash computed), what Batch
 * reports about them, and the details of the actions that create, update and delete them.
 *
 * A compute environment's Batch name is `QUEUE-NAME-HASH8`, the hash over everything Batch cannot
 * change in place (capacity, instance types, allocation strategy, bid, network, role, AMI): a
 * change to any of them is a new name, so a replacement is blue/green by construction (the new
 * environment is created beside the old one, the queue switched to it, the old one drained and
 * deleted). `maxVcpus`, `minVcpus`, state, the queue's order and priority are updated in place.
 */
import { hourlyPriceUSD, instanceTypeInfo, listInstanceTypes } from '../cost/prices/index.js';
import { stableHash } from './tags.js';

/** Batch's default allocation strategy per capacity. */
export const DEFAULT_ALLOCATION = {
  spot: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
  onDemand: 'BEST_FIT_PROGRESSIVE',
} as const;

/** The ECS instance profile instances run with when the spec names none (the name the Batch console creates). */
export const DEFAULT_INSTANCE_ROLE = 'ecsInstanceRole';

/** Batch's image type for GPU instances: "Amazon Linux 2 (GPU): Default for all GPU instance families". */
export const GPU_IMAGE_TYPE = 'ECS_AL2_NVIDIA';

/** Batch job states in which a job still waits for or uses capacity: nothing is deleted while one is. */
export const ACTIVE_JOB_STATES = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'] as const;

/** What one `instanceTypes` entry stands for: `optimal`, one type, a family's types, or nothing known. */
export type ResolvedTypes =
  { kind: 'optimal' } | { kind: 'types'; types: string[]; family: boolean } | { kind: 'unknown' };

/** Resolves an `instanceTypes` entry against the price table: `optimal`, a type (`c6i.2xlarge`) or a family (`c6i`). */
export function resolveInstanceTypes(entry: string): ResolvedTypes {
  if (entry === 'optimal') return { kind: 'optimal' };
  if (instanceTypeInfo(entry) !== undefined) return { kind: 'types', types: [entry], family: false };
  const family = listInstanceTypes()
    .filter((t) => t.family === entry)
    .map((t) => t.instanceType);
  return family.length > 0 ? { kind: 'types', types: family, family: true } : { kind: 'unknown' };
}

/** Every known type the entries stand for (`optimal` and unknown entries stand for none). */
export function typesOf(entries: readonly string[]): string[] {
  return [
    ...new Set(
      entries.flatMap((e) => {
        const r = resolveInstanceTypes(e);
        return r.kind === 'types' ? r.types : [];
      }),
    ),
  ].sort();
}

/** Whether every type the entries stand for has a GPU (false when they stand for none). */
export function allGpu(entries: readonly string[]): boolean {
  const types = typesOf(entries);
  return types.length > 0 && types.every((t) => (instanceTypeInfo(t)?.gpus ?? 0) > 0);
}

/** Whether any type the entries stand for has a GPU. */
export function anyGpu(entries: readonly string[]): boolean {
  return typesOf(entries).some((t) => (instanceTypeInfo(t)?.gpus ?? 0) > 0);
}

/**
 * The priciest on-demand price per vCPU-hour among the types the entries stand for in `region`,
 * with the type; undefined when one of them (or `optimal`) has no known price.
 */
export function priciestPerVcpuHour(
  entries: readonly string[],
  region: string,
): { type: string; usdPerVcpuHour: number } | undefined {
  if (entries.some((e) => resolveInstanceTypes(e).kind !== 'types')) return undefined;
  let best: { type: string; usdPerVcpuHour: number } | undefined;
  for (const type of typesOf(entries)) {
    const price = hourlyPriceUSD(type, region);
    const vcpus = instanceTypeInfo(type)?.vcpus;
    if (price === undefined || vcpus === undefined || vcpus <= 0) return undefined;
    const perVcpu = price / vcpus;
    if (best === undefined || perVcpu > best.usdPerVcpuHour) best = { type, usdPerVcpuHour: perVcpu };
  }
  return best;
}

/** One compute environment of a queue, defaults settled. */
export interface DesiredComputeEnvironment {
  /** The spec's short name (`spot`). */
  key: string;
  /** The Batch compute environment name: `QUEUE-KEY-HASH8`. */
  batchName: string;
  capacity: 'spot' | 'onDemand';
  instanceTypes: string[];
  maxVcpus: number;
  minVcpus: number;
  allocationStrategy: string;
  /** Spot only. @default undefined (Batch's 100) */
  bidPercentage?: number;
  /** The subnets instances launch in; empty while `networkDefaults.subnets` waits for the Region's default network. */
  subnets: string[];
  /** Their security groups; empty while `networkDefaults.securityGroupIds` waits for the Region's default network. */
  securityGroupIds: string[];
  instanceRole: string;
  /** `ECS_AL2_NVIDIA` when a GPU type is listed. @default undefined (Batch's default AMI) */
  imageType?: string;
  /**
   * What the spec leaves to the Region's default network, still to fill in (kinds/job-queue/network.ts
   * does, from the observed default VPC, and computes `batchName` again). @default undefined (the spec names both)
   */
  networkDefaults?: NetworkDefaults;
  /** The default VPC the network was filled in from, for plan reasons. @default undefined (the spec's network) */
  defaultVpcId?: string;
  /** Where the compute environment is declared, `FILE:LINE:COL`, for refusals. @default undefined */
  source?: string;
  /** Worst-case burn: maxVcpus × the priciest listed type's per-vCPU hour (× the bid for Spot); undefined when unpriced. */
  ceilingUSDPerHour?: number;
}

/** The parts of a compute environment's network its spec leaves to the Region's default network. */
export interface NetworkDefaults {
  /** No `subnets`: the default VPC's default subnets, one per Availability Zone. */
  subnets: boolean;
  /** No `securityGroupIds`: the default VPC's `default` security group. */
  securityGroupIds: boolean;
}

/** One JobQueue, defaults settled. */
export interface DesiredJobQueue {
  name: string;
  owner: string;
  project: string;
  labels: Record<string, string>;
  region: string;
  /** An existing queue labops only reads. */
  external: boolean;
  priority: number;
  state: 'ENABLED' | 'DISABLED';
  gpu: boolean;
  /** In queue order (empty when external). */
  computeEnvironments: DesiredComputeEnvironment[];
}

/** Whether a queue runs any Spot capacity (its Jobs then retry Spot reclaims by default). */
export function hasSpot(queue: Pick<DesiredJobQueue, 'computeEnvironments'>): boolean {
  return queue.computeEnvironments.some((ce) => ce.capacity === 'spot');
}

/** The queue's worst-case burn per hour: the sum of its environments' ceilings; undefined when one is unpriced. */
export function queueCeilingUSDPerHour(queue: Pick<DesiredJobQueue, 'computeEnvironments'>): number | undefined {
  let sum = 0;
  for (const ce of queue.computeEnvironments) {
    if (ce.ceilingUSDPerHour === undefined) return undefined;
    sum += ce.ceilingUSDPerHour;
  }
  return sum;
}

/** What Batch cannot change in place about a compute environment (and what is still to be filled in). */
export type ReplacementFields = Omit<
  DesiredComputeEnvironment,
  'batchName' | 'maxVcpus' | 'minVcpus' | 'ceilingUSDPerHour' | 'defaultVpcId' | 'source'
>;

/** The hash over what Batch cannot change in place: a new value means a new (blue/green) environment. */
export function replacementHash(ce: ReplacementFields): string {
  const { key: _key, ...immutable } = ce;
  return stableHash(immutable, 8);
}

/** A compute environment's Batch name: `QUEUE-KEY-HASH8` over its {@link ReplacementFields}. */
export function computeEnvironmentName(queue: string, ce: ReplacementFields): string {
  const fields: ReplacementFields = {
    key: ce.key,
    capacity: ce.capacity,
    instanceTypes: ce.instanceTypes,
    allocationStrategy: ce.allocationStrategy,
    bidPercentage: ce.bidPercentage,
    subnets: ce.subnets,
    securityGroupIds: ce.securityGroupIds,
    instanceRole: ce.instanceRole,
    imageType: ce.imageType,
    networkDefaults: ce.networkDefaults,
  };
  return `${queue}-${ce.key}-${replacementHash(fields)}`;
}

/** A Batch compute environment as DescribeComputeEnvironments reports it. */
export interface ObservedComputeEnvironment {
  name: string;
  arn: string;
  region: string;
  state: string;
  /** CREATING | UPDATING | DELETING | VALID | INVALID. */
  status: string;
  statusReason?: string;
  maxVcpus?: number;
  minVcpus?: number;
  tags: Record<string, string>;
}

/** A Batch job queue with what labops compares: priority, order (ARNs, by ascending order) and tags. */
export interface ObservedBatchQueue {
  name: string;
  arn: string;
  region: string;
  state: string;
  status: string;
  statusReason?: string;
  priority: number;
  /** Compute environment ARNs, in ascending `order`. */
  order: string[];
  tags: Record<string, string>;
}

/** CreateComputeEnvironment's request, resolved by the planner. */
export interface ComputeEnvironmentRequest {
  name: string;
  /** SPOT or EC2. */
  type: 'SPOT' | 'EC2';
  maxVcpus: number;
  minVcpus: number;
  instanceTypes: string[];
  allocationStrategy: string;
  bidPercentage?: number;
  subnets: string[];
  securityGroupIds: string[];
  instanceRole: string;
  imageType?: string;
  /** On the compute environment, and on the instances it launches (`labops:project` for Cost Explorer). */
  tags: Record<string, string>;
}

/** Create a compute environment (ENABLED) and wait until it is VALID. */
export interface CreateComputeEnvironmentDetails {
  kind: 'create-compute-environment';
  queue: string;
  request: ComputeEnvironmentRequest;
}

/** Update a compute environment in place: vCPU bounds and/or state. */
export interface UpdateComputeEnvironmentDetails {
  kind: 'update-compute-environment';
  queue: string;
  computeEnvironment: string;
  repo: string;
  maxVcpus?: number;
  minVcpus?: number;
  state?: 'ENABLED' | 'DISABLED';
}

/** Delete a compute environment that is DISABLED and in no queue (waits for a deleted queue to be gone). */
export interface DeleteComputeEnvironmentDetails {
  kind: 'delete-compute-environment';
  queue: string;
  computeEnvironment: string;
  repo: string;
}

/** Create a job queue on its compute environments (waiting for each to be VALID). */
export interface CreateJobQueueDetails {
  kind: 'create-job-queue';
  queue: string;
  priority: number;
  state: 'ENABLED' | 'DISABLED';
  /** Compute environment names, in order. */
  order: string[];
  tags: Record<string, string>;
}

/** Update a job queue in place: priority, state and/or compute environment order. */
export interface UpdateJobQueueDetails {
  kind: 'update-job-queue';
  queue: string;
  repo: string;
  priority?: number;
  state?: 'ENABLED' | 'DISABLED';
  /** Compute environment names, in order. @default undefined (unchanged) */
  order?: string[];
}

/** Delete a DISABLED job queue that has no job waiting or running. */
export interface DeleteJobQueueDetails {
  kind: 'delete-job-queue';
  queue: string;
  repo: string;
}

/** Every JobQueue action's details. */
export type JobQueueDetails =
  | CreateComputeEnvironmentDetails
  | UpdateComputeEnvironmentDetails
  | DeleteComputeEnvironmentDetails
  | CreateJobQueueDetails
  | UpdateJobQueueDetails
  | DeleteJobQueueDetails;

/** The action id of a queue's creation (`resourceAction`'s id): Jobs submitted to a queue being created wait for it. */
export function createQueueActionId(queue: string): string {
  return `JobQueue/${queue}/create-job-queue`;
}

/** Whether Batch's own tags say a queue or compute environment is JobQueue `queue`'s, of repository `repo`. */
export function queueTaggedFor(tags: Record<string, string>, repo: string, queue: string): boolean {
  return tags['labops:repo'] === repo && tags['labops:kind'] === 'JobQueue' && tags['labops:name'] === queue;
}
