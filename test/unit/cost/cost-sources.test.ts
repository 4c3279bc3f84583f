/**
 * Every dollar counted (issue 17 item 1): Cost Explorer's usage types sorted into sources, the
 * schedules' snapshot storage (now and as retention keeps it), and the budget planner's spend and
 * forecast split by source, summing to its totals, with snapshot storage in every forecast.
 */
import { describe, expect, it } from 'vitest';
import { addSplits, emptySplit, sourceOfUsageType, splitTotal } from '../../../reconciler/src/cost/sources.js';
import type { CostSource } from '../../../reconciler/src/cost/sources.js';
import {
  keptPerVolume,
  scheduleStorage,
  snapshotCostSince,
  storageToEnd,
} from '../../../reconciler/src/cost/snapshot-storage.js';
import { assessBudgets, periodActualsBySource } from '../../../reconciler/src/kinds/budget/status.js';
import type { BudgetInputs } from '../../../reconciler/src/kinds/budget/status.js';
import type { CostCacheRecord } from '../../../reconciler/src/model/record.js';
import type { DesiredSchedule, ObservedSnapshot } from '../../../reconciler/src/model/schedule.js';
import { budgetWindow } from '../../../reconciler/src/model/budget-period.js';
import { REPO, desired, observed, workstation } from '../kinds/workstation/plan-fixtures.js';

const NOW = new Date('2026-11-16T12:00:00Z');
const HOUR_MS = 3_600_000;

describe('sources of Cost Explorer usage types', () => {
  it.each<[string, CostSource]>([
    ['BoxUsage:m6i.large', 'compute'],
    ['USW2-BoxUsage:r6i.4xlarge', 'compute'],
    ['SpotUsage:c7g.large', 'compute'],
    ['EBS:VolumeUsage.gp3', 'volumes'],
    ['EUC1-EBS:VolumeUsage.io2', 'volumes'],
    ['EBS:VolumeP-IOPS.gp3', 'volumes'],
    ['EBS:VolumeP-Throughput.gp3', 'volumes'],
    ['EBS:SnapshotUsage', 'snapshots'],
    ['USW2-EBS:SnapshotUsage', 'snapshots'],
    ['EBS:SnapshotArchiveStorage', 'snapshots'],
    ['PublicIPv4:InUseAddress', 'other'],
    ['DataTransfer-Regional-Bytes', 'other'],
    ['', 'other'],
  ])('%s is %s', (usageType, source) => {
    expect(sourceOfUsageType(usageType)).toBe(source);
  });

  it('adds splits source by source and totals them', () => {
    const sum = addSplits({ compute: 1, snapshots: 2 }, { snapshots: 3, other: 0.5 });

    expect(sum).toEqual({ ...emptySplit(), compute: 1, snapshots: 5, other: 0.5 });
    expect(splitTotal(sum)).toBe(6.5);
  });
});

const NIGHTLY: DesiredSchedule = {
  name: 'nightly',
  cron: '0 2 * * *',
  timezone: 'UTC',
  budgetExempt: false,
  type: 'volumes',
  retain: { count: 7 },
  copyTo: ['us-west-2'],
  workstations: ['alice-neuro'],
};

describe('snapshots a schedule keeps per workstation and volume', () => {
  const horizon = Date.parse('2026-12-01T00:00:00Z');
  it.each<[string, DesiredSchedule['retain'], number, number]>([
    ['count 7', { count: 7 }, 3, 7],
    ['the nightly slots of 14 days', { maxAgeDays: 14 }, 3, 14],
    ['count 30 or 14 days, whichever keeps more', { count: 30, maxAgeDays: 14 }, 3, 30],
    ['count 3 or 14 days, whichever keeps more', { count: 3, maxAgeDays: 14 }, 3, 14],
    // No rule keeps everything: the 5 there now and every nightly slot up to the horizon (Nov 17 .. Nov 30).
    ['no rule: all of them, to the horizon', {}, 5, 19],
  ])('%s', (_name, retain, existing, kept) => {
    expect(keptPerVolume({ ...NIGHTLY, retain }, existing, NOW, horizon)).toBe(kept);
  });
});

function snap(id: string, region: string, volume: string, sizeGiB: number, copy = false): ObservedSnapshot {
  return {
    snapshotId: id,
    region,
    volumeId: 'vol-1',
    state: 'completed',
    startTime: '2026-11-10T02:00:00.000Z',
    sizeGiB,
    tags: {
      'labops:repo': REPO,
      'labops:kind': 'SnapshotSchedule',
      'labops:schedule': 'nightly',
      'labops:workstation': 'alice-neuro',
      'labops:volume': volume,
      'labops:project': 'neuro-lab',
      ...(copy ? { 'labops:copy-of': 'snap-src', 'labops:source-region': 'us-east-1' } : {}),
    },
  };
}

/** A run record's `resources["Budget/NAME"]` entry with the snapshot spend it reported. */
function last(period: string, snapshots: unknown, at = '2026-11-16T06:00:00Z'): unknown {
  return { observedAt: at, budget: { window: { key: period }, spentBySource: { snapshots } } };
}

describe('a schedule with a copy Region', () => {
  // alice-neuro: 100 GiB root and 500 GiB data; snapshots $0.05/GiB-month in both Regions.
  const ws = workstation();
  const d = desired([ws], { schedules: [NIGHTLY] });
  const snapshots = [
    snap('snap-1', 'us-east-1', 'root', 100),
    snap('snap-2', 'us-east-1', 'data', 500),
    snap('snap-3', 'us-west-2', 'data', 500, true),
  ];

  it('prices originals and copies apart, now and as retention keeps them', () => {
    const rows = scheduleStorage(d, snapshots, NOW, Date.parse('2026-12-01T00:00:00Z'));

    expect(rows.map((r) => [r.region, r.copy, r.snapshotsNow, r.snapshotsKept])).toEqual([
      ['us-east-1', false, 2, 14],
      ['us-west-2', true, 1, 14],
    ]);
    expect(rows[0]!.monthlyNowUSD).toBeCloseTo(600 * 0.05, 6);
    expect(rows[0]!.monthlyKeptUSD).toBeCloseTo(7 * 600 * 0.05, 6);
    expect(rows[1]!.monthlyNowUSD).toBeCloseTo(500 * 0.05, 6);
    expect(rows[1]!.monthlyKeptUSD).toBeCloseTo(7 * 600 * 0.05, 6);
  });

  it('forecasts the larger of now and the steady state, and counts what was stored since', () => {
    const [row] = scheduleStorage(d, snapshots, NOW, NOW.getTime());
    const day = 24 * HOUR_MS;

    expect(storageToEnd(row!, NOW.getTime(), NOW.getTime() + day)).toBeCloseTo((7 * 600 * 0.05 * 24) / 730, 6);
    expect(snapshotCostSince('neuro-lab', snapshots, NOW.getTime() - day, NOW.getTime())).toBeCloseTo(
      (1100 * 0.05 * 24) / 730,
      6,
    );
    expect(snapshotCostSince('other', snapshots, NOW.getTime() - day, NOW.getTime())).toBe(0);
  });

  function budgetInputs(previous?: Record<string, unknown>): BudgetInputs {
    const cache: CostCacheRecord = {
      fetchedAt: NOW.toISOString(),
      start: '2026-11-01',
      end: '2026-11-17',
      dailyByProject: { 'neuro-lab': { '2026-11-10': 30 } },
      dailyBySource: { 'neuro-lab': { compute: { '2026-11-10': 10 }, snapshots: { '2026-11-10': 20 } } },
      estimatedDates: [],
    };
    return {
      budgets: [
        {
          name: 'neuro-nov',
          project: 'neuro-lab',
          limitUSD: 1000,
          period: { every: 'month' },
          thresholds: [],
          actions: [],
          notify: [],
        },
      ],
      desired: { ...d, workstations: [{ ...ws, state: 'stopped' }] },
      observed: observed([], { observedAt: NOW.toISOString(), images: [], snapshots }),
      now: NOW,
      costs: cache,
      dataUntilMs: NOW.getTime(),
      alerts: [],
      ...(previous === undefined ? {} : { previous }),
    };
  }

  it('puts the snapshots in the budget forecast, and the split sums to the totals', () => {
    const inputs = budgetInputs();
    const [status] = assessBudgets(inputs).statuses;

    const s = status!;
    expect(s.spentBySource).toEqual({ ...emptySplit(), compute: 10, snapshots: 20 });
    expect(splitTotal(s.spentBySource!)).toBeCloseTo(s.spentUSD, 6);
    expect(splitTotal(s.forecastBySource!)).toBeCloseTo(s.forecastUSD, 6);
    const toEnd = s.schedules!.reduce((sum, r) => sum + r.toEndUSD, 0);
    expect(toEnd).toBeGreaterThan(0);
    expect(s.forecastBySource!.snapshots).toBeCloseTo(20 + toEnd, 6);
    expect(s.forecastBySource!.compute).toBe(10);
  });

  // The estimate since the data end prices a snapshot at its volume's full size; EBS bills the blocks
  // it adds, so when Cost Explorer's data reaches that stretch the actual is lower (issue 17 item 7:
  // spent dropped by ~$0.45 every 12 h in the three-month scenario). The last run's figure holds.
  const stored = snapshotCostSince('neuro-lab', snapshots, Date.parse('2026-11-01T00:00:00Z'), NOW.getTime());
  it.each<[string, (key: string) => unknown, number]>([
    ['the last run reported more this period: it holds', (key) => last(key, 25), 25],
    ['the last run reported less: the actuals', (key) => last(key, 15), 20],
    ['another period: the actuals', () => last('2026-10', 25), 20],
    ['a report from the future (untrusted): the actuals', (key) => last(key, 25, '2026-11-17T00:00:00Z'), 20],
    ['not a number: the actuals', (key) => last(key, '25'), 20],
    ['a forged figure: at most every snapshot there now at full size all period', (key) => last(key, 1e6), 20 + stored],
  ])('snapshot spend never goes down within a period: %s', (_name, entry, snapshotsUSD) => {
    const key = assessBudgets(budgetInputs()).statuses[0]!.window.key;

    const [s] = assessBudgets(budgetInputs({ 'Budget/neuro-nov': entry(key) })).statuses;

    expect(s!.spentBySource!.snapshots).toBeCloseTo(snapshotsUSD, 6);
    expect(s!.spentUSD).toBeCloseTo(10 + snapshotsUSD, 6);
    expect(s!.spend.actualUSD + s!.spend.estimatedSinceUSD).toBeCloseTo(s!.spentUSD, 6);
  });
});

describe('Cost Explorer actuals by source in a period', () => {
  const win = budgetWindow(
    {
      name: 'b',
      project: 'p',
      limitUSD: 1,
      period: { start: '2026-11-01', end: '2026-11-30' },
      thresholds: [],
      actions: [],
      notify: [],
    },
    NOW,
    'UTC',
  );
  const base = {
    fetchedAt: NOW.toISOString(),
    start: '2026-10-01',
    end: '2026-11-17',
    dailyByProject: { p: { '2026-10-31': 100, '2026-11-02': 7 } },
    estimatedDates: [],
  };
  it.each<[string, CostCacheRecord, Partial<Record<CostSource, number>>]>([
    [
      'a split cache: each source inside the period',
      {
        ...base,
        dailyBySource: { p: { compute: { '2026-10-31': 100, '2026-11-02': 5 }, volumes: { '2026-11-02': 2 } } },
      },
      { compute: 5, volumes: 2 },
    ],
    ['a cache from before the split: all under other', base, { other: 7 }],
    ['a split cache without the project: nothing', { ...base, dailyBySource: {} }, {}],
  ])('%s', (_name, cache, expected) => {
    expect(periodActualsBySource(cache, 'p', win, '2026-11-16')).toEqual({ ...emptySplit(), ...expected });
  });
});
