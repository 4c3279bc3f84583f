/**
 * A lab whose projects have no billing history yet: Cost Explorer answers GetCostForecast with
 * DataUnavailableException (the sim as AWS, never a $0.00 forecast), and labops falls back to its
 * own forecast and says so on the Cost Explorer line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { costExplorerLine } from '../../reconciler/src/kinds/budget/report.js';
import { costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const FILES = {
  'workstations/ana.yaml': costWorkstation('ana', 'neuro'),
  'budgets/neuro.yaml': costBudget('neuro-monthly', 'neuro', 500, '  period: { every: month }\n'),
};

describe('a forecast without history', () => {
  it('is no Cost Explorer forecast: labops uses its own estimate and says so', async () => {
    // Arrange: a fresh account, nothing has run yet.
    harness = await startCostHarness(FILES, '2026-10-05T12:00:00Z');

    // Act
    const result = await harness.reconcile('2026-10-05T12:00:00Z', 'plan');

    // Assert
    const use = result.budgets!.costExplorer;
    const neuro = result.budgets!.statuses.find((s) => s.budget.name === 'neuro-monthly')!;
    expect(use.forecastUnavailable).toEqual(['neuro (DataUnavailableException)']);
    expect(neuro.costExplorerForecastUSD).toBeUndefined();
    expect(neuro.forecastUSD).toBeGreaterThan(0);
    expect(costExplorerLine(use)).toContain(
      "no forecast for neuro (DataUnavailableException), labops' own estimate used",
    );
  }, 60_000);
});
