/**
 * Cost Explorer bills $0.01 per request sent, and the SDK's retries are requests: with the sim's
 * fault rules throttling first attempts (LimitExceededException, which the SDK retries), labops
 * counts every request the sim received — in the adapter's `calls` and in the run record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCostsAdapter } from '../../reconciler/src/aws/costs.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';
import { costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

let sim: TestSim | undefined;
let harness: CostHarness | undefined;
afterEach(async () => {
  await sim?.close();
  await harness?.close();
  sim = undefined;
  harness = undefined;
});

const sum = (calls: Record<string, number>): number =>
  Object.entries(calls)
    .filter(([op]) => op.startsWith('CostExplorer.'))
    .reduce((total, [, n]) => total + n, 0);

describe('Cost Explorer requests counted as sent', () => {
  it.each([
    ['no throttling', 0, 1],
    ['the first attempt throttled', 1, 2],
    ['two attempts throttled', 2, 3],
  ])('GetCostAndUsage with %s: %i throttled, %i requests counted', async (_name, throttled, expected) => {
    // Arrange
    sim = await startTestSim({ log: () => {}, start: '2026-10-10T00:00:00Z' });
    if (throttled > 0)
      await sim.control.faults({
        rules: [{ operation: 'CostExplorer.GetCostAndUsage', kind: 'throttle', count: throttled }],
      });
    const costs = createCostsAdapter(sim.costExplorer());

    // Act
    const daily = await costs.dailyCosts({ start: '2026-10-01', end: '2026-10-10', tagKey: TAG.project });

    // Assert
    const calls = await sim.control.calls();
    expect(calls['CostExplorer.GetCostAndUsage']).toBe(expected);
    expect(daily.calls).toBe(expected);
    expect(costs.requestsSent()).toBe(expected);
  });

  it('records every request of a run, retries of GetCostAndUsage and GetCostForecast included', async () => {
    // Arrange: a month of history, then the first attempt of each Cost Explorer call throttled.
    const files = {
      'workstations/ana.yaml': costWorkstation('ana', 'neuro'),
      'budgets/neuro.yaml': costBudget('neuro-monthly', 'neuro', 500, '  period: { every: month }\n'),
    };
    harness = await startCostHarness(files, '2026-10-05T12:00:00Z');
    await harness.reconcile('2026-10-05T12:00:00Z');
    const before = (await harness.record()).costExplorerCalls;
    await harness.h.sim.control.resetCalls();
    await harness.h.sim.control.faults({
      rules: [
        { operation: 'CostExplorer.GetCostAndUsage', kind: 'throttle', count: 1 },
        { operation: 'CostExplorer.GetCostForecast', kind: 'throttle', count: 1 },
      ],
    });

    // Act: past the 8-hour cache, so Cost Explorer is asked again.
    const result = await harness.reconcile('2026-10-07T12:00:00Z', 'plan');

    // Assert: GetCostAndUsage twice (one throttle), GetCostForecast twice (one throttle).
    const calls = await harness.h.sim.control.calls();
    expect([calls['CostExplorer.GetCostAndUsage'], calls['CostExplorer.GetCostForecast']]).toEqual([2, 2]);
    expect(sum(calls)).toBe(4);
    expect(result.budgets!.costExplorer.callsThisRun).toBe(4);
    expect((await harness.record()).costExplorerCalls - before).toBe(4);
  }, 60_000);
});
