import { describe, expect, it } from 'vitest';

import {
  HOURS_PER_MONTH,
  cheapestMatchingInstance,
  hourlyPriceUSD,
  instanceTypeInfo,
  listInstanceTypes,
  missingPriceReason,
  storagePricesUSD,
} from '../../../reconciler/src/cost/prices/index.js';
import type { Architecture } from '../../../reconciler/src/cost/prices/index.js';

describe('hourlyPriceUSD', () => {
  it.each([
    ['m6i.large', 'us-east-1', 0.096],
    ['r6i.2xlarge', 'us-east-1', 0.504],
    ['p4d.24xlarge', 'us-east-1', 21.957642],
    ['p5.48xlarge', 'us-east-1', 55.04],
    ['t3.medium', 'us-east-1', 0.0416],
    ['g5.xlarge', 'us-east-1', 1.006],
    ['m7g.large', 'us-east-1', 0.0816],
    ['c7g.large', 'us-east-2', 0.0723],
    ['t3.2xlarge', 'us-west-2', 0.3328],
    ['m6i.large', 'eu-west-1', 0.107],
    ['g5.xlarge', 'eu-west-1', 1.123],
    ['m6i.large', 'eu-central-1', 0.115],
    ['p4d.24xlarge', 'eu-central-1', 27.43298],
    ['r7i.2xlarge', 'ap-southeast-2', 0.6342],
    ['t4g.xlarge', 'ca-central-1', 0.1472],
  ])('%s in %s costs %f USD/h', (instanceType, region, expected) => {
    const price = hourlyPriceUSD(instanceType, region);

    expect(price).toEqual(expected);
  });

  it.each([
    ['x9z.huge', 'us-east-1', 'unknown type'],
    ['m6i.large', 'mars-north-1', 'unknown region'],
    ['g6.xlarge', 'eu-west-1', 'not offered in the region'],
    ['p5.48xlarge', 'eu-central-1', 'not offered in the region'],
    ['constructor', 'us-east-1', 'object prototype key'],
  ])('returns undefined for %s in %s (%s)', (instanceType, region) => {
    const price = hourlyPriceUSD(instanceType, region);

    expect(price).toBeUndefined();
  });
});

describe('missingPriceReason', () => {
  it.each([
    ['p5.48xlarge', 'eu-west-1', true],
    ['g6.12xlarge', 'eu-west-1', true],
    ['p5.48xlarge', 'eu-central-1', true],
    ['m6i.large', 'eu-west-1', false],
    ['p5.48xlarge', 'us-east-1', false],
  ])('explains a missing %s in %s: %s', (instanceType, region, explained) => {
    const reason = missingPriceReason(instanceType, region);

    expect(reason !== undefined).toEqual(explained);
  });
});

describe('instanceTypeInfo', () => {
  it.each([
    [
      'r6i.2xlarge',
      { family: 'r6i', vcpus: 8, memoryGiB: 64, gpus: 0, architecture: 'x86_64', hibernationSupported: false },
    ],
    [
      'r7i.2xlarge',
      { family: 'r7i', vcpus: 8, memoryGiB: 64, gpus: 0, architecture: 'x86_64', hibernationSupported: true },
    ],
    ['r6i.8xlarge', { vcpus: 32, memoryGiB: 256, hibernationSupported: false }],
    ['m6i.12xlarge', { vcpus: 48, memoryGiB: 192, hibernationSupported: false }],
    ['m6i.8xlarge', { vcpus: 32, memoryGiB: 128, hibernationSupported: true }],
    ['t3.medium', { vcpus: 2, memoryGiB: 4, hibernationSupported: true }],
    ['m7g.large', { vcpus: 2, memoryGiB: 8, architecture: 'arm64', hibernationSupported: true }],
    ['m7i-flex.large', { family: 'm7i-flex', vcpus: 2, memoryGiB: 8, hibernationSupported: true }],
    ['g5.xlarge', { vcpus: 4, memoryGiB: 16, gpus: 1, gpuModel: 'NVIDIA A10G', hibernationSupported: false }],
    ['g4dn.xlarge', { gpus: 1, gpuModel: 'NVIDIA T4', hibernationSupported: false }],
    ['p3.2xlarge', { vcpus: 8, memoryGiB: 61, gpus: 1, gpuModel: 'NVIDIA V100' }],
    ['p4d.24xlarge', { vcpus: 96, memoryGiB: 1152, gpus: 8, gpuModel: 'NVIDIA A100' }],
    ['p5.48xlarge', { vcpus: 192, memoryGiB: 2048, gpus: 8, gpuModel: 'NVIDIA H100' }],
  ])('describes %s', (instanceType, expected) => {
    const info = instanceTypeInfo(instanceType);

    expect(info).toMatchObject({ instanceType, ...expected });
  });

  it('leaves gpuModel out when there is no GPU', () => {
    const info = instanceTypeInfo('c7i.large');

    expect(info).not.toHaveProperty('gpuModel');
  });

  it('returns undefined for an unknown type', () => {
    const info = instanceTypeInfo('x9z.huge');

    expect(info).toBeUndefined();
  });

  it('returns a copy that callers cannot use to change the table', () => {
    const info = instanceTypeInfo('m6i.large');

    if (info !== undefined) info.vcpus = 999;

    expect(instanceTypeInfo('m6i.large')?.vcpus).toEqual(2);
  });
});

describe('listInstanceTypes', () => {
  it('returns every type sorted by name', () => {
    const names = listInstanceTypes().map((info) => info.instanceType);

    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(new Set(names).size).toEqual(names.length);
  });
});

describe('cheapestMatchingInstance', () => {
  it.each([
    [{ vcpus: 2, memoryGiB: 4 }, 'us-east-1', 't4g.medium', 0.0336],
    [{ vcpus: 2, memoryGiB: 4, architecture: 'x86_64' as Architecture }, 'eu-west-1', 't3.medium', 0.0456],
    [{ vcpus: 4, memoryGiB: 16, gpus: 1 }, 'us-east-1', 'g4dn.xlarge', 0.526],
    [{ vcpus: 4, memoryGiB: 16, gpus: 1 }, 'eu-west-1', 'g4dn.xlarge', 0.587],
    [{ vcpus: 8, memoryGiB: 64 }, 'eu-central-1', 'r7g.2xlarge', 0.5168],
    [{ vcpus: 96, memoryGiB: 768, gpus: 8 }, 'us-east-1', 'g6.48xlarge', 13.3504],
    [{ vcpus: 96, memoryGiB: 768, gpus: 8 }, 'eu-west-1', 'g5.48xlarge', 18.18233],
  ])('picks the cheapest match for %o in %s', (req, region, expectedType, expectedPrice) => {
    const result = cheapestMatchingInstance(req, region);

    expect(result?.info.instanceType).toEqual(expectedType);
    expect(result?.hourlyUSD).toEqual(expectedPrice);
  });

  it.each([
    [{ vcpus: 1000, memoryGiB: 1 }, 'us-east-1'],
    [{ vcpus: 2, memoryGiB: 4, gpus: 16 }, 'us-east-1'],
    [{ vcpus: 2, memoryGiB: 4 }, 'mars-north-1'],
  ])('returns undefined when nothing fits %o in %s', (req, region) => {
    const result = cheapestMatchingInstance(req, region);

    expect(result).toBeUndefined();
  });
});

describe('storagePricesUSD', () => {
  it.each([
    [
      'us-east-1',
      { gp3GiBMonth: 0.08, gp2GiBMonth: 0.1, io2GiBMonth: 0.125, snapshotGiBMonth: 0.05, publicIpv4Hour: 0.005 },
    ],
    ['us-west-2', { gp3GiBMonth: 0.08, snapshotGiBMonth: 0.05 }],
    ['eu-west-1', { gp3GiBMonth: 0.088, gp2GiBMonth: 0.11, io2GiBMonth: 0.138, snapshotGiBMonth: 0.05 }],
    ['eu-central-1', { gp3GiBMonth: 0.0952, gp2GiBMonth: 0.119, io2GiBMonth: 0.149, snapshotGiBMonth: 0.054 }],
    ['ap-southeast-2', { gp3GiBMonth: 0.096, gp2GiBMonth: 0.12, snapshotGiBMonth: 0.055 }],
  ])('prices storage in %s', (region, expected) => {
    const prices = storagePricesUSD(region);

    expect(prices).toMatchObject(expected);
  });

  it.each(['us-east-2', 'ca-central-1', 'mars-north-1'])('returns undefined for %s', (region) => {
    const prices = storagePricesUSD(region);

    expect(prices).toBeUndefined();
  });

  it('uses 730 hours per month', () => {
    expect(HOURS_PER_MONTH).toEqual(730);
  });
});
