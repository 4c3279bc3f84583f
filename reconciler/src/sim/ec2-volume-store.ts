/**
 * Creating and removing volumes and snapshots in the EC2 slice, with their billing segments and
 * the sim-only `data` marker (a volume restored from a snapshot inherits the snapshot's data).
 */
import { SimError } from './contract.js';
import type { SimContext, SimState } from './contract.js';
import { ec2Of, later, newId } from './ec2-model.js';
import type { Ec2Snapshot, Ec2Volume } from './ec2-model.js';
import { closeSegments, openSnapshotSegment, openVolumeSegment } from './ec2-usage.js';

/** Volume types EC2 accepts. */
export const VOLUME_TYPES: ReadonlySet<string> = new Set(['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard']);

/** What a new volume looks like. */
export interface VolumeSpec {
  az: string;
  size: number;
  volumeType: string;
  encrypted: boolean;
  snapshotId?: string;
  tags: Record<string, string>;
  iops?: number;
  throughput?: number;
  /** Created as part of a launch: no `creating` phase. */
  immediate?: boolean;
}

/** Creates a volume (state `creating` unless immediate) and opens its billing segment. */
export function createVolume(ctx: SimContext, spec: VolumeSpec): Ec2Volume {
  const ec2 = ec2Of(ctx.state);
  const { id, seq } = newId(ctx, 'vol');
  const source = spec.snapshotId === undefined ? undefined : ec2.snapshots[spec.snapshotId];
  const volume: Ec2Volume = {
    id,
    seq,
    region: ctx.region,
    az: spec.az,
    size: spec.size,
    volumeType: spec.volumeType,
    iops: spec.iops ?? (spec.volumeType === 'gp3' ? 3000 : undefined),
    throughput: spec.throughput ?? (spec.volumeType === 'gp3' ? 125 : undefined),
    encrypted: spec.encrypted || (source?.encrypted ?? false),
    state: spec.immediate ? 'available' : 'creating',
    availableAt: spec.immediate ? undefined : later(ctx.now, 5 + Math.floor(ctx.random() * 6)),
    createTime: ctx.now.toISOString(),
    snapshotId: spec.snapshotId,
    tags: { ...spec.tags },
    data: source?.data,
  };
  ec2.volumes[id] = volume;
  openVolumeSegment(ctx.state, volume, volume.createTime);
  return volume;
}

/** Removes a volume and closes its billing. */
export function removeVolume(state: SimState, volumeId: string, at: string): void {
  delete ec2Of(state).volumes[volumeId];
  closeSegments(state, volumeId, at);
}

/** Seconds a snapshot of `sizeGiB` stays pending: 30 s plus 2 s per GiB. */
export function snapshotSeconds(sizeGiB: number): number {
  return 30 + 2 * sizeGiB;
}

/** Starts a snapshot of a volume (or a copy of a snapshot) and opens its billing segment. */
export function startSnapshot(
  ctx: SimContext,
  from: { volumeId: string; size: number; encrypted: boolean; data?: string; sourceSnapshotId?: string },
  description: string,
  tags: Record<string, string>,
): Ec2Snapshot {
  const ec2 = ec2Of(ctx.state);
  const { id, seq } = newId(ctx, 'snap');
  const snapshot: Ec2Snapshot = {
    id,
    seq,
    region: ctx.region,
    volumeId: from.volumeId,
    volumeSize: from.size,
    encrypted: from.encrypted,
    state: 'pending',
    startTime: ctx.now.toISOString(),
    completeAt: later(ctx.now, snapshotSeconds(from.size)),
    description,
    tags: { ...tags },
    data: from.data,
    sourceSnapshotId: from.sourceSnapshotId,
  };
  ec2.snapshots[id] = snapshot;
  openSnapshotSegment(ctx.state, snapshot, snapshot.startTime);
  return snapshot;
}

/** Snapshot of one volume, refusing while an earlier snapshot of it is still pending beyond limits. */
export function snapshotVolume(ctx: SimContext, volume: Ec2Volume, description: string, tags: Record<string, string>): Ec2Snapshot {
  if (volume.state === 'creating') throw new SimError('IncorrectState', `Volume '${volume.id}' is in the 'creating' state.`);
  return startSnapshot(ctx, { volumeId: volume.id, size: volume.size, encrypted: volume.encrypted, data: volume.data }, description, tags);
}
