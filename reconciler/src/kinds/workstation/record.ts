/**
 * Per-resource status in the run record, so `labops status --from-record` (and STATUS.md) can
 * tell what each workstation is doing without AWS credentials: the observed instances as they
 * stand after apply, worked out from the observation before it and what apply did, with the
 * facts AWS does not keep cheaply: each one's last schedule snapshot and an estimate of its cost to date.
 */
import type { ApplyResult } from '../../engine/apply/types.js';
import type { LaunchRequest } from '../../model/launch.js';
import type { InstanceState, Observed, ObservedInstance } from '../../model/observed.js';
import type { Plan } from '../../model/plan.js';
import type { RecordPatch, RunRecord } from '../../model/record.js';
import { SCHEDULE_TAG } from '../../model/schedule.js';
import { TAG } from '../../model/tags.js';
import { HIBERNATE_REASON, HIBERNATION_FAILED } from './apply/power.js';
import { SHUTDOWN_REASON } from './plan/power-state.js';
import { computeMonthlyUSD, storageMonthlyUSD } from '../../cost/monthly.js';
import { HOURS_PER_MONTH } from '../../cost/prices/index.js';

const AFTER: Partial<Record<string, InstanceState>> = { start: 'running', stop: 'stopped', hibernate: 'stopped' };

function launched(instanceId: string, launch: LaunchRequest, state: InstanceState, at: string): ObservedInstance {
  return {
    instanceId,
    region: launch.region,
    state,
    instanceType: launch.instanceType,
    launchTime: at,
    imageId: launch.imageId,
    tags: launch.tags,
    hibernationConfigured: launch.hibernation,
    attachments: [],
  };
}

/**
 * The state reason a stop left (see apply/power.ts): a hibernate AWS turned into a plain stop
 * says so in its result detail, and is recorded as the stop it was.
 */
function stopReason(kind: string, detail: string | undefined): Pick<ObservedInstance, 'stateReason'> {
  if (kind === 'start') return {};
  const hibernated =
    kind === 'hibernate' &&
    !(detail ?? '').startsWith(HIBERNATION_FAILED) &&
    !(detail ?? '').startsWith('not enabled for hibernation');
  return { stateReason: hibernated ? HIBERNATE_REASON : SHUTDOWN_REASON };
}

/** The instances as they stand once `applied` has run (best effort: launches carry no IP yet). */
export function instancesAfter(observed: Observed, plan: Plan, applied: ApplyResult, now: Date): ObservedInstance[] {
  const byId = new Map(observed.instances.map((i) => [i.instanceId, { ...i }]));
  const results = new Map(applied.results.map((r) => [r.actionId, r]));
  for (const action of plan.actions) {
    const result = results.get(action.id);
    if (result?.status !== 'done') continue;
    const d = action.details;
    const current = action.instanceId === undefined ? undefined : byId.get(action.instanceId);
    const after = AFTER[action.kind];
    if (current && after) Object.assign(current, { state: after, ...stopReason(action.kind, result.detail) });
    if (current && d.kind === 'resize')
      Object.assign(current, { instanceType: d.to, state: d.restart ? 'running' : 'stopped' });
    if (current && d.kind === 'destroy') byId.delete(current.instanceId);
    if ((d.kind === 'create' || d.kind === 'replace') && result.instanceId) {
      if (d.kind === 'replace') byId.delete(d.oldInstanceId);
      const fresh = launched(
        result.instanceId,
        d.launch,
        d.thenState === 'running' ? 'running' : 'stopped',
        now.toISOString(),
      );
      if (d.thenState !== 'running')
        Object.assign(fresh, stopReason(d.thenState === 'hibernated' ? 'hibernate' : 'stop', result.detail));
      byId.set(result.instanceId, fresh);
    }
  }
  return [...byId.values()].filter((i) => i.state !== 'terminated' && i.state !== 'shutting-down');
}

/** When a workstation's newest schedule snapshot was taken: observed before apply, or taken by it. */
export function lastSnapshots(observed: Observed, plan: Plan, applied: ApplyResult, now: Date): Map<string, string> {
  const last = new Map<string, string>();
  const note = (workstation: string | undefined, at: string): void => {
    if (workstation !== undefined && at > (last.get(workstation) ?? '')) last.set(workstation, at);
  };
  for (const snapshot of observed.snapshots) {
    if (snapshot.state !== 'error' && snapshot.tags[SCHEDULE_TAG.copyOf] === undefined)
      note(snapshot.tags[SCHEDULE_TAG.workstation], snapshot.startTime);
  }
  const done = new Set(applied.results.filter((r) => r.status === 'done').map((r) => r.actionId));
  for (const action of plan.actions)
    if (action.details.kind === 'snapshot' && done.has(action.id)) note(action.details.workstation, now.toISOString());
  return last;
}

/**
 * An estimate of what an instance has cost since labops first saw it, at on-demand prices: the
 * previous estimate plus the time since, running (compute) at the state recorded then, and
 * storage throughout. A new instance counts from its launch time.
 */
export function costToDateUSD(
  previous: Record<string, unknown> | undefined,
  instance: ObservedInstance,
  now: Date,
): { costToDateUSD: number; costSince: string } {
  const storagePerHour = storageMonthlyUSD(instance.region, instance.attachments) / HOURS_PER_MONTH;
  const computePerHour = computeMonthlyUSD(instance.instanceType, instance.region, 1);
  const hoursSince = (from: string): number => Math.max(0, now.getTime() - Date.parse(from)) / 3_600_000;
  const same =
    previous?.instanceId === instance.instanceId &&
    typeof previous.costToDateUSD === 'number' &&
    typeof previous.observedAt === 'string';
  if (!same) {
    const hours = hoursSince(instance.launchTime);
    return {
      costToDateUSD: round(hours * (storagePerHour + (instance.state === 'running' ? computePerHour : 0))),
      costSince: instance.launchTime,
    };
  }
  const hours = hoursSince(previous.observedAt as string);
  const wasRunning = previous.state === 'running' || previous.state === 'pending';
  const cost = (previous.costToDateUSD as number) + hours * (storagePerHour + (wasRunning ? computePerHour : 0));
  return {
    costToDateUSD: round(cost),
    costSince: typeof previous.costSince === 'string' ? previous.costSince : instance.launchTime,
  };
}

function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/**
 * Replaces the workstation entries of `record.resources` with one per live instance,
 * `Workstation/NAME`: instance, state, IPs, last snapshot and cost to date (an estimate).
 */
export function recordResources(
  instances: readonly ObservedInstance[],
  now: Date,
  snapshots: ReadonlyMap<string, string> = new Map(),
): RecordPatch {
  return (record) => resourcesAfter(record, instances, now, snapshots);
}

function resourcesAfter(
  record: RunRecord,
  instances: readonly ObservedInstance[],
  now: Date,
  snapshots: ReadonlyMap<string, string>,
): RunRecord {
  const resources: RunRecord['resources'] = Object.fromEntries(
    Object.entries(record.resources).filter(([key]) => !key.startsWith('Workstation/')),
  );
  for (const instance of instances) {
    const name = instance.tags[TAG.name];
    if (name === undefined) continue;
    const previous = record.resources[`Workstation/${name}`];
    const lastSnapshot =
      snapshots.get(name) ??
      (previous?.instanceId === instance.instanceId && typeof previous.lastSnapshot === 'string'
        ? previous.lastSnapshot
        : undefined);
    resources[`Workstation/${name}`] = {
      observedAt: now.toISOString(),
      instanceId: instance.instanceId,
      state: instance.state,
      region: instance.region,
      instanceType: instance.instanceType,
      privateIp: instance.privateIp,
      publicIp: instance.publicIp,
      ...(lastSnapshot === undefined ? {} : { lastSnapshot }),
      ...costToDateUSD(previous, instance, now),
      instance,
    };
  }
  return { ...record, resources, listedAt: { ...record.listedAt, Workstation: now.toISOString() } };
}

/** Observed state rebuilt from the record (no AWS): what the last run left behind. */
export function observedFromRecord(record: RunRecord, accountId: string): Observed {
  const instances = Object.entries(record.resources)
    .filter(([key]) => key.startsWith('Workstation/'))
    .map(([, r]) => r)
    .map((r) => r.instance as ObservedInstance | undefined)
    .filter((i): i is ObservedInstance => i !== undefined);
  return {
    accountId,
    observedAt: record.updatedAt ?? '',
    instances,
    volumes: [],
    images: [],
    utilisation: {},
    snapshots: [],
    jobs: [],
    jobQueues: {},
    awsBudgets: [],
    batchQueues: {},
    computeEnvironments: {},
    activeJobs: {},
    imageBuilds: [],
    imageResources: [],
  };
}
