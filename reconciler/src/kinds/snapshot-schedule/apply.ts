/**
 * The SnapshotSchedule actions. `snapshot` takes one slot for one workstation: an EBS snapshot of
 * each volume, or one AMI (NoReboot); it does not wait for completion (an EBS snapshot is
 * point-in-time when requested), and whatever it finds already tagged for that slot it reuses, so
 * a slot is never taken twice. `copy-snapshot` copies a completed original into another Region,
 * once (found again by `labops:copy-of`). `delete-snapshot` expires what retention let go, after
 * checking each one's tags again, and keeps a snapshot an image still uses. CreateImage needs the
 * instance `running` or `stopped`: met in a transitional state, the image waits (bounded) for one.
 */
import { hasAwsCode } from '../../aws/errors.js';
import type {
  CopySnapshotDetails,
  DeleteSnapshotDetails,
  ExpiredSnapshot,
  SnapshotDetails,
} from '../../model/schedule.js';
import { SCHEDULE_TAG } from '../../model/schedule.js';
import { TAG } from '../../model/tags.js';
import type { ActionContext } from '../../engine/apply/context.js';
import { ApplyError } from '../../engine/apply/errors.js';
import type { StepResult } from '../../engine/apply/steps.js';
import { waitInstance } from '../../engine/apply/ec2-waits.js';

function slotTags(details: SnapshotDetails): Record<string, string> {
  const keys = [TAG.repo, SCHEDULE_TAG.schedule, SCHEDULE_TAG.workstation, SCHEDULE_TAG.slot];
  return Object.fromEntries(keys.map((k) => [k, details.tags[k] ?? '']));
}

async function snapshotVolumes(ctx: ActionContext, details: SnapshotDetails): Promise<StepResult> {
  const existing = (await ctx.ec2.listSnapshots(ctx.region, slotTags(details))).filter((s) => s.state !== 'error');
  const ids: string[] = [];
  let reused = 0;
  for (const volume of details.volumes) {
    const found = existing.find((s) => s.volumeId === volume.volumeId || s.tags[TAG.volume] === volume.name);
    if (found !== undefined) {
      ids.push(found.snapshotId);
      reused += 1;
      continue;
    }
    const description = `labops ${details.schedule} ${details.slot} ${details.workstation} ${volume.name}`;
    ids.push(
      await ctx.ec2.createSnapshot(
        ctx.region,
        volume.volumeId,
        { ...details.tags, [TAG.volume]: volume.name },
        description,
      ),
    );
  }
  const note = reused > 0 ? ` (${reused} found from an earlier run)` : '';
  return { instanceId: details.instanceId, snapshotIds: ids, detail: `snapshots ${ids.join(', ')}${note}` };
}

/**
 * CreateImage, once more after the instance settles if EC2 found it pending or stopping (AWS images
 * only a `running` or `stopped` instance). No read before the first try: most instances are settled.
 * @throws {ApplyError} `unexpected-state` when the instance is shutting down or gone; `wait-timeout`
 */
async function createImageSettled(ctx: ActionContext, details: SnapshotDetails, name: string): Promise<string> {
  try {
    return await ctx.ec2.createImage(ctx.region, details.instanceId, name, details.tags);
  } catch (err: unknown) {
    if (!hasAwsCode(err, 'IncorrectInstanceState')) throw err;
    await waitInstance(ctx, details.instanceId, ['running', 'stopped']);
    return ctx.ec2.createImage(ctx.region, details.instanceId, name, details.tags);
  }
}

async function snapshotImage(ctx: ActionContext, details: SnapshotDetails): Promise<StepResult> {
  const name = details.imageName ?? `labops-${details.schedule}-${details.workstation}`;
  const [found] = await ctx.ec2.findImages(ctx.region, slotTags(details));
  if (found !== undefined)
    return {
      instanceId: details.instanceId,
      snapshotIds: [found.imageId],
      detail: `image ${found.imageId} (found from an earlier run)`,
    };
  try {
    const imageId = await createImageSettled(ctx, details, name);
    return { instanceId: details.instanceId, snapshotIds: [imageId], detail: `image ${imageId} (NoReboot)` };
  } catch (err: unknown) {
    // The name is unique per Region: a duplicate is this slot's image, made by a run that crashed.
    if (!hasAwsCode(err, 'InvalidAMIName.Duplicate')) throw err;
    const [again] = await ctx.ec2.findImages(ctx.region, slotTags(details));
    if (again === undefined) throw err;
    return {
      instanceId: details.instanceId,
      snapshotIds: [again.imageId],
      detail: `image ${again.imageId} (found from an earlier run)`,
    };
  }
}

/**
 * The details on the instance the action now names: the planned one, or the instance that replaced
 * it earlier in this apply (the executor sets the action's `instanceId`). A replacement moves the
 * data volumes and has a new root, so each planned volume is found again on it by its
 * `labops:volume` name; one it no longer has is not snapshotted.
 * @throws {ApplyError} `unexpected-state` when the new instance is not visible
 */
async function onCurrentInstance(ctx: ActionContext, details: SnapshotDetails): Promise<SnapshotDetails> {
  const instanceId = ctx.action.instanceId;
  if (instanceId === undefined || instanceId === details.instanceId) return details;
  if (details.type === 'image') return { ...details, instanceId };
  const instance = await ctx.instances.read(ctx.region, instanceId);
  if (instance === undefined)
    throw new ApplyError('unexpected-state', `${instanceId}, which replaced ${details.instanceId}, is not visible`, {
      resource: instanceId,
    });
  const attached = await ctx.ec2.describeVolumes(
    ctx.region,
    instance.blockDevices.map((b) => b.volumeId),
  );
  const volumes = details.volumes.flatMap((planned) => {
    const found = attached.find((v) => v.tags[TAG.volume] === planned.name);
    return found === undefined ? [] : [{ ...planned, volumeId: found.volumeId }];
  });
  return { ...details, instanceId, volumes };
}

/** Runs a `snapshot` action. */
export async function runSnapshot(ctx: ActionContext, planned: SnapshotDetails): Promise<StepResult> {
  const details = await onCurrentInstance(ctx, planned);
  return details.type === 'image' ? snapshotImage(ctx, details) : snapshotVolumes(ctx, details);
}

/** Runs a `copy-snapshot` action in the destination Region. */
export async function runCopySnapshot(ctx: ActionContext, details: CopySnapshotDetails): Promise<StepResult> {
  if (details.resource === 'image') {
    const imageId = await ctx.ec2.copyImage({
      sourceRegion: details.sourceRegion,
      sourceImageId: details.sourceId,
      region: ctx.region,
      name: details.imageName ?? `labops-copy-${details.sourceId}`,
      clientToken: details.clientToken,
      tags: details.tags,
    });
    return { snapshotIds: [imageId], detail: `copied ${details.sourceId} from ${details.sourceRegion} as ${imageId}` };
  }
  const [existing] = (await ctx.ec2.listSnapshots(ctx.region, { [SCHEDULE_TAG.copyOf]: details.sourceId })).filter(
    (s) => s.state !== 'error',
  );
  if (existing !== undefined)
    return {
      snapshotIds: [existing.snapshotId],
      detail: `copy ${existing.snapshotId} of ${details.sourceId} found from an earlier run`,
    };
  const copyId = await ctx.ec2.copySnapshot(
    ctx.region,
    details.sourceRegion,
    details.sourceId,
    details.tags,
    `labops copy of ${details.sourceId} from ${details.sourceRegion}`,
  );
  return { snapshotIds: [copyId], detail: `copied ${details.sourceId} from ${details.sourceRegion} as ${copyId}` };
}

function madeFor(tags: Record<string, string>, repo: string, schedule: string): boolean {
  return tags[TAG.repo] === repo && tags[TAG.kind] === 'SnapshotSchedule' && tags[SCHEDULE_TAG.schedule] === schedule;
}

/** Deletes one expired snapshot or image; `kept` says why it stayed. */
async function expire(
  ctx: ActionContext,
  repo: string,
  schedule: string,
  item: ExpiredSnapshot,
): Promise<'deleted' | 'gone' | 'in use'> {
  try {
    const tags =
      item.resource === 'image'
        ? (await ctx.ec2.describeImage(ctx.region, item.id)).tags
        : (await ctx.ec2.describeSnapshot(ctx.region, item.id)).tags;
    if (!madeFor(tags, repo, schedule)) {
      throw new ApplyError(
        'unexpected-state',
        `${item.id} is not tagged as made by labops for schedule ${schedule} of ${repo}: not deleted`,
        { resource: item.id },
      );
    }
    if (item.resource === 'image') await ctx.ec2.deregisterImage(ctx.region, item.id);
    else await ctx.ec2.deleteSnapshot(ctx.region, item.id);
    return 'deleted';
  } catch (err: unknown) {
    if (hasAwsCode(err, 'InvalidSnapshot.NotFound', 'InvalidAMIID.NotFound')) return 'gone';
    if (hasAwsCode(err, 'InvalidSnapshot.InUse')) return 'in use';
    throw err;
  }
}

/** Runs a `delete-snapshot` action: every expired item, each tag-checked first. */
export async function runDeleteSnapshot(ctx: ActionContext, details: DeleteSnapshotDetails): Promise<StepResult> {
  const deleted: string[] = [];
  const notes: string[] = [];
  for (const item of details.expired) {
    const outcome = await expire(ctx, details.repo, details.schedule, item);
    if (outcome === 'deleted') deleted.push(item.id);
    else notes.push(outcome === 'gone' ? `${item.id} already gone` : `${item.id} kept: an image uses it`);
  }
  return { snapshotIds: deleted, detail: [`deleted ${deleted.length}`, ...notes].join('; ') };
}
