/**
 * Ending an instance without losing data: a final snapshot of the root when the deletion policy
 * asks (found again on a re-run by its tag, never taken twice), and termination that never
 * deletes a data volume: any non-root volume that would be deleted on termination, and the
 * root when it is retained, is detached first. Data volumes stay `available` and are reported.
 */
import type { ActionDetails } from '../../../model/launch.js';
import { TAG } from '../../../model/tags.js';
import type { InstanceDescription } from '../../../aws/ports.js';
import type { ActionContext } from '../../../engine/apply/context.js';
import { ApplyError } from '../../../engine/apply/errors.js';
import { stopForChange } from './power.js';
import type { StepResult } from '../../../engine/apply/steps.js';
import { readInstance, waitInstance, waitSnapshot, waitVolume } from '../../../engine/apply/ec2-waits.js';

/** Tag on a final root snapshot naming the instance it was taken from (finds it on a re-run). */
export const FINAL_SNAPSHOT_TAG = 'labops:final-snapshot-of';

function rootVolume(instance: InstanceDescription, rootVolumeId: string | undefined): string | undefined {
  return rootVolumeId ?? instance.blockDevices.find((b) => b.device === instance.rootDeviceName)?.volumeId;
}

function ownership(tags: Record<string, string>): Record<string, string> {
  const keep = Object.entries(tags).filter(
    ([k]) => k.startsWith('labops:') && k !== TAG.desiredState && k !== TAG.volume,
  );
  return Object.fromEntries(keep);
}

/** Snapshots the root of `instance` once (completed before returning). @returns the snapshot id */
export async function snapshotRoot(
  ctx: ActionContext,
  instance: InstanceDescription,
  rootVolumeId: string | undefined,
): Promise<string> {
  const volumeId = rootVolume(instance, rootVolumeId);
  if (volumeId === undefined)
    throw new ApplyError('unexpected-state', `${instance.instanceId} has no root volume to snapshot`, {
      resource: instance.instanceId,
    });
  const marker = { [FINAL_SNAPSHOT_TAG]: instance.instanceId };
  const existing = (await ctx.ec2.findSnapshots(ctx.region, volumeId, marker)).find((s) => s.state !== 'error');
  const tags = { ...ownership(instance.tags), [TAG.volume]: 'root', ...marker };
  const snapshotId =
    existing?.snapshotId ??
    (await ctx.ec2.createSnapshot(ctx.region, volumeId, tags, `labops final snapshot of ${instance.instanceId} root`));
  await waitSnapshot(ctx, snapshotId);
  return snapshotId;
}

/** Snapshots a data volume of `instance` once, before a restore replaces it (found again by its tags). */
export async function snapshotDataVolume(
  ctx: ActionContext,
  instance: InstanceDescription,
  volume: { volumeId: string; name: string },
): Promise<string> {
  const marker = { [FINAL_SNAPSHOT_TAG]: instance.instanceId };
  const existing = (await ctx.ec2.findSnapshots(ctx.region, volume.volumeId, marker)).find((s) => s.state !== 'error');
  const tags = { ...ownership(instance.tags), [TAG.volume]: volume.name, ...marker };
  const snapshotId =
    existing?.snapshotId ??
    (await ctx.ec2.createSnapshot(
      ctx.region,
      volume.volumeId,
      tags,
      `labops final snapshot of ${instance.instanceId} ${volume.name} before restore`,
    ));
  await waitSnapshot(ctx, snapshotId);
  return snapshotId;
}

/**
 * Terminates an instance, keeping its data volumes (and its root when `retainRoot`), and waits
 * until it is terminated. Already terminated or gone: nothing to do.
 */
export async function retireInstance(
  ctx: ActionContext,
  instanceId: string,
  options: { retainRoot: boolean; rootVolumeId?: string },
): Promise<{ keptVolumeIds: string[] }> {
  const instance = await readInstance(ctx, instanceId);
  if (instance === undefined || instance.state === 'terminated') return { keptVolumeIds: [] };
  const root = rootVolume(instance, options.rootVolumeId);
  const data = instance.blockDevices.filter((b) => b.volumeId !== root);
  const detach = [
    ...data.filter((b) => b.deleteOnTermination),
    ...instance.blockDevices.filter((b) => options.retainRoot && b.volumeId === root),
  ];
  if (detach.length > 0 && instance.state !== 'shutting-down') {
    await stopForChange(ctx, instanceId);
    for (const b of detach) {
      await ctx.ec2.detachVolume(ctx.region, b.volumeId, instanceId);
      await waitVolume(ctx, b.volumeId, 'available', (v) => v.state === 'available' && v.attachment === undefined);
    }
  }
  if (instance.state !== 'shutting-down') await ctx.ec2.terminate(ctx.region, instanceId);
  await waitInstance(ctx, instanceId, ['terminated'], []);
  const kept = [...data.map((b) => b.volumeId), ...(options.retainRoot && root !== undefined ? [root] : [])];
  return { keptVolumeIds: kept };
}

/** Runs a destroy: final snapshot when asked, then terminate, keeping every data volume. */
export async function runDestroy(
  ctx: ActionContext,
  instanceId: string,
  details: Extract<ActionDetails, { kind: 'destroy' }>,
): Promise<StepResult> {
  const instance = await readInstance(ctx, instanceId);
  if (instance === undefined || instance.state === 'terminated') {
    return { instanceId, detail: 'already terminated', volumeIds: details.keptVolumes };
  }
  const snapshotIds =
    details.snapshotRoot && instance.state !== 'shutting-down'
      ? [await snapshotRoot(ctx, instance, details.rootVolumeId)]
      : [];
  const { keptVolumeIds } = await retireInstance(ctx, instanceId, {
    retainRoot: details.retainRoot,
    rootVolumeId: details.rootVolumeId,
  });
  const volumeIds = [...new Set([...details.keptVolumes, ...keptVolumeIds])];
  const detail = volumeIds.length > 0 ? `terminated; kept volumes ${volumeIds.join(', ')}` : 'terminated';
  return { instanceId, detail, snapshotIds, volumeIds };
}
