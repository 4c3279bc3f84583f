import { describe, expect, it } from 'vitest';

import {
  HOURS_PER_MONTH,
  PRICING_REGIONS,
  cheapestMatchingInstance,
  hourlyPriceUSD,
  instanceTypeInfo,
  listInstanceTypes,
  storagePricesUSD,
} from '../../reconciler/src/pricing/index.js';

describe('hourlyPriceUSD', () => {
  it.each([
    ['m6i.large', 'us-east-1', 0.096],
    ['r6i.2xlarge', 'us-east-1', 0.504],
    ['p4d.24xlarge', 'us-east-1', 21.957642],
    ['t3.medium', 'us-east-1', 0.0416],
    ['g5.xlarge', 'us-east-1', 1.006],
    ['p5.48xlarge', 'us-east-1', 55.04],
    ['m7g.large', 'us-east-1', 0.0816],
  ])('%s in %s costs %f USD/h', (instanceType, region, expected) => {
    const price = hourlyPriceUSD(instanceType, region);

    expect(price).toEqual(expected);
  });

  it.each([
    ['x9z.huge', 'us-east-1'],
    ['m6i.large', 'mars-north-1'],
  ])('returns undefined for %s in %s', (instanceType, region) => {
    const price = hourlyPriceUSD(instanceType, region);

    expect(price).toBeUndefined();
  });
});

describe('instanceTypeInfo', () => {
  it.each([
    ['r6i.2xlarge', { vcpus: 8, memoryGiB: 64, gpus: 0, architecture: 'x86_64', hibernationSupported: true }],
    ['r6i.8xlarge', { vcpus: 32, memoryGiB: 256, gpus: 0, architecture: 'x86_64', hibernationSupported: false }],
    ['g5.xlarge', { vcpus: 4, memoryGiB: 16, gpus: 1, architecture: 'x86_64', hibernationSupported: false }],
    ['m7g.large', { vcpus: 2, memoryGiB: 8, gpus: 0, architecture: 'arm64' }],
  ])('describes %s', (instanceType, expected) => {
    const info = instanceTypeInfo(instanceType);

    expect(info).toMatchObject(expected);
  });

  it('returns undefined for an unknown type', () => {
    const info = instanceTypeInfo('x9z.huge');

    expect(info).toBeUndefined();
  });
});

describe('cheapestMatchingInstance', () => {
  it.each([
    [{ vcpus: 2, memoryGiB: 4 }, 'us-east-1', 't4g.medium'],
    [{ vcpus: 2, memoryGiB: 4, architecture: 'x86_64' as const }, 'us-east-1', 't3.medium'],
    [{ vcpus: 4, memoryGiB: 16, gpus: 1 }, 'us-east-1', 'g4dn.xlarge'],
  ])('picks the cheapest match for %o in %s', (req, region, expected) => {
    const result = cheapestMatchingInstance(req, region);

    expect(result?.info.instanceType).toEqual(expected);
  });
});

describe('table', () => {
  it('lists types sorted by name and prices them in every region', () => {
    const types = listInstanceTypes().map((info) => info.instanceType);

    expect(types).toEqual([...types].sort((a, b) => a.localeCompare(b)));
    expect(types.length).toBeGreaterThanOrEqual(60);
    expect(PRICING_REGIONS).toContain('us-east-1');
    expect(HOURS_PER_MONTH).toEqual(730);
    expect(storagePricesUSD('us-east-1')?.gp3GiBMonth).toEqual(0.08);
  });
});
