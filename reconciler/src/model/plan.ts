/**
 * A plan is a value: the actions that would make AWS match the specs, each with the rule that
 * caused it and its effect on monthly cost. Computing it does no I/O; applying it is separate.
 */
import type { ActionDetails } from './launch.js';

/**
 * What an action does: the `kind` of its details. `orphan` and `drift` only report; they change nothing.
 * Each kind's details are declared beside the model of the resource they act on (model/launch.ts,
 * model/schedule.ts, model/job.ts).
 */
export type ActionKind = ActionDetails['kind'];

/** The details of one action kind. */
export type DetailsOf<K extends ActionKind> = Extract<ActionDetails, { kind: K }>;

/**
 * How a kind declares one action kind it plans: `destructive` when it can lose data or running work
 * (shown first and never hidden). A kind lists its declarations in execution order.
 */
export interface ActionDeclaration<K extends ActionKind = ActionKind> {
  kind: K;
  destructive: boolean;
}

/** The spec kinds actions are planned for. */
export type ResourceKind = 'Workstation' | 'SnapshotSchedule' | 'Job' | 'JobQueue' | 'Budget' | 'EnvironmentImage';

/** What every action has, whatever its kind. */
export interface ActionBase {
  /** Stable id within the plan, e.g. `Workstation/alice-neuro/resize`. */
  id: string;
  /** The spec kind and name the action is for. */
  resource: { kind: ResourceKind; name: string };
  region: string;
  /** The instance acted on; absent for `create`. */
  instanceId?: string;
  /**
   * The rule that decided, short and stable: `spec`, `schedule: off hours`, `calendar: winter`,
   * `idle 52m < 5% CPU`, `drift: stopped outside labops`, `budget NAME at 102% of $6,000`, `prune`.
   */
  rule: string;
  /** A sentence for people, e.g. `instanceType m6i.large → m6i.xlarge`. */
  reason: string;
  /** Change to the monthly run-rate in USD if carried out (negative saves money). */
  monthlyDeltaUSD: number;
  /** True for actions that can lose data or running work. */
  destructive: boolean;
  /** Ids of actions that must finish first. */
  after: string[];
  /** One-off cost estimate in USD (a Batch job), beside the monthly run-rate. @default undefined */
  estimatedUSD?: number;
  /**
   * A launch (create, replace) from an image an EnvironmentImage built: the time it saves against
   * the script path and what the image costs. Left out of the plan hash, like every figure.
   * @default undefined (not a built image, or no finished build measured yet)
   */
  imageSavings?: ImageSavings;
}

/** What launching from a built image saves per launch and what the image costs. */
export interface ImageSavings {
  /** The built image launched from. */
  imageId: string;
  /**
   * Seconds from boot to ready on the script path: the median of the environment's newest measured
   * script-path launches (`scriptFrom: 'launches'`), else its image build's measured duration
   * (`'builds'`: the build runs the same script).
   */
  scriptSeconds: number;
  /** Where `scriptSeconds` comes from. */
  scriptFrom: 'launches' | 'builds';
  /** How many measurements `scriptSeconds` is the median of: launches, or builds when `scriptFrom` is `builds`. */
  scriptSamples: number;
  /** Seconds from boot to ready from the environment's built image, the median of its measured launches; null until one was measured. */
  imageSeconds: number | null;
  /** How many measured launches `imageSeconds` is the median of (0 when null). */
  imageSamples: number;
  /** Build instance time of one build: measured duration × the build instance type's hourly price, USD. */
  buildUSD: number;
  /** The version's image's EBS snapshots per month in each Region that holds one (full size, an upper bound), USD by Region. */
  snapshotMonthlyUSDByRegion: Record<string, number>;
}

/**
 * One planned change (or report) for one resource of kind K: `kind` says what it does and
 * `details` carry what the executor needs for that kind (launch parameters, target type, volumes
 * to move), so narrowing on `action.kind` types the details.
 */
export type ActionOf<K extends ActionKind> = K extends ActionKind
  ? ActionBase & { kind: K; details: DetailsOf<K> }
  : never;

/** One planned change (or report) for one resource: a union keyed by `kind`. */
export type Action = ActionOf<ActionKind>;

/**
 * Why a plan (or one resource of it) cannot be applied. A refusal without `resource` stops apply
 * as a whole. A refusal naming a `resource` explains why that resource has no action: the planner
 * already left its actions out, so the rest of the plan is unaffected by it.
 */
export interface PlanRefusal {
  /**
   * `ami-required`: `image.strategy: ami_required` and no prebuilt image in reach (the message gives Image Builder's reason when the newest build FAILED);
   * `image-building`: `image.strategy: ami_required` waits for the image of its environment version being built (`image building, ready in ~N min`),
   *   or `labops env build` asked for a version whose build is under way (that build satisfies the request);
   * `no-base-image`: no public base OS image observed for the environment in the region;
   * `budget-blocked`: a Budget's `block-launches` action stopped a launch, or its `block-launches`, `stop` or `hibernate` a Job submission;
   * `budget-withheld`: a Budget's `stop` or `hibernate` in force keeps off a workstation its spec or schedule would start,
   *   or a `stop`, `hibernate` or `block-launches` pauses a snapshot schedule's new snapshots and copies;
   * `no-restore-snapshot`: `restoreFrom` names a snapshot that does not exist (yet);
   * `job-blocked`: a Job waits on a dependency that failed or was cancelled;
   * `job-queue`: a Job's queue does not exist in its Region, or is DISABLED or INVALID there; a JobQueue's name is taken by a queue this repository did not create;
   * `queue-draining`: a replaced compute environment waits for its queue's jobs before it is deleted;
   * `queue-busy`: a removed job queue waits for its jobs before it is deleted;
   * `no-default-network`: a JobQueue's compute environment leaves its subnets or security groups to the
   *   Region's default VPC, and the Region cannot provide them (no default VPC; subnets of another VPC);
   * `other-owner-snapshots`: the only snapshots `restoreFrom` finds belong to another owner (never restored unless named);
   * `data-not-approved`: the launch would read another owner's image or snapshots without their approval;
   * `foreign-duplicate`: a workstation of this name runs under another lab id (engine/identity.ts);
   * `record-missing`: the run record is missing while the lab has live resources (engine/identity.ts);
   * `aws-budget-foreign`: an AWS budget of the mirror's name exists without this lab's `labops:repo` tag (left alone);
   * `aws-budget-limits`: the mirror would pass AWS's notification or subscriber limits (not mirrored);
   * `image-foreign`: an Image Builder resource of an EnvironmentImage's name exists without this repository's `labops:repo` tag (never used);
   * `image-changed`: an environment version's content changed without a version bump (Image Builder versions are immutable);
   * `image-build-failed`: the newest build of an environment version FAILED (workstations keep the script path);
   * `image-in-use`: an image past `keep` is kept because a workstation runs from it.
   */
  code:
    | 'destroys-everything'
    | 'wrong-account'
    | 'ami-required'
    | 'image-building'
    | 'no-base-image'
    | 'budget-blocked'
    | 'budget-withheld'
    | 'no-restore-snapshot'
    | 'job-blocked'
    | 'job-queue'
    | 'queue-draining'
    | 'queue-busy'
    | 'no-default-network'
    | 'other-owner-snapshots'
    | 'data-not-approved'
    | 'foreign-duplicate'
    | 'record-missing'
    | 'aws-budget-foreign'
    | 'aws-budget-limits'
    | 'image-foreign'
    | 'image-changed'
    | 'image-build-failed'
    | 'image-in-use';
  message: string;
  /** The resource refused, for resource-scoped refusals. @default undefined (the whole plan) */
  resource?: { kind: ResourceKind; name: string };
}

/**
 * How a refusal reads to people: `wait` — nothing is wrong, the change waits for AWS (an image
 * being built, a compute environment or queue draining its jobs); `budget` — a Budget or its AWS
 * mirror holds something back; `refused` — the change is not applied until something is fixed.
 * The one place the text, markdown and PR renderers take it from.
 */
export function refusalTone(code: PlanRefusal['code']): 'wait' | 'budget' | 'refused' {
  if (code === 'image-building' || code === 'queue-draining' || code === 'queue-busy') return 'wait';
  if (code === 'budget-withheld' || code === 'aws-budget-foreign' || code === 'aws-budget-limits') return 'budget';
  return 'refused';
}

/**
 * Another owner's data a workstation would launch from (an image labops made of their
 * workstation, their snapshots named in `restoreFrom`): launched only when its owner approved.
 */
export interface DataUse {
  /** The workstation that would read the data. */
  workstation: string;
  /** Whose data it is (lower-cased GitHub login; `''` when the data carries no `labops:owner`). */
  owner: string;
  /** What is used, for people: `image ami-… made from workstation bob-ws`, `snapshots of bob-ws (owner bob)`. */
  what: string;
}

/** Actions and refusals produced by one planner (or one part of it). */
export interface PlanPart {
  actions: Action[];
  refusals: PlanRefusal[];
}

/** The full plan. */
export interface Plan {
  /** The clock the plan was computed for (ISO-8601). */
  now: string;
  /** Destructive actions first, then by kind, then by name. */
  actions: Action[];
  /** Problems that stop apply (it runs nothing when one without `resource` is present), and resources left out. */
  refusals: PlanRefusal[];
  /** Sum of every action's monthly delta. */
  monthlyDeltaUSD: number;
  /** Set when the plan was cut to one resource (`--target NAME`): the name, and how many actions were left out. @default whole plan */
  partial?: { target: string; omitted: number };
}
