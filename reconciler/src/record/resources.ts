/**
 * Per-resource status in the run record, so `labops status --from-record` (and STATUS.md) can
 * tell what each workstation is doing without AWS credentials: the observed instances as they
 * stand after apply, worked out from the observation before it and what apply did.
 */
import type { ApplyResult } from '../apply/types.js';
import type { LaunchRequest } from '../model/launch.js';
import type { InstanceState, Observed, ObservedInstance } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { RunRecord } from '../model/record.js';
import { TAG } from '../model/tags.js';

const AFTER: Partial<Record<string, InstanceState>> = { start: 'running', stop: 'stopped', hibernate: 'stopped' };

function launched(instanceId: string, launch: LaunchRequest, state: InstanceState, at: string): ObservedInstance {
  return { instanceId, region: launch.region, state, instanceType: launch.instanceType, launchTime: at, imageId: launch.imageId, tags: launch.tags, hibernationConfigured: launch.hibernation, attachments: [] };
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
    if (current && AFTER[action.kind]) current.state = AFTER[action.kind]!;
    if (current && d.kind === 'resize') Object.assign(current, { instanceType: d.to, state: d.restart ? 'running' : 'stopped' });
    if (current && d.kind === 'destroy') byId.delete(current.instanceId);
    if ((d.kind === 'create' || d.kind === 'replace') && result.instanceId) {
      if (d.kind === 'replace') byId.delete(d.oldInstanceId);
      byId.set(result.instanceId, launched(result.instanceId, d.launch, d.thenState === 'running' ? 'running' : 'stopped', now.toISOString()));
    }
  }
  return [...byId.values()].filter((i) => i.state !== 'terminated' && i.state !== 'shutting-down');
}

/** Replaces the workstation entries of `record.resources` with one per live instance: `Workstation/NAME`. */
export function recordResources(record: RunRecord, instances: readonly ObservedInstance[], now: Date): void {
  const resources: RunRecord['resources'] = Object.fromEntries(Object.entries(record.resources).filter(([key]) => !key.startsWith('Workstation/')));
  for (const instance of instances) {
    const name = instance.tags[TAG.name];
    if (name === undefined) continue;
    resources[`Workstation/${name}`] = { observedAt: now.toISOString(), instanceId: instance.instanceId, state: instance.state, region: instance.region, instanceType: instance.instanceType, privateIp: instance.privateIp, publicIp: instance.publicIp, instance };
  }
  record.resources = resources;
}

/** Keeps each budget's last status (spent, forecast, daily series) for STATUS.md's cost charts. */
export function recordBudgets(record: RunRecord, statuses: readonly { budget: { name: string } }[], now: Date): void {
  for (const status of statuses) record.resources[`Budget/${status.budget.name}`] = { observedAt: now.toISOString(), budget: status };
}

/** Observed state rebuilt from the record (no AWS): what the last run left behind. */
export function observedFromRecord(record: RunRecord, accountId: string): Observed {
  const instances = Object.entries(record.resources).filter(([key]) => key.startsWith('Workstation/')).map(([, r]) => r).map((r) => r.instance as ObservedInstance | undefined).filter((i): i is ObservedInstance => i !== undefined);
  return { accountId, observedAt: record.updatedAt ?? '', instances, volumes: [], images: [], utilisation: {} };
}
