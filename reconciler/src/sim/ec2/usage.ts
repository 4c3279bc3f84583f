/**
 * Billing segments for EC2 resources (contract {@link UsageSegment}): instance hours while
 * running, EBS GiB-months while a volume exists, snapshot GiB-months while a snapshot exists
 * (of the blocks it alone stores: EBS bills snapshots incrementally, see ec2-volume-store.ts).
 * Prices come from the offline price table; a Region without its own figures falls back to
 * us-east-1's so costs never silently read as zero.
 */
import { hourlyPriceUSD, HOURS_PER_MONTH, storagePricesUSD } from '../../cost/prices/index.js';
import type { StoragePrices } from '../../cost/prices/index.js';
import type { SimState, UsageSegment } from '../core/contract.js';

const COMPUTE = 'Amazon Elastic Compute Cloud - Compute';
const EC2_OTHER = 'EC2 - Other';
const VPC = 'Amazon Virtual Private Cloud';

const openIndex = new WeakMap<UsageSegment[], Map<string, UsageSegment[]>>();

function indexOf(state: SimState): Map<string, UsageSegment[]> {
  let index = openIndex.get(state.usage);
  if (index === undefined) {
    index = new Map();
    for (const segment of state.usage) {
      if (segment.end !== undefined) continue;
      const list = index.get(segment.resourceId) ?? [];
      list.push(segment);
      index.set(segment.resourceId, list);
    }
    openIndex.set(state.usage, index);
  }
  return index;
}

function storagePrices(region: string): StoragePrices | undefined {
  return storagePricesUSD(region) ?? storagePricesUSD('us-east-1');
}

/** Instance-hour price of a type in a Region (us-east-1 when the Region has no figure; 0 if unknown). */
export function instanceHourly(instanceType: string, region: string): number {
  return hourlyPriceUSD(instanceType, region) ?? hourlyPriceUSD(instanceType, 'us-east-1') ?? 0;
}

/** Hourly price of a volume of `sizeGiB` and `volumeType`. */
export function volumeHourly(volumeType: string, sizeGiB: number, region: string): number {
  const prices = storagePrices(region);
  if (prices === undefined) return 0;
  const perMonth =
    volumeType === 'gp2' ? prices.gp2GiBMonth : volumeType.startsWith('io') ? prices.io2GiBMonth : prices.gp3GiBMonth;
  return (perMonth * sizeGiB) / HOURS_PER_MONTH;
}

/** Hourly price of a snapshot storing `sizeGiB` of blocks (standard tier). */
export function snapshotHourly(sizeGiB: number, region: string): number {
  return ((storagePrices(region)?.snapshotGiBMonth ?? 0) * sizeGiB) / HOURS_PER_MONTH;
}

/** Hourly price of one public IPv4 address. */
export function publicIpv4Hourly(region: string): number {
  return storagePrices(region)?.publicIpv4Hour ?? 0;
}

/** Opens a segment at `start`. */
export function openSegment(state: SimState, segment: Omit<UsageSegment, 'end'>): void {
  const open: UsageSegment = { ...segment, tags: { ...segment.tags } };
  state.usage.push(open);
  const index = indexOf(state);
  const list = index.get(open.resourceId) ?? [];
  list.push(open);
  index.set(open.resourceId, list);
}

/** Closes the open segments of a resource at `end` (only those whose usage type starts with `prefix`). */
export function closeSegments(state: SimState, resourceId: string, end: string, prefix = ''): void {
  const index = indexOf(state);
  const list = index.get(resourceId);
  if (list === undefined) return;
  const keep: UsageSegment[] = [];
  for (const segment of list) {
    if (!segment.usageType.startsWith(prefix)) keep.push(segment);
    else segment.end = end;
  }
  if (keep.length === 0) index.delete(resourceId);
  else index.set(resourceId, keep);
}

/** After a tag change: closes each open segment of the resource and reopens it with the new tags. */
export function retagSegments(state: SimState, resourceId: string, tags: Record<string, string>, at: string): void {
  const list = [...(indexOf(state).get(resourceId) ?? [])];
  for (const segment of list) {
    if (segment.start === at) {
      segment.tags = { ...tags };
      continue;
    }
    closeSegments(state, resourceId, at, segment.usageType);
    const { end: _end, ...rest } = segment;
    openSegment(state, { ...rest, start: at, tags });
  }
}

/** Segments of a running instance: box usage and its public IPv4 address. */
export function openInstanceSegments(
  state: SimState,
  inst: { id: string; instanceType: string; region: string; tags: Record<string, string>; publicIp?: string },
  at: string,
): void {
  const base = { resourceId: inst.id, region: inst.region, tags: inst.tags, start: at };
  openSegment(state, {
    ...base,
    service: COMPUTE,
    usageType: `BoxUsage:${inst.instanceType}`,
    hourlyUSD: instanceHourly(inst.instanceType, inst.region),
  });
  if (inst.publicIp !== undefined) {
    openSegment(state, {
      ...base,
      service: VPC,
      usageType: 'PublicIPv4:InUseAddress',
      hourlyUSD: publicIpv4Hourly(inst.region),
    });
  }
}

/** Segment of an existing volume. */
export function openVolumeSegment(
  state: SimState,
  vol: { id: string; volumeType: string; size: number; region: string; tags: Record<string, string> },
  at: string,
): void {
  openSegment(state, {
    resourceId: vol.id,
    service: EC2_OTHER,
    usageType: `EBS:VolumeUsage.${vol.volumeType}`,
    region: vol.region,
    tags: vol.tags,
    start: at,
    hourlyUSD: volumeHourly(vol.volumeType, vol.size, vol.region),
  });
}

/** Segment of an existing snapshot: the GiB it alone stores (`billedGiB`), else its volume size. */
export function openSnapshotSegment(
  state: SimState,
  snap: { id: string; volumeSize: number; billedGiB?: number; region: string; tags: Record<string, string> },
  at: string,
): void {
  openSegment(state, {
    resourceId: snap.id,
    service: EC2_OTHER,
    usageType: 'EBS:SnapshotUsage',
    region: snap.region,
    tags: snap.tags,
    start: at,
    hourlyUSD: snapshotHourly(snap.billedGiB ?? snap.volumeSize, snap.region),
  });
}
