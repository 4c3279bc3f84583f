import type { RegionPriceBlock } from './model.js';
import { AP_SOUTHEAST_2, EU_CENTRAL_1, EU_WEST_1 } from './regions/europe-asia-pacific.js';
import { CA_CENTRAL_1, US_EAST_2, US_WEST_2 } from './regions/north-america.js';
import { US_EAST_1 } from './regions/us-east-1.js';

/**
 * Every region block, one per region; order is the order of PRICING_REGIONS. us-east-1 comes from
 * the Karpenter-generated table shipped in /work/shared/data, the others from the SkyPilot
 * catalogue (both are captures of the AWS Price List; they agree on every us-east-1 price).
 */
export const REGION_PRICE_BLOCKS: readonly RegionPriceBlock[] = [
  US_EAST_1,
  US_EAST_2,
  US_WEST_2,
  EU_WEST_1,
  EU_CENTRAL_1,
  AP_SOUTHEAST_2,
  CA_CENTRAL_1,
];

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
 * is not in the table, or the type is not offered there (see the block's `missing`).
 */
export function hourlyPriceUSD(instanceType: string, region: string): number | undefined {
  const prices = BY_REGION.get(region)?.prices;
  if (prices === undefined || !Object.hasOwn(prices, instanceType)) return undefined;
  return prices[instanceType];
}

/**
 * Why a catalogue type has no price in a region, or undefined when it has one (or the region
 * is unknown). Lets callers tell "not offered there" from "unknown type".
 */
export function missingPriceReason(instanceType: string, region: string): string | undefined {
  const missing = BY_REGION.get(region)?.missing;
  if (missing === undefined || !Object.hasOwn(missing, instanceType)) return undefined;
  return missing[instanceType];
}
