/**
 * Launching a workstation: copy the environment image into the Region first when asked (waiting
 * until the copy is available), RunInstances with the plan's ClientToken, wait for the instance
 * (not-found right after launch is propagation, not absence), then name its volumes. Every step
 * is idempotent, so a retry or a run after a crash finds the same copy and the same instance.
 */
import { hasAwsCode } from '../aws/errors.js';
import type { InstanceDescription, LaunchOptions } from '../aws/ports.js';
import { dataDevices, type CopyImageRequest, type LaunchRequest } from '../model/launch.js';
import { clientToken, TAG } from '../model/tags.js';
import type { ActionContext } from './context.js';
import { waitImage, waitInstance } from './waits.js';

/** A launched instance, settled (running, or stopped if a previous run already stopped it). */
export interface Launched {
  instance: InstanceDescription;
}

async function imageFor(ctx: ActionContext, launch: LaunchRequest, copy: CopyImageRequest | undefined): Promise<{ imageId: string; rootDeviceName: string }> {
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

/** Tags each launched volume with its spec name (`root` for the root), where not yet tagged. */
async function nameVolumes(ctx: ActionContext, instance: InstanceDescription, launch: LaunchRequest, reserved: string[]): Promise<void> {
  const names = new Map<string, string>([[instance.rootDeviceName, 'root']]);
  const devices = dataDevices(launch.volumes.length, reserved);
  for (const [i, volume] of launch.volumes.entries()) names.set(devices[i] ?? '', volume.name);
  const wanted = instance.blockDevices.filter((b) => names.has(b.device));
  if (wanted.length === 0) return;
  const ids = wanted.map((b) => b.volumeId);
  const current = await ctx.wait(`volumes of ${instance.instanceId} visible`, async () => {
    try {
      return await ctx.ec2.describeVolumes(ctx.region, ids);
    } catch (err: unknown) {
      if (hasAwsCode(err, 'InvalidVolume.NotFound')) return undefined;
      throw err;
    }
  });
  for (const b of wanted) {
    const name = names.get(b.device) ?? '';
    if (current.find((v) => v.volumeId === b.volumeId)?.tags[TAG.volume] === name) continue;
    await ctx.ec2.createTags(ctx.region, [b.volumeId], { [TAG.volume]: name });
  }
}

/** Most generations a launch moves past because their tokens died with terminated instances. */
export const MAX_DEAD_TOKENS = 8;

/** The same launch one generation on: its `labops:generation` tag and ClientToken; undefined without the tags to derive them. */
function nextGeneration(request: LaunchRequest): LaunchRequest | undefined {
  const { [TAG.repo]: repo, [TAG.name]: name, [TAG.specHash]: launchHash } = request.tags;
  if (repo === undefined || name === undefined || launchHash === undefined) return undefined;
  const generation = (Number(request.tags[TAG.generation]) || 0) + 1;
  return { ...request, tags: { ...request.tags, [TAG.generation]: String(generation) }, clientToken: clientToken(repo, 'Workstation', name, launchHash, generation) };
}

/**
 * RunInstances with the plan's ClientToken. A token whose instance was terminated outside labops
 * and has since vanished from listings (so the planner could not count it) is dead: EC2 answers
 * `IdempotentInstanceTerminated` to it for good. The launch then takes the next generation's
 * token, deterministically, so a re-run after a crash walks the same tokens to the same instance.
 */
async function runWithLiveToken(ctx: ActionContext, request: LaunchRequest, options: LaunchOptions): Promise<{ instanceId: string; request: LaunchRequest }> {
  let current = request;
  for (let dead = 0; ; dead += 1) {
    try {
      const { instanceId } = await ctx.ec2.launch(current, options);
      return { instanceId, request: current };
    } catch (err: unknown) {
      const next = hasAwsCode(err, 'IdempotentInstanceTerminated') && dead < MAX_DEAD_TOKENS ? nextGeneration(current) : undefined;
      if (next === undefined) throw err;
      ctx.progress(`generation ${current.tags[TAG.generation] ?? '0'} was terminated outside labops; launching generation ${next.tags[TAG.generation]}`);
      current = next;
    }
  }
}

/**
 * Launches (or finds, by ClientToken) the instance of a create or replace.
 * @param reserved device names the new data volumes must avoid (moved volumes will take them)
 * @throws {AwsError} e.g. `InsufficientInstanceCapacity`, `IdempotentParameterMismatch`
 */
export async function launchWorkstation(ctx: ActionContext, launch: LaunchRequest, copy: CopyImageRequest | undefined, reserved: string[] = []): Promise<Launched> {
  const image = await imageFor(ctx, launch, copy);
  // With a copy, the planner leaves imageId (and the labops:ami tag) empty: the copy's id is
  // deterministic (CopyImage ClientToken), so a re-run sends the same RunInstances request.
  const tags = copy === undefined ? launch.tags : { ...launch.tags, [TAG.ami]: image.imageId };
  const { instanceId, request } = await runWithLiveToken(ctx, { ...launch, imageId: image.imageId, tags }, { rootDeviceName: image.rootDeviceName, ...ctx.launch, reservedDevices: reserved });
  ctx.progress(`launched ${instanceId}`);
  const instance = await waitInstance(ctx, instanceId, ['running', 'stopped']);
  await nameVolumes(ctx, instance, request, reserved);
  return { instance };
}
