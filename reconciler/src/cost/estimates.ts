/**
 * Cost estimates at list price over a stretch of time, for budget forecasts and the estimate of
 * what ran since Cost Explorer's last update:
 *
 * - a desired workstation costs its planned run-hours × its hourly price, plus its volumes for
 *   the whole stretch whatever its power state (stopped or hibernated costs storage only; the
 *   hibernation RAM image lives inside the root volume, which is sized for it);
 * - an observed instance costs its hourly price while running, plus its attached volumes (what it
 *   cost since Cost Explorer's data end is cost/spend-ledger.ts's);
 * - a Batch job costs vCPU/memory/GPUs × duration × the cheapest instance type that fits, per
 *   array child and attempt.
 */
import type { DesiredLab, DesiredWorkstation } from '../model/desired.js';
import type { ObservedInstance } from '../model/observed.js';
import { cheapestMatchingInstance, HOURS_PER_MONTH, hourlyPriceUSD } from './prices/index.js';
import { desiredVolumes, snapshotMonthlyUSD, storageMonthlyUSD } from './monthly.js';
import type { BudgetOverride } from '../model/budget.js';
import { plannedRunHours } from './run-hours.js';

const HOUR_MS = 3_600_000;

/** A workstation's estimated cost over a stretch, split by what it pays for. */
export interface StretchEstimate {
  runHours: number;
  computeUSD: number;
  storageUSD: number;
  totalUSD: number;
}

/** Cost of `ws` in `[fromMs, toMs)` as planned (schedule, breaks, spec state, budget actions in force). */
export function workstationEstimate(
  ws: DesiredWorkstation,
  lab: DesiredLab,
  fromMs: number,
  toMs: number,
  overrides: readonly BudgetOverride[] = [],
): StretchEstimate {
  const hours = Math.max(0, toMs - fromMs) / HOUR_MS;
  const runHours = plannedRunHours(ws, lab, fromMs, toMs, overrides);
  const computeUSD = (hourlyPriceUSD(ws.instanceType, ws.region) ?? 0) * runHours;
  const storageUSD = (storageMonthlyUSD(ws.region, desiredVolumes(ws)) * hours) / HOURS_PER_MONTH;
  return { runHours, computeUSD, storageUSD, totalUSD: computeUSD + storageUSD };
}

/** What an observed instance costs per hour now: compute while pending or running, plus attached volumes. */
export function observedHourlyUSD(instance: ObservedInstance): number {
  const split = observedHourlyBySource(instance);
  return split.compute + split.volumes;
}

/** {@link observedHourlyUSD} split into compute and volumes (both 0 once terminated or terminating). */
export function observedHourlyBySource(instance: ObservedInstance): { compute: number; volumes: number } {
  if (instance.state === 'terminated' || instance.state === 'shutting-down') return { compute: 0, volumes: 0 };
  const on = instance.state === 'running' || instance.state === 'pending';
  const compute = on ? (hourlyPriceUSD(instance.instanceType, instance.region) ?? 0) : 0;
  const volumes =
    storageMonthlyUSD(
      instance.region,
      instance.attachments.map((a) => ({ sizeGiB: a.sizeGiB, type: a.type })),
    ) / HOURS_PER_MONTH;
  return { compute, volumes };
}

/** What a Batch job asks for: per child, per attempt. */
export interface JobEstimateInput {
  vcpus: number;
  memoryMiB: number;
  /** @default 0 */
  gpus?: number;
  /** Array size; 1 for a single job. @default 1 */
  array?: number;
  /** Expected run time of one child in seconds; the job's timeout is the upper bound to use when unknown. */
  durationSeconds: number;
  /** Attempts to budget for (retries that fail late cost again). @default 1 */
  attempts?: number;
  /** Instance architecture the job's image runs on. @default undefined (any: the cheapest, often Graviton) */
  architecture?: 'x86_64' | 'arm64';
}

/** A job's estimate: the instance type it was priced on and the total. */
export interface JobEstimate {
  instanceType: string;
  hourlyUSD: number;
  /** Instance-hours in all: children × attempts × duration. */
  hours: number;
  usd: number;
}

/**
 * Estimates a Batch job at the cheapest instance type with enough vCPUs, memory and GPUs in
 * `region`, as if each child had that instance to itself (Batch packs children, so this is an
 * upper bound). `undefined` when no priced type fits.
 */
export function estimateJobUSD(job: JobEstimateInput, region: string): JobEstimate | undefined {
  const match = cheapestMatchingInstance(
    {
      vcpus: job.vcpus,
      memoryGiB: job.memoryMiB / 1024,
      gpus: job.gpus ?? 0,
      ...(job.architecture === undefined ? {} : { architecture: job.architecture }),
    },
    region,
  );
  if (match === undefined) return undefined;
  const hours = ((job.array ?? 1) * (job.attempts ?? 1) * job.durationSeconds) / 3600;
  return { instanceType: match.info.instanceType, hourlyUSD: match.hourlyUSD, hours, usd: hours * match.hourlyUSD };
}

/** Monthly cost of keeping snapshots of `sizeGiB` in `region`, each priced as a full copy: an upper bound (EBS bills snapshots incrementally). */
export function snapshotsMonthlyUSD(region: string, sizeGiB: number, count: number): number {
  return snapshotMonthlyUSD(region, sizeGiB) * count;
}
