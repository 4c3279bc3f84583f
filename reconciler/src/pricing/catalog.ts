import { INSTANCE_SPECS } from './instance-specs.js';
import type { InstanceSpec, InstanceTypeInfo, PriceSource } from './model.js';

/**
 * Families whose instances support hibernation on Linux, from the EC2 User Guide
 * "Prerequisites for EC2 instance hibernation" supported-instance-families list.
 * GPU families (g4dn, g5, g6, p3, p4d, p5) are not on that list.
 */
export const HIBERNATION_FAMILIES: ReadonlySet<string> = new Set([
  't3', 't4g', 'm6i', 'm7i', 'm7i-flex', 'm7g', 'c6i', 'c7i', 'c7g', 'r6i', 'r7i', 'r7g',
]);

/** AWS: "instance RAM size must be less than 150 GB" for Linux hibernation. */
export const HIBERNATION_MAX_MEMORY_GIB = 150;

/** Provenance of the hardware specs and the hibernation family list. */
export const SPEC_SOURCES: readonly PriceSource[] = [
  {
    description: 'Instance specs (vCPU, memory, GPU count/model, architecture): Amazon EC2 instance types specifications',
    url: 'https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-type-specifications.html',
    retrieved: '2026-08-21',
  },
  {
    description: 'Hibernation: supported instance families, RAM < 150 GB, no bare metal (EC2 User Guide)',
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
