/**
 * What a plan does to each project's and budget's money: the monthly Δ$ of its actions summed per
 * project (the budget covering a project gets the project's sum), and each budget's forecast
 * before and after the change.
 *
 * The forecast computed by the budget planner is the forecast *after* the plan (desired
 * workstations at their planned run-hours). The forecast *before* is the current observed
 * run-rate carried to the end of the period: after − the plan's monthly Δ$ × the months left.
 */
import type { BudgetStatus } from '../../model/budget.js';
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import type { Plan } from '../../model/plan.js';
import { TAG } from '../../model/tags.js';
import { HOURS_PER_MONTH } from '../../cost/prices/index.js';
import { roundUSD } from '../../engine/actions.js';
import { remainingHours } from '../../model/budget-period.js';

/** A project's share of the plan. */
export interface ProjectImpact {
  project: string;
  /** Sum of the monthly Δ$ of the project's actions. */
  monthlyDeltaUSD: number;
  actions: number;
}

/** A budget's forecast before and after the plan. */
export interface BudgetImpact {
  budget: string;
  project: string;
  limitUSD: number;
  monthlyDeltaUSD: number;
  forecastBeforeUSD: number;
  forecastAfterUSD: number;
  /** True when the plan takes the forecast from within the limit to past it. */
  crossesLimit: boolean;
}

/** The project an action's resource belongs to: its spec's, or an orphan instance's tag; snapshot schedules span projects. */
function projectResolver(desired: Desired, observed: Observed): (action: Plan['actions'][number]) => string {
  const workstations = new Map<string, string>();
  for (const instance of observed.instances) {
    const name = instance.tags[TAG.name];
    const project = instance.tags[TAG.project];
    if (name !== undefined && project !== undefined) workstations.set(name, project);
  }
  for (const ws of desired.workstations) workstations.set(ws.name, ws.project);
  const jobs = new Map(desired.jobs.map((j) => [j.name, j.project]));
  return (action) => {
    if (action.resource.kind === 'Workstation') return workstations.get(action.resource.name) ?? '(untagged)';
    if (action.resource.kind === 'Job') return jobs.get(action.resource.name) ?? '(untagged)';
    return '(snapshots)';
  };
}

/** Per-project totals of the plan's changes (reports such as orphan and drift are left out). */
export function projectImpacts(plan: Plan, desired: Desired, observed: Observed): ProjectImpact[] {
  const projectOf = projectResolver(desired, observed);
  const totals = new Map<string, ProjectImpact>();
  for (const action of plan.actions) {
    if (action.kind === 'orphan' || action.kind === 'drift') continue;
    // The AWS budget mirror's actions change no project's spend (AWS budgets without actions are free).
    if (action.resource.kind === 'Budget') continue;
    const project = projectOf(action);
    const entry = totals.get(project) ?? { project, monthlyDeltaUSD: 0, actions: 0 };
    entry.monthlyDeltaUSD = roundUSD(entry.monthlyDeltaUSD + action.monthlyDeltaUSD);
    entry.actions += 1;
    totals.set(project, entry);
  }
  return [...totals.values()].sort((a, b) => (a.project < b.project ? -1 : a.project > b.project ? 1 : 0));
}

/** Each budget's forecast before and after the plan. */
export function budgetImpacts(
  statuses: readonly BudgetStatus[],
  projects: readonly ProjectImpact[],
  now: Date,
): BudgetImpact[] {
  return statuses.map((s) => {
    const delta = projects.find((p) => p.project === s.budget.project)?.monthlyDeltaUSD ?? 0;
    const months = remainingHours(s.window, now.getTime()) / HOURS_PER_MONTH;
    const before = Math.max(s.spentUSD, s.forecastUSD - delta * months);
    return {
      budget: s.budget.name,
      project: s.budget.project,
      limitUSD: s.budget.limitUSD,
      monthlyDeltaUSD: delta,
      forecastBeforeUSD: roundUSD(before),
      forecastAfterUSD: roundUSD(s.forecastUSD),
      crossesLimit: before <= s.budget.limitUSD && s.forecastUSD > s.budget.limitUSD,
    };
  });
}
