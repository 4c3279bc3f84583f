/** CPU architecture as EC2 reports it in `ProcessorInfo.SupportedArchitectures`. */
export type Architecture = 'x86_64' | 'arm64';

/** Hardware facts about one EC2 instance type, as used for cost estimates and hibernation checks. */
export interface InstanceTypeInfo {
  /** API name, e.g. `m6i.large`. */
  instanceType: string;
  /** Part before the dot, e.g. `m6i` or `m7i-flex`. */
  family: string;
  /** Default vCPU count. */
  vcpus: number;
  /** Memory in GiB (EC2 `MemoryInfo.SizeInMiB` / 1024). */
  memoryGiB: number;
  /** Number of GPUs; 0 when none. */
  gpus: number;
  /** GPU model such as `NVIDIA T4`; absent when `gpus` is 0. */
  gpuModel?: string;
  /** CPU architecture. */
  architecture: Architecture;
  /**
   * Whether the type meets AWS's hibernation prerequisites: the family is on the supported list,
   * memory is below 150 GiB and the type is not bare metal.
   */
  hibernationSupported: boolean;
}

/** Where a figure came from, so every number in the table can be traced. */
export interface PriceSource {
  /** What the figure is and who published it. */
  description: string;
  /** Page or file the figure was read from, when it has one. */
  url?: string;
  /** Date the figure was captured, `YYYY-MM-DD`. */
  retrieved: string;
}

/** EBS and VPC prices for one region, in USD. */
export interface StoragePrices {
  /** gp3 provisioned storage per GB-month (baseline 3,000 IOPS / 125 MB/s included). */
  gp3GiBMonth: number;
  /** gp2 provisioned storage per GB-month. */
  gp2GiBMonth: number;
  /** io2 provisioned storage per GB-month (IOPS billed separately, not included). */
  io2GiBMonth: number;
  /** Standard-tier snapshot storage per GB-month. */
  snapshotGiBMonth: number;
  /** Public IPv4 address per hour, in use or idle. */
  publicIpv4Hour: number;
}

/** On-demand Linux prices for one region with their provenance. */
export interface RegionPriceBlock {
  /** Region code, e.g. `us-east-1`. */
  region: string;
  /** Provenance shared by every price in `prices`. */
  source: PriceSource;
  /** USD per instance-hour, on-demand, Linux, shared tenancy, keyed by instance type. */
  prices: Readonly<Record<string, number>>;
  /** Catalogue types deliberately absent from `prices`, with the reason (e.g. not offered). */
  missing?: Readonly<Record<string, string>>;
}

/** Storage prices for one region with the provenance of each figure. */
export interface StoragePriceBlock {
  /** Region code, e.g. `us-east-1`. */
  region: string;
  /** Where each figure came from, keyed like `prices`. */
  sources: Readonly<Record<keyof StoragePrices, PriceSource>>;
  /** The figures themselves. */
  prices: StoragePrices;
}

/** Hardware row before derived fields (`family`, `hibernationSupported`) are filled in. */
export interface InstanceSpec {
  /** API name, e.g. `m6i.large`. */
  instanceType: string;
  /** Default vCPU count. */
  vcpus: number;
  /** Memory in GiB. */
  memoryGiB: number;
  /** Number of GPUs. @default 0 */
  gpus?: number;
  /** GPU model, when `gpus` > 0. */
  gpuModel?: string;
  /** CPU architecture. */
  architecture: Architecture;
}
