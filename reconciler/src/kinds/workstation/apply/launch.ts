/**
 * Launching a workstation: copy the environment image into the Region first when asked (waiting
 * until the copy is available), RunInstances with the plan's ClientToken, wait for the instance
 * (not-found right after launch is propagation, not absence), then name its volumes. Every step
 * is idempotent, so a retry or a run after a crash finds the same copy and the same instance.
 * The image is read once per apply and Region (the session keeps it).
 */
import { hasAwsCode } from '../../../aws/errors.js';
import type { InstanceDescription, LaunchOptions } from '../../../aws/ports.js';
import { dataDevices, type CopyImageRequest, type LaunchRequest } from '../../../model/launch.js';
import { clientToken, TAG } from '../../../model/tags.js';
import type { ActionContext } from '../../../engine/apply/context.js';
import { waitImage, waitInstance } from '../../../engine/apply/ec2-waits.js';

/** A launched instance, settled (running, or stopped if a previous run already stopped it). */
export interface Launched {
  instance: InstanceDescription;
}

async function imageFor(
  ctx: ActionContext,
  launch: LaunchRequest,
  copy: CopyImageRequest | undefined,
): Promise<{ imageId: string; rootDeviceName: string }> {
  if (copy === undefined) {
    const image = await ctx.ec2.describeImage(ctx.region, launch.imageId);
    const ready = image.state === 'available' ? image : await waitImage(ctx, launch.imageId);
    return { imageId: ready.imageId, rootDeviceName: ready.rootDeviceName };
  }
  ctx.progress(`copying ${copy.sourceImageId} from ${copy.sourceRegion}`);
  const imageId = await ctx.ec2.copyImage(copy);
  const image = await waitImage(ctx, imageId);
  return { imageId, rootDeviceName: image.rootDeviceName };
}

/**
 * Tags each launched volume with its spec name (`root` for the root). No read first: CreateTags
 * sets a tag whether or not it is there, and the volumes of one name across the apply share one
 * call (the session coalesces same tags). A volume EC2 does not show yet is tagged again with
 * backoff (InvalidVolume.NotFound right after launch is propagation).
 */
export async function nameVolumes(
  ctx: ActionContext,
  instance: InstanceDescription,
  launch: LaunchRequest,
  reserved: string[],
): Promise<void> {
  const names = new Map<string, string>([[instance.rootDeviceName, 'root']]);
  const devices = dataDevices(launch.volumes.length, reserved);
  for (const [i, volume] of launch.volumes.entries()) names.set(devices[i] ?? '', volume.name);
  const byName = new Map<string, string[]>();
  for (const b of instance.blockDevices) {
    const name = names.get(b.device);
    if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), b.volumeId]);
  }
  await settledAll(
    [...byName].map(([name, ids]) =>
      ctx.wait(
        `volumes ${ids.join(', ')} of ${instance.instanceId} named ${name}`,
        async () => {
          try {
            await ctx.ec2.createTags(ctx.region, ids, { [TAG.volume]: name });
            return true;
          } catch (err: unknown) {
            if (hasAwsCode(err, 'InvalidVolume.NotFound')) return undefined;
            throw err;
          }
        },
        { mutates: true },
      ),
    ),
  );
}

/** Waits for every promise; then throws the first failure, if any (none is left running). */
export async function settledAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}

/** Most generations a launch moves past because their tokens died with terminated instances. */
export const MAX_DEAD_TOKENS = 8;

/** The same launch one generation on: its `labops:generation` tag and ClientToken; undefined without the tags to derive them. */
function nextGeneration(request: LaunchRequest): LaunchRequest | undefined {
  const { [TAG.repo]: repo, [TAG.name]: name, [TAG.specHash]: launchHash } = request.tags;
  if (repo === undefined || name === undefined || launchHash === undefined) return undefined;
  const generation = (Number(request.tags[TAG.generation]) || 0) + 1;
  return {
    ...request,
    tags: { ...request.tags, [TAG.generation]: String(generation) },
    clientToken: clientToken(repo, 'Workstation', name, launchHash, generation),
  };
}

/**
 * RunInstances with the plan's ClientToken. A token whose instance was terminated outside labops
 * and has since vanished from listings (so the planner could not count it) is dead: EC2 answers
 * `IdempotentInstanceTerminated` to it for good. The launch then takes the next generation's
 * token, deterministically, so a re-run after a crash walks the same tokens to the same instance.
 */
async function runWithLiveToken(
  ctx: ActionContext,
  request: LaunchRequest,
  options: LaunchOptions,
): Promise<{ instanceId: string; request: LaunchRequest }> {
  let current = request;
  for (let dead = 0; ; dead += 1) {
    try {
      const { instanceId } = await ctx.ec2.launch(current, options);
      return { instanceId, request: current };
    } catch (err: unknown) {
      const next =
        hasAwsCode(err, 'IdempotentInstanceTerminated') && dead < MAX_DEAD_TOKENS ? nextGeneration(current) : undefined;
      if (next === undefined) throw err;
      ctx.progress(
        `generation ${current.tags[TAG.generation] ?? '0'} was terminated outside labops; launching generation ${next.tags[TAG.generation]}`,
      );
      current = next;
    }
  }
}

/** A launched instance, settled, and the request that launched it (its generation may have moved on). */
export interface LaunchedInstance extends Launched {
  request: LaunchRequest;
}

/**
 * Launches (or finds, by ClientToken) an instance and waits until it settles; its volumes are not
 * named yet (see {@link nameVolumes}).
 * @param reserved device names the new data volumes must avoid (moved volumes will take them)
 * @throws {AwsError} e.g. `InsufficientInstanceCapacity`, `IdempotentParameterMismatch`
 */
export async function launchInstance(
  ctx: ActionContext,
  launch: LaunchRequest,
  copy: CopyImageRequest | undefined,
  reserved: string[] = [],
): Promise<LaunchedInstance> {
  const image = await imageFor(ctx, launch, copy);
  // With a copy, the planner leaves imageId (and the labops:ami tag) empty: the copy's id is
  // deterministic (CopyImage ClientToken), so a re-run sends the same RunInstances request.
  const tags = copy === undefined ? launch.tags : { ...launch.tags, [TAG.ami]: image.imageId };
  const { instanceId, request } = await runWithLiveToken(
    ctx,
    { ...launch, imageId: image.imageId, tags },
    { rootDeviceName: image.rootDeviceName, ...ctx.launch, reservedDevices: reserved },
  );
  ctx.progress(`launched ${instanceId}`);
  const instance = await waitInstance(ctx, instanceId, ['running', 'stopped']);
  return { instance, request };
}

/**
 * Launches (or finds, by ClientToken) the instance of a create or replace, and names its volumes.
 * @param reserved device names the new data volumes must avoid (moved volumes will take them)
 * @throws {AwsError} e.g. `InsufficientInstanceCapacity`, `IdempotentParameterMismatch`
 */
export async function launchWorkstation(
  ctx: ActionContext,
  launch: LaunchRequest,
  copy: CopyImageRequest | undefined,
  reserved: string[] = [],
): Promise<Launched> {
  const { instance, request } = await launchInstance(ctx, launch, copy, reserved);
  await nameVolumes(ctx, instance, request, reserved);
  return { instance };
}
