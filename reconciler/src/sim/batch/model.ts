/**
 * The Batch slice of the simulated account: compute environments, job queues, job definitions and
 * jobs, and the small helpers every Batch operation shares (ids, ARNs, lookups).
 */
import type { SimContext, SimState } from '../core/contract.js';
import { SimError } from '../core/contract.js';

/** Every status a Batch job can be in, in lifecycle order. */
export type BatchJobStatus = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** Every job status, in lifecycle order (the keys of an array parent's `statusSummary`). */
export const JOB_STATUSES: readonly BatchJobStatus[] = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

/** A key-value pair as Batch writes it (`environment`, `resourceRequirements`). */
export interface BatchKeyValue {
  name: string;
  value: string;
}

/** One `resourceRequirements` entry: `VCPU`, `MEMORY` (MiB) or `GPU`. */
export interface BatchResourceRequirement {
  type: string;
  value: string;
}

/** The container a job runs, after the definition and the submit-time overrides are merged. */
export interface BatchContainer {
  image: string;
  command: string[];
  environment: BatchKeyValue[];
  resourceRequirements: BatchResourceRequirement[];
}

/** One `evaluateOnExit` rule of a retry strategy. */
export interface BatchExitRule {
  /** `RETRY` or `EXIT`, compared case-insensitively. */
  action: string;
  onStatusReason?: string;
  onReason?: string;
  onExitCode?: string;
}

/** One run of a job's container. */
export interface BatchAttempt {
  startedAt: number;
  stoppedAt?: number;
  exitCode?: number;
  /** Why the container stopped (container `reason`), e.g. a timeout. */
  reason?: string;
  statusReason?: string;
  logStreamName: string;
  /** Index into `state.usage` of the segment this attempt opened. */
  segment?: number;
}

/** What a job was asked to do: set at submit, shared by all children of an array job. */
export interface BatchJobSpec {
  jobName: string;
  region: string;
  jobQueue: string;
  jobDefinition: string;
  container: BatchContainer;
  tags: Record<string, string>;
  parameters: Record<string, string>;
  dependsOn: { jobId: string; type?: string }[];
  propagateTags: boolean;
  /** Attempts allowed. @default 1 */
  maxAttempts: number;
  evaluateOnExit: BatchExitRule[];
  /** `timeout.attemptDurationSeconds`, from the submit call or the definition. */
  timeoutSeconds?: number;
  /** Simulated running time of each attempt; absent means derived from the seed and job id. */
  durationSeconds?: number;
  /** Exit code of attempt n is `exitCodes[min(n, length) - 1]`. @default [0] */
  exitCodes: number[];
  /** Array indexes whose children exit 1 (`LABOPS_SIM_FAILING_INDEXES`). */
  failingIndexes: number[];
  arraySize?: number;
  /** Cheapest instance that fits the job, and its price; absent when nothing fits. */
  instanceType?: string;
  hourlyUSD?: number;
}

/**
 * Where a STARTING or RUNNING attempt runs: a compute environment of its queue, the instance the
 * sim launched for it (the cheapest type the environment allows that holds the job), the vCPUs it
 * takes from the environment's `maxvCpus`, and its share of the instance's price.
 */
export interface BatchPlacement {
  /** Compute environment ARN. */
  computeEnvironment: string;
  instanceType: string;
  /** `i-` and 17 hex digits, drawn from the seed. */
  instanceId: string;
  vcpus: number;
  /** The job's vCPUs over the instance's, times the instance's hourly price. */
  hourlyUSD: number;
  /** Epoch ms a Spot reclaim fault takes the instance away; absent when none does. */
  reclaimAt?: number;
  /** The fault plan the reclaim draw was made under (drawn once per plan). */
  reclaimDraw?: string;
}

/** A job as it moves through its lifecycle. Array children carry no spec of their own. */
export interface BatchJob {
  jobId: string;
  region: string;
  spec?: BatchJobSpec;
  arrayParentId?: string;
  arrayIndex?: number;
  status: BatchJobStatus;
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  /** Epoch ms of the next scheduled transition; absent while waiting on other jobs. */
  nextAt?: number;
  /** Ids of jobs that must succeed before this one may run. */
  waitsFor: string[];
  attempts: BatchAttempt[];
  /** Where the current attempt runs, while it is STARTING or RUNNING. */
  placement?: BatchPlacement;
}

/** A job definition revision. */
export interface BatchJobDefinition {
  jobDefinitionName: string;
  jobDefinitionArn: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  type: string;
  region: string;
  parameters: Record<string, string>;
  containerProperties: Record<string, unknown>;
  retryStrategy?: Record<string, unknown>;
  timeout?: { attemptDurationSeconds: number };
  tags: Record<string, string>;
  propagateTags: boolean;
  platformCapabilities: string[];
}

/**
 * How a compute environment or job queue stands over time. Its `status` is derived from these
 * instants and the clock (see batch-compute.ts): CREATING until `readyAt`, UPDATING until
 * `updatingUntil`, INVALID while `invalidReason` is set, DELETING from `deletingAt` until it is
 * gone at `goneAt`, VALID otherwise. Resources saved before these existed are VALID.
 */
export interface BatchLifecycle {
  /** Epoch ms the resource became VALID. @default 0 (always VALID) */
  readyAt?: number;
  /** Epoch ms an update in progress ends. */
  updatingUntil?: number;
  /** Epoch ms a delete was asked for. */
  deletingAt?: number;
  /** Epoch ms the resource no longer exists (DeleteComputeEnvironment / DeleteJobQueue). */
  goneAt?: number;
  /** Why it is INVALID (`statusReason`); absent when it is not. */
  invalidReason?: string;
}

/** A job queue and the compute environments it feeds. */
export interface BatchJobQueue extends BatchLifecycle {
  jobQueueName: string;
  jobQueueArn: string;
  region: string;
  state: 'ENABLED' | 'DISABLED';
  priority: number;
  /** Compute environment ARNs, ascending `order` (tried first to last). */
  computeEnvironmentOrder: { order: number; computeEnvironment: string }[];
  tags: Record<string, string>;
}

/** A compute environment: the capacity job queues place their jobs on. */
export interface BatchComputeEnvironment extends BatchLifecycle {
  computeEnvironmentName: string;
  computeEnvironmentArn: string;
  region: string;
  /** `MANAGED` or `UNMANAGED`. */
  type: 'MANAGED' | 'UNMANAGED';
  state: 'ENABLED' | 'DISABLED';
  /** `computeResources` as given (MANAGED only), kept whole for Describe; `type` is EC2, SPOT, FARGATE or FARGATE_SPOT. */
  computeResources?: Record<string, unknown>;
  serviceRole?: string;
  /** Epoch ms of the last change of `state` to ENABLED (or of creation). */
  enabledAt: number;
  tags: Record<string, string>;
}

/** The Batch slice of {@link SimState}. */
export interface BatchState {
  jobs: Record<string, BatchJob>;
  definitions: BatchJobDefinition[];
  /** Nothing exists until CreateComputeEnvironment makes it, as in a new account. */
  computeEnvironments: BatchComputeEnvironment[];
  /** Nothing exists until CreateJobQueue makes it, as in a new account. */
  queues: BatchJobQueue[];
}

/** A fresh, empty Batch slice: no compute environment, no job queue. */
export function initialBatchState(): BatchState {
  return { jobs: {}, definitions: [], computeEnvironments: [], queues: [] };
}

/**
 * The compute environments the queues of a state saved before the sim kept compute environments
 * name (its queues, the three it once made in every Region among them, keep running jobs).
 */
function referencedEnvironments(queues: readonly BatchJobQueue[]): BatchComputeEnvironment[] {
  const arns = [...new Set(queues.flatMap((q) => q.computeEnvironmentOrder.map((o) => o.computeEnvironment)))];
  return arns.flatMap((arn) => {
    const [, region, name] = /^arn:aws:batch:([a-z0-9-]+):\d{12}:compute-environment\/(.+)$/.exec(arn) ?? [];
    if (region === undefined || name === undefined) return [];
    return [
      {
        computeEnvironmentName: name,
        computeEnvironmentArn: arn,
        region,
        type: 'MANAGED' as const,
        state: 'ENABLED' as const,
        enabledAt: 0,
        tags: {},
      },
    ];
  });
}

/** The Batch slice of the state, created if the core has not made it yet (one saved before compute environments existed gets those its queues name). */
export function batchStateOf(state: SimState): BatchState {
  if (!state.batch || typeof state.batch !== 'object') state.batch = initialBatchState();
  const batch = state.batch as BatchState & { seededRegions?: unknown };
  // A state file saved before compute environments existed has none: give it those its queues name.
  const saved = batch as Partial<BatchState>;
  if (!Array.isArray(saved.computeEnvironments)) batch.computeEnvironments = referencedEnvironments(saved.queues ?? []);
  delete batch.seededRegions;
  return batch;
}

/** A ClientException, the error Batch answers for every bad request. */
export function clientError(message: string): SimError {
  return new SimError('ClientException', message, 400);
}

/** `arn:aws:batch:REGION:ACCOUNT:KIND/NAME`. */
export function batchArn(ctx: SimContext, kind: string, name: string): string {
  return `arn:aws:batch:${ctx.region}:${ctx.config.accountId}:${kind}/${name}`;
}

/** A deterministic UUID-shaped job id drawn from the shared id counter and the seed. */
export function newJobId(ctx: SimContext): string {
  const n = ctx.state.nextId++;
  const hex = [1, 2, 3, 4].map((k) => hashHex(`${ctx.config.seed}:batch:${n}:${k}`)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A number in [0, 1) that depends only on the text (FNV-1a). */
export function hashUnit(text: string): number {
  return parseInt(hashHex(text), 16) / 0x1_0000_0000;
}

/** Eight hex digits that depend only on the text (FNV-1a). */
export function hashHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The spec of a job: its own, or its array parent's. */
export function specOf(batch: BatchState, job: BatchJob): BatchJobSpec {
  const spec = job.spec ?? (job.arrayParentId ? batch.jobs[job.arrayParentId]?.spec : undefined);
  if (!spec) throw new SimError('ServerException', `job ${job.jobId} has no spec`, 500);
  return spec;
}

/** True once a job can change no more. */
export function isFinal(status: BatchJobStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}
