/**
 * EC2 for one apply, within AWS's request buckets: every call waits for its token in the pacer
 * (AWS's bucket sizes, per Region); waits on instances are batched across the apply (see
 * instance-reader.ts); an image is read once per run and Region; CreateTags with the same tags,
 * and StopInstances / StartInstances, made in the same moment by different actions, are one call.
 * Each action sees the session through its own {@link Ec2Port}, whose mutations pass the
 * action's gate right before they are sent.
 */
import { tagList } from '../../aws/ec2-normalise.js';
import type { Ec2Port, ImageDescription } from '../../aws/ports.js';
import { createCoalescer } from './coalesce.js';
import type { CoalescedCall, SendGate } from './coalesce.js';
import { createInstanceReader } from './instance-reader.js';
import type { InstanceReader } from './instance-reader.js';
import { createPacer } from './pacing.js';
import type { Pacer, TimeSource } from './pacing.js';
import type { ApplyLogger } from './types.js';

/** What a session needs. */
export interface Ec2SessionOptions {
  time: TimeSource;
  random(): number;
  /** Longest one wait on an instance lasts. @default 900000 */
  maxWaitMs?: number;
  log?: ApplyLogger;
}

/** EC2 for one apply. */
export interface Ec2Session {
  /** Batched reads of instances, shared by every action. */
  instances: InstanceReader;
  /** The port one action uses; its mutations call `gate` just before they are sent. */
  port(gate: SendGate): Ec2Port;
}

/** Images by Region and id, read once; a read that failed or found the image not yet available is not kept. */
function imageMemo(ec2: Ec2Port, pacer: Pacer): Ec2Port['describeImage'] {
  const images = new Map<string, Promise<ImageDescription>>();
  return (region, imageId) => {
    const key = `${region}|${imageId}`;
    let image = images.get(key);
    if (image === undefined) {
      image = pacer.take(region, 'DescribeImages').then(() => ec2.describeImage(region, imageId));
      images.set(key, image);
      image.then(
        (found) => found.state !== 'available' && images.delete(key),
        () => images.delete(key),
      );
    }
    return image;
  };
}

/** Creates the session over the adapter. */
export function createEc2Session(ec2: Ec2Port, options: Ec2SessionOptions): Ec2Session {
  const pacer = createPacer(options.time);
  const coalescer = createCoalescer(pacer, options.time);
  const instances = createInstanceReader({
    ec2,
    pacer,
    time: options.time,
    random: () => options.random(),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    ...(options.log ? { log: options.log } : {}),
  });
  const describeImage = imageMemo(ec2, pacer);

  async function read<T>(region: string, operation: string, call: () => Promise<T>): Promise<T> {
    await pacer.take(region, operation);
    return call();
  }
  function calls(
    region: string,
    operation: string,
    key: string,
    countsInstances: boolean,
    send: (ids: string[]) => Promise<void>,
  ): CoalescedCall {
    return { region, operation, key, countsInstances, send };
  }

  function port(gate: SendGate): Ec2Port {
    async function mutate<T>(region: string, operation: string, instances: number, call: () => Promise<T>): Promise<T> {
      await pacer.take(region, operation, instances);
      gate();
      return call();
    }
    return {
      observe: (regions, repo, opts) => ec2.observe(regions, repo, opts),
      observeSnapshots: (regions, repo) => ec2.observeSnapshots(regions, repo),
      defaultNetwork: (region) => ec2.defaultNetwork(region),
      describeInstances: (region, ids) => read(region, 'DescribeInstances', () => ec2.describeInstances(region, ids)),
      listInstances: (region, ids) => read(region, 'DescribeInstances', () => ec2.listInstances(region, ids)),
      describeVolumes: (region, ids) => read(region, 'DescribeVolumes', () => ec2.describeVolumes(region, ids)),
      readiness: (region, ids) => read(region, 'DescribeInstanceStatus', () => ec2.readiness(region, ids)),
      listLabopsNamed: (region, names) => read(region, 'DescribeInstances', () => ec2.listLabopsNamed(region, names)),
      findSnapshots: (region, volumeId, tags) =>
        read(region, 'DescribeSnapshots', () => ec2.findSnapshots(region, volumeId, tags)),
      describeSnapshot: (region, snapshotId) =>
        read(region, 'DescribeSnapshots', () => ec2.describeSnapshot(region, snapshotId)),
      listSnapshots: (region, tags) => read(region, 'DescribeSnapshots', () => ec2.listSnapshots(region, tags)),
      describeImage,
      findImages: (region, tags) => read(region, 'DescribeImages', () => ec2.findImages(region, tags)),
      launch: (request, launchOptions) =>
        mutate(request.region, 'RunInstances', 1, () => ec2.launch(request, launchOptions)),
      start: (region, ids) =>
        coalescer.add(
          calls(region, 'StartInstances', '', true, (all) => ec2.start(region, all)),
          ids,
          gate,
        ),
      stop: (region, ids, hibernate = false) =>
        coalescer.add(
          calls(region, 'StopInstances', hibernate ? 'hibernate' : 'stop', true, (all) =>
            ec2.stop(region, all, hibernate),
          ),
          ids,
          gate,
        ),
      modifyInstanceType: (region, id, type) =>
        mutate(region, 'ModifyInstanceAttribute', 0, () => ec2.modifyInstanceType(region, id, type)),
      terminate: (region, id) => mutate(region, 'TerminateInstances', 1, () => ec2.terminate(region, id)),
      createTags: (region, ids, tags) =>
        coalescer.add(
          calls(region, 'CreateTags', JSON.stringify(tagList(tags)), false, (all) => ec2.createTags(region, all, tags)),
          ids,
          gate,
        ),
      deleteTags: (region, ids, keys) => mutate(region, 'DeleteTags', 0, () => ec2.deleteTags(region, ids, keys)),
      createSnapshot: (region, volumeId, tags, description) =>
        mutate(region, 'CreateSnapshot', 0, () => ec2.createSnapshot(region, volumeId, tags, description)),
      detachVolume: (region, volumeId, instanceId) =>
        mutate(region, 'DetachVolume', 0, () => ec2.detachVolume(region, volumeId, instanceId)),
      attachVolume: (region, volumeId, instanceId, device) =>
        mutate(region, 'AttachVolume', 0, () => ec2.attachVolume(region, volumeId, instanceId, device)),
      deleteVolume: (region, volumeId) => mutate(region, 'DeleteVolume', 0, () => ec2.deleteVolume(region, volumeId)),
      copyImage: (request) => mutate(request.region, 'CopyImage', 0, () => ec2.copyImage(request)),
      createImage: (region, instanceId, name, tags) =>
        mutate(region, 'CreateImage', 0, () => ec2.createImage(region, instanceId, name, tags)),
      copySnapshot: (region, sourceRegion, sourceId, tags, description) =>
        mutate(region, 'CopySnapshot', 0, () => ec2.copySnapshot(region, sourceRegion, sourceId, tags, description)),
      deleteSnapshot: (region, snapshotId) =>
        mutate(region, 'DeleteSnapshot', 0, () => ec2.deleteSnapshot(region, snapshotId)),
      deregisterImage: (region, imageId) =>
        mutate(region, 'DeregisterImage', 0, () => ec2.deregisterImage(region, imageId)),
    };
  }

  return { instances, port };
}
