/**
 * Monthly run-rates for cost deltas, from the offline price table.
 *
 * - A running workstation costs its hourly price × the hours it is expected to run in a month:
 *   with a schedule, its weekly work hours × 52 / 12 (calendar breaks are not subtracted: the
 *   estimate is for a teaching month); without one, 730 hours. A workstation whose `spec.state`
 *   is off has no compute cost.
 * - Storage costs root + data volumes × the region's GiB-month price of their type, whatever the
 *   power state (a hibernated root already holds the RAM image within its size).
 * - Types or regions missing from the table cost 0 (the plan cannot price them).
 */
import type { DesiredWorkstation } from '../model/desired.js';
import type { WorkWindow } from '../model/work-hours.js';
import { HOURS_PER_MONTH, hourlyPriceUSD, storagePricesUSD } from './prices/index.js';

/** A volume as far as pricing cares. */
export interface PricedVolume {
  sizeGiB: number;
  type: string;
}

/** Hours per week the windows are open. */
export function weeklyHours(windows: readonly WorkWindow[]): number {
  return windows.reduce((sum, w) => sum + (w.end - w.start) / 60, 0);
}

/** Hours per month the workstation is expected to run: 0 when its spec says off. */
export function expectedRunningHours(ws: DesiredWorkstation): number {
  if (ws.state !== 'running') return 0;
  if (ws.schedule === undefined) return HOURS_PER_MONTH;
  return (weeklyHours(ws.schedule.windows) * 52) / 12;
}

/** Hours per month if the workstation runs by its schedule (or all month), whatever `spec.state` says. */
export function scheduledHours(ws: DesiredWorkstation): number {
  return ws.schedule === undefined ? HOURS_PER_MONTH : (weeklyHours(ws.schedule.windows) * 52) / 12;
}

/** Compute cost per month of `hours` hours of `instanceType` in `region`. */
export function computeMonthlyUSD(instanceType: string, region: string, hours: number): number {
  return (hourlyPriceUSD(instanceType, region) ?? 0) * hours;
}

/** Storage cost per month of volumes in `region` (types without a price are charged as gp3). */
export function storageMonthlyUSD(region: string, volumes: readonly PricedVolume[]): number {
  const prices = storagePricesUSD(region);
  if (prices === undefined) return 0;
  let total = 0;
  for (const volume of volumes) {
    const perGiB =
      volume.type === 'gp2'
        ? prices.gp2GiBMonth
        : volume.type === 'io2' || volume.type === 'io1'
          ? prices.io2GiBMonth
          : prices.gp3GiBMonth;
    total += volume.sizeGiB * perGiB;
  }
  return total;
}

/**
 * What every snapshot cost labops shows is, said in the action's reason: EBS bills a snapshot for
 * the blocks it adds (the first for the volume's written blocks, later ones for the blocks changed
 * since the previous snapshot), which labops cannot see, so it prices the full volume size.
 */
export const SNAPSHOT_COST_NOTE = 'cost at full size, an upper bound: EBS bills only the blocks each snapshot adds';

/** Standard-tier snapshot storage per month for a full copy of `sizeGiB`: an upper bound ({@link SNAPSHOT_COST_NOTE}). */
export function snapshotMonthlyUSD(region: string, sizeGiB: number): number {
  return sizeGiB * (storagePricesUSD(region)?.snapshotGiBMonth ?? 0);
}

/** The volumes a workstation per spec has: a gp3 root and its data volumes. */
export function desiredVolumes(ws: DesiredWorkstation): PricedVolume[] {
  return [{ sizeGiB: ws.rootGiB, type: 'gp3' }, ...ws.volumes];
}

/** The full monthly run-rate of a workstation per spec: expected compute plus storage. */
export function desiredMonthlyUSD(ws: DesiredWorkstation): number {
  return (
    computeMonthlyUSD(ws.instanceType, ws.region, expectedRunningHours(ws)) +
    storageMonthlyUSD(ws.region, desiredVolumes(ws))
  );
}
