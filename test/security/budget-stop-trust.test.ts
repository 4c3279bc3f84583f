/**
 * A fired budget stop and the spend behind it against a forged run record (issue 20): the record
 * only ever adds to what EC2 shows. Dropping the fired stop and the spend ledger, making the stop
 * look fired at a lower limit, or dating it in the future leaves the spend EC2 shows — compute up
 * to each instance's stop, read from `StateTransitionReason`, and storage since Cost Explorer's
 * data end — and that keeps the stop in force: nothing starts again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { costBudget, costWorkstation, startCostHarness } from '../integration/cost-harness.js';
import type { CostHarness } from '../integration/cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const START = Date.parse('2026-10-05T12:00:00Z');
const at = (hours: number): string => new Date(START + hours * 3_600_000).toISOString();

/** Two always-on m6i.large workstations (about $0.20/h with their roots) and a $1.50 stop. */
const FILES = {
  'workstations/ana.yaml': costWorkstation('ana', 'neuro'),
  'workstations/ben.yaml': costWorkstation('ben', 'neuro'),
  'budgets/neuro.yaml': costBudget(
    'neuro-monthly',
    'neuro',
    1.5,
    '  period: { every: month }\n  thresholds: []\n  actions: [ { atPercent: 100, do: stop } ]\n',
  ),
};

function forge(h: CostHarness, change: (record: RunRecord) => RunRecord): void {
  const record = JSON.parse(readFileSync(h.recordPath, 'utf8')) as RunRecord;
  writeFileSync(h.recordPath, `${JSON.stringify(change(record), null, 2)}\n`);
}

describe('a forged run record cannot lift a budget stop', () => {
  it.each<[string, (record: RunRecord) => RunRecord]>([
    ['the fired stop and the spend ledger dropped', ({ budgetActions: _a, instanceRuns: _r, ...rest }) => rest],
    [
      'the stop recorded at a lower limit (as if the limit had since been raised), the ledger emptied',
      (record) => ({
        ...record,
        budgetActions: (record.budgetActions ?? []).map((f) => ({ ...f, limitUSD: 0.5 })),
        instanceRuns: Object.fromEntries(
          Object.entries(record.instanceRuns ?? {}).map(([id, e]) => [id, { ...e, runs: [], firstSeen: at(9) }]),
        ),
      }),
    ],
    [
      'the stop dated in the future',
      (record) => ({ ...record, budgetActions: (record.budgetActions ?? []).map((f) => ({ ...f, at: at(10_000) })) }),
    ],
  ])(
    '%s: the workstations stay stopped',
    async (_name, change) => {
      harness = await startCostHarness(FILES, at(0));
      await harness.reconcile(at(0));
      const stopped = await harness.reconcile(at(9));
      const status = stopped.budgets!.statuses[0]!;
      expect(status.spend.actualUSD).toBeLessThan(1.5);
      expect(stopped.plan!.actions.filter((a) => a.kind === 'stop').map((a) => a.resource.name)).toEqual([
        'ana',
        'ben',
      ]);
      forge(harness, change);

      const next = await harness.reconcile(at(10));

      expect(next.budgets!.statuses[0]!.spentUSD).toBeGreaterThanOrEqual(status.spentUSD);
      expect(next.plan!.actions.filter((a) => a.kind === 'start')).toEqual([]);
      expect(next.plan!.refusals.map((r) => [r.code, r.resource?.name])).toEqual([
        ['budget-withheld', 'ana'],
        ['budget-withheld', 'ben'],
      ]);
    },
    120_000,
  );
});

describe('a forged run record cannot fire a budget stop', () => {
  // The snapshot figure holds at the last run's report (issue 17 item 7); the report is the record's,
  // so it is capped by the snapshots EC2 shows at full size over the period — here none.
  it('an inflated snapshot figure of the last run: spent stays what AWS shows, nothing is stopped', async () => {
    harness = await startCostHarness(FILES, at(0));
    const first = await harness.reconcile(at(0));
    const honest = first.budgets!.statuses[0]!;
    expect(honest.spentUSD).toBeLessThan(1.5);
    forge(harness, (record) => {
      const entry = record.resources['Budget/neuro-monthly'] as { budget: { spentBySource: { snapshots: number } } };
      entry.budget.spentBySource.snapshots = 1_000_000;
      return record;
    });

    const next = await harness.reconcile(at(1));

    const status = next.budgets!.statuses[0]!;
    expect(status.spentBySource!.snapshots).toBe(0);
    expect(status.spentUSD).toBeLessThan(1.5);
    expect(next.plan!.actions.filter((a) => a.kind === 'stop')).toEqual([]);
  }, 120_000);
});
