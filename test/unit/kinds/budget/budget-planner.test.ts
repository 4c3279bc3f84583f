import { describe, expect, it } from 'vitest';
import type { DesiredBudget } from '../../../../reconciler/src/model/budget.js';
import type { AlertRecord, CostCacheRecord } from '../../../../reconciler/src/model/record.js';
import { assessBudgets, budgetRule } from '../../../../reconciler/src/kinds/budget/status.js';
import type { BudgetInputs } from '../../../../reconciler/src/kinds/budget/status.js';
import { projectCostSince } from '../../../../reconciler/src/cost/spend-ledger.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { ACCOUNT, desired, instanceOf, workstation } from '../workstation/plan-fixtures.js';

/** Monday 2026-11-16, 12:00 UTC. */
const NOW = new Date('2026-11-16T12:00:00Z');

function budget(overrides: Partial<DesiredBudget> = {}): DesiredBudget {
  return {
    name: 'neuro-fall',
    project: 'neuro-lab',
    limitUSD: 1000,
    period: { start: '2026-09-01', end: '2026-12-18' },
    thresholds: [50, 75, 90, 100],
    actions: [],
    notify: ['@pi'],
    ...overrides,
  };
}

/** Cost Explorer figures: `usd` spent by neuro-lab on 2026-11-15, and some by another project. */
function costs(usd: number): CostCacheRecord {
  return {
    fetchedAt: NOW.toISOString(),
    start: '2026-09-01',
    end: '2026-11-17',
    dailyByProject: { 'neuro-lab': { '2026-08-31': 999, '2026-11-15': usd }, other: { '2026-11-15': 5000 } },
    estimatedDates: [],
  };
}

function inputs(usd: number, overrides: Partial<BudgetInputs> = {}): BudgetInputs {
  const ws = workstation({ state: 'stopped', volumes: [] });
  return {
    budgets: [budget()],
    desired: desired([ws]),
    observed: {
      accountId: ACCOUNT,
      observedAt: NOW.toISOString(),
      instances: [],
      volumes: [],
      images: [],
      utilisation: {},
      snapshots: [],
      jobs: [],
      jobQueues: {},
      awsBudgets: [],
      batchQueues: {},
      computeEnvironments: {},
      activeJobs: {},
      imageBuilds: [],
      imageResources: [],
    },
    now: NOW,
    costs: costs(usd),
    dataUntilMs: NOW.getTime(),
    alerts: [],
    ...overrides,
  };
}

describe('the budget planner', () => {
  it.each([
    ['below every threshold', 400, []],
    ['past 50%', 500, [50]],
    ['past 90%', 950, [50, 75, 90]],
    ['past 100%', 1020, [50, 75, 90, 100]],
  ])('%s: alerts %j on actual spend (only the project’s days inside the period count)', (_name, usd, percents) => {
    const { statuses } = assessBudgets(inputs(usd));

    expect(statuses[0]!.newAlerts.map((a) => a.percent)).toEqual(percents);
    expect(statuses[0]!.spend.actualUSD).toBe(usd);
  });

  it('does not alert a threshold already alerted in this period, but does in another', () => {
    const sent: AlertRecord[] = [
      {
        budget: 'neuro-fall',
        period: '2026-09-01..2026-12-18',
        percent: 50,
        basis: 'actual',
        at: '2026-10-01T00:00:00Z',
      },
      { budget: 'neuro-fall', period: 'earlier', percent: 75, basis: 'actual', at: '2026-10-01T00:00:00Z' },
    ];

    const { statuses } = assessBudgets(inputs(800, { alerts: sent }));

    expect(statuses[0]!.newAlerts.map((a) => a.percent)).toEqual([75]);
  });

  it('alerts a threshold the record says was alerted in the future (a forged record cannot silence it)', () => {
    const sent: AlertRecord[] = [
      {
        budget: 'neuro-fall',
        period: '2026-09-01..2026-12-18',
        percent: 50,
        basis: 'actual',
        at: '2999-01-01T00:00:00Z',
      },
    ];

    const { statuses } = assessBudgets(inputs(600, { alerts: sent }));

    expect(statuses[0]!.newAlerts.map((a) => a.percent)).toEqual([50]);
  });

  it('turns actions reached by actual spend into overrides carrying "budget NAME at P% of $L"', () => {
    const actions: DesiredBudget['actions'] = [
      { atPercent: 90, do: 'notify' },
      { atPercent: 95, do: 'block-launches' },
      { atPercent: 100, do: 'hibernate' },
    ];

    const { overrides } = assessBudgets(inputs(1020, { budgets: [budget({ limitUSD: 1000, actions })] }));

    expect(overrides).toEqual([
      {
        project: 'neuro-lab',
        action: 'block-launches',
        rule: 'budget neuro-fall at 102% of $1,000',
        since: NOW.toISOString(),
      },
      {
        project: 'neuro-lab',
        action: 'hibernate',
        rule: 'budget neuro-fall at 102% of $1,000',
        since: NOW.toISOString(),
      },
    ]);
  });

  it('enforces nothing and alerts nothing without Cost Explorer figures', () => {
    const { statuses, overrides } = assessBudgets(
      inputs(0, { costs: undefined, budgets: [budget({ actions: [{ atPercent: 0.01, do: 'stop' }] })] }),
    );

    expect([statuses[0]!.known, statuses[0]!.newAlerts, overrides]).toEqual([false, [], []]);
  });

  it('estimates what ran since Cost Explorer’s data ends from the observed instances', () => {
    const ws = workstation({ volumes: [] });
    const running = instanceOf(ws, { launchTime: '2026-11-16T08:00:00Z', attachments: [] });
    const observed = {
      accountId: ACCOUNT,
      observedAt: NOW.toISOString(),
      instances: [running],
      volumes: [],
      images: [],
      utilisation: {},
      snapshots: [],
      jobs: [],
      jobQueues: {},
      awsBudgets: [],
      batchQueues: {},
      computeEnvironments: {},
      activeJobs: {},
      imageBuilds: [],
      imageResources: [],
    };

    const { statuses } = assessBudgets(
      inputs(100, { desired: desired([ws]), observed, dataUntilMs: Date.parse('2026-11-16T04:00:00Z') }),
    );

    // Running since 08:00 (after the data ends at 04:00): 4 h × $0.096.
    expect(statuses[0]!.spend.estimatedSinceUSD).toBeCloseTo(0.384, 6);
  });

  it('forecasts spend plus planned run-hours: a hibernate in force leaves storage only', () => {
    const ws = workstation({ volumes: [] });
    const base = inputs(1020, { desired: desired([ws]) });
    const free = assessBudgets(base).statuses[0]!;

    const enforced = assessBudgets({ ...base, budgets: [budget({ actions: [{ atPercent: 100, do: 'hibernate' }] })] })
      .statuses[0]!;

    // 2026-11-16 12:00Z to 2026-12-19 05:00Z (local midnight after Dec 18): 785 h.
    const storage = (100 * 0.08 * 785) / 730;
    expect(free.forecastUSD - 1020).toBeCloseTo(785 * 0.096 + storage, 2);
    expect(enforced.forecastUSD - 1020).toBeCloseTo(storage, 2);
  });

  it('hands its overrides to the workstation planner, which hibernates only that project', () => {
    const mine = workstation({ name: 'ana', hibernation: true, volumes: [] });
    const theirs = workstation({ name: 'cy', project: 'atmos', hibernation: true, volumes: [] });
    const d = desired([mine, theirs]);
    const observed = {
      accountId: ACCOUNT,
      observedAt: NOW.toISOString(),
      instances: [
        instanceOf(mine, { hibernationConfigured: true }),
        instanceOf(theirs, { hibernationConfigured: true }),
      ],
      volumes: [],
      images: [],
      utilisation: {},
      snapshots: [],
      jobs: [],
      jobQueues: {},
      awsBudgets: [],
      batchQueues: {},
      computeEnvironments: {},
      activeJobs: {},
      imageBuilds: [],
      imageResources: [],
    };
    const { overrides } = assessBudgets(
      inputs(1200, { desired: d, observed, budgets: [budget({ actions: [{ atPercent: 100, do: 'hibernate' }] })] }),
    );

    const plan = planWorkstations(d, observed, NOW, { overrides });

    expect(plan.actions.map((a) => [a.kind, a.resource.name, a.rule])).toEqual([
      ['hibernate', 'ana', budgetRule('neuro-fall', 120, 1000)],
    ]);
    expect(budgetRule('neuro-fall', 120.7, 1000)).toBe('budget neuro-fall at 120% of $1,000');
  });
});

describe('cost since Cost Explorer’s data ends', () => {
  const ws = workstation({ volumes: [] });
  const since = Date.parse('2026-11-16T04:00:00Z');
  const now = Date.parse('2026-11-16T12:00:00Z');
  /** m6i.large and a 100 GiB gp3 root, per hour. */
  const compute = 0.096;
  const storage = (100 * 0.08) / 730;

  it.each([
    [
      'running since before the data ends: 8 h of both',
      { launchTime: '2026-11-15T00:00:00Z' },
      8 * (compute + storage),
    ],
    ['launched after the data ends: from its launch', { launchTime: '2026-11-16T10:00:00Z' }, 2 * (compute + storage)],
    [
      'stopped, its stop time unknown: storage only',
      { state: 'stopped' as const, launchTime: '2026-11-15T00:00:00Z' },
      8 * storage,
    ],
    [
      'stopped at 09:30 (StateTransitionReason): compute to the stop, storage to now',
      { state: 'stopped' as const, launchTime: '2026-11-15T00:00:00Z', stoppedAt: '2026-11-16T09:30:00.000Z' },
      5.5 * compute + 8 * storage,
    ],
    ['terminated: nothing', { state: 'terminated' as const }, 0],
  ])('%s', (_name, overrides, usd) => {
    const instance = instanceOf(ws, overrides);
    const project = instance.tags['labops:project']!;

    const cost = projectCostSince(project, [instance], undefined, since, now, new Date(now));

    expect(cost).toBeCloseTo(usd, 9);
  });
});

describe('budget actions that fired', () => {
  const PERIOD = '2026-09-01..2026-12-18';
  const stop: DesiredBudget['actions'] = [{ atPercent: 100, do: 'stop' }];
  const firedStop = { budget: 'neuro-fall', period: PERIOD, do: 'stop' as const, atPercent: 100, limitUSD: 1000 };

  it.each([
    ['held for the rest of the period though spend reads lower', 980, 1000, 100, firedStop, '2026-11-10T09:00:00.000Z'],
    ['held when the limit is lowered', 700, 800, 100, firedStop, '2026-11-10T09:00:00.000Z'],
    ['lifted when the limit is raised past spend', 980, 1200, 100, firedStop, undefined],
    ['lifted when the percent is raised past spend', 980, 1000, 120, firedStop, undefined],
    ['not held from another period', 980, 1000, 100, { ...firedStop, period: '2026-05' }, undefined],
    ['not held when fired “in the future” (untrusted)', 980, 1000, 100, firedStop, undefined, '2999-01-01T00:00:00Z'],
  ])('%s', (_name, usd, limitUSD, atPercent, fired, since, firedAtIso = '2026-11-10T09:00:00.000Z') => {
    const { statuses, overrides } = assessBudgets(
      inputs(usd, {
        budgets: [budget({ limitUSD, actions: [{ atPercent, do: 'stop' }] })],
        fired: [{ ...fired, at: firedAtIso }],
      }),
    );

    expect(statuses[0]!.actionsInForce.map((a) => a.since)).toEqual(since === undefined ? [] : [since]);
    expect(overrides.map((o) => o.since)).toEqual(since === undefined ? [] : [since]);
  });

  it.each([
    ['acts now when one interval of burn crosses the percent (1 h default)', 999.95, undefined, true],
    ['waits when the next run is still under it', 999.5, undefined, false],
    ['looks as far ahead as the reconcile interval', 999.5, 6 * 3_600_000, true],
  ])('%s', (_name, usd, intervalMs, acts) => {
    const ws = workstation({ volumes: [] });
    const base = inputs(usd, { budgets: [budget({ actions: stop })], desired: desired([ws]) });
    const observed = { ...base.observed, instances: [instanceOf(ws, { attachments: [] })] };

    const { statuses } = assessBudgets({ ...base, observed, ...(intervalMs === undefined ? {} : { intervalMs }) });

    expect(statuses[0]!.spentPercent).toBeLessThan(100);
    expect(statuses[0]!.actionsInForce.length > 0).toBe(acts);
    if (acts) expect(statuses[0]!.actionsInForce[0]!.rule).toContain('reaching 100% before the next run');
  });
});
