/**
 * Instances without a spec: orphans (the spec was deleted) and duplicates (a second live
 * instance for one workstation, e.g. after an interrupted replacement). With `prune: false`
 * they are reported and left alone; with `prune: true` they are destroyed per deletionPolicy.
 * Instances whose spec is unknown (invalid, or possibly in a file that did not parse) are left
 * alone without a report: unknown is not absent.
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { Action } from '../../../model/plan.js';
import type { ObservedInstance } from '../../../model/observed.js';
import { TAG } from '../../../model/tags.js';
import { HOURS_PER_MONTH } from '../../../cost/prices/index.js';
import { newAction } from '../../../engine/actions.js';
import type { PlanContext } from './context.js';
import { computeMonthlyUSD, snapshotMonthlyUSD, storageMonthlyUSD } from '../../../cost/monthly.js';
import { dataAttachments, generationOf, rootAttachment } from '../../../model/workstation-inventory.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';

type DeletionPolicy = DesiredWorkstation['deletionPolicy'];

/** The policy recorded at launch in `labops:deletion-policy`; Snapshot (the default) when absent or unknown. */
export function recordedDeletionPolicy(instance: ObservedInstance): DeletionPolicy {
  const tagged = instance.tags[TAG.deletionPolicy];
  return tagged === 'Retain' || tagged === 'Delete' ? tagged : 'Snapshot';
}

/** True when the spec of `name` might exist but could not be read. */
export function isUnknown(ctx: PlanContext, name: string): boolean {
  return ctx.desired.unknownWorkstations.includes(name) || ctx.desired.unknownFiles.length > 0;
}

/** Plans the live instances of a name no spec declares (newest first). */
export function planOrphans(ctx: PlanContext, name: string, instances: readonly ObservedInstance[]): Action[] {
  if (isUnknown(ctx, name)) return [];
  return instances.map((instance, index) => {
    const suffix = index === 0 ? undefined : instance.instanceId;
    if (ctx.desired.lab.prune)
      return destroyAction(name, instance, recordedDeletionPolicy(instance), 'prune', 'its spec was deleted', suffix);
    return orphanAction(
      name,
      instance,
      'orphan: no spec',
      'its spec was deleted; prune is off, so labops leaves it',
      suffix,
    );
  });
}

/** Plans the older live instances of a declared workstation; labops acts only on the newest. */
export function planDuplicates(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  newest: ObservedInstance,
  older: readonly ObservedInstance[],
): Action[] {
  return older.map((instance) => {
    const why = `a second live instance of ${ws.name} (generation ${generationOf(instance)}; labops manages ${newest.instanceId}, generation ${generationOf(newest)})`;
    if (ctx.desired.lab.prune)
      return destroyAction(ws.name, instance, ws.deletionPolicy, 'prune: duplicate', why, instance.instanceId);
    return orphanAction(
      ws.name,
      instance,
      'duplicate',
      `${why}; prune is off, so labops leaves it`,
      instance.instanceId,
    );
  });
}

function orphanAction(
  name: string,
  instance: ObservedInstance,
  rule: string,
  reason: string,
  suffix: string | undefined,
): Action {
  return newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'orphan',
    name,
    region: instance.region,
    instanceId: instance.instanceId,
    rule,
    reason: `${instance.instanceId} (${instance.instanceType}, ${instance.state}): ${reason}`,
    monthlyDeltaUSD: 0,
    details: { kind: 'orphan' },
    ...(suffix === undefined ? {} : { suffix }),
  });
}

/**
 * Terminates an instance. Data volumes always survive (listed in `keptVolumes`: specs.md says
 * they survive every change labops makes); the policy decides the root: snapshotted first
 * (Snapshot), kept (Retain) or deleted with the instance (Delete).
 */
export function destroyAction(
  name: string,
  instance: ObservedInstance,
  policy: DeletionPolicy,
  rule: string,
  why: string,
  suffix: string | undefined,
): Action {
  const root = rootAttachment(instance);
  const data = dataAttachments(instance);
  const kept = data.map((a) => a.volumeId);
  const fate = `${policy === 'Snapshot' ? 'root snapshotted, then deleted' : policy === 'Retain' ? 'root kept' : 'root deleted'}${kept.length > 0 ? `; data volumes kept: ${kept.join(', ')}` : ''}`;
  return newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'destroy',
    name,
    region: instance.region,
    instanceId: instance.instanceId,
    rule,
    reason: `${instance.instanceId} (${instance.instanceType}, ${instance.state}): ${why}; deletionPolicy ${policy}: ${fate}`,
    monthlyDeltaUSD: destroyDeltaUSD(instance, policy),
    details: {
      kind: 'destroy',
      snapshotRoot: policy === 'Snapshot',
      retainRoot: policy === 'Retain',
      ...(root === undefined ? {} : { rootVolumeId: root.volumeId }),
      keptVolumes: kept,
    },
    ...(suffix === undefined ? {} : { suffix }),
  });
}

/** Without a spec there is no schedule: a running instance is counted as running all month. Kept volumes keep costing. */
function destroyDeltaUSD(instance: ObservedInstance, policy: DeletionPolicy): number {
  const root = rootAttachment(instance);
  const compute =
    instance.state === 'running' ? computeMonthlyUSD(instance.instanceType, instance.region, HOURS_PER_MONTH) : 0;
  const rootCost = policy === 'Retain' || root === undefined ? 0 : storageMonthlyUSD(instance.region, [root]);
  const snapshot = policy === 'Snapshot' ? snapshotMonthlyUSD(instance.region, root?.sizeGiB ?? 0) : 0;
  return snapshot - compute - rootCost;
}
