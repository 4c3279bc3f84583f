import type { PriceSource, StoragePriceBlock, StoragePrices } from './model.js';

const ZOMBIESCAN_TABLE =
  'https://github.com/xbill9/zombiescan/blob/350cba964f4161ce177cfef46920f43879a8b19c/src/zombiescan/pricing/table.json';

/** gp3 / gp2 storage rates outside the aws-facts figures: one AWS Price List capture. */
const EBS_VOLUMES: PriceSource = {
  description:
    'AWS Price List API (pricing:GetProducts, AmazonEC2 Storage, <region>-EBS:VolumeUsage.<type>) on-demand ' +
    'USD per GB-month, as captured in xbill9/zombiescan src/zombiescan/pricing/table.json (generated 2026-09-21T15:33:49Z)',
  url: ZOMBIESCAN_TABLE,
  retrieved: '2026-09-21',
};

/** io2 storage: not listed per region in the capture, so taken as the region's io1 storage rate. */
const IO2_AS_IO1: PriceSource = {
  description:
    "io2 provisioned storage per GB-month taken as the region's io1 (EBS:VolumeUsage.piops) rate from the same " +
    'capture: AWS bills io2 and io1 storage at one rate, and where the capture lists both (ap-southeast-4, ' +
    'eu-south-2) they are equal (0.138). IOPS are billed separately and are not included',
  url: ZOMBIESCAN_TABLE,
  retrieved: '2026-09-21',
};

/** Standard-tier snapshot rates from the same capture, used only where other copies agree. */
const SNAPSHOT_CAPTURE: PriceSource = {
  description:
    'AWS Price List API <region>-EBS:SnapshotUsage per GB-month from the same capture. Used only for us-west-2 ' +
    '(0.05), eu-west-1 (0.05) and eu-central-1 (0.054), where other copies seen agree (AWS bill line items; the ' +
    'AWS-format pricing-ebs.js in ligoj/plugin-prov-aws test resources for eu-west-1). Its us-east-2 (0.027), ' +
    'ca-central-1 (0.029) and ap-southeast-2 (0.029) figures contradict other copies and are not used',
  url: ZOMBIESCAN_TABLE,
  retrieved: '2026-09-21',
};

const SNAPSHOT_SYDNEY: PriceSource = {
  description:
    'AWS Price List description "$0.055 per GB-Month of snapshot data stored - Asia Pacific (Sydney)" printed ' +
    'by aws-samples/amazon-ebs-snapshot-tier-evaluator, which reads it from the Price List API (README sample run, ' +
    'added in commit c52f590c on 2023-06-05)',
  url: 'https://github.com/aws-samples/amazon-ebs-snapshot-tier-evaluator/blob/a8eda5f041aa06fa34946b6c49fd2dc71c87e699/README.md',
  retrieved: '2023-06-05',
};

const US_EAST_1_FACTS: PriceSource = {
  description:
    'docs/aws-facts.md section 7: gp3 "$0.08 per GB-month ... US East (N. Virginia)" (SKU JG3KUJMBRGHV3N8G, ' +
    'AmazonEC2 price list quote) and standard snapshot $0.05 per GB-month (EBS User Guide)',
  url: 'https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-archive-pricing.html',
  retrieved: '2026-08-17',
};

/** AWS charges one flat public IPv4 rate in every commercial region. */
const PUBLIC_IPV4: PriceSource = {
  description:
    'Public IPv4 address $0.005 per hour, in use or idle, same rate in every region (AmazonVPC price list, ' +
    'quoted in docs/aws-facts.md section 7, list of 2026-07-24)',
  url: 'https://aws.amazon.com/vpc/pricing/',
  retrieved: '2026-07-24',
};

function block(region: string, prices: StoragePrices, snapshot: PriceSource, gp3 = EBS_VOLUMES): StoragePriceBlock {
  return {
    region,
    prices,
    sources: {
      gp3GiBMonth: gp3,
      gp2GiBMonth: EBS_VOLUMES,
      io2GiBMonth: IO2_AS_IO1,
      snapshotGiBMonth: snapshot,
      publicIpv4Hour: PUBLIC_IPV4,
    },
  };
}

/** Storage prices per region, each figure with its provenance. */
export const STORAGE_PRICE_BLOCKS: readonly StoragePriceBlock[] = [
  block(
    'us-east-1',
    { gp3GiBMonth: 0.08, gp2GiBMonth: 0.1, io2GiBMonth: 0.125, snapshotGiBMonth: 0.05, publicIpv4Hour: 0.005 },
    US_EAST_1_FACTS,
    US_EAST_1_FACTS,
  ),
  block(
    'us-west-2',
    { gp3GiBMonth: 0.08, gp2GiBMonth: 0.1, io2GiBMonth: 0.125, snapshotGiBMonth: 0.05, publicIpv4Hour: 0.005 },
    SNAPSHOT_CAPTURE,
  ),
  block(
    'eu-west-1',
    { gp3GiBMonth: 0.088, gp2GiBMonth: 0.11, io2GiBMonth: 0.138, snapshotGiBMonth: 0.05, publicIpv4Hour: 0.005 },
    SNAPSHOT_CAPTURE,
  ),
  block(
    'eu-central-1',
    { gp3GiBMonth: 0.0952, gp2GiBMonth: 0.119, io2GiBMonth: 0.149, snapshotGiBMonth: 0.054, publicIpv4Hour: 0.005 },
    SNAPSHOT_CAPTURE,
  ),
  block(
    'ap-southeast-2',
    { gp3GiBMonth: 0.096, gp2GiBMonth: 0.12, io2GiBMonth: 0.138, snapshotGiBMonth: 0.055, publicIpv4Hour: 0.005 },
    SNAPSHOT_SYDNEY,
  ),
];

/**
 * Regions with instance prices but no storage block, and why. Their gp3/gp2/io1 rates are known
 * (us-east-2: 0.08/0.1/0.125, ca-central-1: 0.088/0.11/0.138 in the capture above) but no
 * snapshot rate could be confirmed, and a block needs every figure.
 */
export const STORAGE_GAPS: Readonly<Record<string, string>> = {
  'us-east-2': 'no confirmed standard-snapshot rate (the only capture found says 0.027, which contradicts others)',
  'ca-central-1': 'no confirmed standard-snapshot rate (the only capture found says 0.029, which contradicts others)',
};

const BY_REGION: ReadonlyMap<string, StoragePriceBlock> = new Map(
  STORAGE_PRICE_BLOCKS.map((entry) => [entry.region, entry]),
);

/** EBS and public IPv4 prices for a region, or undefined when the region is not in the table. */
export function storagePricesUSD(region: string): StoragePrices | undefined {
  const found = BY_REGION.get(region);
  return found === undefined ? undefined : { ...found.prices };
}
