import type { RegionPriceBlock } from './model.js';
import { US_EAST_1 } from './regions/us-east-1.js';

/** Every region block, one per region; order is the order of PRICING_REGIONS. */
export const REGION_PRICE_BLOCKS: readonly RegionPriceBlock[] = [US_EAST_1];

const BY_REGION: ReadonlyMap<string, RegionPriceBlock> = new Map(
  REGION_PRICE_BLOCKS.map((block) => [block.region, block]),
);

/** Regions for which the table has on-demand prices. */
export const PRICING_REGIONS: readonly string[] = REGION_PRICE_BLOCKS.map((block) => block.region);

/** The price block of a region, or undefined when the region has no prices. */
export function regionPriceBlock(region: string): RegionPriceBlock | undefined {
  return BY_REGION.get(region);
}

/**
 * On-demand Linux, shared-tenancy price in USD per hour, or undefined when the type or the region
 * is not in the table (or the type is not offered there).
 */
export function hourlyPriceUSD(instanceType: string, region: string): number | undefined {
  return BY_REGION.get(region)?.prices[instanceType];
}
