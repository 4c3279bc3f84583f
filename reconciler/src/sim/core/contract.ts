/**
 * The contract between the parts of `labops sim`: the server core (HTTP, protocols, clock,
 * faults, persistence) and the per-service operation handlers (EC2, Batch, Image Builder, Cost
 * Explorer, CloudWatch, STS). Handlers are plain functions over the simulated account state; they never
 * see HTTP. The core decodes each protocol into a plain input object, calls the handler,
 * and encodes its result or its {@link SimError} the way the real service would.
 */

/** An error exactly as AWS would send it: the service's error code and HTTP status. */
export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    /** AWS error code, e.g. `InvalidInstanceID.NotFound`, `ClientException`. */
    readonly code: string,
    message: string,
    /** HTTP status AWS uses for this error. @default 400 */
    readonly status: number = 400,
  ) {
    super(message);
  }
}

/**
 * One stretch of billable use that Cost Explorer turns into cost: while a segment is open
 * (`end` absent) it accrues `hourlyUSD` per simulated hour. Whoever starts or stops a billable
 * thing (an instance starts running, a volume is created, a Batch job runs) opens or closes
 * its segment; Cost Explorer only reads them.
 */
export interface UsageSegment {
  /** Resource the use belongs to: instance, volume, snapshot or Batch job id. */
  resourceId: string;
  /** Cost Explorer SERVICE dimension value, e.g. `Amazon Elastic Compute Cloud - Compute`, `EC2 - Other`, `AWS Batch`. */
  service: string;
  /** What is billed, e.g. `BoxUsage:m6i.large`, `EBS:VolumeUsage.gp3`, `EBS:SnapshotUsage`. */
  usageType: string;
  region: string;
  /** Resource tags at the time the segment opened (cost allocation tags are read from here). */
  tags: Record<string, string>;
  /** ISO-8601 start, inclusive. */
  start: string;
  /** ISO-8601 end, exclusive; absent while the use goes on. */
  end?: string;
  /** List price per hour of this use in USD (storage: GiB × GiB-month price / 730). */
  hourlyUSD: number;
}

/** Settings of one simulator instance. */
export interface SimConfig {
  /** Account id STS GetCallerIdentity answers with. @default "123456789012" */
  accountId: string;
  /** Seed for every random choice (ids, fault draws, durations). @default 1 */
  seed: number;
  /** How far Cost Explorer data lags the clock, in hours. @default 8 */
  costLagHours: number;
}

/** Everything a handler may use. The core builds a fresh context for every request. */
export interface SimContext {
  /** The simulated account; handlers mutate it in place, the core persists it. */
  state: SimState;
  /** Simulated time of this request. */
  now: Date;
  /** Deterministic random source in [0, 1) derived from the seed. */
  random(): number;
  config: SimConfig;
  /** Region the request was signed for (from the SigV4 credential scope). */
  region: string;
  /**
   * Set when an eventual-consistency fault applies to this call: reads should not yet show
   * resources created less than this many simulated seconds ago (by id: the NotFound error).
   */
  consistencyDelaySeconds?: number;
  /** Set when a `hibernationFails` fault applies: a hibernate asked for becomes a normal shutdown. */
  hibernationFails?: boolean;
  /** Identifies the fault plan in force (a new one each `POST /_sim/faults`); absent when it has no Spot reclaim rule. */
  faultPlanId?: string;
  /**
   * Draws whether a `spotReclaim` fault takes the Spot instance of an attempt on the named compute
   * environment: the simulated seconds after the attempt started it is reclaimed, or undefined.
   */
  spotReclaim?(computeEnvironment: string): number | undefined;
  /**
   * Draws whether an `imageTestFails` or `imageBuildFails` fault takes a new Image Builder build of
   * the named recipe: the phase it fails in (and the step to name), or undefined.
   */
  imageBuildFault?(recipeName: string): { phase: 'BUILDING' | 'TESTING'; step?: string } | undefined;
}

/** A control endpoint a service adds under `POST /_sim/<name>`; returns the JSON answer. */
export type ControlHandler = (body: unknown, ctx: SimContext) => unknown;

/**
 * The whole simulated account, serialisable as JSON (persisted to `--state FILE`, shown by
 * `GET /_sim/state`). Each service module owns its slice and declares its type in its own file;
 * slices are `unknown` here so the modules stay independent.
 */
export interface SimState {
  version: 1;
  /** Simulated now, ISO-8601. */
  clock: string;
  /** Counter for deterministic id generation, shared by all services. */
  nextId: number;
  ec2: unknown;
  batch: unknown;
  cloudwatch: unknown;
  /** Image Builder's slice (absent in a state saved before the sim had it). */
  imagebuilder?: unknown;
  /** Billable use, appended by EC2, Batch and Image Builder, read by Cost Explorer. */
  usage: UsageSegment[];
}

/** A handler for one `Service.Operation`. Returns the output shape of the real API. */
export type OperationHandler = (input: Record<string, unknown>, ctx: SimContext) => unknown;

/**
 * A simulated service: its operation handlers, how to make its empty state slice, and how its
 * resources move with time (called by the core before every request and on clock changes, with
 * the old and new simulated time, so instances leave `pending`, jobs finish, and so on).
 */
export interface SimService {
  /** `EC2`, `Batch`, `CostExplorer`, `CloudWatch`, `Budgets`, `STS` or `ImageBuilder`: the prefix of `Service.Operation`. */
  name: 'EC2' | 'Batch' | 'CostExplorer' | 'CloudWatch' | 'Budgets' | 'STS' | 'ImageBuilder';
  operations: Record<string, OperationHandler>;
  initialState?(): unknown;
  advance?(state: SimState, from: Date, to: Date, ctx: SimContext): void;
  /** Extra control endpoints, keyed by name: `load` answers `POST /_sim/load`. */
  control?: Record<string, ControlHandler>;
}

/**
 * A decoded input member as text: a string as sent, a number, boolean or bigint as `String` writes it,
 * nothing (`undefined`, `null`) as `''`, and a list or object as its JSON (so a malformed member is named
 * in the error that refuses it, not as `[object Object]`).
 */
export function wireText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value === 'object' ? JSON.stringify(value) : '';
}
