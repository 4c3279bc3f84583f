/**
 * The source a forecast alert names (issue 17): the biggest part of what the budget's forecast adds
 * to its spend so far, by source, with snapshot storage named per schedule and Region (copies apart).
 */
import { describe, expect, it } from 'vitest';
import { spendDriver, spendSources } from '../../../reconciler/src/cost/spend-driver.js';
import type { DriverInputs } from '../../../reconciler/src/cost/spend-driver.js';
import { emptySplit } from '../../../reconciler/src/cost/sources.js';
import type { SourceSplit } from '../../../reconciler/src/cost/sources.js';

const split = (parts: Partial<SourceSplit>): SourceSplit => ({ ...emptySplit(), ...parts });

/** A schedule's storage to the period's end. */
function row(schedule: string, region: string, toEndUSD: number, copy = false): DriverInputs['schedules'][number] {
  return {
    schedule,
    project: 'neuro-lab',
    region,
    copy,
    snapshotsNow: 10,
    monthlyNowUSD: toEndUSD,
    snapshotsKept: 30,
    monthlyKeptUSD: toEndUSD,
    toEndUSD,
  };
}

describe('spendDriver', () => {
  it.each<[string, DriverInputs, string | undefined]>([
    [
      'an always-on workstation: its compute',
      { spentBySource: split({ compute: 100 }), forecastBySource: split({ compute: 400, volumes: 50 }), schedules: [] },
      "compute (~$300 to the period's end)",
    ],
    [
      'a nightly schedule with a copy Region: the copies outweigh the workstation',
      {
        spentBySource: split({ compute: 100, snapshots: 300 }),
        forecastBySource: split({ compute: 200, snapshots: 1200 }),
        schedules: [row('nightly', 'us-east-1', 400), row('nightly', 'us-west-2', 500, true)],
      },
      "snapshots of schedule nightly in us-west-2 (copies) (~$500 to the period's end)",
    ],
    [
      'snapshot spend no schedule accounts for stays snapshots & images',
      {
        spentBySource: split({ snapshots: 10 }),
        forecastBySource: split({ snapshots: 700, compute: 50 }),
        schedules: [row('nightly', 'us-east-1', 90)],
      },
      "snapshots & images (~$600 to the period's end)",
    ],
    [
      'a stop in force leaves the volumes',
      {
        spentBySource: split({ compute: 500, volumes: 20 }),
        forecastBySource: split({ compute: 500, volumes: 60 }),
        schedules: [],
      },
      "EBS volumes (~$40 to the period's end)",
    ],
    [
      'Jobs not yet run',
      { spentBySource: split({}), forecastBySource: split({ batch: 5000, compute: 10 }), schedules: [] },
      "Batch (~$5,000 to the period's end)",
    ],
    [
      'nothing more to spend: no driver',
      { spentBySource: split({ compute: 100 }), forecastBySource: split({ compute: 100 }), schedules: [] },
      undefined,
    ],
  ])('%s', (_case, inputs, driver) => {
    const named = spendDriver(inputs);

    expect(named).toBe(driver);
  });

  it('lists every source with money left, biggest first', () => {
    const inputs: DriverInputs = {
      spentBySource: split({ compute: 1 }),
      forecastBySource: split({ compute: 11, volumes: 5, snapshots: 7, other: 0.001 }),
      schedules: [row('weekly', 'us-east-1', 7)],
    };

    const sources = spendSources(inputs);

    expect(sources).toEqual([
      { source: 'compute', usd: 10 },
      { source: 'snapshots of schedule weekly in us-east-1', usd: 7 },
      { source: 'EBS volumes', usd: 5 },
    ]);
  });
});
