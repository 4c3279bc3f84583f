import { afterEach, describe, expect, it } from 'vitest';
import { TAG } from '../../reconciler/src/model/tags.js';
import { costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

/** Weekdays of October 2026 (the 1st is a Thursday): 2 + 4 × 5. */
const WEEKDAYS = 22;
const M6I_LARGE = 0.096;
/** gp3 in us-east-1, per GiB-month; a month is 730 hours. */
const GP3 = 0.08;

describe('a month of scheduled use', () => {
  it('costs what Cost Explorer bills: 22 weekdays × 11 h × $0.096 + a 60 GiB root for the month, within 1%', async () => {
    harness = await startCostHarness(
      {
        'workstations/ws.yaml': costWorkstation(
          'ana',
          'neuro',
          '  schedule: { workHours: "Mon-Fri 08:00-19:00", offHoursAction: stop }\n',
        ),
        'budgets/october.yaml': costBudget(
          'neuro-october',
          'neuro',
          1000,
          '  period: { start: 2026-10-01, end: 2026-10-31 }\n',
        ),
      },
      '2026-10-01T04:00:00Z',
    );
    // Midnight Oct 1 in New York (off hours): created, then stopped.
    const created = await harness.reconcile('2026-10-01T04:00:00Z');
    const createdAt = Date.parse(created.observed!.observedAt);
    for (let day = 1; day <= 31; day++) {
      const date = `2026-10-${String(day).padStart(2, '0')}`;
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      // 08:00 and 19:00 in New York (EDT, UTC-4) all October.
      await harness.reconcile(`${date}T12:00:00Z`);
      await harness.reconcile(`${date}T23:00:00Z`);
    }

    const after = await harness.reconcile('2026-11-01T12:00:00Z', 'plan');

    const storageHours = (Date.parse('2026-11-01T00:00:00Z') - createdAt) / 3_600_000;
    const hand = WEEKDAYS * 11 * M6I_LARGE + (60 * GP3 * storageHours) / 730;
    const status = after.budgets!.statuses[0]!;
    expect(hand).toBeCloseTo(28.1, 1);
    expect(Math.abs(status.spend.actualUSD - hand) / hand).toBeLessThan(0.01);
    expect(status.spend.estimatedSinceUSD).toBe(0);
    const instances = (await harness.h.sim.control.state()) as unknown as {
      ec2: { instances: Record<string, { tags: Record<string, string> }> };
    };
    expect(Object.values(instances.ec2.instances).filter((i) => i.tags[TAG.name] === 'ana')).toHaveLength(1);
  }, 120_000);

  it('is forecast from the schedule before the month starts: the same hours, not 730', async () => {
    harness = await startCostHarness(
      {
        'workstations/ws.yaml': costWorkstation(
          'ana',
          'neuro',
          '  schedule: { workHours: "Mon-Fri 08:00-19:00", offHoursAction: stop }\n',
        ),
        'budgets/october.yaml': costBudget(
          'neuro-october',
          'neuro',
          1000,
          '  period: { start: 2026-10-01, end: 2026-10-31 }\n',
        ),
      },
      '2026-10-01T04:00:00Z',
    );

    const result = await harness.reconcile('2026-10-01T04:00:00Z', 'plan');

    const hand = WEEKDAYS * 11 * M6I_LARGE + (60 * GP3 * 744) / 730;
    expect(Math.abs(result.budgets!.statuses[0]!.forecastUSD - hand) / hand).toBeLessThan(0.01);
  });
});
