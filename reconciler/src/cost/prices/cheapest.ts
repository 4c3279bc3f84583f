import { listInstanceTypes } from './catalog.js';
import type { Architecture, InstanceTypeInfo } from './model.js';
import { hourlyPriceUSD } from './region-prices.js';

/** Minimum resources a job needs; every field is a lower bound. */
export interface InstanceRequirement {
  /** Minimum vCPUs. */
  vcpus: number;
  /** Minimum memory in GiB. */
  memoryGiB: number;
  /** Minimum GPUs. @default 0 */
  gpus?: number;
  /** Required architecture; any when absent. */
  architecture?: Architecture;
}

/** An instance type together with its hourly price in one region. */
export interface PricedInstance {
  /** Hardware facts. */
  info: InstanceTypeInfo;
  /** On-demand Linux USD per hour in the region asked about. */
  hourlyUSD: number;
}

function satisfies(info: InstanceTypeInfo, req: InstanceRequirement): boolean {
  if (info.vcpus < req.vcpus || info.memoryGiB < req.memoryGiB) return false;
  if (info.gpus < (req.gpus ?? 0)) return false;
  return req.architecture === undefined || info.architecture === req.architecture;
}

/**
 * Cheapest instance type priced in `region` with at least the requested vCPUs, memory and GPUs,
 * for AWS Batch job estimates. Ties go to the alphabetically first type so results are stable.
 */
export function cheapestMatchingInstance(req: InstanceRequirement, region: string): PricedInstance | undefined {
  let best: PricedInstance | undefined;
  for (const info of listInstanceTypes()) {
    if (!satisfies(info, req)) continue;
    const hourlyUSD = hourlyPriceUSD(info.instanceType, region);
    if (hourlyUSD === undefined) continue;
    if (best === undefined || hourlyUSD < best.hourlyUSD) best = { info, hourlyUSD };
  }
  return best;
}
