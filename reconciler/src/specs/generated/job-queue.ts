/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * An AWS Batch job queue and the compute environments it owns (Spot, on-demand, GPU), reconciled like every labops resource; or, with `external: true`, an existing queue labops only reads.
 */
export interface JobQueue {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `JobQueue`.
   */
  kind: 'JobQueue';
  metadata: JobQueueMetadata;
  spec: JobQueueSpec;
}
/**
 * Identity (the Batch queue's name), owner and cost-allocation project.
 */
export interface JobQueueMetadata {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * GitHub login of the person this belongs to; they may merge changes to it.
   */
  owner: string;
  /**
   * Cost-allocation key: becomes the `labops:project` tag on every resource, which Cost Explorer groups spend by.
   */
  project: string;
  labels?: Labels;
}
/**
 * Free-form string labels, used by SnapshotSchedule selectors and copied to resource tags as `labops:label:KEY`. Keys: lowercase letters, digits, `-`, `_` and `.`, so never the reserved `aws:` or `labops:` prefixes. Values: what an AWS tag value allows (letters, digits, spaces and `_ . : / = + - @`, at most 256 characters), so no control or bidirectional-override characters.
 */
export interface Labels {
  /**
   * A label value must be a valid AWS tag value: letters, digits, spaces and `_ . : / = + - @` only.
   */
  [k: string]: string | undefined;
}
/**
 * What the queue is: managed (priority and compute environments) or external (an existing queue labops only reads).
 */
export interface JobQueueSpec {
  /**
   * AWS region. @default the Lab's defaultRegion
   */
  region?: string;
  /**
   * An existing queue labops only reads (Jobs may name it; labops never creates, changes or deletes it): the migration path. With `external: true`, `priority` and `computeEnvironments` are not given. @default false
   */
  external?: boolean;
  /**
   * Batch queue priority: among queues sharing a compute environment, the higher value is scheduled first. Required unless `external`.
   */
  priority?: number;
  /**
   * `ENABLED` accepts and runs jobs; `DISABLED` accepts none (jobs already in it finish). @default ENABLED
   */
  state?: 'ENABLED' | 'DISABLED';
  /**
   * A GPU queue: every compute environment must list only GPU instance types (or families), and they launch with Batch's NVIDIA GPU AMI. @default false
   */
  gpu?: boolean;
  /**
   * The compute environments the queue owns, tried in this order (e.g. Spot first, an on-demand fallback second). Required unless `external`.
   *
   * @minItems 1
   * @maxItems 3
   */
  computeEnvironments?: [JobQueueComputeEnvironment, ...JobQueueComputeEnvironment[]];
}
export interface JobQueueComputeEnvironment {
  /**
   * Short name, unique in the queue (e.g. `spot`, `ondemand`); the Batch compute environment is `QUEUE-NAME-HASH8`, the hash over what Batch cannot change in place.
   */
  name: string;
  /**
   * `spot` (Batch type SPOT) or `onDemand` (Batch type EC2).
   */
  capacity: 'spot' | 'onDemand';
  /**
   * Instance types (`c6i.2xlarge`) or families (`c6i`, `g5`), or `optimal`; each must be in the price table and allowed by the Lab's `allowedInstanceTypes` (a family only when every type of it is).
   *
   * @minItems 1
   * @maxItems 20
   */
  instanceTypes: [string, ...string[]];
  /**
   * Most vCPUs the environment runs at once: the queue's hard ceiling, and the plan's worst-case burn.
   */
  maxVcpus: number;
  /**
   * vCPUs kept running even with no jobs (they cost money). @default 0
   */
  minVcpus?: number;
  /**
   * How Batch picks instances. @default SPOT_PRICE_CAPACITY_OPTIMIZED for spot, BEST_FIT_PROGRESSIVE for onDemand
   */
  allocationStrategy?:
    'BEST_FIT_PROGRESSIVE' | 'SPOT_CAPACITY_OPTIMIZED' | 'SPOT_PRICE_CAPACITY_OPTIMIZED';
  /**
   * Spot only: the most a Spot instance may cost, as a percentage of its on-demand price. @default 100 (Batch's default: up to the on-demand price)
   */
  bidPercentage?: number;
  /**
   * Subnets instances launch in (Batch requires at least one). @default the Region's default subnets: one per Availability Zone of its default VPC, read at each run (a Region without a default VPC refuses the queue until subnets are given)
   *
   * @minItems 1
   * @maxItems 16
   */
  subnets?: [string, ...string[]];
  /**
   * Security groups of the instances (Batch requires at least one). @default the `default` security group of the Region's default VPC; give them when `subnets` are not the default VPC's default subnets
   *
   * @minItems 1
   * @maxItems 5
   */
  securityGroupIds?: [string, ...string[]];
  /**
   * The ECS instance profile the instances run with (name or ARN). @default ecsInstanceRole
   */
  instanceRole?: string;
}
