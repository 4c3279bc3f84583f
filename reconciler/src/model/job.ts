/**
 * Job vocabulary: a Batch job as the planner sees it (defaults settled, spec hash computed), what
 * Batch reports about submitted jobs, and the details of the submit and cancel actions. A Job is
 * submitted once per (spec hash, rerun): its Batch job name is derived from both, so a submission
 * a crash kept out of the run record is found again by name before anything is submitted twice.
 */

/** An inline container definition labops registers (or reuses, when an identical revision exists). */
export interface InlineDefinition {
  image: string;
  vcpus: number;
  memoryMiB: number;
  gpus: number;
  command: string[];
  environment: Record<string, string>;
}

/**
 * A dependency on another labops Job. Sent to Batch as `{ jobId }` (wait for the whole job) or
 * `{ jobId, type: 'N_TO_N' }`; never SEQUENTIAL, which Batch takes only without a job id, for an
 * array job's own children.
 */
export interface DesiredJobDependency {
  job: string;
  /** `N_TO_N`: child i waits for child i (both arrays of one size). @default undefined (the whole job) */
  type?: 'N_TO_N';
}

/** One Batch retry condition (`retryStrategy.evaluateOnExit[]`): the first that matches decides. */
export interface RetryCondition {
  onStatusReason?: string;
  onReason?: string;
  onExitCode?: string;
  action: 'RETRY' | 'EXIT';
}

/**
 * The retry conditions of a Job on a queue with Spot capacity: retry when the host was reclaimed
 * (Batch's status reason `Host EC2 (instance i-…) terminated.`), exit on anything else, so an
 * application failure is not run again at Spot's expense.
 */
export const SPOT_RECLAIM_RETRY: readonly RetryCondition[] = [
  { onStatusReason: 'Host EC2*', action: 'RETRY' },
  { onReason: '*', action: 'EXIT' },
];

/** Attempts a Job on a Spot queue gets when its spec sets no `retry`. */
export const SPOT_DEFAULT_ATTEMPTS = 3;

/** One Job, defaults settled. */
export interface DesiredJob {
  name: string;
  owner: string;
  project: string;
  labels: Record<string, string>;
  region: string;
  queue: string;
  /** `name:revision` of a registered definition, or an inline one. */
  definition: { registered: string } | { inline: InlineDefinition };
  parameters: Record<string, string>;
  /** Array size (2..10000). @default undefined (a single job) */
  array?: number;
  dependsOn: DesiredJobDependency[];
  retryAttempts?: number;
  /** `retry.evaluateOnExit` as written. @default undefined (Batch's default, or the Spot default on a Spot queue) */
  evaluateOnExit?: RetryCondition[];
  timeoutSeconds?: number;
  rerun: number;
  /** Hash of the spec without `rerun`. */
  specHash: string;
  /** Deterministic Batch job name: `labops-NAME-HASH8-rRERUN`. */
  jobName: string;
  /** Where `spec.queue` is written, `file:line:column`, for messages about the queue. @default undefined (unknown) */
  queueAt?: string;
}

/** What Batch says about one submitted job. */
export interface ObservedJob {
  jobId: string;
  jobName: string;
  region: string;
  /** SUBMITTED | PENDING | RUNNABLE | STARTING | RUNNING | SUCCEEDED | FAILED. */
  status: string;
  statusReason?: string;
  /** Array child counts by status (array parents only). */
  children?: Record<string, number>;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt?: number;
  startedAt?: number;
  stoppedAt?: number;
  /** The job queue ARN it was submitted to. */
  queue?: string;
  /** What it asked for (container `resourceRequirements`), for a single job. */
  needs?: { vcpus: number; memoryMiB: number; gpus: number };
  /** Milliseconds its attempts ran (each attempt's `stoppedAt` − `startedAt`), summed. */
  runMs?: number;
  /** Each attempt that started (epoch ms), the one running now without `stoppedAt`. @default undefined (none started) */
  attempts?: { startedAt: number; stoppedAt?: number }[];
  /**
   * Its share of an hour of the instance labops prices it on (kinds/job/run-cost.ts), set by the
   * Job kind's observe when its queue's instance types could be read. @default undefined (unpriced)
   */
  shareHourlyUSD?: number;
  /**
   * The project of the lab's own JobQueue it ran in: Batch bills its instance there (the compute
   * environment tags it). Set by the Job kind's observe. @default undefined (not a queue of the lab)
   */
  queueProject?: string;
}

/** A Batch job queue as DescribeJobQueues reports it: where a Job can be submitted. */
export interface ObservedJobQueue {
  name: string;
  arn: string;
  region: string;
  /** `ENABLED` (accepts new jobs) or `DISABLED` (accepts none; jobs already in it finish). */
  state: string;
  /** CREATING | UPDATING | DELETING | DELETED | VALID | INVALID. */
  status: string;
  statusReason?: string;
}

/**
 * True when Batch's own tags on a job say it is Job `name`'s submission for repository `repo`. The
 * run record's job ids are untrusted: labops attributes a job's status to a Job, and cancels or
 * terminates it, only when this holds.
 */
export function jobTaggedFor(job: Pick<ObservedJob, 'tags'>, repo: string, name: string): boolean {
  return job.tags['labops:repo'] === repo && job.tags['labops:name'] === name;
}

/** Batch job states after which nothing more happens. */
export const FINAL_JOB_STATES: readonly string[] = ['SUCCEEDED', 'FAILED'];

/** Status labops records for a job Batch forgot before labops saw it end (no reconcile for over a week). */
export const FORGOTTEN_JOB_STATE = 'FORGOTTEN';

/** States in which CancelJob still stops a job; later ones need TerminateJob. */
export const CANCELLABLE_JOB_STATES: readonly string[] = ['SUBMITTED', 'PENDING', 'RUNNABLE'];

/** A dependency as SubmitJob needs it: the Batch job id when known, else the name to find it by. */
export interface SubmitDependency {
  job: string;
  jobName: string;
  queue: string;
  /** Known when the dependency was submitted by an earlier run. */
  jobId?: string;
  /** @default undefined (a plain dependency on the whole job) */
  type?: 'N_TO_N';
}

/** The job definition to submit against: registered (by reference) or to register/reuse. */
export type DefinitionRequest =
  { registered: string } | { register: { name: string; container: InlineDefinition; tags: Record<string, string> } };

/** Everything SubmitJob needs, resolved by the planner. */
export interface SubmitJobDetails {
  kind: 'submit-job';
  job: string;
  specHash: string;
  rerun: number;
  queue: string;
  jobName: string;
  definition: DefinitionRequest;
  parameters: Record<string, string>;
  arraySize?: number;
  dependsOn: SubmitDependency[];
  retryAttempts?: number;
  /** Retry conditions: the spec's, or {@link SPOT_RECLAIM_RETRY} on a Spot queue. @default undefined (none) */
  evaluateOnExit?: RetryCondition[];
  timeoutSeconds?: number;
  /** Tags for cost allocation, propagated to the ECS tasks. */
  tags: Record<string, string>;
  /** Estimated cost of the whole job (every child, every attempt's full timeout or the default). */
  estimate?: { usd: number; basis: string };
}

/** Stop a submitted job whose spec was removed (prune): CancelJob before RUNNING, TerminateJob after. */
export interface CancelJobDetails {
  kind: 'cancel-job';
  job: string;
  jobId: string;
  /** The repository (`labops:repo`) whose tag the job must carry, read again before the call. */
  repo: string;
  /** Status seen when planning; the executor reads it again and picks the call. */
  status: string;
  reason: string;
}
