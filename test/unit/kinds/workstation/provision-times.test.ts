/**
 * Which workstations a run reads the provisioning time of (running, this repository's, an imaged
 * environment, not measured yet, started recently; the newest first, a bounded number), how the
 * record keeps the measurements (the newest 500, both writers' merged), and the median a figure is.
 */
import { describe, expect, it } from 'vitest';
import { MAX_READS, measuredSeconds, toMeasure } from '../../../../reconciler/src/kinds/workstation/provision-times.js';
import { MAX_PROVISION_TIMES, boundedProvisionTimes } from '../../../../reconciler/src/record/provision-times.js';
import type { ProvisionTimes } from '../../../../reconciler/src/record/provision-times.js';
import { mergeRecords } from '../../../../reconciler/src/record/merge.js';
import { emptyRecord } from '../../../../reconciler/src/model/record.js';
import type { ObservedInstance } from '../../../../reconciler/src/model/observed.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { REPO, environment, instanceOf, workstation } from './plan-fixtures.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const ago = (hours: number): string => new Date(NOW.getTime() - hours * HOUR).toISOString();
const ws = workstation({ environment: environment({ name: 'neuroimaging', version: '1.2.0' }) });
const IMAGED = new Set(['neuroimaging']);

function instance(id: string, overrides: Partial<ObservedInstance> = {}, tags: Record<string, string> = {}) {
  const base = instanceOf(ws, { launchTime: ago(1) });
  return { ...base, instanceId: id, ...overrides, tags: { ...base.tags, ...tags } };
}

describe('toMeasure', () => {
  it.each<[string, ObservedInstance, ProvisionTimes, boolean]>([
    ['running, started an hour ago, not measured', instance('i-1'), {}, true],
    ['stopped', instance('i-1', { state: 'stopped' }), {}, false],
    ['another repository’s', instance('i-1', {}, { [TAG.repo]: 'someone/else' }), {}, false],
    ['not a Workstation', instance('i-1', {}, { [TAG.kind]: 'Job' }), {}, false],
    [
      'an environment no EnvironmentImage builds',
      instance('i-1', {}, { [TAG.environment]: 'ml-gpu@1.0.0' }),
      {},
      false,
    ],
    [
      'an environment tag that is not name@version',
      instance('i-1', {}, { [TAG.environment]: 'neuroimaging' }),
      {},
      false,
    ],
    [
      'measured already',
      instance('i-1'),
      { 'i-1': { environment: 'neuroimaging@1.2.0', path: 'script', seconds: 300, at: ago(0.5) } },
      false,
    ],
    ['started more than six hours ago', instance('i-1', { launchTime: ago(7) }), {}, false],
    ['restarted within six hours', instance('i-1', { launchTime: ago(5.9) }), {}, true],
  ])('%s: read = %s', (_case, one, measured, read) => {
    expect(toMeasure([one], REPO, IMAGED, measured, NOW).map((i) => i.instanceId)).toEqual(read ? ['i-1'] : []);
  });

  it(`reads at most ${MAX_READS} a run, the most recently started first`, () => {
    const many = Array.from({ length: MAX_READS + 10 }, (_, i) =>
      instance(`i-${String(i).padStart(3, '0')}`, { launchTime: ago(i / 100) }),
    );

    const picked = toMeasure(many, REPO, IMAGED, {}, NOW);

    expect(picked).toHaveLength(MAX_READS);
    expect(picked[0]?.instanceId).toBe('i-000');
    expect(picked[MAX_READS - 1]?.instanceId).toBe(`i-0${MAX_READS - 1}`);
  });
});

describe('the record’s provisionTimes', () => {
  const entry = (minute: number, seconds = 300) => ({
    environment: 'neuroimaging@1.2.0',
    path: 'script' as const,
    seconds,
    at: new Date(NOW.getTime() + minute * 60_000).toISOString(),
  });

  it(`keeps the newest ${MAX_PROVISION_TIMES}`, () => {
    const times = Object.fromEntries(
      Array.from({ length: MAX_PROVISION_TIMES + 3 }, (_, i) => [`i-${String(i).padStart(4, '0')}`, entry(i)]),
    );

    const kept = boundedProvisionTimes(times) ?? {};

    expect(Object.keys(kept)).toHaveLength(MAX_PROVISION_TIMES);
    expect(kept['i-0000']).toBeUndefined();
    expect(kept[`i-0${MAX_PROVISION_TIMES + 2}`]).toEqual(entry(MAX_PROVISION_TIMES + 2));
  });

  it('two writers’ measurements are merged; on the same instance ours is kept', () => {
    const ours = { ...emptyRecord(), provisionTimes: { 'i-a': entry(1), 'i-b': entry(2, 100) } };
    const theirs = { ...emptyRecord(), provisionTimes: { 'i-b': entry(2, 200), 'i-c': entry(3) } };

    const merged = mergeRecords(ours, theirs);

    expect(merged.provisionTimes).toEqual({ 'i-a': entry(1), 'i-b': entry(2, 100), 'i-c': entry(3) });
  });
});

describe('measuredSeconds', () => {
  const at = (minute: number) => new Date(NOW.getTime() + minute * 60_000).toISOString();

  it.each<[string, ProvisionTimes, ReturnType<typeof measuredSeconds>]>([
    ['none', {}, undefined],
    [
      'an even count: the mean of the middle two',
      {
        a: { environment: 'neuroimaging@1.2.0', path: 'image', seconds: 40, at: at(1) },
        b: { environment: 'neuroimaging@1.2.0', path: 'image', seconds: 51, at: at(2) },
      },
      { seconds: 46, launches: 2 },
    ],
    [
      'another path is not counted',
      { a: { environment: 'neuroimaging@1.2.0', path: 'script', seconds: 400, at: at(1) } },
      undefined,
    ],
    [
      'another version when the version has none',
      { a: { environment: 'neuroimaging@1.1.0', path: 'image', seconds: 60, at: at(1) } },
      { seconds: 60, launches: 1 },
    ],
  ])('%s', (_case, times, expected) => {
    expect(measuredSeconds(times, 'neuroimaging@1.2.0', 'image')).toEqual(expected);
  });
});
