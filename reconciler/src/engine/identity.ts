/**
 * The lab's identity and its run record, checked before anything is applied (docs/specs.md "Lab
 * identity", docs/run-record.md "A missing record"). Pure functions of what a run observed:
 *
 * - Workstations of another `labops:repo` whose `labops:name` is one of this lab's specs: the
 *   lab's own machines made under an old id (a renamed repository, a changed origin remote) or
 *   another lab's. labops never creates a same-named duplicate beside them: the create is refused,
 *   with `labops adopt --from OLD-ID` named, unless the person passes `--allow-duplicates`.
 * - A run record that is missing while the lab has live resources: the actions whose memory is the
 *   record (Jobs, snapshot schedules) and budget alerts are withheld until the record is restored,
 *   migrated, or a person passes `--accept-empty-record`; workstations are managed as usual.
 */
import type { InstanceDescription } from '../aws/ports.js';
import type { Observed } from '../model/observed.js';
import type { Plan, PlanRefusal, ResourceKind } from '../model/plan.js';
import type { RunRecord } from '../model/record.js';
import { TAG } from '../model/tags.js';
import { roundUSD } from './actions.js';

/** Where the lab's id came from: labops.yaml `spec.id`, or derived (flag, environment, origin remote, lab name). */
export interface LabIdentity {
  repo: string;
  source: 'spec' | 'derived';
}

/** Workstations tagged with another lab id whose names match this lab's specs, grouped by that id. */
export interface ForeignGroup {
  /** The other `labops:repo` value (untrusted: shown escaped). */
  id: string;
  /** Matching workstation names, sorted. */
  names: string[];
  instanceIds: string[];
}

/** Groups the instances `listLabopsNamed` found that carry an id other than `repo`, by that id. */
export function foreignGroups(instances: readonly InstanceDescription[], repo: string): ForeignGroup[] {
  const groups = new Map<string, ForeignGroup>();
  for (const instance of instances) {
    const id = instance.tags[TAG.repo];
    const name = instance.tags[TAG.name];
    if (id === undefined || id === repo || name === undefined) continue;
    const group = groups.get(id) ?? { id, names: [], instanceIds: [] };
    if (!group.names.includes(name)) group.names.push(name);
    group.instanceIds.push(instance.instanceId);
    groups.set(id, group);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, names: g.names.sort(), instanceIds: g.instanceIds.sort() }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The plan without a `create` of any workstation named in a foreign group, each replaced by a
 * resource-scoped `foreign-duplicate` refusal; unchanged when duplicates are allowed.
 */
export function refuseDuplicates(plan: Plan, groups: readonly ForeignGroup[], allowDuplicates: boolean): Plan {
  if (allowDuplicates || !groups.length) return plan;
  const owner = new Map<string, string>();
  for (const g of groups) for (const name of g.names) if (!owner.has(name)) owner.set(name, g.id);
  const refusals: PlanRefusal[] = [];
  const actions = plan.actions.filter((a) => {
    const id = a.kind === 'create' ? owner.get(a.resource.name) : undefined;
    if (id === undefined) return true;
    refusals.push({
      code: 'foreign-duplicate',
      message: `a workstation named ${a.resource.name} already runs under lab id ${id}; not creating a duplicate (run \`labops adopt --from ${id}\` if it is this lab's, or pass --allow-duplicates)`,
      resource: { kind: 'Workstation', name: a.resource.name },
    });
    return false;
  });
  return withActions(plan, actions, refusals);
}

/**
 * Whether a record has never been written in full: no `lastApplyAt` and nothing it exists to
 * remember (no jobs, alerts or schedule slots). A record from before `lastApplyAt` existed counts
 * as present when it remembers anything.
 */
export function recordIsEmpty(record: RunRecord): boolean {
  return (
    record.lastApplyAt === undefined &&
    record.jobs.length === 0 &&
    record.alerts.length === 0 &&
    Object.keys(record.schedules).length === 0
  );
}

/** Whether the lab has live resources of its own id: any instance, volume or snapshot observed. */
export function hasLiveResources(observed: Observed): boolean {
  return observed.instances.length > 0 || observed.volumes.length > 0 || observed.snapshots.length > 0;
}

/** The resource kinds whose actions rely on the record's memory (submissions, slots taken). */
export const RECORD_KINDS: readonly ResourceKind[] = ['Job', 'SnapshotSchedule'];

/** The plan without the actions of {@link RECORD_KINDS}, each replaced by a `record-missing` refusal. */
export function withholdRecordActions(plan: Plan): Plan {
  const refusals: PlanRefusal[] = [];
  const actions = plan.actions.filter((a) => {
    if (!RECORD_KINDS.includes(a.resource.kind)) return true;
    refusals.push({
      code: 'record-missing',
      message: `${a.kind} withheld: the run record is missing while the lab has live resources (restore it, run \`labops record migrate\`, or pass --accept-empty-record)`,
      resource: a.resource,
    });
    return false;
  });
  return withActions(plan, actions, refusals);
}

function withActions(plan: Plan, actions: Plan['actions'], refusals: PlanRefusal[]): Plan {
  if (!refusals.length) return plan;
  return {
    ...plan,
    actions,
    refusals: [...plan.refusals, ...refusals],
    monthlyDeltaUSD: roundUSD(actions.reduce((sum, a) => sum + a.monthlyDeltaUSD, 0)),
  };
}
