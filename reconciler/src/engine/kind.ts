/**
 * What a resource kind gives the engine: its whole lifecycle as hooks, one per phase of the
 * pipeline (engine/pipeline.ts) — its slice of Desired, its bulk observation, its pure planner, the
 * executor step of each action kind, the record change an apply makes, and its status section. The
 * engine iterates the registry (engine/registry.ts) and names no kind; a kind folder exports one
 * Kind from its index.ts. A budget-like kind that plans no actions but decides overrides for the
 * others is a {@link Decider}.
 */
import type { AwsPorts } from '../aws/ports.js';
import type { CostsPort } from '../aws/costs.js';
import type { BudgetOverride } from '../model/budget.js';
import type { Desired, DesiredLab } from '../model/desired.js';
import type { Observed } from '../model/observed.js';
import type { ActionDeclaration, ActionKind, DataUse, DetailsOf, Plan, PlanPart, ResourceKind } from '../model/plan.js';
import type { RecordPatch, RunRecord } from '../model/record.js';
import type { LabValidation } from '../specs/validate.js';
import type { ActionContext } from './apply/context.js';
import type { ApplyResult } from './apply/types.js';

/** What an action's step reports back. */
export interface StepResult {
  instanceId?: string;
  detail?: string;
  snapshotIds?: string[];
  volumeIds?: string[];
  jobId?: string;
}

/** The executor step of one action kind: carries out an action of that kind with its details. */
export type Step<K extends ActionKind> = (ctx: ActionContext, details: DetailsOf<K>) => Promise<StepResult>;

/** The steps of the action kinds A, one per kind. */
export type Steps<A extends ActionKind> = { [K in A]: Step<K> };

/** What the observe phase gives every kind: Desired, the ports, the record as loaded, the clock. */
export interface ObserveInputs {
  desired: Desired;
  ports: AwsPorts;
  record: RunRecord;
  now: Date;
}

/** A kind's observation: its slice of Observed, and what it teaches the record (job statuses), if anything. */
export interface Observation<O> {
  observed: O;
  /** Facts the observation adds to the record; also read by the planners. @default none */
  record?: RecordPatch;
}

/** What the plan phase gives every kind's planner. */
export interface PlanInputs {
  desired: Desired;
  observed: Observed;
  /** The record with what observation taught it. */
  record: RunRecord;
  now: Date;
  /** Budget actions in force (the decide phase's). */
  overrides: readonly BudgetOverride[];
  /** Let a plan destroy every resource. */
  allowDestroyAll: boolean;
  /** Whether another owner's data may be launched from. @default every use allowed */
  dataApproved?: (use: DataUse) => boolean;
  /**
   * Environment versions (`name@version`) whose image is to be built now, outside its schedule
   * (`labops env build`): honoured only for an EnvironmentImage that declares that version. @default none
   */
  imageBuildRequests?: readonly string[];
}

/** What the record phase gives every kind after an apply. */
export interface AppliedInputs {
  desired: Desired;
  observed: Observed;
  plan: Plan;
  applied: ApplyResult;
  now: Date;
}

/** A kind's section of `labops status`: its rows (JSON), and the same as text and markdown. */
export interface StatusSection {
  /** The key of its rows in `labops status --format json`. */
  key: string;
  rows: readonly object[];
  /** Aligned text, starting with an empty line; empty when there are no rows. */
  text: string;
  /** Markdown, starting with an empty line; empty when there are no rows. */
  markdown: string;
}

/** One resource kind, as the engine sees it: D its slice of Desired, O its slice of Observed. */
export interface Kind<A extends ActionKind = ActionKind, D extends object = object, O extends object = object> {
  /** The spec kind its actions are for. */
  name: ResourceKind;
  /** The action kinds it plans, in execution order (after destructive actions first). */
  actions: readonly ActionDeclaration<A>[];
  /** The executor step of each of its action kinds. */
  steps: Steps<A>;
  /** Its slice of Desired from the validated lab, defaults settled (the Lab's settled first). */
  desired(validation: LabValidation, lab: DesiredLab): D;
  /** Its slice of Observed: bulk, tag-filtered reads only, never one per resource. */
  observe(inputs: ObserveInputs): Promise<Observation<O>>;
  /** Its slice of Observed for an account where nothing exists yet (desired-only plans: no AWS call). */
  unobserved(desired: Desired, now: Date): O;
  /** Its actions and refusals: a pure function. */
  plan(inputs: PlanInputs): PlanPart;
  /** The record change an apply makes for this kind. @default none */
  recordApplied?(inputs: AppliedInputs): RecordPatch;
  /** Its section of `labops status`: a pure function. @default none */
  status?(desired: Desired, observed: Observed, record: RunRecord, now: Date): StatusSection;
}

/** What the decide phase gives a decider. */
export interface DecideInputs {
  validation: LabValidation;
  desired: Desired;
  observed: Observed;
  record: RunRecord;
  now: Date;
  costs: CostsPort;
  /** Time to the next scheduled run. @default undefined (the decider's default) */
  intervalMs?: number;
}

/** A decider's verdict: overrides every kind's planner obeys, its own report, and record changes. */
export interface Decision<R> {
  overrides: BudgetOverride[];
  /** What it tells the shells before the plan is known (see {@link Decider.report}). */
  verdict: R;
  /** What deciding taught the record (caches, call counts): saved by plan and apply alike. */
  record: RecordPatch;
}

/**
 * A kind that plans no actions of its own but decides, before planning, overrides the planners
 * obey (a Budget's `hibernate`, `stop`, `block-launches`), and reports on the plan afterwards.
 */
export interface Decider<R = unknown, P = unknown> {
  name: string;
  decide(inputs: DecideInputs): Promise<Decision<R>>;
  /** Its report once the plan is known (e.g. each budget's forecast before and after it). */
  report(verdict: R, plan: Plan, desired: Desired, observed: Observed, now: Date): P;
  /** The record change of an applying run (alerts sent, last statuses). */
  recordApplied(verdict: R, now: Date): RecordPatch;
  /** The verdict with nothing sent: a run whose record is missing sends no alert (engine/identity.ts). */
  withholdAlerts(verdict: R): R;
}
