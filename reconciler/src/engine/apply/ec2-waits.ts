/**
 * Waits for EC2 resources to reach a state, by polling reads with backoff. A resource that is
 * not found yet is not absent (eventual consistency): the wait goes on until it appears.
 */
import { hasAwsCode } from '../../aws/errors.js';
import type { ImageDescription, InstanceDescription, SnapshotDescription, VolumeDescription } from '../../aws/ports.js';
import type { InstanceState } from '../../model/observed.js';
import type { ActionContext } from './context.js';
import { ApplyError } from './errors.js';

/**
 * Reads one instance in the next batched round of its Region (with every other instance the apply
 * reads or waits for there); undefined while EC2 does not show it yet.
 */
export function readInstance(ctx: ActionContext, instanceId: string): Promise<InstanceDescription | undefined> {
  return ctx.instances.read(ctx.region, instanceId);
}

/**
 * Waits until an instance is in one of `states`, read in its Region's batched rounds; not shown
 * yet (right after a launch) is not absent: the wait goes on.
 * @throws {ApplyError} `unexpected-state` when it reaches one of `failOn`; `wait-timeout`
 */
export function waitInstance(
  ctx: ActionContext,
  instanceId: string,
  states: InstanceState[],
  failOn: InstanceState[] = ['shutting-down', 'terminated'],
): Promise<InstanceDescription> {
  const what = `${instanceId} ${states.join('/')}`;
  ctx.progress(`waiting for ${what}`);
  return ctx.instances.watch(ctx.region, instanceId, what, (d) => {
    if (d === undefined) return undefined;
    if (states.includes(d.state)) return d;
    if (failOn.includes(d.state))
      throw new ApplyError('unexpected-state', `${instanceId} is ${d.state}, expected ${states.join(' or ')}`, {
        resource: instanceId,
      });
    return undefined;
  });
}

/** Waits until a volume passes `done` (e.g. available, or attached to an instance). */
export function waitVolume(
  ctx: ActionContext,
  volumeId: string,
  what: string,
  done: (v: VolumeDescription) => boolean,
): Promise<VolumeDescription> {
  return ctx.wait(`${volumeId} ${what}`, async () => {
    try {
      const [v] = await ctx.ec2.describeVolumes(ctx.region, [volumeId]);
      return v !== undefined && done(v) ? v : undefined;
    } catch (err: unknown) {
      if (hasAwsCode(err, 'InvalidVolume.NotFound')) return undefined;
      throw err;
    }
  });
}

/** Waits until a snapshot is completed. @throws {ApplyError} `unexpected-state` when it fails */
export function waitSnapshot(ctx: ActionContext, snapshotId: string): Promise<SnapshotDescription> {
  return ctx.wait(`${snapshotId} completed`, async () => {
    try {
      const s = await ctx.ec2.describeSnapshot(ctx.region, snapshotId);
      if (s.state === 'error')
        throw new ApplyError('unexpected-state', `snapshot ${snapshotId} failed`, { resource: snapshotId });
      return s.state === 'completed' ? s : undefined;
    } catch (err: unknown) {
      if (hasAwsCode(err, 'InvalidSnapshot.NotFound')) return undefined;
      throw err;
    }
  });
}

/** Waits until an image is available. @throws {ApplyError} `unexpected-state` when it fails */
export function waitImage(ctx: ActionContext, imageId: string): Promise<ImageDescription> {
  return ctx.wait(`${imageId} available`, async () => {
    try {
      const image = await ctx.ec2.describeImage(ctx.region, imageId);
      if (['failed', 'invalid', 'deregistered', 'error'].includes(image.state)) {
        throw new ApplyError('unexpected-state', `image ${imageId} is ${image.state}`, { resource: imageId });
      }
      return image.state === 'available' ? image : undefined;
    } catch (err: unknown) {
      if (hasAwsCode(err, 'InvalidAMIID.NotFound')) return undefined;
      throw err;
    }
  });
}
