/**
 * Replacement of a live instance when its launch spec changed (environment, image, region,
 * rootGiB, restoreFrom: the launch hash) or a type change cannot be done in place. The new
 * instance (generation + 1) starts in the old data volumes' zone and they move to it; the old
 * root is snapshotted (deletionPolicy Snapshot), kept (Retain) or deleted (Delete). Volumes
 * cannot cross regions: on a region change they stay where they are and new ones are created.
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import { isNamed } from '../../../model/observed.js';
import type { ObservedAttachment, ObservedInstance } from '../../../model/observed.js';
import { DATA_DEVICES } from '../../../model/launch.js';
import { TAG } from '../../../model/tags.js';
import { newAction } from '../../../engine/actions.js';
import type { PlanContext } from './context.js';
import type { PlanPart } from '../../../model/plan.js';
import {
  computeMonthlyUSD,
  expectedRunningHours,
  snapshotMonthlyUSD,
  storageMonthlyUSD,
} from '../../../cost/monthly.js';
import { resolveImage } from './images.js';
import type { ResolvedImage } from './images.js';
import { dataAttachments, generationOf, rootAttachment } from '../../../model/workstation-inventory.js';
import { launchRequest } from './launch-request.js';
import { desiredPowerState } from './power-state.js';
import { launchUses, unapprovedData } from './data-owners.js';
import { RESTORE_FROM_TAG, ownerKey, resolveRestore, restoreSource, withRestore } from './restore.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';
import { withImageSavings } from './image-savings.js';

/** What changed in the launch spec, for people; empty when the launch hash matches (or is unknown). */
export function launchChanges(ws: DesiredWorkstation, instance: ObservedInstance): string[] {
  const recorded = instance.tags[TAG.specHash];
  if (recorded === undefined || recorded === ws.launchHash) return [];
  const changes: string[] = [];
  if (instance.region !== ws.region) changes.push(`region ${instance.region} → ${ws.region}`);
  const environment = `${ws.environment.name}@${ws.environment.version}`;
  const launchedWith = instance.tags[TAG.environment];
  if (launchedWith !== undefined && launchedWith !== environment)
    changes.push(`environment ${launchedWith} → ${environment}`);
  const rootGiB = rootAttachment(instance)?.sizeGiB;
  if (rootGiB !== undefined && rootGiB !== ws.rootGiB) changes.push(`rootGiB ${rootGiB} → ${ws.rootGiB}`);
  if (ws.image.ami !== undefined && instance.tags[TAG.ami] !== ws.image.ami)
    changes.push(`image ${instance.tags[TAG.ami] ?? '?'} → ${ws.image.ami}`);
  if (restoreChanged(ws, instance))
    changes.push(`restoreFrom ${instance.tags[RESTORE_FROM_TAG] ?? 'none'} → ${ws.restoreFrom}`);
  if (changes.length === 0) changes.push('launch spec changed (image, restoreFrom or environment contents)');
  return changes;
}

/**
 * Plans the replacement of `instance`: one `replace` action, or a refusal when no image (or no
 * approval of another owner's data it would read) is in reach.
 * `launched` is the replacement an earlier, interrupted run of this replace already launched: its
 * data volumes may sit on `instance`, on `launched`, or detached between the two, and all move.
 */
export function planReplace(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  why: string,
  launched?: ObservedInstance,
): PlanPart {
  const resolved = resolveImage(
    ws,
    ctx.desired.lab.repo,
    ctx.observed.images,
    ctx.imageBuilds,
    ctx.now,
    ctx.imageTargets,
  );
  if (!resolved.ok) return { actions: [], refusals: [resolved.refusal] };
  const restoring = restoreChanged(ws, instance);
  const restore = restoring
    ? resolveRestore(ws, ctx.desired.schedules, ctx.desired.lab.repo, ctx.observed)
    : { ok: true as const };
  if (!restore.ok) return { actions: [], refusals: [restore.refusal] };
  if (restoring && restore.point === undefined) {
    const source = restoreSource(ws);
    const whose =
      source === undefined || (source.workstation === ws.name && source.owner === ownerKey(ws.owner))
        ? ws.name
        : `${source.workstation} (owner ${source.owner})`;
    const message = `workstation ${ws.name}: restoreFrom ${ws.restoreFrom}: no snapshot of ${whose} in ${ws.region} yet; the current instance is kept`;
    return {
      actions: [],
      refusals: [{ code: 'no-restore-snapshot', message, resource: { kind: 'Workstation', name: ws.name } }],
    };
  }
  const unapproved = unapprovedData(
    ws,
    launchUses(ws, resolved.image, restore.point, ctx.observed.images),
    ctx.dataApproved,
    'not replaced, the current instance is kept',
  );
  if (unapproved !== undefined) return { actions: [], refusals: [unapproved] };
  const sameRegion = instance.region === ws.region;
  const wanted = new Set(ws.volumes.map((v) => v.name));
  const data = dataAttachments(instance);
  const movable = launched === undefined ? data : [...data, ...leftBehind(ctx, ws, data, launched)];
  // A restore brings data volumes from the snapshot: the current ones are snapshotted and stay detached.
  const moving = sameRegion && !restoring ? movable.filter(isNamed).filter((a) => wanted.has(a.name)) : [];
  const thenState = desiredPowerState(ws, {
    lab: ctx.desired.lab,
    now: ctx.now,
    overrides: ctx.overrides,
    hibernationConfigured: ws.hibernation,
  }).state;
  const generation = generationOf(instance) + 1;
  const zone = moving
    .map((a) => ctx.observed.volumes.find((v) => v.volumeId === a.volumeId)?.availabilityZone)
    .find((z) => z !== undefined);
  const launch = withRestore(
    launchRequest(ctx.desired.lab.repo, ws, resolved.image, {
      generation,
      thenState,
      volumes: ws.volumes.filter((v) => !moving.some((a) => a.name === v.name)),
      ...(zone === undefined ? {} : { availabilityZone: zone }),
    }),
    ws,
    restore.point,
  );
  const restoredImage = restore.point?.type === 'image';
  const finalSnapshots = restoring ? data.filter(isNamed).map((a) => ({ volumeId: a.volumeId, name: a.name })) : [];
  const root = rootAttachment(instance);
  const details = {
    kind: 'replace' as const,
    launch,
    ...(resolved.image.copyImage === undefined || restoredImage ? {} : { copyImage: resolved.image.copyImage }),
    oldInstanceId: instance.instanceId,
    ...(sameRegion ? {} : { oldRegion: instance.region }),
    snapshotRoot: ws.deletionPolicy === 'Snapshot',
    retainRoot: ws.deletionPolicy === 'Retain',
    ...(root === undefined ? {} : { rootVolumeId: root.volumeId }),
    moveVolumes: moving.map((a) => ({ volumeId: a.volumeId, name: a.name, device: a.device })),
    ...(finalSnapshots.length === 0 ? {} : { snapshotVolumes: finalSnapshots }),
    thenState,
  };
  const action = newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'replace',
    name: ws.name,
    region: ws.region,
    instanceId: instance.instanceId,
    rule: 'spec',
    reason: [
      why,
      ...(restoredImage ? [] : launchSource(resolved.image)),
      ...(restore.point === undefined
        ? []
        : [`restores ${restore.point.label}; current data volumes snapshotted, then kept detached`]),
      ...volumeNotes(ws, instance, data, moving),
      rootNote(ws.deletionPolicy),
    ].join('; '),
    monthlyDeltaUSD: replaceDeltaUSD(ws, instance, data),
    details,
  });
  const withSavings = restoredImage
    ? action
    : withImageSavings(
        action,
        resolved.image,
        ctx.imageBuilds,
        ctx.observed.images,
        ctx.provisionTimes,
        ws.environment.name,
      );
  return { actions: [withSavings], refusals: [] };
}

/**
 * The spec's data volumes an interrupted replacement moved partway: already attached to
 * `launched`, or detached from the old instance and not yet attached (found by their tags, in the
 * Region, given the first device name free on `launched`; only the workstation owner's volumes —
 * a pruned namesake's data is never picked up). A name found detached more than once is left
 * where it is: which one holds the data is not labops' guess to make.
 */
function leftBehind(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  onOld: readonly ObservedAttachment[],
  launched: ObservedInstance,
): ObservedAttachment[] {
  const found: ObservedAttachment[] = dataAttachments(launched).filter(
    (a) => a.name !== undefined && !onOld.some((o) => o.name === a.name),
  );
  const used = [...launched.attachments, ...onOld].map((a) => a.device);
  for (const volume of ws.volumes) {
    if ([...onOld, ...found].some((a) => a.name === volume.name)) continue;
    const detached = ctx.observed.volumes.filter(
      (v) =>
        v.region === ws.region &&
        v.state === 'available' &&
        v.attachedTo === undefined &&
        v.tags[TAG.repo] === ctx.desired.lab.repo &&
        v.tags[TAG.name] === ws.name &&
        v.tags[TAG.volume] === volume.name &&
        ownerKey(v.tags[TAG.owner]) === ownerKey(ws.owner),
    );
    const [only, ...more] = detached;
    if (only === undefined || more.length > 0) continue;
    const device = DATA_DEVICES.find((d) => !used.includes(d));
    if (device === undefined) continue;
    used.push(device);
    found.push({
      volumeId: only.volumeId,
      device,
      name: volume.name,
      sizeGiB: only.sizeGiB,
      type: only.type,
      deleteOnTermination: false,
    });
  }
  return found;
}

function describe(attachments: readonly ObservedAttachment[]): string {
  return attachments.map((a) => `${a.name ?? a.device} (${a.volumeId})`).join(', ');
}

function volumeNotes(
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  data: ObservedAttachment[],
  moving: ObservedAttachment[],
): string[] {
  const notes: string[] = [];
  if (moving.length > 0) notes.push(`moves data volumes ${describe(moving)}`);
  const staying = data.filter((a) => !moving.includes(a));
  if (instance.region !== ws.region && staying.length > 0) {
    notes.push(`volumes cannot move between regions: ${describe(staying)} stay in ${instance.region}`);
  } else if (staying.length > 0) {
    notes.push(`volumes not in the spec stay detached: ${describe(staying)}`);
  }
  const created = ws.volumes.filter((v) => !moving.some((a) => a.name === v.name));
  if (created.length > 0)
    notes.push(`creates ${created.map((v) => `${v.name} (${v.sizeGiB} GiB ${v.type})`).join(', ')}`);
  return notes;
}

function rootNote(policy: DesiredWorkstation['deletionPolicy']): string {
  if (policy === 'Snapshot') return 'old root snapshotted, then deleted';
  if (policy === 'Retain') return 'old root kept';
  return 'old root deleted';
}

/**
 * After − before: new compute, root and created volumes against the old compute and root. Old
 * data volumes keep costing wherever they are; a kept root keeps costing; a snapshot adds its size.
 */
function replaceDeltaUSD(ws: DesiredWorkstation, instance: ObservedInstance, data: ObservedAttachment[]): number {
  const hours = expectedRunningHours(ws);
  const root = rootAttachment(instance);
  const oldRoot = root === undefined ? [] : [{ sizeGiB: root.sizeGiB, type: root.type }];
  const moved = new Set(instance.region === ws.region ? data.map((a) => a.name) : []);
  const created = ws.volumes.filter((v) => !moved.has(v.name));
  const after =
    computeMonthlyUSD(ws.instanceType, ws.region, hours) +
    storageMonthlyUSD(ws.region, [{ sizeGiB: ws.rootGiB, type: 'gp3' }, ...created]) +
    (ws.deletionPolicy === 'Retain' ? storageMonthlyUSD(instance.region, oldRoot) : 0) +
    (ws.deletionPolicy === 'Snapshot' ? snapshotMonthlyUSD(instance.region, root?.sizeGiB ?? 0) : 0);
  const before =
    computeMonthlyUSD(instance.instanceType, instance.region, hours) + storageMonthlyUSD(instance.region, oldRoot);
  return after - before;
}

/** True when the workstation asks for a restore it was not launched with. */
export function restoreChanged(ws: DesiredWorkstation, instance: ObservedInstance): boolean {
  return ws.restoreFrom !== undefined && instance.tags[RESTORE_FROM_TAG] !== ws.restoreFrom;
}

/**
 * Where the new instance boots from, for the reason, when it is worth saying: a built image, or
 * why a workstation that prefers an image takes the script path. Nothing otherwise.
 */
function launchSource(image: ResolvedImage): string[] {
  if (image.source === 'built') return [`launches from built image ${image.imageId}`];
  if (image.note !== undefined) return [`launches from base image + cloud-init ${image.imageId} (${image.note})`];
  return [];
}
