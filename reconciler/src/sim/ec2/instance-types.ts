/**
 * DescribeInstanceTypes from the offline price table's hardware facts, and
 * ModifyInstanceAttribute (instance type only when stopped, never with hibernation enabled).
 */
import { instanceTypeInfo, listInstanceTypes } from '../../cost/prices/index.js';
import type { InstanceTypeInfo } from '../../cost/prices/index.js';
import { SimError, wireText } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { instancesById } from './describe-instances.js';
import { checkFilterNames, compileFilters, filterPredicate } from './filters.js';
import { pageRequest, requireString, coercedStringList, takePage } from './input.js';

const TYPE_FILTERS: ReadonlySet<string> = new Set([
  'instance-type',
  'hibernation-supported',
  'processor-info.supported-architecture',
  'vcpu-info.default-vcpus',
  'memory-info.size-in-mib',
  'current-generation',
  'bare-metal',
]);

function typeFilterValues(t: InstanceTypeInfo, name: string): readonly string[] | undefined {
  switch (name) {
    case 'instance-type':
      return [t.instanceType];
    case 'hibernation-supported':
      return [String(t.hibernationSupported)];
    case 'processor-info.supported-architecture':
      return [t.architecture];
    case 'vcpu-info.default-vcpus':
      return [String(t.vcpus)];
    case 'memory-info.size-in-mib':
      return [String(Math.round(t.memoryGiB * 1024))];
    case 'current-generation':
      return ['true'];
    case 'bare-metal':
      return [String(t.instanceType.endsWith('.metal'))];
  }
  return undefined;
}

function typeOutput(t: InstanceTypeInfo): Record<string, unknown> {
  return {
    InstanceType: t.instanceType,
    CurrentGeneration: true,
    FreeTierEligible: false,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: t.instanceType.endsWith('.metal'),
    Hypervisor: 'nitro',
    ProcessorInfo: { SupportedArchitectures: [t.architecture] },
    VCpuInfo: { DefaultVCpus: t.vcpus },
    MemoryInfo: { SizeInMiB: Math.round(t.memoryGiB * 1024) },
    InstanceStorageSupported: false,
    EbsInfo: { EbsOptimizedSupport: 'default', EncryptionSupport: 'supported', NvmeSupport: 'required' },
    GpuInfo:
      t.gpus > 0
        ? {
            Gpus: [
              {
                Name: t.gpuModel?.replace(/^NVIDIA /, '') ?? 'GPU',
                Manufacturer: t.gpuModel?.startsWith('NVIDIA') ? 'NVIDIA' : 'Unknown',
                Count: t.gpus,
              },
            ],
          }
        : undefined,
    HibernationSupported: t.hibernationSupported,
    BurstablePerformanceSupported: /^t\d/.test(t.family),
    DedicatedHostsSupported: true,
    AutoRecoverySupported: true,
    SupportedBootModes: t.architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
  };
}

/** The DescribeInstanceTypes handler. */
export function describeInstanceTypes(input: Record<string, unknown>, _ctx: SimContext): unknown {
  const wanted = coercedStringList(input, 'InstanceTypes');
  const unknown = wanted.filter((t) => instanceTypeInfo(t) === undefined);
  if (unknown.length > 0)
    throw new SimError(
      'InvalidInstanceType',
      `The following supplied instance types do not exist: [${unknown.join(', ')}]`,
    );
  const page = pageRequest(input, 5, 100);
  const filters = compileFilters(input);
  checkFilterNames(filters, TYPE_FILTERS);
  const matches = filterPredicate(filters, typeFilterValues);
  const names = new Set(wanted);
  const all = listInstanceTypes().map((t, seq) => ({ t, seq }));
  const result = takePage(all, page, ({ t }) => (names.size === 0 || names.has(t.instanceType)) && matches(t));
  return { InstanceTypes: result.items.map(({ t }) => typeOutput(t)), NextToken: result.nextToken };
}

/** The ModifyInstanceAttribute handler: InstanceType, DisableApiTermination, DisableApiStop, UserData. */
export function modifyInstanceAttribute(input: Record<string, unknown>, ctx: SimContext): unknown {
  const [inst] = instancesById([requireString(input, 'InstanceId')], ctx);
  if (inst === undefined) return {};
  const value = (name: string): unknown =>
    (input[name] as { Value?: unknown } | undefined)?.Value ??
    (input.Attribute === name.charAt(0).toLowerCase() + name.slice(1) ? input.Value : undefined);
  const newType = value('InstanceType');
  if (newType !== undefined) {
    const info = instanceTypeInfo(wireText(newType));
    if (info === undefined)
      throw new SimError('InvalidInstanceAttributeValue', `The instanceType '${wireText(newType)}' is invalid.`);
    if (inst.state !== 'stopped')
      throw new SimError('IncorrectInstanceState', `The instance '${inst.id}' is not in the 'stopped' state.`);
    if (inst.hibernationConfigured)
      throw new SimError(
        'UnsupportedOperation',
        `The instance '${inst.id}' is enabled for hibernation; its instance type cannot be changed.`,
      );
    if (info.architecture !== inst.architecture)
      throw new SimError(
        'InvalidInstanceAttributeValue',
        `The instance type '${info.instanceType}' (${info.architecture}) does not match the architecture of instance '${inst.id}' (${inst.architecture}).`,
      );
    inst.instanceType = info.instanceType;
  }
  const termination = value('DisableApiTermination');
  if (termination !== undefined) inst.disableApiTermination = termination === true || termination === 'true';
  const stop = value('DisableApiStop');
  if (stop !== undefined) inst.disableApiStop = stop === true || stop === 'true';
  const userData = value('UserData');
  if (userData !== undefined) {
    if (inst.state !== 'stopped')
      throw new SimError('IncorrectInstanceState', `The instance '${inst.id}' is not in the 'stopped' state.`);
    inst.userData = wireText(userData);
  }
  return {};
}
