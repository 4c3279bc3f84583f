import { afterEach, describe, expect, it } from 'vitest';
import { costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const START = Date.parse('2026-10-05T12:00:00Z');
const at = (hours: number): string => new Date(START + hours * 3_600_000).toISOString();

const FILES = {
  'workstations/ana.yaml': costWorkstation('ana', 'neuro'),
  'workstations/cy.yaml': costWorkstation('cy', 'atmos'),
  'budgets/neuro.yaml': costBudget('neuro-monthly', 'neuro', 500, '  period: { every: month }\n'),
  'budgets/neuro-fall.yaml': costBudget(
    'neuro-fall',
    'neuro',
    3000,
    '  period: { start: 2026-08-24, end: 2026-12-18 }\n',
  ),
  'budgets/atmos.yaml': costBudget('atmos-quarter', 'atmos', 900, '  period: { every: quarter }\n'),
};

describe('Cost Explorer calls', () => {
  it('asks GetCostAndUsage once per 8-hour cache window for every budget together, however often labops runs', async () => {
    harness = await startCostHarness(FILES, at(0));
    await harness.h.sim.control.resetCalls();

    // Every 30 minutes for a day: 49 reconciles.
    for (let half = 0; half <= 48; half++) await harness.reconcile(at(half / 2));

    const calls = await harness.h.sim.control.calls();
    const record = await harness.record();
    // Windows start at 0 h, 8 h, 16 h and 24 h.
    expect(calls['CostExplorer.GetCostAndUsage']).toBe(4);
    // One forecast per distinct (project, period end) still running, per refresh: neuro month, neuro fall, atmos quarter.
    expect(calls['CostExplorer.GetCostForecast']).toBe(12);
    expect(record.costExplorerCalls).toBe(16);
  }, 120_000);

  it('reports the calls of this run and in all', async () => {
    harness = await startCostHarness(FILES, at(0));

    const first = await harness.reconcile(at(0), 'plan');
    const cached = await harness.reconcile(at(1), 'plan');

    expect(
      [first, cached].map((r) => [
        r.budgets!.costExplorer.callsThisRun,
        r.budgets!.costExplorer.callsInAll,
        r.budgets!.costExplorer.fromCache,
      ]),
    ).toEqual([
      [4, 4, false],
      [0, 4, true],
    ]);
  }, 60_000);

  it('shows actual and Cost Explorer forecasts side by side once spend exists', async () => {
    harness = await startCostHarness(FILES, at(0));
    await harness.reconcile(at(0));

    const later = await harness.reconcile(at(48), 'plan');

    const neuro = later.budgets!.statuses.find((s) => s.budget.name === 'neuro-monthly')!;
    expect(neuro.spend.actualUSD).toBeGreaterThan(0);
    expect(neuro.spend.estimatedSinceUSD).toBeGreaterThan(0);
    expect(neuro.costExplorerForecastUSD).toBeGreaterThan(neuro.spend.actualUSD);
    // Both project the same always-on m6i.large to the end of October: within 10% of each other.
    expect(Math.abs(neuro.costExplorerForecastUSD! - neuro.forecastUSD) / neuro.forecastUSD).toBeLessThan(0.1);
  }, 60_000);
});
