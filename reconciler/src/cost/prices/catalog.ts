import { INSTANCE_SPECS } from './instance-specs.js';
import type { InstanceSpec, InstanceTypeInfo, PriceSource } from './model.js';

/**
 * Families whose instances support hibernation (below the RAM limit, not bare metal). Taken from
 * EC2 DescribeInstanceTypes `HibernationSupported` (us-east-1 snapshot in SPEC_SOURCES), which
 * every catalogue type agrees with under this family rule:
 * - Graviton m7g, c7g, r7g and t4g: supported (since the 2024 Graviton AMIs listed on the
 *   EC2 User Guide hibernation-prerequisites page; DescribeInstanceTypes says true).
 * - r6i: NOT supported. DescribeInstanceTypes reports false for every r6i size, and neither
 *   the 2023 Linux list nor the Windows list in the User Guide names R6i (r7i is supported).
 * - GPU families g4dn, g5, g6, p3, p4d, p5: not supported (false in DescribeInstanceTypes,
 *   absent from every published list).
 */
export const HIBERNATION_FAMILIES: ReadonlySet<string> = new Set([
  't3',
  't4g',
  'm6i',
  'm7i',
  'm7i-flex',
  'm7g',
  'c6i',
  'c7i',
  'c7g',
  'r7i',
  'r7g',
]);

/** AWS: "instance RAM size must be less than 150 GB" for Linux hibernation. */
export const HIBERNATION_MAX_MEMORY_GIB = 150;

/** Provenance of the hardware specs and of the hibernation rule. */
export const SPEC_SOURCES: readonly PriceSource[] = [
  {
    description:
      'Instance specs (DefaultVCpus, MemoryInfo.SizeInMiB / 1024, GpuInfo count and model, ' +
      'SupportedArchitectures) and HibernationSupported: EC2 DescribeInstanceTypes output for us-east-1 ' +
      'captured in fiam/dc2 pkg/dc2/instancetype/data/instance_types.json (generated_at 2026-02-19), ' +
      'commit 99cd4d8f37a96ca51e43bd71063d0a05007b92c7; all 117 catalogue rows match it',
    url: 'https://github.com/fiam/dc2/blob/99cd4d8f37a96ca51e43bd71063d0a05007b92c7/pkg/dc2/instancetype/data/instance_types.json',
    retrieved: '2026-02-19',
  },
  {
    description: 'Hibernation: RAM < 150 GB, no bare metal, Graviton AMIs supported (EC2 User Guide)',
    url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/hibernating-prerequisites.html',
    retrieved: '2026-08-21',
  },
];

function familyOf(instanceType: string): string {
  const dot = instanceType.indexOf('.');
  return dot < 0 ? instanceType : instanceType.slice(0, dot);
}

function supportsHibernation(spec: InstanceSpec, family: string): boolean {
  if (spec.instanceType.endsWith('.metal') || spec.instanceType.includes('.metal-')) return false;
  if (spec.memoryGiB >= HIBERNATION_MAX_MEMORY_GIB) return false;
  return HIBERNATION_FAMILIES.has(family);
}

function toInfo(spec: InstanceSpec): InstanceTypeInfo {
  const family = familyOf(spec.instanceType);
  const info: InstanceTypeInfo = {
    instanceType: spec.instanceType,
    family,
    vcpus: spec.vcpus,
    memoryGiB: spec.memoryGiB,
    gpus: spec.gpus ?? 0,
    architecture: spec.architecture,
    hibernationSupported: supportsHibernation(spec, family),
  };
  if (spec.gpuModel !== undefined) info.gpuModel = spec.gpuModel;
  return info;
}

const CATALOG: ReadonlyMap<string, InstanceTypeInfo> = new Map(
  INSTANCE_SPECS.map((spec) => [spec.instanceType, toInfo(spec)]),
);

/** Hardware facts for an instance type, or undefined when it is not in the table. */
export function instanceTypeInfo(instanceType: string): InstanceTypeInfo | undefined {
  const info = CATALOG.get(instanceType);
  return info === undefined ? undefined : { ...info };
}

/** Every instance type in the table, sorted by name. */
export function listInstanceTypes(): InstanceTypeInfo[] {
  return [...CATALOG.values()]
    .map((info) => ({ ...info }))
    .sort((a, b) => a.instanceType.localeCompare(b.instanceType));
}
