/**
 * The pipeline every shell calls (CLI, Action, container), as named phases:
 *
 *   load (the record; the gate) → validate → desired → observe → decide → plan → apply → record
 *
 * Each phase is a function that returns values. What a phase teaches the run record comes back as
 * a patch (model/record.ts); the patches are applied once, at the end, before the one save, and no
 * phase changes the record it was given. Kinds come from the registry: nothing here names one.
 * Dependencies come in; nothing here knows whether AWS is real or `labops sim`.
 */
import type { AwsPorts } from '../aws/ports.js';
import type { CostsPort } from '../aws/costs.js';
import type { EnvironmentCandidate } from '../environments/model.js';
import type { Desired } from '../model/desired.js';
import type { Observed, ObservedBase } from '../model/observed.js';
import type { DataUse, Plan } from '../model/plan.js';
import { applyPatches, emptyRecord } from '../model/record.js';
import type { RecordPatch, RecordStore, RunRecord } from '../model/record.js';
import { activeHolds, applyHoldChanges } from '../record/holds.js';
import type { ActiveHold } from '../record/holds.js';
import { acquireLease } from '../record/lease.js';
import type { LeaseRequest } from '../record/lease.js';
import type { LabTree } from '../specs/lab-tree.js';
import type { LabValidation, ValidateOptions } from '../specs/validate.js';
import { validateLab } from '../specs/validate.js';
import type { GateResult } from '../trust/gate.js';
import { orderActions, roundUSD } from './actions.js';
import { compareText } from '../model/problem.js';
import { applyPlan } from './apply/index.js';
import type { ApplyResult, ProgressEvent } from './apply/types.js';
import { assemble, buildDesired, unobserved } from './desired.js';
import type { KindsObserved } from './desired.js';
import type { Decision, PlanInputs } from './kind.js';
import { DECIDER, KINDS, PLAN_ORDER } from './registry.js';
import { foreignGroups, hasLiveResources, recordIsEmpty, refuseDuplicates, withholdRecordActions } from './identity.js';
import type { ForeignGroup, LabIdentity } from './identity.js';

/** What to do: stop after the plan, or carry it out. */
export type RunMode = 'plan' | 'apply';

/** Inputs of one run. */
export interface RunOptions {
  /** Lab repository folder. */
  dir: string;
  /**
   * Repository identity, the `labops:repo` tag value, when labops.yaml declares none (`declared`
   * is its `spec.id` when it does: the resolver may refuse a flag that disagrees; the declared id wins).
   */
  repo(labName: string, declared?: string): Promise<string>;
  mode: RunMode;
  /** Clock for schedules, calendar and idle rules. */
  now: Date;
  /** Let a plan destroy every workstation. @default false */
  allowDestroyAll?: boolean;
  /** Environment versions (`name@version`) whose image to build now (`labops env build`). @default none */
  imageBuildRequests?: readonly string[];
  /** Create workstations even where one of the same name runs under another lab id. @default false */
  allowDuplicates?: boolean;
  /** Submit Jobs and send alerts although the record is missing while the lab has live resources. @default false */
  acceptEmptyRecord?: boolean;
  /**
   * Time to the next scheduled run (`labops reconcile --interval`): a budget whose spend will
   * cross an action's percent before then acts now. @default 1 hour (kinds/budget/status.ts)
   */
  intervalMs?: number;
  /**
   * The approval gate of a run that changes AWS from a git repository (the Action's apply and
   * reconcile, the container): given the run record (read under the lease), it checks every change
   * since the last applied commit and returns the tree to read the lab from — the head with
   * unapproved files at their last approved version. The run records the holds and the commit.
   * @default none: the lab folder is read as it is (a person's own `labops apply DIR`)
   */
  gate?: (record: RunRecord) => Promise<GateRun>;
  /**
   * Whether a workstation may launch from another owner's data (an image made of their
   * workstation, their snapshots); a gate supplies its own from the approvals it checked.
   * @default every use allowed (a person's own `labops apply DIR`)
   */
  dataApproved?: (use: DataUse) => boolean;
  /** What the approved base declares, for validation (see ValidateOptions.base); a gate supplies its own. @default none */
  base?: ValidateOptions['base'];
  /**
   * Plan only the actions of the resource with this name (any kind), with the actions they wait
   * for (`after`), like Terraform's `-target`: the plan is partial and says so (`plan.partial`).
   * @default every resource
   */
  target?: string;
  /**
   * Called with the plan before it is carried out; a rejection stops the run before any change
   * (a saved plan found stale, cli/saved-plan.ts). Shells print the plan here. @default none
   */
  beforeApply?: (planned: PlannedRun) => void | Promise<void>;
}

/** What a gate hands the run. */
export interface GateRun extends GateResult {
  /** The commit applied. */
  head: string;
}

/** Dependencies of one run: the environment catalog and the AWS ports (built for a Region). */
export interface RunDeps {
  catalog: readonly EnvironmentCandidate[];
  /** Builds the AWS ports once the lab's default Region is known. */
  ports: (region: string) => AwsPorts;
  sleep: (ms: number) => Promise<void>;
  /** The clock `sleep` runs on, in ms (see ApplyDeps.clock). @default performance.now */
  clock?: () => number;
  random?: () => number;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops apply between actions (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** IAM instance profile for new workstations (SSM Session Manager). */
  instanceProfile?: string;
  /** Cost Explorer, for budgets (at most one GetCostAndUsage per run, cached). @default none: budgets are not assessed */
  costs?: () => CostsPort;
  /** The run record (Cost Explorer cache and call count, alerts sent). @default none: nothing is remembered */
  record?: RecordStore;
  /**
   * Take the record's lease (record/lease.ts) for an apply, so two runs never change AWS for the
   * lab at once; the lease is held from before the record is read until after it is saved.
   * @default none: no lease (plan never takes one)
   */
  lease?: LeaseRequest;
}

/** The decider's report once the plan is known: for budgets, status, alerts and the plan's effect on each. */
export type DecisionReport = ReturnType<(typeof DECIDER)['report']>;

/** What every result carries about the gate, when the run was gated. */
interface GateOutcome {
  /** Files read at their last approved version instead of the tree's (changes merged without approval). */
  held?: ActiveHold[];
  /** The gate's decision, when the run was gated. */
  gated?: GateRun;
}

/**
 * Nothing could be planned: the Lab is missing or invalid (the validation says why). The members
 * of the other outcomes are declared absent, so reading one without narrowing on `outcome` types it
 * `undefined` instead of failing to compile; shells narrow on `outcome`.
 */
export interface InvalidRun extends GateOutcome {
  outcome: 'invalid';
  validation: LabValidation;
  /** The repository identity, when the Lab named itself. */
  repo?: string;
}

/** A plan, not carried out. */
export interface PlannedRun extends GateOutcome {
  outcome: 'planned';
  validation: LabValidation;
  repo: string;
  desired: Desired;
  observed: Observed;
  plan: Plan;
  /** Budget status, alerts and the plan's effect on each project and budget (when `deps.costs` is given). */
  budgets?: DecisionReport;
  /** The lab's id and where it came from. */
  identity: LabIdentity;
  /** Workstations of another lab id named like this lab's specs (engine/identity.ts). */
  foreign: ForeignGroup[];
  /**
   * The run record: `present`; `missing` (a store is configured, the record is empty and the lab
   * has live resources: Job and SnapshotSchedule actions and alerts were withheld); `accepted`
   * (missing, but `--accept-empty-record` was passed); `none` (no store: `--record off`).
   */
  record: 'present' | 'missing' | 'accepted' | 'none';
}

/** A plan, carried out. */
export interface AppliedRun extends Omit<PlannedRun, 'outcome'> {
  outcome: 'applied';
  applied: ApplyResult;
}

/** Everything a run learned and did; shells render it. */
export type RunResult = InvalidRun | PlannedRun | AppliedRun;

/** The run when it got as far as a plan (planned or applied); undefined for an invalid Lab. */
export function plannedRun(result: RunResult): PlannedRun | AppliedRun | undefined {
  return result.outcome === 'invalid' ? undefined : result;
}

/** What the apply phase did, when the run applied. */
export function appliedOf(result: RunResult): ApplyResult | undefined {
  return result.outcome === 'applied' ? result.applied : undefined;
}

/** What the observe phase returns: Observed, what observing taught the record, and same-named workstations of other lab ids. */
export interface ObservePhase {
  observed: Observed;
  record: RecordPatch[];
  foreign: ForeignGroup[];
}

/** Where a run observes and applies: AWS through the ports, or (desired-only) an account where nothing exists. */
export interface Account {
  observe(desired: Desired, record: RunRecord, now: Date): Promise<ObservePhase>;
  apply(plan: Plan, desired: Desired): Promise<ApplyResult>;
}

/** Runs the pipeline. Throws only `AwsError` from observation (shells report it in one line). */
export async function run(options: RunOptions, deps: RunDeps): Promise<RunResult> {
  const register = options.mode === 'apply' && deps.lease ? deps.record?.lease?.() : undefined;
  if (!register || !deps.lease) return runPhases(options, deps, awsAccount(deps));
  const held = await acquireLease(register, deps.lease);
  try {
    const signal = deps.signal ? AbortSignal.any([deps.signal, held.lost]) : held.lost;
    const leased = { ...deps, signal };
    return await runPhases(options, leased, awsAccount(leased));
  } finally {
    await held.release();
  }
}

/**
 * The phases, in order. `account` observes and applies; `deps.record` loads and saves. A run
 * that stops early (no Lab, an invalid one) still saves what the gate decided, when it applies.
 */
export async function runPhases(
  options: RunOptions,
  deps: Pick<RunDeps, 'catalog' | 'costs' | 'record'>,
  account: Account,
): Promise<RunResult> {
  // load
  const loaded = deps.record ? await deps.record.load() : emptyRecord();
  const gate = await gatePhase(options, loaded);
  const save = async (patches: readonly RecordPatch[]): Promise<void> =>
    deps.record?.save({ ...applyPatches(loaded, patches), updatedAt: options.now.toISOString() });
  // validate
  const validation = validateLab(gate.tree, { catalog: deps.catalog, ...(gate.base ? { base: gate.base } : {}) });
  const stop = async (result: InvalidRun): Promise<InvalidRun> => {
    // The gate's decisions are kept even when nothing else can be done.
    if (gate.gated && options.mode === 'apply') await save(gate.record);
    return result;
  };
  const labName = validation.specs.lab?.spec.metadata.name;
  if (labName === undefined) return stop({ outcome: 'invalid', validation, ...gate.outcome });
  const declared = validation.specs.lab?.spec.spec.id;
  const derived = await options.repo(labName, declared);
  const identity: LabIdentity = declared ? { repo: declared, source: 'spec' } : { repo: derived, source: 'derived' };
  const repo = identity.repo;
  // desired
  const desired = buildDesired(validation, repo);
  if (!desired) return stop({ outcome: 'invalid', validation, repo, ...gate.outcome });
  // observe
  const observation = await account.observe(desired, loaded, options.now);
  const { observed, foreign } = observation;
  const facts = applyPatches(loaded, observation.record);
  const recordState: PlannedRun['record'] = !deps.record
    ? 'none'
    : !recordIsEmpty(loaded) || !hasLiveResources(observed)
      ? 'present'
      : options.acceptEmptyRecord
        ? 'accepted'
        : 'missing';
  // decide
  const decided = deps.costs
    ? await DECIDER.decide({
        validation,
        desired,
        observed,
        record: facts,
        now: options.now,
        costs: deps.costs(),
        ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
      })
    : undefined;
  const decision =
    decided && recordState === 'missing' ? { ...decided, verdict: DECIDER.withholdAlerts(decided.verdict) } : decided;
  // plan
  const dataApproved = gate.gated ? gatedDataApproval(gate.gated) : options.dataApproved;
  const whole = planPhase({
    desired,
    observed,
    record: facts,
    now: options.now,
    overrides: decision?.overrides ?? [],
    allowDestroyAll: options.allowDestroyAll ?? false,
    ...(dataApproved ? { dataApproved } : {}),
    ...(options.imageBuildRequests === undefined ? {} : { imageBuildRequests: options.imageBuildRequests }),
  });
  const unduplicated = refuseDuplicates(whole, foreign, options.allowDuplicates ?? false);
  const held = recordState === 'missing' ? withholdRecordActions(unduplicated) : unduplicated;
  const plan = options.target === undefined ? held : targeted(held, options.target);
  const budgets = decision && DECIDER.report(decision.verdict, plan, desired, observed, options.now);
  const planned: PlannedRun = {
    outcome: 'planned',
    validation,
    repo,
    desired,
    observed,
    plan,
    ...(budgets ? { budgets } : {}),
    identity,
    foreign,
    record: recordState,
    ...gate.outcome,
  };
  // STATUS.md shows times in the Lab's zone (record/status-md.ts), so the record says which it is.
  const zone: RecordPatch = (record) => ({ ...record, timezone: desired.lab.calendar.timezone });
  const learned = [...observation.record, ...(decision ? [decision.record] : []), zone];
  if (options.mode === 'plan') {
    await save(learned);
    return planned;
  }
  // apply
  await options.beforeApply?.(planned);
  const applied = await account.apply(plan, desired);
  // record
  // A run held back by a missing record leaves it missing, so the next run is held back too.
  const stamp: RecordPatch[] =
    recordState === 'missing' ? [] : [(record) => ({ ...record, lastApplyAt: options.now.toISOString() })];
  await save([...gate.record, ...learned, ...recordPhase(planned, applied, decision, options.now), ...stamp]);
  return { ...planned, outcome: 'applied', applied };
}

/** What the gate decided: the tree to read, the approved base, the holds in force, and its record changes. */
interface GatePhase {
  tree: string | LabTree;
  base: ValidateOptions['base'] | undefined;
  gated: GateRun | undefined;
  outcome: GateOutcome;
  /** Holds and the applied commit: recorded only by a run that applies. */
  record: RecordPatch[];
}

/** The load phase's second half: a gated run asks the gate, given the record, what to read. */
async function gatePhase(options: RunOptions, loaded: RunRecord): Promise<GatePhase> {
  if (!options.gate) return { tree: options.dir, base: options.base, gated: undefined, outcome: {}, record: [] };
  const gated = await options.gate(loaded);
  const holds: RecordPatch = (record) => {
    const next = structuredClone(record);
    applyHoldChanges(next, gated.holdChanges, options.now);
    return next;
  };
  // A plan shows the holds it would keep; only a run that applies records them and the commit.
  const held = activeHolds(holds(loaded));
  const commit: RecordPatch = (record) => ({
    ...record,
    applied: { commit: gated.head, at: options.now.toISOString() },
  });
  return {
    tree: gated.tree,
    base: { names: new Set(gated.claims.keys()), claims: gated.claims },
    gated,
    outcome: { ...(held.length ? { held } : {}), gated },
    record: options.mode === 'apply' ? [holds, commit] : [],
  };
}

/** Every kind's planner, merged: actions in plan order, refusals by code, resource and message. */
export function planPhase(inputs: PlanInputs): Plan {
  const parts = KINDS.map((k) => k.plan(inputs));
  const actions = orderActions(
    parts.flatMap((p) => p.actions),
    PLAN_ORDER,
  );
  const refusals = parts
    .flatMap((p) => p.refusals)
    .sort(
      (a, b) =>
        compareText(a.code, b.code) ||
        compareText(a.resource?.name ?? '', b.resource?.name ?? '') ||
        compareText(a.message, b.message),
    );
  return {
    now: inputs.now.toISOString(),
    actions,
    refusals,
    monthlyDeltaUSD: roundUSD(actions.reduce((sum, a) => sum + a.monthlyDeltaUSD, 0)),
  };
}

/**
 * The actions of resource `name` and, transitively, those they wait for (`after`); refusals of the
 * whole plan or of that resource. `name` is a resource name of any kind, or `Kind/name` for one
 * kind only (names never hold a `/`). `partial` counts the actions left out.
 */
export function targeted(plan: Plan, name: string): Plan {
  const named = (r: { kind: string; name: string }): boolean => r.name === name || `${r.kind}/${r.name}` === name;
  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const keep = new Set<string>();
  const visit = (id: string): void => {
    const action = byId.get(id);
    if (!action || keep.has(id)) return;
    keep.add(id);
    action.after.forEach(visit);
  };
  plan.actions.filter((a) => named(a.resource)).forEach((a) => visit(a.id));
  const actions = plan.actions.filter((a) => keep.has(a.id));
  return {
    ...plan,
    actions,
    refusals: plan.refusals.filter((r) => r.resource === undefined || named(r.resource)),
    monthlyDeltaUSD: roundUSD(actions.reduce((sum, a) => sum + a.monthlyDeltaUSD, 0)),
    partial: { target: name, omitted: plan.actions.length - actions.length },
  };
}

/** What an applying run records: each kind's patch, then the decider's (alerts sent, last statuses). */
function recordPhase(
  planned: PlannedRun,
  applied: ApplyResult,
  decision: Decision<Parameters<(typeof DECIDER)['recordApplied']>[0]> | undefined,
  now: Date,
): RecordPatch[] {
  const inputs = { desired: planned.desired, observed: planned.observed, plan: planned.plan, applied, now };
  return [
    ...KINDS.flatMap((k) => (k.recordApplied ? [k.recordApplied(inputs)] : [])),
    ...(decision ? [DECIDER.recordApplied(decision.verdict, now)] : []),
  ];
}

/** AWS through the ports: built once, for the lab's default Region, on first use. */
function awsAccount(deps: RunDeps): Account {
  let built: AwsPorts | undefined;
  const ports = (desired: Desired): AwsPorts => (built ??= deps.ports(desired.lab.defaultRegion));
  return {
    observe: (desired, record, now) => observeAws(ports(desired), desired, record, now),
    apply: (plan, desired) => {
      const { ec2, batch, budgets, identity, imageBuilder } = ports(desired);
      return applyPlan(plan, {
        ec2,
        batch,
        budgets,
        ...(imageBuilder === undefined ? {} : { imageBuilder }),
        identity,
        expectedAccountId: desired.lab.accountId,
        sleep: deps.sleep,
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.random ? { random: deps.random } : {}),
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(deps.instanceProfile ? { instanceProfile: deps.instanceProfile } : {}),
      });
    },
  };
}

/** The caller's account, then each kind's bulk reads in registry order. */
async function observeAws(ports: AwsPorts, desired: Desired, record: RunRecord, now: Date): Promise<ObservePhase> {
  const base: ObservedBase = { accountId: await ports.identity.accountId(), observedAt: now.toISOString() };
  const slices: Partial<KindsObserved>[] = [];
  const patches: RecordPatch[] = [];
  for (const kind of KINDS) {
    const seen = await kind.observe({ desired, ports, record, now });
    slices.push(seen.observed);
    if (seen.record) patches.push(seen.record);
  }
  const observed: Observed = assemble<KindsObserved>(base, slices);
  return { observed, record: patches, foreign: await observeForeign(ports, desired) };
}

/** Live workstations of any other lab id named like this lab's, in each Region its workstations use. */
async function observeForeign(ports: AwsPorts, desired: Desired): Promise<ForeignGroup[]> {
  const byRegion = new Map<string, string[]>();
  for (const ws of desired.workstations) byRegion.set(ws.region, [...(byRegion.get(ws.region) ?? []), ws.name]);
  const found = [];
  for (const [region, names] of byRegion) found.push(...(await ports.ec2.listLabopsNamed(region, names)));
  return foreignGroups(found, desired.lab.repo);
}

/** An account where nothing exists yet: no AWS call, nothing learned, nothing to apply to. */
export const EMPTY_ACCOUNT: Account = {
  observe: (desired, _record, now) => Promise.resolve({ observed: unobserved(desired, now), record: [], foreign: [] }),
  apply: () => Promise.reject(new Error('a desired-only run has no AWS account to apply to')),
};

/**
 * A gated run's rule for another owner's data: the use is approved when the data's owner or a Lab
 * admin vouched for a change to the workstation the gate accepted. Anything the gate did not see
 * approved (older history, a direct push) is refused, and the plan says whose approval it needs.
 */
function gatedDataApproval(gated: GateRun): (use: DataUse) => boolean {
  return (use) => {
    const who = gated.approvedBy.get(`Workstation/${use.workstation}`) ?? [];
    return who.some((person) => person === use.owner.toLowerCase() || gated.admins.includes(person));
  };
}
