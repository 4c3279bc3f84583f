/**
 * Offline price table: on-demand Linux EC2 prices, EBS/IPv4 prices and instance hardware facts
 * for the regions labops supports, every figure with its source and retrieval date.
 */
import { SPEC_SOURCES } from './catalog.js';
import type { PriceSource } from './model.js';
import { REGION_PRICE_BLOCKS } from './region-prices.js';
import { STORAGE_PRICE_BLOCKS } from './storage-prices.js';

export type {
  Architecture,
  InstanceTypeInfo,
  PriceSource,
  StoragePrices,
  RegionPriceBlock,
  StoragePriceBlock,
} from './model.js';
export type { InstanceRequirement, PricedInstance } from './cheapest.js';
export {
  instanceTypeInfo,
  listInstanceTypes,
  HIBERNATION_FAMILIES,
  HIBERNATION_MAX_MEMORY_GIB,
  SPEC_SOURCES,
} from './catalog.js';
export {
  PRICING_REGIONS,
  hourlyPriceUSD,
  missingPriceReason,
  regionPriceBlock,
  REGION_PRICE_BLOCKS,
} from './region-prices.js';
export { storagePricesUSD, STORAGE_GAPS, STORAGE_PRICE_BLOCKS } from './storage-prices.js';
export { cheapestMatchingInstance } from './cheapest.js';
export {
  OPTIMAL_FAMILIES,
  batchAllowedTypes,
  batchInstanceFor,
  jobShareHourlyUSD,
  unknownBatchInstanceTypes,
} from './batch-instances.js';

/** Hours in an average month, as AWS uses for monthly estimates (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/** Provenance of every figure in the table (region prices, storage, specs), without duplicates. */
export function priceSources(): PriceSource[] {
  const all = [
    ...REGION_PRICE_BLOCKS.map((block) => block.source),
    ...STORAGE_PRICE_BLOCKS.flatMap((block) => Object.values(block.sources)),
    ...SPEC_SOURCES,
  ];
  const unique = new Map(all.map((source) => [JSON.stringify(source), source]));
  return [...unique.values()].map((source) => ({ ...source }));
}
