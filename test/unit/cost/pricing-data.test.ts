import { describe, expect, it } from 'vitest';

import {
  HIBERNATION_FAMILIES,
  HIBERNATION_MAX_MEMORY_GIB,
  PRICING_REGIONS,
  REGION_PRICE_BLOCKS,
  SPEC_SOURCES,
  STORAGE_GAPS,
  STORAGE_PRICE_BLOCKS,
  listInstanceTypes,
  priceSources,
} from '../../../reconciler/src/cost/prices/index.js';
import type { PriceSource } from '../../../reconciler/src/cost/prices/index.js';

const REQUIRED_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1'];
const REQUIRED_FAMILIES = [
  't3',
  'm6i',
  'm7i',
  'c6i',
  'c7i',
  'r6i',
  'r7i',
  'm7g',
  'c7g',
  'r7g',
  'g4dn',
  'g5',
  'g6',
  'p3',
  'p4d',
  'p5',
];
const catalogue = listInstanceTypes().map((info) => info.instanceType);

function isDated(source: PriceSource): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(source.retrieved);
  if (match === null) return false;
  const date = new Date(`${source.retrieved}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(source.retrieved);
}

describe('coverage', () => {
  it.each(REQUIRED_REGIONS)('prices region %s', (region) => {
    const listed = PRICING_REGIONS.includes(region);

    expect(listed).toBe(true);
  });

  it.each(REQUIRED_FAMILIES)('has the %s family', (family) => {
    const members = listInstanceTypes().filter((info) => info.family === family);

    expect(members.length).toBeGreaterThan(0);
  });

  it('prices at least 60 types in at least 5 regions', () => {
    const wellCovered = REGION_PRICE_BLOCKS.filter((block) => Object.keys(block.prices).length >= 60);

    expect(catalogue.length).toBeGreaterThanOrEqual(60);
    expect(wellCovered.length).toBeGreaterThanOrEqual(5);
  });
});

describe('region price blocks', () => {
  it.each(REGION_PRICE_BLOCKS.map((block) => [block.region, block] as const))(
    '%s has a source and date',
    (_region, block) => {
      const source = block.source;

      expect(source.description.length).toBeGreaterThan(20);
      expect(isDated(source)).toBe(true);
    },
  );

  it.each(REGION_PRICE_BLOCKS.map((block) => [block.region, block] as const))(
    '%s prices every catalogue type or says why not',
    (_region, block) => {
      const missing = block.missing ?? {};

      const unexplained = catalogue.filter(
        (type) => !Object.hasOwn(block.prices, type) && !Object.hasOwn(missing, type),
      );
      const both = catalogue.filter((type) => Object.hasOwn(block.prices, type) && Object.hasOwn(missing, type));

      expect(unexplained).toEqual([]);
      expect(both).toEqual([]);
      expect(Object.values(missing).every((reason) => reason.length > 10)).toBe(true);
    },
  );

  it.each(REGION_PRICE_BLOCKS.map((block) => [block.region, block] as const))(
    '%s has only catalogue types with positive prices',
    (_region, block) => {
      const entries = Object.entries(block.prices);

      const strays = entries.filter(([type]) => !catalogue.includes(type)).map(([type]) => type);
      const bad = entries.filter(([, price]) => !(price > 0 && price < 200)).map(([type]) => type);

      expect(strays).toEqual([]);
      expect(bad).toEqual([]);
    },
  );
});

describe('storage price blocks', () => {
  it.each(STORAGE_PRICE_BLOCKS.map((block) => [block.region, block] as const))(
    '%s has a dated source for every figure',
    (_region, block) => {
      const fields = Object.keys(block.prices);

      const undated = fields.filter((field) => {
        const sources: Partial<Record<string, (typeof block.sources)[keyof typeof block.sources]>> = block.sources;
        const source = sources[field];
        return source === undefined || !isDated(source) || source.description.length <= 20;
      });

      expect(fields).toHaveLength(5);
      expect(undated).toEqual([]);
    },
  );

  it.each(PRICING_REGIONS.map((region) => [region]))('%s has storage prices or a documented gap', (region) => {
    const hasBlock = STORAGE_PRICE_BLOCKS.some((block) => block.region === region);
    const hasGap = Object.hasOwn(STORAGE_GAPS, region);

    expect(hasBlock !== hasGap).toBe(true);
  });
});

describe('provenance', () => {
  it('lists every source once, each dated', () => {
    const sources = priceSources();

    expect(sources.every(isDated)).toBe(true);
    expect(new Set(sources.map((source) => JSON.stringify(source))).size).toEqual(sources.length);
    expect(sources).toEqual(expect.arrayContaining(SPEC_SOURCES.map((source) => ({ ...source }))));
  });
});

describe('hibernation rule', () => {
  it('never marks a GPU, large-memory or unlisted-family type as hibernatable', () => {
    const wrong = listInstanceTypes().filter(
      (info) =>
        info.hibernationSupported &&
        (info.gpus > 0 || info.memoryGiB >= HIBERNATION_MAX_MEMORY_GIB || !HIBERNATION_FAMILIES.has(info.family)),
    );

    expect(wrong).toEqual([]);
  });
});
