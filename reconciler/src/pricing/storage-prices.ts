import type { StoragePriceBlock, StoragePrices } from './model.js';

/** Storage prices per region, each block with its provenance. */
export const STORAGE_PRICE_BLOCKS: readonly StoragePriceBlock[] = [
  {
    region: 'us-east-1',
    source: {
      description:
        'AWS EBS pricing (gp3 $0.08, gp2 $0.10, io2 $0.125 per GB-month; snapshot standard $0.05 per GB-month) ' +
        'and VPC public IPv4 $0.005/h, US East (N. Virginia); see docs/aws-facts.md section 7',
      url: 'https://aws.amazon.com/ebs/pricing/',
      retrieved: '2026-08-17',
    },
    prices: { gp3GiBMonth: 0.08, gp2GiBMonth: 0.1, io2GiBMonth: 0.125, snapshotGiBMonth: 0.05, publicIpv4Hour: 0.005 },
  },
];

const BY_REGION: ReadonlyMap<string, StoragePriceBlock> = new Map(
  STORAGE_PRICE_BLOCKS.map((block) => [block.region, block]),
);

/** EBS and public IPv4 prices for a region, or undefined when the region is not in the table. */
export function storagePricesUSD(region: string): StoragePrices | undefined {
  const block = BY_REGION.get(region);
  return block === undefined ? undefined : { ...block.prices };
}
