/**
 * The source a forecast alert names (issue 17): the biggest of the project's spend to the period's
 * end by source — workstation compute, volumes, snapshots of each schedule, Batch jobs — with a
 * budget stop in force taking compute away.
 */
import { describe, expect, it } from 'vitest';
import type { BudgetOverride, DesiredBudget } from '../../../reconciler/src/model/budget.js';
import type { ObservedSnapshot } from '../../../reconciler/src/model/schedule.js';
import { budgetWindow } from '../../../reconciler/src/model/budget-period.js';
import { spendDriver, spendSources } from '../../../reconciler/src/cost/spend-driver.js';
import { desired, instanceOf, observed, workstation } from '../kinds/workstation/plan-fixtures.js';

const NOW = new Date('2026-11-10T12:00:00Z');
const BUDGET: DesiredBudget = {
  name: 'neuro-monthly',
  project: 'neuro-lab',
  limitUSD: 1000,
  period: { every: 'month' },
  thresholds: [],
  actions: [],
  notify: [],
};
const WIN = budgetWindow(BUDGET, NOW, 'America/New_York');

/** `count` nightly snapshots of a `sizeGiB` volume of the project. */
function snapshots(count: number, sizeGiB: number, project = 'neuro-lab'): ObservedSnapshot[] {
  return Array.from({ length: count }, (_, i) => ({
    snapshotId: `snap-${i}`,
    region: 'us-east-1',
    volumeId: 'vol-alice-neuro-data',
    state: 'completed',
    startTime: NOW.toISOString(),
    sizeGiB,
    tags: { 'labops:project': project, 'labops:schedule': 'nightly', 'labops:volume': 'data' },
  }));
}

const stop: BudgetOverride = { project: 'neuro-lab', action: 'stop', rule: 'budget neuro-monthly at 100% of $1,000' };

describe('spendDriver', () => {
  it.each<[string, ObservedSnapshot[], BudgetOverride[], Record<string, number>, string]>([
    ['an always-on workstation: its compute', [], [], {}, 'workstation compute'],
    ['thirty 2 TiB snapshots outweigh the workstation', snapshots(30, 2048), [], {}, 'snapshots of schedule nightly'],
    ['another project’s snapshots do not count', snapshots(30, 2048, 'atmos'), [], {}, 'workstation compute'],
    ['a stop in force takes compute away: the volumes remain', [], [stop], {}, 'volumes'],
    ['Jobs not yet submitted', [], [], { 'neuro-lab': 5000 }, 'Batch jobs'],
  ])('%s', (_case, snaps, overrides, plannedExtraUSD, source) => {
    const ws = workstation();
    const inputs = {
      desired: desired([ws]),
      observed: observed([instanceOf(ws)], { snapshots: snaps }),
      now: NOW,
      overrides,
      plannedExtraUSD,
    };

    const sources = spendSources(inputs, 'neuro-lab', WIN);

    expect(sources[0]?.source).toBe(source);
    expect(spendDriver(inputs, 'neuro-lab', WIN)).toMatch(
      new RegExp(`^${source} \\(~\\$[\\d,]+ to the period's end\\)$`),
    );
  });

  it('names nothing when the period has no time left to spend in', () => {
    const ws = workstation();
    const inputs = {
      desired: desired([ws]),
      observed: observed([instanceOf(ws)]),
      now: new Date(WIN.endMs),
      overrides: [],
    };

    expect(spendDriver(inputs, 'neuro-lab', WIN)).toBeUndefined();
  });
});
