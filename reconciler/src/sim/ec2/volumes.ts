/**
 * EBS volume operations: CreateVolume, DescribeVolumes, AttachVolume, DetachVolume, DeleteVolume,
 * with the states and error codes of the real service (`VolumeInUse`, `IncorrectState`,
 * `InvalidVolume.ZoneMismatch`), plus the sim-only `volume-data` control endpoint.
 */
import { SimError, wireText } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { instancesById, visible } from './describe-instances.js';
import { checkFilterNames, compileFilters, filterPredicate, tagFilterValues } from './filters.js';
import {
  checkId,
  idsWithoutMaxResults,
  notFound,
  pageRequest,
  requireString,
  coercedStringList,
  tagsFor,
  takePage,
} from './input.js';
import { ec2Of, later } from './model.js';
import type { Ec2Volume } from './model.js';
import { volumeOutput } from './output.js';
import { createVolume, removeVolume, VOLUME_TYPES } from './volume-store.js';

const VOLUME_FILTERS: ReadonlySet<string> = new Set([
  'volume-id',
  'status',
  'attachment.instance-id',
  'attachment.status',
  'attachment.device',
  'availability-zone',
  'volume-type',
  'size',
  'snapshot-id',
  'encrypted',
]);

function volumeFilterValues(vol: Ec2Volume, name: string): readonly (string | undefined)[] | undefined {
  switch (name) {
    case 'volume-id':
      return [vol.id];
    case 'status':
      return [vol.state];
    case 'attachment.instance-id':
      return [vol.attachment?.instanceId];
    case 'attachment.status':
      return [vol.attachment?.state];
    case 'attachment.device':
      return [vol.attachment?.device];
    case 'availability-zone':
      return [vol.az];
    case 'volume-type':
      return [vol.volumeType];
    case 'size':
      return [String(vol.size)];
    case 'snapshot-id':
      return [vol.snapshotId];
    case 'encrypted':
      return [String(vol.encrypted)];
  }
  return tagFilterValues(vol.tags, name);
}

/** A volume of this Region by id. @throws {SimError} Malformed / NotFound */
export function volumeById(id: string, ctx: SimContext): Ec2Volume {
  checkId('volume', id);
  const vol = ec2Of(ctx.state).volumes[id];
  if (vol === undefined || vol.region !== ctx.region || !visible(vol.createTime, ctx)) throw notFound('volume', [id]);
  return vol;
}

/** The CreateVolume handler. */
export function createVolumeOp(input: Record<string, unknown>, ctx: SimContext): unknown {
  const az = requireString(input, 'AvailabilityZone');
  if (!az.startsWith(ctx.region)) throw new SimError('InvalidParameterValue', `Invalid availability zone: [${az}]`);
  const snapshotId = typeof input.SnapshotId === 'string' ? input.SnapshotId : undefined;
  const snapshot = snapshotId === undefined ? undefined : ec2Of(ctx.state).snapshots[snapshotId];
  if (snapshotId !== undefined && (snapshot === undefined || snapshot.region !== ctx.region)) {
    checkId('snapshot', snapshotId);
    throw notFound('snapshot', [snapshotId]);
  }
  const size = input.Size === undefined ? snapshot?.volumeSize : Number(input.Size);
  if (size === undefined)
    throw new SimError('MissingParameter', 'The request must contain the parameter size or snapshotId');
  if (!Number.isInteger(size) || size < 1 || size > 65_536 || size < (snapshot?.volumeSize ?? 0)) {
    throw new SimError('InvalidParameterValue', `Volume size ${size} is invalid`);
  }
  const volumeType = typeof input.VolumeType === 'string' ? input.VolumeType : 'gp2';
  if (!VOLUME_TYPES.has(volumeType))
    throw new SimError('InvalidParameterValue', `Value (${volumeType}) for parameter volumeType is invalid.`);
  const tags = tagsFor(input, 'volume', ['volume']);
  const volume = createVolume(ctx, {
    az,
    size,
    volumeType,
    encrypted: input.Encrypted === true,
    snapshotId,
    tags,
    iops: typeof input.Iops === 'number' ? input.Iops : undefined,
    throughput: typeof input.Throughput === 'number' ? input.Throughput : undefined,
  });
  return volumeOutput(volume);
}

/** The DescribeVolumes handler. */
export function describeVolumes(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ids = coercedStringList(input, 'VolumeIds');
  idsWithoutMaxResults(input, ids, 'volumeSet');
  // AWS documents MaxResults 5–500 and answers a larger value with 500 items, not an error (the AWS CLI sends 1000).
  const page = pageRequest(input, 5, 500, true);
  const filters = compileFilters(input);
  checkFilterNames(filters, VOLUME_FILTERS);
  const matches = filterPredicate(filters, volumeFilterValues);
  const source =
    ids.length > 0
      ? ids.map((id) => volumeById(id, ctx)).sort((a, b) => a.seq - b.seq)
      : Object.values(ec2Of(ctx.state).volumes);
  const result = takePage(source, page, (v) => v.region === ctx.region && visible(v.createTime, ctx) && matches(v));
  return { Volumes: result.items.map(volumeOutput), NextToken: result.nextToken };
}

/** The AttachVolume handler. */
export function attachVolume(input: Record<string, unknown>, ctx: SimContext): unknown {
  const volume = volumeById(requireString(input, 'VolumeId'), ctx);
  const [inst] = instancesById([requireString(input, 'InstanceId')], ctx);
  const device = requireString(input, 'Device');
  if (inst === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  if (volume.attachment !== undefined)
    throw new SimError('VolumeInUse', `${volume.id} is already attached to an instance`);
  if (volume.state !== 'available') throw new SimError('IncorrectState', `vol '${volume.id}' is not 'available'.`);
  if (inst.state !== 'running' && inst.state !== 'stopped')
    throw new SimError('IncorrectInstanceState', `Instance '${inst.id}' is not 'running' or 'stopped'.`);
  if (volume.az !== inst.az)
    throw new SimError(
      'InvalidVolume.ZoneMismatch',
      `The volume '${volume.id}' is not in the same availability zone as instance '${inst.id}'`,
    );
  if (inst.blockDevices.some((d) => d.deviceName === device))
    throw new SimError(
      'InvalidParameterValue',
      `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
    );
  const attachTime = ctx.now.toISOString();
  volume.state = 'in-use';
  volume.attachment = {
    instanceId: inst.id,
    device,
    state: 'attaching',
    attachTime,
    deleteOnTermination: false,
    transitionAt: later(ctx.now, 5),
  };
  inst.blockDevices.push({ deviceName: device, volumeId: volume.id, deleteOnTermination: false, attachTime });
  return { AttachTime: attachTime, Device: device, InstanceId: inst.id, State: 'attaching', VolumeId: volume.id };
}

/** The DetachVolume handler. */
export function detachVolume(input: Record<string, unknown>, ctx: SimContext): unknown {
  const volume = volumeById(requireString(input, 'VolumeId'), ctx);
  const a = volume.attachment;
  if (a === undefined) throw new SimError('IncorrectState', `Volume '${volume.id}' is in the 'available' state.`);
  if (typeof input.InstanceId === 'string' && input.InstanceId !== a.instanceId) {
    throw new SimError(
      'InvalidAttachment.NotFound',
      `The volume '${volume.id}' is not attached to instance '${input.InstanceId}'`,
    );
  }
  const inst = ec2Of(ctx.state).instances[a.instanceId];
  if (
    inst !== undefined &&
    inst.rootDeviceName === a.device &&
    inst.state !== 'stopped' &&
    inst.state !== 'terminated'
  ) {
    throw new SimError('IncorrectState', `Unable to detach root volume '${volume.id}' from instance '${inst.id}'`);
  }
  if (a.state !== 'detaching') {
    a.state = 'detaching';
    a.transitionAt = later(ctx.now, input.Force === true ? 2 : 5);
  }
  return {
    AttachTime: a.attachTime,
    Device: a.device,
    InstanceId: a.instanceId,
    State: 'detaching',
    VolumeId: volume.id,
  };
}

/** The DeleteVolume handler. */
export function deleteVolume(input: Record<string, unknown>, ctx: SimContext): unknown {
  const volume = volumeById(requireString(input, 'VolumeId'), ctx);
  if (volume.attachment !== undefined)
    throw new SimError('VolumeInUse', `Volume ${volume.id} is currently attached to ${volume.attachment.instanceId}`);
  removeVolume(ctx.state, volume.id, ctx.now.toISOString());
  return {};
}

/** Control `POST /_sim/volume-data {volumeId, data}`: sets the sim-only data marker of a volume. */
export function setVolumeData(body: unknown, ctx: SimContext): unknown {
  const { volumeId, data } = (body ?? {}) as { volumeId?: unknown; data?: unknown };
  if (typeof volumeId !== 'string')
    throw new SimError('InvalidParameterValue', 'volume-data: "volumeId" must be a string');
  const volume = ec2Of(ctx.state).volumes[volumeId];
  if (volume === undefined) throw notFound('volume', [volumeId]);
  volume.data = data === undefined || data === null ? undefined : wireText(data);
  return { volumeId, data: volume.data ?? null };
}
