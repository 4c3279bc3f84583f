/** The Budget kind: plans no actions of its own, but decides the overrides every planner obeys. */
import type { Decider } from '../../engine/kind.js';
import type { BudgetReport, BudgetRun } from './decide.js';
import { budgetReport, runBudgets } from './decide.js';
import { buildDesiredBudgets } from './desired.js';
import { recordAlerts, recordBudgets, recordFiredActions } from './record.js';

/**
 * Budgets: spend and forecast from Cost Explorer (at most one call per run, cached), alerts at
 * thresholds, and `hibernate`, `stop`, `block-launches` in force for a project's resources.
 */
export const budget: Decider<BudgetRun, BudgetReport> = {
  name: 'Budget',
  async decide({ validation, desired, observed, record, now, costs, intervalMs }) {
    const { run, record: patch } = await runBudgets({
      budgets: buildDesiredBudgets(validation),
      desired,
      observed,
      now,
      record,
      costs,
      ...(intervalMs === undefined ? {} : { intervalMs }),
    });
    return { overrides: run.overrides, verdict: run, record: patch };
  },
  report: budgetReport,
  recordApplied: (run, now) => (record) =>
    recordFiredActions(run.statuses, now)(recordBudgets(run.statuses, now)(recordAlerts(run)(record))),
  withholdAlerts: (run) => ({ ...run, statuses: run.statuses.map((s) => ({ ...s, newAlerts: [] })) }),
};
