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
import type { CostSource } from '../../cost/sources.js';

/** A project's share of the plan. */
export interface ProjectImpact {
  project: string;
  /** Sum of the monthly Δ$ of the project's actions. */
  monthlyDeltaUSD: number;
  /** The same by source: workstation actions under compute (with their volumes), SnapshotSchedule actions under snapshots, Jobs under batch. */
  bySource: Partial<Record<CostSource, number>>;
  actions: number;
}

/** A budget's forecast before and after the plan. */
export interface BudgetImpact {
  budget: string;
  project: string;
  limitUSD: number;
  monthlyDeltaUSD: number;
  /** The project's monthly Δ$ by source (only sources the plan changes). @default {} */
  bySource?: Partial<Record<CostSource, number>>;
  forecastBeforeUSD: number;
  forecastAfterUSD: number;
  /** True when the plan takes the forecast from within the limit to past it. */
  crossesLimit: boolean;
}

/** Where the money of an action on each kind of resource goes (cost/sources.ts); any other kind is `other`. */
const SOURCE_OF_KIND: Readonly<Partial<Record<string, CostSource>>> = {
  Workstation: 'compute',
  Job: 'batch',
  SnapshotSchedule: 'snapshots',
};

function sourceOf(action: Plan['actions'][number]): CostSource {
  return SOURCE_OF_KIND[action.resource.kind] ?? 'other';
}

/**
 * The project an action's resource belongs to: its spec's, or an orphan instance's tag; a
 * snapshot or copy a schedule takes belongs to its workstation's project (its tags); deletions
 * across a schedule's workstations are `(snapshots)`.
 */
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
    const details = action.details as { tags?: Record<string, string> } | undefined;
    return details?.tags?.[TAG.project] ?? '(snapshots)';
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
    const entry = totals.get(project) ?? { project, monthlyDeltaUSD: 0, bySource: {}, actions: 0 };
    entry.monthlyDeltaUSD = roundUSD(entry.monthlyDeltaUSD + action.monthlyDeltaUSD);
    const source = sourceOf(action);
    if (action.monthlyDeltaUSD !== 0)
      entry.bySource[source] = roundUSD((entry.bySource[source] ?? 0) + action.monthlyDeltaUSD);
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
    const project = projects.find((p) => p.project === s.budget.project);
    const delta = project?.monthlyDeltaUSD ?? 0;
    const months = remainingHours(s.window, now.getTime()) / HOURS_PER_MONTH;
    const before = Math.max(s.spentUSD, s.forecastUSD - delta * months);
    return {
      budget: s.budget.name,
      project: s.budget.project,
      limitUSD: s.budget.limitUSD,
      monthlyDeltaUSD: delta,
      bySource: project?.bySource ?? {},
      forecastBeforeUSD: roundUSD(before),
      forecastAfterUSD: roundUSD(s.forecastUSD),
      crossesLimit: before <= s.budget.limitUSD && s.forecastUSD > s.budget.limitUSD,
    };
  });
}
