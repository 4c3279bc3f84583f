/**
 * The pipeline every shell calls (CLI, Action, container): validate → desired → observe →
 * plan → (apply). Dependencies come in; nothing here knows whether AWS is real or `labops sim`.
 */
import type { AwsPorts, ImageQuery, UtilisationQuery } from '../aws/ports.js';
import type { CostsPort } from '../aws/costs.js';
import { applyPlan } from './apply/index.js';
import type { ApplyResult, ProgressEvent } from './apply/types.js';
import type { EnvironmentCandidate } from '../environments/model.js';
import { baseImageQuery } from '../model/base-images.js';
import type { Desired } from '../model/desired.js';
import type { Observed } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import { emptyRecord } from '../model/record.js';
import type { RecordStore, RunRecord } from '../model/record.js';
import { planWorkstations } from '../kinds/workstation/plan/index.js';
import { recordApplied, recordJobStatuses, recordSchedulesSeen } from '../record/schedules-jobs.js';
import {
  instancesAfter,
  lastSnapshots,
  recordBudgets,
  recordNextSlots,
  recordResources,
} from '../kinds/workstation/record.js';
import { activeHolds, applyHoldChanges } from '../record/holds.js';
import { acquireLease } from '../record/lease.js';
import type { LeaseRequest } from '../record/lease.js';
import type { ActiveHold } from '../record/holds.js';
import type { LabTree } from '../specs/lab-tree.js';
import type { DataUse } from '../kinds/workstation/plan/data-owners.js';
import type { GateResult } from '../trust/gate.js';
import { budgetReport, recordAlerts, runBudgets } from '../kinds/budget/decide.js';
import {
  observeSchedulesAndJobs,
  openJobIds,
  withScheduleAndJobActions,
  withSchedulesAndJobs,
} from './schedules-jobs.js';
import type { BudgetReport } from '../kinds/budget/decide.js';
import { buildDesired } from '../kinds/workstation/desired.js';
import { buildDesiredBudgets } from '../kinds/budget/desired.js';
import type { LabValidation, ValidateOptions } from '../specs/validate.js';
import { validateLab } from '../specs/validate.js';

/** What to do: stop after the plan, or carry it out. */
export type RunMode = 'plan' | 'apply';

/** Inputs of one run. */
export interface RunOptions {
  /** Lab repository folder. */
  dir: string;
  /** Repository identity, the `labops:repo` tag value; resolved from the lab name when it returns undefined. */
  repo(labName: string): Promise<string>;
  mode: RunMode;
  /** Clock for schedules, calendar and idle rules. */
  now: Date;
  /** Let a plan destroy every workstation. @default false */
  allowDestroyAll?: boolean;
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
  ports(region: string): AwsPorts;
  sleep(ms: number): Promise<void>;
  /** The clock `sleep` runs on, in ms (see ApplyDeps.clock). @default performance.now */
  clock?(): number;
  random?(): number;
  onProgress?(event: ProgressEvent): void;
  /** Stops apply between actions (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** IAM instance profile for new workstations (SSM Session Manager). */
  instanceProfile?: string;
  /** Cost Explorer, for budgets (at most one GetCostAndUsage per run, cached). @default none: budgets are not assessed */
  costs?(): CostsPort;
  /** The run record (Cost Explorer cache and call count, alerts sent). @default none: nothing is remembered */
  record?: RecordStore;
  /**
   * Take the record's lease (record/lease.ts) for an apply, so two runs never change AWS for the
   * lab at once; the lease is held from before the record is read until after it is saved.
   * @default none: no lease (plan never takes one)
   */
  lease?: LeaseRequest;
}

/** Everything a run learned and did; shells render it. */
export interface RunResult {
  validation: LabValidation;
  repo?: string;
  desired?: Desired;
  observed?: Observed;
  plan?: Plan;
  applied?: ApplyResult;
  /** Budget status, alerts and the plan's effect on each project and budget (when `deps.costs` is given). */
  budgets?: BudgetReport;
  /** Files read at their last approved version instead of the tree's (changes merged without approval). */
  held?: ActiveHold[];
  /** The gate's decision, when the run was gated. */
  gated?: GateRun;
}

/** Runs the pipeline. Throws only `AwsError` from observation (shells report it in one line). */
export async function run(options: RunOptions, deps: RunDeps): Promise<RunResult> {
  const register = options.mode === 'apply' && deps.lease ? deps.record?.lease?.() : undefined;
  if (!register) return runUnleased(options, deps);
  const held = await acquireLease(register, deps.lease!);
  try {
    const signal = deps.signal ? AbortSignal.any([deps.signal, held.lost]) : held.lost;
    return await runUnleased(options, { ...deps, signal });
  } finally {
    await held.release();
  }
}

async function runUnleased(options: RunOptions, deps: RunDeps): Promise<RunResult> {
  const record = deps.record ? await deps.record.load() : emptyRecord();
  const gated = options.gate ? await options.gate(record) : undefined;
  // A plan shows the holds it would keep; only a run that applies records them and the commit.
  const holdsSeen = gated && options.mode === 'plan' ? structuredClone(record) : record;
  if (gated) applyHoldChanges(holdsSeen, gated.holdChanges, options.now);
  if (gated && options.mode === 'apply') record.applied = { commit: gated.head, at: options.now.toISOString() };
  const held = gated ? activeHolds(holdsSeen) : [];
  const tree: string | LabTree = gated ? gated.tree : options.dir;
  const base = gated ? { names: new Set(gated.claims.keys()), claims: gated.claims } : options.base;
  const validation = validateLab(tree, { catalog: deps.catalog, ...(base ? { base } : {}) });
  const extra = { ...(held.length ? { held } : {}), ...(gated ? { gated } : {}) };
  const early = async (result: RunResult): Promise<RunResult> => {
    // The gate's decisions are kept even when nothing else can be done.
    if (gated && options.mode === 'apply') await deps.record?.save({ ...record, updatedAt: options.now.toISOString() });
    return result;
  };
  const labName = validation.specs.lab?.spec.metadata.name;
  if (labName === undefined) return early({ validation, ...extra });
  const repo = await options.repo(labName);
  const built = buildDesired(validation, repo);
  if (!built) return early({ validation, repo, ...extra });
  const desired = withSchedulesAndJobs(built, validation);
  const ports = deps.ports(desired.lab.defaultRegion);
  const asked = openJobIds(record);
  const observed = {
    ...(await observe(desired, ports, options.now)),
    ...(await observeSchedulesAndJobs(desired, ports, record)),
  };
  recordJobStatuses(record, observed.jobs ?? [], options.now, asked);
  const budgetRun = deps.costs
    ? await runBudgets({
        budgets: buildDesiredBudgets(validation),
        desired,
        observed,
        now: options.now,
        record,
        costs: deps.costs(),
      })
    : undefined;
  const dataApproved = gated ? gatedDataApproval(gated) : options.dataApproved;
  const workstationPlan = planWorkstations(desired, observed, options.now, {
    allowDestroyAll: options.allowDestroyAll ?? false,
    overrides: budgetRun?.overrides ?? [],
    ...(dataApproved ? { dataApproved } : {}),
  });
  const plan = withScheduleAndJobActions(
    workstationPlan,
    desired,
    observed,
    record,
    options.now,
    budgetRun?.overrides ?? [],
  );
  const budgets = budgetRun && budgetReport(budgetRun, plan, desired, observed, options.now);
  if (options.mode === 'plan') {
    await deps.record?.save({ ...record, updatedAt: options.now.toISOString() });
    return { validation, repo, desired, observed, plan, ...(budgets ? { budgets } : {}), ...extra };
  }
  const applied = await applyPlan(plan, {
    ec2: ports.ec2,
    batch: ports.batch,
    identity: ports.identity,
    expectedAccountId: desired.lab.accountId,
    sleep: deps.sleep,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.instanceProfile ? { instanceProfile: deps.instanceProfile } : {}),
  });
  if (budgetRun) recordAlerts(record, budgetRun);
  recordApplied(record, plan, applied, options.now);
  recordSchedulesSeen(
    record,
    (desired.schedules ?? []).map((s) => s.name),
    options.now,
  );
  recordNextSlots(record, desired.schedules ?? [], options.now);
  recordResources(
    record,
    instancesAfter(observed, plan, applied, options.now),
    options.now,
    lastSnapshots(observed, plan, applied, options.now),
  );
  if (budgetRun) recordBudgets(record, budgetRun.statuses, options.now);
  await deps.record?.save({ ...record, updatedAt: options.now.toISOString() });
  return { validation, repo, desired, observed, plan, applied, ...(budgets ? { budgets } : {}), ...extra };
}

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

/** One bulk pass: EC2 listings per Region, the caller's account, CPU of idle-policy instances. */
async function observe(desired: Desired, ports: AwsPorts, now: Date): Promise<Observed> {
  const ec2 = await ports.ec2.observe(desired.lab.regions, desired.lab.repo, { images: imageQueries(desired) });
  const accountId = await ports.identity.accountId();
  const idle = new Map(desired.workstations.filter((w) => w.idle).map((w) => [w.name, w]));
  const queries: UtilisationQuery[] = [];
  for (const instance of ec2.instances) {
    const ws = idle.get(instance.tags['labops:name'] ?? '');
    if (!ws?.idle || instance.state !== 'running') continue;
    // Datapoints from before the last start say nothing about now: an instance up for less than
    // the idle window cannot have been idle that long (its owner may have just started it again).
    if (now.getTime() - Date.parse(instance.launchTime) < ws.idle.afterSeconds * 1000) continue;
    queries.push({
      instanceId: instance.instanceId,
      region: instance.region,
      cpuBelowPercent: ws.idle.cpuBelowPercent,
      windowSeconds: ws.idle.afterSeconds,
    });
  }
  const utilisation = queries.length ? await ports.metrics.utilisation(queries, now) : {};
  return { accountId, observedAt: now.toISOString(), ...ec2, utilisation };
}

/** Own images in every Region, plus the base OS image of each workstation's environment in its Region. */
function imageQueries(desired: Desired): ImageQuery[] {
  const queries = new Map<string, ImageQuery>();
  for (const region of desired.lab.regions) queries.set(`${region} self`, { region, query: 'self' });
  for (const ws of desired.workstations) {
    const query = baseImageQuery(ws.environment.os, ws.environment.architecture);
    queries.set(`${ws.region} ${query.owner} ${query.namePattern}`, { region: ws.region, query });
    for (const region of Object.keys(ws.environment.images)) queries.set(`${region} self`, { region, query: 'self' });
  }
  return [...queries.values()];
}
