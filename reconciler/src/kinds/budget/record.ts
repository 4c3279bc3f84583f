/**
 * Keeping the run record in step for Budgets after an applying run: the alerts it sent (so each
 * threshold alerts once per period) and each budget's last status (spent, forecast, daily series)
 * for STATUS.md's cost charts. Each function returns a patch (model/record.ts).
 */
import type { RecordPatch } from '../../model/record.js';
import type { BudgetRun } from './decide.js';

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
