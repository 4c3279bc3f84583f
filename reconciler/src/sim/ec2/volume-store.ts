/**
 * Creating and removing volumes and snapshots in the EC2 slice, with their billing segments and
 * the sim-only `data` marker (a volume restored from a snapshot inherits the snapshot's data).
 *
 * Snapshots are billed as EBS bills them, incrementally, over a changed-block count per volume:
 * the attached instance's write rate (`ebsWriteGiBPerDay` of its `POST /_sim/load` profile,
 * default 2 GiB/day) adds to the volume's written and changed blocks, each capped at its size.
 * - the first snapshot of a volume stores every written block; a volume restored from a snapshot
 *   starts with that snapshot's data written (blocks of a public image count as its owner's);
 * - every later snapshot of the volume stores the blocks changed since the previous one;
 * - a copy into a Region holding no copy of the same volume's snapshots is a full copy of the
 *   source's data; later copies there store what the source itself stores (incremental);
 * - deleting a snapshot moves all its blocks to the next snapshot of the same volume in the
 *   Region (a simplification: AWS moves only those the next one still needs, so this is an upper
 *   bound), or back to the volume's changed blocks when it was the latest.
 * Writes are counted while a volume is attached, whatever the instance's state (again an upper
 * bound for a workstation stopped at night), to the instance attached when they are counted.
 */
import { SimError } from '../core/contract.js';
import type { SimContext, SimState } from '../core/contract.js';
import { ec2Of, later, newId } from './model.js';
import type { Ec2Snapshot, Ec2Volume } from './model.js';
import { closeSegments, openSnapshotSegment, openVolumeSegment } from './usage.js';
import { cloudWatchStateOf, writtenGiB } from '../cloudwatch/load.js';

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
    usedGiB: Math.min(spec.size, source === undefined ? 0 : (source.fullGiB ?? source.volumeSize)),
    changedGiB: 0,
    writesCountedAt: ctx.now.toISOString(),
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

/** Adds the blocks written to a volume since they were last counted (see the file comment). */
export function countWrites(ctx: SimContext, volume: Ec2Volume): void {
  const now = ctx.now.getTime();
  const since = Date.parse(volume.writesCountedAt ?? volume.createTime);
  const attached = volume.attachment?.instanceId;
  const written =
    attached !== undefined && now > since ? writtenGiB(cloudWatchStateOf(ctx.state), attached, since, now) : 0;
  volume.usedGiB = Math.min(volume.size, (volume.usedGiB ?? 0) + written);
  volume.changedGiB = Math.min(volume.size, (volume.changedGiB ?? 0) + written);
  volume.writesCountedAt = ctx.now.toISOString();
}

/** GiB a new snapshot restores and GiB it alone stores (bills), as the file comment says. */
function snapshotBilling(
  ctx: SimContext,
  from: { volumeId: string; size: number; sourceSnapshotId?: string },
): { fullGiB: number; billedGiB: number; originVolumeId?: string } {
  const ec2 = ec2Of(ctx.state);
  if (from.sourceSnapshotId !== undefined) {
    const source = ec2.snapshots[from.sourceSnapshotId];
    if (source === undefined) return { fullGiB: from.size, billedGiB: from.size };
    const origin = source.originVolumeId ?? source.volumeId;
    const fullGiB = source.fullGiB ?? source.volumeSize;
    const earlier = Object.values(ec2.snapshots).some(
      (s) => s.region === ctx.region && s.id !== source.id && s.originVolumeId === origin,
    );
    return { fullGiB, billedGiB: earlier ? (source.billedGiB ?? fullGiB) : fullGiB, originVolumeId: origin };
  }
  const volume = ec2.volumes[from.volumeId];
  if (volume === undefined) return { fullGiB: from.size, billedGiB: from.size };
  countWrites(ctx, volume);
  const fullGiB = volume.usedGiB ?? 0;
  const billedGiB = volume.snapshotted === true ? (volume.changedGiB ?? 0) : fullGiB;
  volume.changedGiB = 0;
  volume.snapshotted = true;
  return { fullGiB, billedGiB, originVolumeId: volume.id };
}

/**
 * Removes a snapshot and closes its billing; its blocks move to the next snapshot of the same
 * volume in the Region (billed from now on), or back to the volume's changed blocks.
 */
export function removeSnapshot(ctx: SimContext, snapshotId: string): void {
  const ec2 = ec2Of(ctx.state);
  const snap = ec2.snapshots[snapshotId];
  if (snap === undefined) return;
  const at = ctx.now.toISOString();
  delete ec2.snapshots[snapshotId];
  closeSegments(ctx.state, snapshotId, at);
  const blocks = snap.billedGiB ?? snap.volumeSize;
  if (snap.originVolumeId === undefined || blocks <= 0) return;
  const next = Object.values(ec2.snapshots)
    .filter((s) => s.region === snap.region && s.originVolumeId === snap.originVolumeId && s.seq > snap.seq)
    .sort((a, b) => a.seq - b.seq)[0];
  if (next !== undefined) {
    next.billedGiB = Math.min(next.fullGiB ?? next.volumeSize, (next.billedGiB ?? next.volumeSize) + blocks);
    closeSegments(ctx.state, next.id, at);
    openSnapshotSegment(ctx.state, next, at);
    return;
  }
  const volume = ec2.volumes[snap.originVolumeId];
  if (volume !== undefined && volume.region === snap.region) {
    countWrites(ctx, volume);
    volume.changedGiB = Math.min(volume.size, (volume.changedGiB ?? 0) + blocks);
  }
}

/** Starts a snapshot of a volume (or a copy of a snapshot) and opens its billing segment (incremental, see above). */
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
    ...snapshotBilling(ctx, from),
  };
  ec2.snapshots[id] = snapshot;
  openSnapshotSegment(ctx.state, snapshot, snapshot.startTime);
  return snapshot;
}

/** Snapshot of one volume, refusing while an earlier snapshot of it is still pending beyond limits. */
export function snapshotVolume(
  ctx: SimContext,
  volume: Ec2Volume,
  description: string,
  tags: Record<string, string>,
): Ec2Snapshot {
  if (volume.state === 'creating')
    throw new SimError('IncorrectState', `Volume '${volume.id}' is in the 'creating' state.`);
  return startSnapshot(
    ctx,
    { volumeId: volume.id, size: volume.size, encrypted: volume.encrypted, data: volume.data },
    description,
    tags,
  );
}
