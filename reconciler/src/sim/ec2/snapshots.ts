/**
 * Snapshot operations: CreateSnapshot, CreateSnapshots (every volume of an instance),
 * DescribeSnapshots, DeleteSnapshot (refused while an image uses it) and CopySnapshot. Snapshots
 * carry the volume's `data` marker, and copies carry it on.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { instancesById } from './describe-instances.js';
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
import { ec2Of } from './model.js';
import type { Ec2Snapshot } from './model.js';
import { snapshotOutput } from './output.js';
import { volumeById } from './volumes.js';
import { removeSnapshot, snapshotVolume, startSnapshot } from './volume-store.js';

const SNAPSHOT_FILTERS: ReadonlySet<string> = new Set([
  'snapshot-id',
  'volume-id',
  'status',
  'owner-id',
  'description',
  'encrypted',
  'volume-size',
  'start-time',
  'storage-tier',
]);

function snapshotFilterValues(
  owner: string,
): (snap: Ec2Snapshot, name: string) => readonly (string | undefined)[] | undefined {
  return (snap, name) => {
    switch (name) {
      case 'snapshot-id':
        return [snap.id];
      case 'volume-id':
        return [snap.volumeId];
      case 'status':
        return [snap.state];
      case 'owner-id':
        return [owner];
      case 'description':
        return [snap.description];
      case 'encrypted':
        return [String(snap.encrypted)];
      case 'volume-size':
        return [String(snap.volumeSize)];
      case 'start-time':
        return [snap.startTime];
      case 'storage-tier':
        return ['standard'];
    }
    return tagFilterValues(snap.tags, name);
  };
}

/** A snapshot in `region` by id. @throws {SimError} Malformed / NotFound */
export function snapshotById(id: string, ctx: SimContext, region = ctx.region): Ec2Snapshot {
  checkId('snapshot', id);
  const snap = ec2Of(ctx.state).snapshots[id];
  if (snap === undefined || snap.region !== region) throw notFound('snapshot', [id]);
  return snap;
}

/** The CreateSnapshot handler. */
export function createSnapshot(input: Record<string, unknown>, ctx: SimContext): unknown {
  const volume = volumeById(requireString(input, 'VolumeId'), ctx);
  const tags = tagsFor(input, 'snapshot', ['snapshot']);
  const snap = snapshotVolume(ctx, volume, typeof input.Description === 'string' ? input.Description : '', tags);
  return snapshotOutput(snap, ctx.config.accountId);
}

/** The CreateSnapshots handler: one crash-consistent snapshot per attached volume of an instance. */
export function createSnapshots(input: Record<string, unknown>, ctx: SimContext): unknown {
  const spec = (input.InstanceSpecification ?? {}) as {
    InstanceId?: string;
    ExcludeBootVolume?: boolean;
    ExcludeDataVolumeIds?: string[];
  };
  if (typeof spec.InstanceId !== 'string')
    throw new SimError('MissingParameter', 'The request must contain the parameter InstanceSpecification.InstanceId');
  const [inst] = instancesById([spec.InstanceId], ctx);
  if (inst === undefined || inst.state === 'terminated' || inst.state === 'shutting-down') {
    throw new SimError(
      'IncorrectInstanceState',
      `The instance '${spec.InstanceId}' is not in a state from which snapshots can be taken.`,
    );
  }
  const ec2 = ec2Of(ctx.state);
  const tags = tagsFor(input, 'snapshot', ['snapshot']);
  const description = typeof input.Description === 'string' ? input.Description : '';
  const excluded = new Set(spec.ExcludeDataVolumeIds ?? []);
  const snapshots = [];
  for (const device of inst.blockDevices) {
    if (spec.ExcludeBootVolume === true && device.deviceName === inst.rootDeviceName) continue;
    const volume = ec2.volumes[device.volumeId];
    if (volume === undefined || excluded.has(volume.id)) continue;
    const ownTags = input.CopyTagsFromSource === 'volume' ? { ...volume.tags, ...tags } : tags;
    const snap = snapshotVolume(ctx, volume, description, ownTags);
    snapshots.push({
      SnapshotId: snap.id,
      VolumeId: snap.volumeId,
      State: snap.state,
      StartTime: snap.startTime,
      Progress: '0%',
      OwnerId: ctx.config.accountId,
      VolumeSize: snap.volumeSize,
      Encrypted: snap.encrypted,
      Description: snap.description,
      Tags: snapshotOutput(snap, ctx.config.accountId).Tags,
    });
  }
  return { Snapshots: snapshots };
}

/** The DescribeSnapshots handler: own snapshots (`OwnerIds` self or the account id), never `SnapshotIds` with `MaxResults`. */
export function describeSnapshots(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ids = coercedStringList(input, 'SnapshotIds');
  const owners = coercedStringList(input, 'OwnerIds');
  idsWithoutMaxResults(input, ids, 'snapshotSet');
  // AWS documents MaxResults 5–1,000 and answers a larger value with 1,000 items, not an error.
  const page = pageRequest(input, 5, 1000, true);
  const filters = compileFilters(input);
  checkFilterNames(filters, SNAPSHOT_FILTERS);
  const matches = filterPredicate(filters, snapshotFilterValues(ctx.config.accountId));
  const ownerOk = owners.length === 0 || owners.includes('self') || owners.includes(ctx.config.accountId);
  const source =
    ids.length > 0
      ? ids.map((id) => snapshotById(id, ctx)).sort((a, b) => a.seq - b.seq)
      : Object.values(ec2Of(ctx.state).snapshots);
  const result = takePage(source, page, (s) => ownerOk && s.region === ctx.region && matches(s));
  return { Snapshots: result.items.map((s) => snapshotOutput(s, ctx.config.accountId)), NextToken: result.nextToken };
}

/** The DeleteSnapshot handler. */
export function deleteSnapshot(input: Record<string, unknown>, ctx: SimContext): unknown {
  const snap = snapshotById(requireString(input, 'SnapshotId'), ctx);
  const ec2 = ec2Of(ctx.state);
  const user = Object.values(ec2.images).find((image) => image.devices.some((d) => d.snapshotId === snap.id));
  if (user !== undefined)
    throw new SimError('InvalidSnapshot.InUse', `The snapshot ${snap.id} is currently in use by ${user.id}`);
  removeSnapshot(ctx, snap.id);
  return {};
}

/** The CopySnapshot handler, called in the destination Region. */
export function copySnapshot(input: Record<string, unknown>, ctx: SimContext): unknown {
  const sourceRegion = requireString(input, 'SourceRegion');
  const source = snapshotById(requireString(input, 'SourceSnapshotId'), ctx, sourceRegion);
  if (source.state !== 'completed') throw new SimError('IncorrectState', `Snapshot '${source.id}' is not completed.`);
  const tags = tagsFor(input, 'snapshot', ['snapshot']);
  const description =
    typeof input.Description === 'string' ? input.Description : `[Copied ${source.id} from ${sourceRegion}]`;
  const copy = startSnapshot(
    ctx,
    {
      volumeId: 'vol-ffffffff',
      size: source.volumeSize,
      encrypted: source.encrypted || input.Encrypted === true,
      data: source.data,
      sourceSnapshotId: source.id,
    },
    description,
    tags,
  );
  return { SnapshotId: copy.id, Tags: snapshotOutput(copy, ctx.config.accountId).Tags };
}
