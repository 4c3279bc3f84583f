/**
 * The `create` and `replace` actions. Replace keeps every data volume: it snapshots the old root
 * when asked, launches the new instance, stops the old one, moves the data volumes across at the
 * same device names, then terminates the old instance (its root is detached first and kept when
 * the policy is Retain). Each step checks whether it already happened, so a re-run continues.
 */
import type { ActionDetails } from '../../../model/launch.js';
import type { ActionContext } from '../../../engine/apply/context.js';
import { ApplyError } from '../../../engine/apply/errors.js';
import { launchInstance, launchWorkstation, nameVolumes, settledAll } from './launch.js';
import { ensurePower, markDesiredState, stopForChange } from './power.js';
import { retireInstance, snapshotDataVolume, snapshotRoot } from './retire.js';
import type { StepResult } from '../../../engine/apply/steps.js';
import { readInstance, waitVolume } from '../../../engine/apply/ec2-waits.js';

type CreateDetails = Extract<ActionDetails, { kind: 'create' }>;
type ReplaceDetails = Extract<ActionDetails, { kind: 'replace' }>;

/**
 * Runs a create: launch, then name the volumes and bring the instance to the requested power
 * state side by side (their calls join those of the other actions of the moment), then the
 * desired-state tag.
 */
export async function runCreate(ctx: ActionContext, details: CreateDetails): Promise<StepResult> {
  const { instance, request } = await launchInstance(ctx, details.launch, details.copyImage);
  const powering = ensurePower(ctx, instance.instanceId, details.thenState, instance);
  await settledAll<unknown>([nameVolumes(ctx, instance, request, []), powering]);
  const power = await powering;
  await markDesiredState(ctx, power.instance, power.state);
  return { instanceId: instance.instanceId, detail: power.detail };
}

/** Moves one data volume from the old instance to the new one, skipping what already happened. */
async function moveVolume(
  ctx: ActionContext,
  volume: ReplaceDetails['moveVolumes'][number],
  oldId: string,
  newId: string,
): Promise<void> {
  const [current] = await ctx.ec2.describeVolumes(ctx.region, [volume.volumeId]);
  if (current?.attachment?.instanceId === newId) {
    await waitVolume(ctx, volume.volumeId, `attached to ${newId}`, (v) => v.attachment?.state === 'attached');
    return;
  }
  if (current?.attachment !== undefined) {
    if (current.attachment.instanceId !== oldId) {
      throw new ApplyError(
        'unexpected-state',
        `${volume.volumeId} is attached to ${current.attachment.instanceId}, not ${oldId}`,
        { resource: volume.volumeId },
      );
    }
    if (current.attachment.state !== 'detaching') await ctx.ec2.detachVolume(ctx.region, volume.volumeId, oldId);
    await waitVolume(ctx, volume.volumeId, 'available', (v) => v.state === 'available' && v.attachment === undefined);
  }
  await ctx.ec2.attachVolume(ctx.region, volume.volumeId, newId, volume.device);
  await waitVolume(
    ctx,
    volume.volumeId,
    `attached to ${newId}`,
    (v) => v.attachment?.instanceId === newId && v.attachment.state === 'attached',
  );
}

/** The zone of the data volumes to move: the new instance must start there (stable across re-runs). */
async function zoneOf(ctx: ActionContext, details: ReplaceDetails): Promise<string | undefined> {
  if (details.moveVolumes.length === 0) return undefined;
  const found = await ctx.ec2.describeVolumes(
    ctx.region,
    details.moveVolumes.map((v) => v.volumeId),
  );
  return found.find((v) => v.availabilityZone !== '')?.availabilityZone;
}

/**
 * Runs a replace. The old instance is read, snapshotted, stopped and retired in its own Region
 * (another one on a region change, where no volume moves and its zone means nothing here).
 */
export async function runReplace(ctx: ActionContext, details: ReplaceDetails): Promise<StepResult> {
  const oldId = details.oldInstanceId;
  const oldCtx: ActionContext = details.oldRegion === undefined ? ctx : { ...ctx, region: details.oldRegion };
  const old = await readInstance(oldCtx, oldId);
  const oldLive = old !== undefined && old.state !== 'terminated' && old.state !== 'shutting-down';
  const snapshotIds: string[] = [];
  if (oldLive && details.snapshotRoot) snapshotIds.push(await snapshotRoot(oldCtx, old, details.rootVolumeId));
  if (oldLive)
    for (const volume of details.snapshotVolumes ?? []) snapshotIds.push(await snapshotDataVolume(oldCtx, old, volume));
  const oldZone = oldLive && oldCtx.region === ctx.region ? old.availabilityZone : undefined;
  const zone = details.launch.availabilityZone ?? (await zoneOf(ctx, details)) ?? oldZone;
  const launch = zone === undefined ? details.launch : { ...details.launch, availabilityZone: zone };
  const launched = await launchWorkstation(
    ctx,
    launch,
    details.copyImage,
    details.moveVolumes.map((v) => v.device),
  );
  const newId = launched.instance.instanceId;
  if (oldLive) await stopForChange(oldCtx, oldId);
  for (const volume of details.moveVolumes) await moveVolume(ctx, volume, oldId, newId);
  const retired = oldLive
    ? await retireInstance(oldCtx, oldId, { retainRoot: details.retainRoot, rootVolumeId: details.rootVolumeId })
    : { keptVolumeIds: [] };
  const outcome = await ensurePower(ctx, newId, details.thenState);
  await markDesiredState(ctx, outcome.instance, outcome.state);
  const moved = details.moveVolumes.map((v) => v.volumeId);
  const detail = [
    `replaced ${oldId}`,
    moved.length > 0 ? `moved ${moved.join(', ')}` : '',
    retired.keptVolumeIds.length > 0 ? `kept ${retired.keptVolumeIds.join(', ')}` : '',
    outcome.detail ?? '',
  ]
    .filter((s) => s !== '')
    .join('; ');
  return { instanceId: newId, detail, snapshotIds, volumeIds: [...moved, ...retired.keptVolumeIds] };
}
