/**
 * Where a project's dollars go, in five sources every cost figure is split by:
 *
 * - **compute**: EC2 instance hours (Cost Explorer usage types `BoxUsage:*`, `SpotUsage:*`, with or
 *   without a Region prefix such as `USW2-`), workstations and, in Cost Explorer's actuals, the
 *   instances Batch runs (AWS bills them as EC2; a GetCostAndUsage groups by two keys at most, so
 *   the project tag and the usage type leave no room to tell them apart);
 * - **volumes**: EBS volume storage, IOPS and throughput (`EBS:VolumeUsage*`, `EBS:VolumeIOUsage*`,
 *   `EBS:VolumeP-IOPS*`, `EBS:VolumeP-Throughput*`);
 * - **snapshots**: EBS snapshot and image storage (`EBS:SnapshotUsage*`, `EBS:SnapshotArchive*`),
 *   split per SnapshotSchedule and Region (copies apart) where labops prices them itself;
 * - **batch**: Batch jobs labops plans to run (their estimate, in the forecast);
 * - **other**: everything else (public IPv4 addresses, data transfer, ...).
 */

/** The sources, in the order reports list them. */
export const COST_SOURCES = ['compute', 'volumes', 'snapshots', 'batch', 'other'] as const;

/** One source of spend. */
export type CostSource = (typeof COST_SOURCES)[number];

/** USD per source. */
export type SourceSplit = Record<CostSource, number>;

/** A split of zeros. */
export function emptySplit(): SourceSplit {
  return { compute: 0, volumes: 0, snapshots: 0, batch: 0, other: 0 };
}

/** The sum of some splits, source by source. */
export function addSplits(...splits: readonly Partial<SourceSplit>[]): SourceSplit {
  const out = emptySplit();
  for (const split of splits) for (const source of COST_SOURCES) out[source] += split[source] ?? 0;
  return out;
}

/** The total of a split. */
export function splitTotal(split: Partial<SourceSplit>): number {
  return COST_SOURCES.reduce((sum, source) => sum + (split[source] ?? 0), 0);
}

/** A split with every figure rounded to cents (for JSON and the record). */
export function roundSplit(split: SourceSplit): SourceSplit {
  const out = emptySplit();
  for (const source of COST_SOURCES) out[source] = Math.round(split[source] * 100) / 100;
  return out;
}

/** Cost Explorer's Region prefix on a usage type outside us-east-1 (`USW2-`, `EUC1-`, `APN1-`...). */
const REGION_PREFIX = /^[A-Z]{2,4}\d?-(?=[A-Za-z])/;

/** The source of a Cost Explorer USAGE_TYPE value. */
export function sourceOfUsageType(usageType: string): CostSource {
  const type = usageType.replace(REGION_PREFIX, '');
  if (/^(BoxUsage|SpotUsage|DedicatedUsage|HostUsage)(:|$)/.test(type)) return 'compute';
  if (/^EBS:Volume(Usage|IOUsage|P-IOPS|P-Throughput)/.test(type)) return 'volumes';
  if (/^EBS:Snapshot(Usage|Archive)/.test(type)) return 'snapshots';
  return 'other';
}

/** How `labops cost` and the reports name a source. */
export const SOURCE_LABEL: Readonly<Record<CostSource, string>> = {
  compute: 'compute',
  volumes: 'EBS volumes',
  snapshots: 'snapshots & images',
  batch: 'Batch',
  other: 'other',
};
