/**
 * Normalising EC2 SDK shapes into the model: instances with their attachments, volumes, images,
 * snapshots. Pure functions of SDK output, so the adapter stays a thin layer of calls.
 */
import type { Image, Instance, Snapshot, Tag, Volume } from '@aws-sdk/client-ec2';
import { TAG } from '../model/tags.js';
import type {
  InstanceState,
  ObservedAttachment,
  ObservedImage,
  ObservedInstance,
  ObservedVolume,
} from '../model/observed.js';
import type { ImageDescription, InstanceDescription, SnapshotDescription, VolumeDescription } from './ports.js';

const STATES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
]);

/** `[{Key, Value}]` as a record. */
export function tagRecord(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

/** A record as `[{Key, Value}]`, keys sorted so requests are byte-stable. */
export function tagList(tags: Record<string, string>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] }));
}

function stateOf(instance: Instance): InstanceState {
  const name = instance.State?.Name ?? '';
  return (STATES.has(name) ? name : 'pending') as InstanceState;
}

function iso(value: Date | string | undefined): string {
  if (value === undefined) return '';
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** `User initiated (2026-12-05 13:00:12 GMT)`: the time in brackets. */
const TRANSITION_TIME = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/;

/**
 * The time in EC2's `StateTransitionReason` (ISO-8601), when it has one. AWS writes it for a
 * stop, hibernate or terminate, e.g. `User initiated (2026-12-05 13:00:12 GMT)`.
 */
export function transitionTime(reason: string | undefined): string | undefined {
  const m = reason === undefined ? null : TRANSITION_TIME.exec(reason);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** An instance read by id. */
export function describeInstance(instance: Instance): InstanceDescription {
  return {
    instanceId: instance.InstanceId ?? '',
    state: stateOf(instance),
    instanceType: instance.InstanceType ?? '',
    availabilityZone: instance.Placement?.AvailabilityZone ?? '',
    launchTime: iso(instance.LaunchTime),
    rootDeviceName: instance.RootDeviceName ?? '',
    blockDevices: (instance.BlockDeviceMappings ?? []).map((m) => ({
      device: m.DeviceName ?? '',
      volumeId: m.Ebs?.VolumeId ?? '',
      deleteOnTermination: m.Ebs?.DeleteOnTermination ?? false,
    })),
    hibernationConfigured: instance.HibernationOptions?.Configured === true,
    stateReason: instance.StateReason?.Code,
    ...(instance.StateReason?.Message === undefined ? {} : { stateReasonMessage: instance.StateReason.Message }),
    ...(instance.ClientToken ? { clientToken: instance.ClientToken } : {}),
    ...(instance.StateTransitionReason ? { stateTransitionReason: instance.StateTransitionReason } : {}),
    tags: tagRecord(instance.Tags),
  };
}

/**
 * An observed instance, its attachments completed from the volume listing (size, type, name
 * tag) by {@link withVolumes}. Each page of a listing is normalised as it arrives, so the SDK's
 * objects are dropped page by page; the attachments are completed once every volume is known.
 */
export function observeInstance(instance: Instance, region: string): ObservedInstance {
  const d = describeInstance(instance);
  const attachments: ObservedAttachment[] = d.blockDevices.map((b) => {
    const name = b.device === d.rootDeviceName ? 'root' : undefined;
    return {
      volumeId: b.volumeId,
      device: b.device,
      name,
      sizeGiB: 0,
      type: '',
      deleteOnTermination: b.deleteOnTermination,
    };
  });
  const observed: ObservedInstance = {
    instanceId: d.instanceId,
    region,
    state: d.state,
    instanceType: d.instanceType,
    launchTime: d.launchTime,
    imageId: instance.ImageId ?? '',
    tags: d.tags,
    hibernationConfigured: d.hibernationConfigured,
    attachments,
  };
  if (d.stateReason !== undefined) observed.stateReason = d.stateReason;
  const stoppedAt = transitionTime(d.stateTransitionReason);
  if (stoppedAt !== undefined && d.state !== 'running' && d.state !== 'pending') observed.stoppedAt = stoppedAt;
  if (instance.PrivateIpAddress) observed.privateIp = instance.PrivateIpAddress;
  if (instance.PublicIpAddress) observed.publicIp = instance.PublicIpAddress;
  return observed;
}

/** The instance with its attachments' name tag, size and type taken from the volume listing. */
export function withVolumes(
  instance: ObservedInstance,
  volumes: ReadonlyMap<string, ObservedVolume>,
): ObservedInstance {
  const attachments = instance.attachments.map((a) => {
    const volume = volumes.get(a.volumeId);
    if (volume === undefined) return a;
    return { ...a, name: volume.tags[TAG.volume] ?? a.name, sizeGiB: volume.sizeGiB, type: volume.type };
  });
  return { ...instance, attachments };
}

/** A volume read by id. */
export function describeVolume(volume: Volume): VolumeDescription {
  const a = volume.Attachments?.[0];
  const out: VolumeDescription = {
    volumeId: volume.VolumeId ?? '',
    state: volume.State ?? '',
    availabilityZone: volume.AvailabilityZone ?? '',
    tags: tagRecord(volume.Tags),
  };
  if (a?.InstanceId !== undefined) {
    out.attachment = {
      instanceId: a.InstanceId,
      device: a.Device ?? '',
      state: a.State ?? '',
      deleteOnTermination: a.DeleteOnTermination ?? false,
    };
  }
  return out;
}

/** An observed volume. */
export function observeVolume(volume: Volume, region: string): ObservedVolume {
  const d = describeVolume(volume);
  const out: ObservedVolume = {
    volumeId: d.volumeId,
    region,
    availabilityZone: d.availabilityZone,
    sizeGiB: volume.Size ?? 0,
    type: volume.VolumeType ?? '',
    state: d.state,
    tags: d.tags,
  };
  if (d.attachment !== undefined) out.attachedTo = d.attachment.instanceId;
  return out;
}

/** An image read by id or listed. */
export function describeImageOf(image: Image, region: string): ImageDescription {
  const snapshotIds = (image.BlockDeviceMappings ?? [])
    .map((m) => m.Ebs?.SnapshotId)
    .filter((id): id is string => id !== undefined && id !== '');
  const snapshotGiB = (image.BlockDeviceMappings ?? []).reduce((sum, m) => sum + (m.Ebs?.VolumeSize ?? 0), 0);
  return {
    ...(snapshotIds.length > 0 ? { snapshotIds } : {}),
    ...(snapshotGiB > 0 ? { snapshotGiB } : {}),
    imageId: image.ImageId ?? '',
    region,
    name: image.Name ?? '',
    architecture: image.Architecture === 'arm64' ? 'arm64' : 'x86_64',
    creationDate: image.CreationDate ?? '',
    state: image.State ?? '',
    ownerId: image.OwnerId ?? '',
    tags: tagRecord(image.Tags),
    rootDeviceName: image.RootDeviceName ?? '',
  };
}

/** An observed image (with its root device name when AWS gave one). */
export function observeImage(image: Image, region: string): ObservedImage {
  const { rootDeviceName, ...rest } = describeImageOf(image, region);
  return rootDeviceName === '' ? rest : { ...rest, rootDeviceName };
}

/** A snapshot. */
export function describeSnapshotOf(snapshot: Snapshot): SnapshotDescription {
  return {
    snapshotId: snapshot.SnapshotId ?? '',
    volumeId: snapshot.VolumeId ?? '',
    state: snapshot.State ?? '',
    tags: tagRecord(snapshot.Tags),
  };
}
