/**
 * A JobQueue's compute environments as labops creates them: defaults settled (allocation strategy
 * per capacity, minVcpus 0, ecsInstanceRole), Batch's NVIDIA AMI where a GPU type is listed, the
 * ceiling (maxVcpus × the priciest listed type's vCPU-hour, × the bid for Spot), a Batch name that
 * changes exactly when Batch cannot update in place, and CreateComputeEnvironment's input with the
 * project tag on the instances.
 */
import { describe, expect, it } from 'vitest';
import { computeEnvironmentInput } from '../../../../reconciler/src/aws/batch.js';
import { desiredComputeEnvironment } from '../../../../reconciler/src/kinds/job-queue/desired.js';
import { hourlyPriceUSD, instanceTypeInfo } from '../../../../reconciler/src/cost/prices/index.js';
import type { JobQueueComputeEnvironment } from '../../../../reconciler/src/specs/types.js';

const BASE: JobQueueComputeEnvironment = {
  name: 'spot',
  capacity: 'spot',
  instanceTypes: ['m6i.large', 'm6i.xlarge'],
  maxVcpus: 64,
  subnets: ['subnet-0a1b2c3d4e5f60718'],
};

const perVcpu = (type: string): number => hourlyPriceUSD(type, 'us-east-1')! / instanceTypeInfo(type)!.vcpus;

describe('a JobQueue compute environment', () => {
  it('settles the defaults and prices the ceiling (Spot at its bid of the on-demand price)', () => {
    const ce = desiredComputeEnvironment('research', 'us-east-1', { ...BASE, bidPercentage: 50 });

    expect(ce).toMatchObject({
      batchName: expect.stringMatching(/^research-spot-[0-9a-f]{8}$/),
      allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
      minVcpus: 0,
      instanceRole: 'ecsInstanceRole',
    });
    expect(ce.imageType).toBeUndefined();
    expect(ce.ceilingUSDPerHour).toBeCloseTo(64 * Math.max(perVcpu('m6i.large'), perVcpu('m6i.xlarge')) * 0.5, 6);
    expect(
      desiredComputeEnvironment('research', 'us-east-1', { ...BASE, capacity: 'onDemand' }).allocationStrategy,
    ).toBe('BEST_FIT_PROGRESSIVE');
  });

  it.each<[string, Partial<JobQueueComputeEnvironment>, boolean]>([
    ['maxVcpus: updated in place', { maxVcpus: 128 }, false],
    ['minVcpus: updated in place', { minVcpus: 4 }, false],
    ['instance types: a new environment', { instanceTypes: ['m6i.large'] }, true],
    ['capacity: a new environment', { capacity: 'onDemand' }, true],
    ['subnets: a new environment', { subnets: ['subnet-0fedcba9876543210'] }, true],
    ['instance role: a new environment', { instanceRole: 'labRole' }, true],
  ])('%s', (_case, change, renamed) => {
    const before = desiredComputeEnvironment('research', 'us-east-1', BASE).batchName;
    const after = desiredComputeEnvironment('research', 'us-east-1', { ...BASE, ...change }).batchName;

    expect(after !== before).toBe(renamed);
  });

  it('asks for the NVIDIA AMI for GPU types and tags the instances with the project', () => {
    const ce = desiredComputeEnvironment('gpu', 'us-east-1', {
      ...BASE,
      capacity: 'onDemand',
      instanceTypes: ['g5.xlarge'],
    });

    const input = computeEnvironmentInput({
      name: ce.batchName,
      type: 'EC2',
      maxVcpus: ce.maxVcpus,
      minVcpus: ce.minVcpus,
      instanceTypes: ce.instanceTypes,
      allocationStrategy: ce.allocationStrategy,
      subnets: ce.subnets,
      securityGroupIds: ce.securityGroupIds,
      instanceRole: ce.instanceRole,
      ...(ce.imageType === undefined ? {} : { imageType: ce.imageType }),
      tags: { 'labops:project': 'neuro' },
    });

    expect(input.type).toBe('MANAGED');
    expect(input.state).toBe('ENABLED');
    expect(input.computeResources?.ec2Configuration).toEqual([{ imageType: 'ECS_AL2_NVIDIA' }]);
    expect(input.computeResources?.tags).toEqual({ 'labops:project': 'neuro' });
    expect(input.tags).toEqual({ 'labops:project': 'neuro' });
    expect(input.computeResources?.securityGroupIds).toBeUndefined();
  });
});
