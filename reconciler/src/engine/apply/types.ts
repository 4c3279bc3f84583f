/**
 * What applying a plan takes and gives: the dependencies passed in (ports, expected account,
 * injected sleep and randomness) and one result per action, as values.
 */
import type { BatchPort, BudgetsPort, Ec2Port, IdentityPort, ImageBuilderPort } from '../../aws/ports.js';
import type { ActionKind, ResourceKind } from '../../model/plan.js';

/** Structured logs: a static message with data (house style). */
export interface ApplyLogger {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
}

/**
 * A progress event: an action `started`, is `waiting` (for AWS, a token, a state change), and
 * ended `done`, `failed` or `skipped` (a dependency failed, or stopped before it began). The CLI
 * prints one line as each action starts and ends, and shows `waiting` on a terminal's status line.
 */
export interface ProgressEvent {
  actionId: string;
  phase: 'started' | 'waiting' | 'done' | 'failed' | 'skipped';
  message: string;
}

/** Dependencies of `applyPlan`. */
export interface ApplyDeps {
  ec2: Ec2Port;
  /** Batch, needed only by Job actions. @default undefined */
  batch?: BatchPort;
  /** AWS Budgets, needed only by the AWS budget mirror's actions. @default undefined */
  budgets?: BudgetsPort;
  /** EC2 Image Builder, needed only by EnvironmentImage actions. @default undefined */
  imageBuilder?: ImageBuilderPort;
  identity: IdentityPort;
  /** The lab's account: apply refuses to run anywhere else. */
  expectedAccountId: string;
  /** Waits between polls; tests advance a simulated clock here. */
  sleep(ms: number): Promise<void>;
  /**
   * The clock `sleep` runs on, in ms: the session paces calls and spaces batched reads on it (and
   * on its own sleeps, so a sleep that only moves a simulated clock still counts). @default performance.now
   */
  clock?(): number;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** Actions in flight at once. @default 1000 (EC2 calls are paced per Region, waits batched) */
  concurrency?: number;
  /** IAM instance profile name given to new instances (for SSM Session Manager). @default none */
  instanceProfile?: string;
  /** Give new instances a public IPv4 address. @default false (access through SSM) */
  publicIp?: boolean;
  /** Longest wait for one state change, in ms of injected sleep. @default 900000 (15 minutes) */
  maxWaitMs?: number;
  log?: ApplyLogger;
  onProgress?(event: ProgressEvent): void;
  /**
   * Stops apply between actions (SIGTERM in the scheduled container): an action in flight
   * finishes, none starts after the signal; those are `skipped` with code `stopped` (the message
   * names the abort reason when it is a string, e.g. `stopped by SIGTERM`).
   */
  signal?: AbortSignal;
}

/** Why an action failed: the AWS code (or an apply code), a sentence, and whether a retry may help. */
export interface ActionError {
  code: string;
  message: string;
  retryable: boolean;
}

/** The outcome of one action. */
export interface ActionResult {
  actionId: string;
  kind: ActionKind;
  name: string;
  /** The spec kind, when not a Workstation (SnapshotSchedule, Job). @default undefined (Workstation) */
  resourceKind?: ResourceKind;
  status: 'done' | 'failed' | 'skipped';
  error?: ActionError;
  /** The instance acted on, or the one launched (create, replace). */
  instanceId?: string;
  /** What happened, for people: e.g. `kept data volumes vol-…`, `stopped instead of hibernating`. */
  detail?: string;
  /** Snapshots taken before destroying or replacing. */
  snapshotIds?: string[];
  /** Data volumes left in place (destroy) or moved (replace). */
  volumeIds?: string[];
  /** The Batch job submitted (or found submitted) or stopped. */
  jobId?: string;
}

/** The outcome of a whole apply. */
export interface ApplyResult {
  results: ActionResult[];
  /** True when every action is done. */
  ok: boolean;
  /** Why nothing ran (refusals, wrong account), when apply refused as a whole. */
  error?: ActionError;
}
