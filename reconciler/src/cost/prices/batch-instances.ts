/**
 * The instance types an AWS Batch compute environment may launch, from its `instanceTypes`
 * (exact types such as `m6i.large`, families such as `c6i`, or `optimal`), and the one the sim
 * (and labops' job cost estimate) takes for a job: the cheapest allowed type that holds it.
 */
import { listInstanceTypes } from './catalog.js';
import type { InstanceRequirement, PricedInstance } from './cheapest.js';
import type { InstanceTypeInfo } from './model.js';
import { hourlyPriceUSD } from './region-prices.js';

/**
 * The families `optimal` stands for in the price table. AWS: "optimal ... instance types (from the
 * C4, M4, and R4 instance families) ... In Regions that don't have instance types from those
 * instance families, instance types from the C5, M5, and R5 instance families are used"
 * (ComputeResource.instanceTypes). The table holds only newer x86 C, M and R families; they
 * stand in for those (same vCPU-to-memory ratios, no GPUs).
 */
export const OPTIMAL_FAMILIES: readonly string[] = ['c6i', 'c7i', 'm6i', 'm7i', 'r6i', 'r7i'];

function matchesName(info: InstanceTypeInfo, name: string): boolean {
  if (name === 'optimal') return OPTIMAL_FAMILIES.includes(info.family);
  return name.includes('.') ? info.instanceType === name : info.family === name;
}

/** The names in `instanceTypes` that are neither a type nor a family in the price table, nor `optimal`. */
export function unknownBatchInstanceTypes(instanceTypes: readonly string[]): string[] {
  const all = listInstanceTypes();
  return instanceTypes.filter((name) => !all.some((info) => matchesName(info, name)));
}

/** Every type of the price table a compute environment with these `instanceTypes` may launch (absent: `optimal`). */
export function batchAllowedTypes(instanceTypes: readonly string[] | undefined): InstanceTypeInfo[] {
  const names = instanceTypes === undefined || instanceTypes.length === 0 ? ['optimal'] : instanceTypes;
  return listInstanceTypes().filter((info) => names.some((name) => matchesName(info, name)));
}

/** On-demand hourly price of a type in a Region, us-east-1's where the Region has no figure. */
function priceOf(instanceType: string, region: string): number | undefined {
  return hourlyPriceUSD(instanceType, region) ?? hourlyPriceUSD(instanceType, 'us-east-1');
}

/**
 * The cheapest type a compute environment with these `instanceTypes` may launch that holds the
 * job (vCPUs, memory, GPUs); ties go to the alphabetically first. Undefined when none does.
 */
export function batchInstanceFor(
  req: InstanceRequirement,
  instanceTypes: readonly string[] | undefined,
  region: string,
): PricedInstance | undefined {
  let best: PricedInstance | undefined;
  for (const info of batchAllowedTypes(instanceTypes)) {
    if (info.vcpus < req.vcpus || info.memoryGiB < req.memoryGiB || info.gpus < (req.gpus ?? 0)) continue;
    if (req.architecture !== undefined && info.architecture !== req.architecture) continue;
    const hourlyUSD = priceOf(info.instanceType, region);
    if (hourlyUSD === undefined) continue;
    if (best === undefined || hourlyUSD < best.hourlyUSD) best = { info, hourlyUSD };
  }
  return best;
}

/** A job's share of its instance's hourly price: its vCPUs over the instance's, times the price. */
export function jobShareHourlyUSD(jobVcpus: number, instance: PricedInstance): number {
  return (Math.min(jobVcpus, instance.info.vcpus) / instance.info.vcpus) * instance.hourlyUSD;
}
