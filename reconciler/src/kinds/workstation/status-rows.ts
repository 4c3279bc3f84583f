/**
 * What each workstation is doing now, as rows: a pure function of (desired, observed, now), so
 * it does not care where `observed` came from (a bulk AWS pass today, the run record later).
 *
 * "Matches" compares the stable state exactly: hibernated and stopped are different states (a
 * hibernate that failed became a plain stop, and AWS's state reason says which it was); a
 * workstation whose hibernation failed is wanted stopped, as the planner wants it. An instance in
 * transition or a workstation without an instance does not match.
 */
import type { Desired, DesiredWorkstation } from '../../model/desired.js';
import type { PowerState } from '../../model/launch.js';
import type { Observed, ObservedInstance, Readiness } from '../../model/observed.js';
import { TAG } from '../../model/tags.js';
import { roundUSD } from '../../engine/actions.js';
import { compareText } from '../../model/problem.js';
import { computeMonthlyUSD, desiredMonthlyUSD, storageMonthlyUSD } from '../../cost/monthly.js';
import {
  liveInstancesByName,
  observedPowerState,
  powerClass,
  workstationState,
} from '../../model/workstation-inventory.js';
import type { BudgetOverride } from '../../model/budget.js';
import { avoidFailedHibernation, desiredPowerState, hibernationFailure } from './plan/power-state.js';
import type { PowerDecision } from './plan/power-state.js';
import { HOURS_PER_MONTH } from '../../cost/prices/index.js';

/** One workstation now. Fields without a value are `null`, so the JSON shape never changes. */
export interface WorkstationStatus {
  name: string;
  owner: string;
  project: string;
  region: string;
  /** `invalid` when the spec failed validation: its instance is left as is and has no desired state. */
  spec: 'valid' | 'invalid';
  instanceId: string | null;
  /** `running`, `stopped`, `hibernated`, a transition (`pending`, `stopping`, …), or `absent`. */
  state: string;
  /** The power state the rules want now. */
  desiredState: PowerState | null;
  /** The rule that decided it: `spec`, `schedule: off hours (…)`, `calendar: winter`, `idle 35m < 5% CPU`, … */
  rule: string | null;
  matches: boolean;
  instanceType: string | null;
  /** `spec.instanceType`, when it differs from the instance's (a resize is due). */
  desiredInstanceType: string | null;
  privateIp: string | null;
  publicIp: string | null;
  /** ISO-8601 time of the last launch or start. */
  launchedAt: string | null;
  /** Whether a running instance is ready for work (status checks, provisioning marker); null when not read. */
  readiness: Readiness | null;
  /** Estimated monthly run-rate per spec: expected compute hours plus storage (plan/costs.ts). */
  monthlyUSD: number;
}

/** An instance of this repository whose workstation is no longer declared, or an older duplicate. */
export interface OrphanStatus {
  name: string;
  instanceId: string;
  region: string;
  state: string;
  instanceType: string;
  launchedAt: string;
  /** `spec unreadable` when some file did not parse: the instance may be declared there (never pruned then). */
  reason: 'spec removed' | 'spec unreadable' | 'duplicate';
  /** What it costs if left as is: compute all month while running, plus its volumes. */
  monthlyUSD: number;
}

/**
 * A volume labops made for a workstation, attached to no instance: data kept after a destroy or
 * a region change, a retained root. labops never deletes data volumes, so it costs until a person does.
 */
export interface KeptVolumeStatus {
  /** The workstation it belonged to. */
  name: string;
  /** The spec's volume name, `root`, or null when untagged. */
  volume: string | null;
  volumeId: string;
  region: string;
  sizeGiB: number;
  type: string;
  state: string;
  monthlyUSD: number;
}

/** Everything `labops status` shows. */
export interface StatusReport {
  repo: string;
  now: string;
  observedAt: string;
  accountId: string;
  expectedAccountId: string;
  workstations: WorkstationStatus[];
  orphans: OrphanStatus[];
  keptVolumes: KeptVolumeStatus[];
  /** Sum of the workstations', orphans' and kept volumes' run-rates. */
  totalMonthlyUSD: number;
}

/** Options of {@link buildStatus}. */
export interface StatusOptions {
  /** Budget actions in force, as the budget planner decided them. @default [] */
  overrides?: readonly BudgetOverride[];
}

/** The status of every declared (or invalid) workstation and every orphan, sorted by name. */
export function buildStatus(
  desired: Desired,
  observed: Observed,
  now: Date,
  options: StatusOptions = {},
): StatusReport {
  const live = liveInstancesByName(observed.instances, desired.lab.repo);
  const workstations: WorkstationStatus[] = [];
  const orphans: OrphanStatus[] = [];
  const declared = new Set<string>();
  for (const ws of desired.workstations) {
    declared.add(ws.name);
    const [newest, ...older] = live.get(ws.name) ?? [];
    workstations.push(statusOf(ws, newest, desired, observed, now, options.overrides ?? []));
    orphans.push(...older.map((i) => orphanOf(ws.name, i, 'duplicate')));
  }
  for (const name of desired.unknownWorkstations) {
    declared.add(name);
    const [newest, ...older] = live.get(name) ?? [];
    workstations.push(invalidStatus(name, newest, desired.lab.defaultRegion));
    orphans.push(...older.map((i) => orphanOf(name, i, 'duplicate')));
  }
  const undeclared = desired.unknownFiles.length > 0 ? 'spec unreadable' : 'spec removed';
  for (const [name, instances] of live)
    if (!declared.has(name)) orphans.push(...instances.map((i) => orphanOf(name, i, undeclared)));
  workstations.sort((a, b) => compareText(a.name, b.name));
  orphans.sort((a, b) => compareText(a.name, b.name) || compareText(a.instanceId, b.instanceId));
  const keptVolumes = keptVolumesOf(desired, observed);
  const total = [...workstations, ...orphans, ...keptVolumes].reduce((sum, row) => sum + row.monthlyUSD, 0);
  return {
    repo: desired.lab.repo,
    now: now.toISOString(),
    observedAt: observed.observedAt,
    accountId: observed.accountId,
    expectedAccountId: desired.lab.accountId,
    workstations,
    orphans,
    keptVolumes,
    totalMonthlyUSD: roundUSD(total),
  };
}

/** The state as labops names it (model/workstation-inventory.ts owns the vocabulary). */
export const stateLabel = workstationState;

function statusOf(
  ws: DesiredWorkstation,
  instance: ObservedInstance | undefined,
  desired: Desired,
  observed: Observed,
  now: Date,
  overrides: readonly BudgetOverride[],
): WorkstationStatus {
  const utilisation = instance === undefined ? undefined : observed.utilisation[instance.instanceId];
  const decision = heldOff(
    instance,
    avoidFailedHibernation(
      desiredPowerState(ws, {
        lab: desired.lab,
        now,
        overrides,
        hibernationConfigured: instance?.hibernationConfigured ?? ws.hibernation,
        ...(utilisation !== undefined && instance?.state === 'running' ? { utilisation } : {}),
      }),
      instance === undefined ? undefined : hibernationFailure(instance),
    ),
  );
  const state = stateLabel(instance);
  return {
    name: ws.name,
    owner: ws.owner,
    project: ws.project,
    region: instance?.region ?? ws.region,
    spec: 'valid',
    instanceId: instance?.instanceId ?? null,
    state,
    desiredState: decision.state,
    rule: decision.rule,
    matches: instance !== undefined && powerClass(state) !== undefined && state === decision.state,
    instanceType: instance?.instanceType ?? null,
    desiredInstanceType: instance !== undefined && instance.instanceType !== ws.instanceType ? ws.instanceType : null,
    privateIp: instance?.privateIp ?? null,
    publicIp: instance?.publicIp ?? null,
    launchedAt: instance?.launchTime ?? null,
    readiness: null,
    monthlyUSD: roundUSD(desiredMonthlyUSD(ws)),
  };
}

/** An instance labops holds off after an idle stop stays off until its owner starts it (plan/power.ts). */
function heldOff(instance: ObservedInstance | undefined, decision: PowerDecision): PowerDecision {
  if (instance?.tags[TAG.idleHold] === undefined || decision.state !== 'running') return decision;
  const observed = observedPowerState(instance);
  if (observed === undefined || observed === 'running') return decision;
  return { state: observed, rule: 'idle hold: off after an idle stop until its owner starts it', cause: 'idle' };
}

function invalidStatus(name: string, instance: ObservedInstance | undefined, defaultRegion: string): WorkstationStatus {
  return {
    name,
    owner: instance?.tags[TAG.owner] ?? '',
    project: instance?.tags[TAG.project] ?? '',
    region: instance?.region ?? defaultRegion,
    spec: 'invalid',
    instanceId: instance?.instanceId ?? null,
    state: stateLabel(instance),
    desiredState: null,
    rule: 'spec invalid: instance left as is',
    matches: false,
    instanceType: instance?.instanceType ?? null,
    desiredInstanceType: null,
    privateIp: instance?.privateIp ?? null,
    publicIp: instance?.publicIp ?? null,
    launchedAt: instance?.launchTime ?? null,
    readiness: null,
    monthlyUSD: instance === undefined ? 0 : leftAsIsUSD(instance),
  };
}

function orphanOf(name: string, instance: ObservedInstance, reason: OrphanStatus['reason']): OrphanStatus {
  return {
    name,
    instanceId: instance.instanceId,
    region: instance.region,
    state: stateLabel(instance),
    instanceType: instance.instanceType,
    launchedAt: instance.launchTime,
    reason,
    monthlyUSD: leftAsIsUSD(instance),
  };
}

/** Run-rate of an instance nobody plans: running all month while on, its volumes always. */
function leftAsIsUSD(instance: ObservedInstance): number {
  const hours = powerClass(stateLabel(instance)) === 'off' ? 0 : HOURS_PER_MONTH;
  return roundUSD(
    computeMonthlyUSD(instance.instanceType, instance.region, hours) +
      storageMonthlyUSD(instance.region, instance.attachments),
  );
}

function keptVolumesOf(desired: Desired, observed: Observed): KeptVolumeStatus[] {
  return observed.volumes
    .filter((v) => v.tags[TAG.repo] === desired.lab.repo && v.attachedTo === undefined)
    .map((v) => ({
      name: v.tags[TAG.name] ?? '',
      volume: v.tags[TAG.volume] ?? null,
      volumeId: v.volumeId,
      region: v.region,
      sizeGiB: v.sizeGiB,
      type: v.type,
      state: v.state,
      monthlyUSD: roundUSD(storageMonthlyUSD(v.region, [v])),
    }))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.volumeId, b.volumeId));
}
