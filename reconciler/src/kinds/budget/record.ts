/**
 * Keeping the run record in step for Budgets after an applying run: the alerts it sent (so each
 * threshold alerts once per period) and each budget's last status (spent, forecast, daily series)
 * for STATUS.md's cost charts. Each function returns a patch (model/record.ts).
 */
import type { RecordPatch } from '../../model/record.js';
import type { BudgetRun } from './decide.js';
import type { BudgetStatus } from '../../model/budget.js';
import { firedAt } from './status.js';
import type { FiredBudgetActionRecord } from '../../specs/generated/run-record.js';

/** Remembers the alerts a run sent (after apply/reconcile), so each threshold alerts once per period. */
export function recordAlerts(run: Pick<BudgetRun, 'statuses'>): RecordPatch {
  const sent = run.statuses.flatMap((s) => s.newAlerts);
  return (record) => ({ ...record, alerts: [...record.alerts, ...sent] });
}

/** Replaces each budget's last status (spent, forecast, daily series) for STATUS.md's cost charts. */
export function recordBudgets(statuses: readonly { budget: { name: string } }[], now: Date): RecordPatch {
  return (record) => {
    const resources: typeof record.resources = Object.fromEntries(
      Object.entries(record.resources).filter(([key]) => !key.startsWith('Budget/')),
    );
    for (const status of statuses)
      resources[`Budget/${status.budget.name}`] = { observedAt: now.toISOString(), budget: status };
    return { ...record, resources, listedAt: { ...record.listedAt, Budget: now.toISOString() } };
  };
}

/**
 * Remembers each `stop`, `hibernate` and `block-launches` in force that the record does not hold
 * yet (fired this run, or fired again at a raised limit), with when it fired, so it stays in force
 * for the rest of the period. Entries of periods no budget is in any more are dropped.
 */
export function recordFiredActions(
  statuses: readonly Pick<BudgetStatus, 'budget' | 'window' | 'actionsInForce'>[],
  now: Date,
): RecordPatch {
  return (record) => {
    const current = new Set(statuses.map((s) => `${s.budget.name}\u0000${s.window.key}`));
    const kept = (record.budgetActions ?? []).filter((f) => current.has(`${f.budget}\u0000${f.period}`));
    const added: FiredBudgetActionRecord[] = [];
    for (const s of statuses)
      for (const a of s.actionsInForce) {
        if (a.do === 'notify' || firedAt(s.budget, s.window, a, { fired: kept, now }) !== undefined) continue;
        added.push({
          budget: s.budget.name,
          period: s.window.key,
          do: a.do,
          atPercent: a.atPercent,
          limitUSD: s.budget.limitUSD,
          at: a.since ?? now.toISOString(),
        });
      }
    const fired = [...kept, ...added];
    const { budgetActions: _dropped, ...rest } = record;
    return fired.length ? { ...rest, budgetActions: fired } : rest;
  };
}
