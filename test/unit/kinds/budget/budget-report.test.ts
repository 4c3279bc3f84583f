import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '../../../../reconciler/src/model/budget.js';
import { budgetImpacts, projectImpacts } from '../../../../reconciler/src/kinds/budget/impact.js';
import { assessBudgets } from '../../../../reconciler/src/kinds/budget/status.js';
import { estimateJobUSD } from '../../../../reconciler/src/cost/estimates.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { hourlyPriceUSD } from '../../../../reconciler/src/cost/prices/index.js';
import { costExplorerLine, impactSentence } from '../../../../reconciler/src/kinds/budget/report.js';
import { budgetBar, sparkline } from '../../../../reconciler/src/kinds/budget/chart.js';
import { ACCOUNT, baseImage, desired, instanceOf, workstation } from '../workstation/plan-fixtures.js';

const NOW = new Date('2026-11-16T12:00:00Z');

function status(spentUSD: number, forecastUSD: number, daily: { date: string; usd: number }[] = []): BudgetStatus {
  return {
    budget: {
      name: 'r01-fall-2026',
      project: 'neuro-lab',
      limitUSD: 6000,
      period: { start: '2026-11-01', end: '2026-11-30' },
      thresholds: [],
      actions: [],
      notify: [],
    },
    window: {
      key: '2026-11-01..2026-11-30',
      start: '2026-11-01',
      end: '2026-11-30',
      startMs: Date.parse('2026-11-01T04:00:00Z'),
      endMs: Date.parse('2026-12-01T05:00:00Z'),
    },
    known: true,
    spend: { actualUSD: spentUSD, estimatedSinceUSD: 0, daily },
    spentUSD,
    forecastUSD,
    spentPercent: (spentUSD / 6000) * 100,
    forecastPercent: (forecastUSD / 6000) * 100,
    newAlerts: [],
    actionsInForce: [],
  };
}

describe('what a change does to a budget', () => {
  it.each([
    [
      {
        budget: 'r01-fall-2026',
        project: 'p',
        limitUSD: 6000,
        monthlyDeltaUSD: 412.4,
        forecastBeforeUSD: 4980.2,
        forecastAfterUSD: 6210,
        crossesLimit: true,
      },
      'this change adds $412/month; r01-fall-2026 forecast goes from $4,980 to $6,210 of $6,000',
    ],
    [
      {
        budget: 'neuro-lab-fall-2026',
        project: 'neuro-lab',
        limitUSD: 6000,
        monthlyDeltaUSD: 412.4,
        bySource: { compute: 400.1, snapshots: 12.3 },
        forecastBeforeUSD: 4980,
        forecastAfterUSD: 6210,
        crossesLimit: true,
      },
      'this change adds $412/month (compute +$400.10, snapshots & images +$12.30); neuro-lab-fall-2026 forecast goes from $4,980 to $6,210 of $6,000',
    ],
    [
      {
        budget: 'b',
        project: 'p',
        limitUSD: 500,
        monthlyDeltaUSD: -70,
        forecastBeforeUSD: 480,
        forecastAfterUSD: 410,
        crossesLimit: false,
      },
      'this change saves $70/month; b forecast goes from $480 to $410 of $500',
    ],
    [
      {
        budget: 'b',
        project: 'p',
        limitUSD: 500,
        monthlyDeltaUSD: 0,
        forecastBeforeUSD: 480,
        forecastAfterUSD: 480,
        crossesLimit: false,
      },
      undefined,
    ],
  ])('%#: %s', (impact, sentence) => {
    expect(impactSentence(impact)).toBe(sentence);
  });

  it('compares the forecast at the observed run-rate with the planned one: a new r6i.2xlarge pushes the budget past its limit', () => {
    const running = workstation({ name: 'ana', volumes: [] });
    const added = workstation({ name: 'ben', instanceType: 'r6i.2xlarge', volumes: [], image: { strategy: 'script' } });
    const d = desired([running, added]);
    const observed = {
      accountId: ACCOUNT,
      observedAt: NOW.toISOString(),
      instances: [instanceOf(running)],
      volumes: [],
      images: [baseImage()],
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
    const costs = {
      fetchedAt: NOW.toISOString(),
      start: '2026-11-01',
      end: '2026-11-17',
      dailyByProject: { 'neuro-lab': { '2026-11-10': 100 } },
      estimatedDates: [],
    };
    const budgets = [{ ...status(0, 0).budget, limitUSD: 300, period: { every: 'month' as const } }];
    const { statuses } = assessBudgets({
      budgets,
      desired: d,
      observed,
      now: NOW,
      costs,
      dataUntilMs: NOW.getTime(),
      alerts: [],
    });
    const plan = planWorkstations(d, observed, NOW);

    const projects = projectImpacts(plan, d, observed);
    const [impact] = budgetImpacts(statuses, projects, NOW);

    expect(projects).toEqual([
      {
        project: 'neuro-lab',
        monthlyDeltaUSD: plan.monthlyDeltaUSD,
        bySource: { compute: plan.monthlyDeltaUSD },
        actions: 1,
      },
    ]);
    expect(impact!.forecastBeforeUSD).toBeLessThan(300);
    expect(impact!.forecastAfterUSD).toBeGreaterThan(300);
    expect(impact!.crossesLimit).toBe(true);
    expect(impactSentence(impact!)).toMatch(
      /^this change adds \$\d+\/month \(compute \+\$[\d.]+\); r01-fall-2026 forecast goes from \$\d+ to \$\d+ of \$300$/,
    );
  });
});

describe('cost rendering', () => {
  it.each([
    [{ callsThisRun: 1, callsInAll: 14, fromCache: false }, 'Cost Explorer: 1 call ($0.01) this run, 14 in all'],
    [
      { callsThisRun: 0, callsInAll: 14, fromCache: true, fetchedAt: '2026-11-16T08:00:00.000Z' },
      'Cost Explorer: 0 calls ($0.00) this run, 14 in all; figures cached at 2026-11-16T08:00:00.000Z',
    ],
  ])('%#: the Cost Explorer line', (use, line) => {
    expect(costExplorerLine(use)).toBe(line);
  });

  it.each([
    ['half spent, forecast at the limit', 3000, 6000, '██████████▒▒▒▒▒▒▒▒▒│'],
    ['under', 600, 1200, '██▒▒░░░░░░░░░░░░░░░│'],
    ['forecast past the limit (scale grows)', 3000, 12000, '█████▒▒▒▒▒│▒▒▒▒▒▒▒▒▒'],
  ])('terminal bar: %s', (_name, spent, forecast, bar) => {
    expect(budgetBar(status(spent, forecast), 20)).toBe(bar);
  });

  it('draws daily spend as a sparkline with its peak', () => {
    const daily = [
      { date: '2026-11-01', usd: 100 },
      { date: '2026-11-02', usd: 300 },
    ];

    expect(sparkline(status(300, 3200, daily))).toBe('▄█  daily, last 2 days (peak $200)');
  });
});

describe('Batch job estimates', () => {
  it.each([
    [
      '4 vCPU / 8 GiB for 2 h on the cheapest fitting type',
      { vcpus: 4, memoryMiB: 8192, durationSeconds: 7200 },
      't4g.xlarge',
      2,
    ],
    [
      'an array of 10 × 30 minutes, 2 attempts',
      { vcpus: 2, memoryMiB: 4096, array: 10, durationSeconds: 1800, attempts: 2 },
      't4g.medium',
      10,
    ],
    ['a GPU job', { vcpus: 4, memoryMiB: 16384, gpus: 1, durationSeconds: 3600 }, 'g4dn.xlarge', 1],
  ])('%s', (_name, job, type, hours) => {
    const estimate = estimateJobUSD(job, 'us-east-1');

    expect(estimate?.instanceType).toBe(type);
    expect(estimate?.hours).toBe(hours);
    expect(estimate?.usd).toBeCloseTo(hours * hourlyPriceUSD(type, 'us-east-1')!, 9);
  });
});
