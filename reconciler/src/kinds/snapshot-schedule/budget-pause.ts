/**
 * Budget actions over SnapshotSchedules (issue 17): a Budget's `stop`, `hibernate` or
 * `block-launches` in force for a workstation's project pauses the new snapshots of it and the
 * cross-region copies of its snapshots (new spend), while retention keeps deleting what expired
 * (spend going away). A schedule with `budgetExempt: true` keeps snapshotting, and its actions say
 * which budget it overrides. The plan carries a `budget-withheld` note per paused schedule.
 */
import type { BudgetOverride } from '../../model/budget.js';
import type { PlanRefusal } from '../../model/plan.js';
import type { DesiredSchedule } from '../../model/schedule.js';

/** The budget action pausing spend of any of these projects (the first in budget order), if one is in force. */
export function budgetHold(
  overrides: readonly BudgetOverride[],
  projects: readonly (string | undefined)[],
): BudgetOverride | undefined {
  return overrides.find((o) => projects.includes(o.project));
}

/** `budget neuro at 102% of $1,500, its stop in force since 2026-11-20T…`. */
function inForce(override: BudgetOverride): string {
  return `${override.rule}, its ${override.action} in force${override.since === undefined ? '' : ` since ${override.since}`}`;
}

/** What a paused schedule left out under one budget action. */
export interface Paused {
  override: BudgetOverride;
  /** Workstations whose snapshot of the due slot was not taken. */
  workstations: string[];
  /** Regions of the copies not made, one entry per copy. */
  copies: string[];
}

/** The plan's note for a schedule the budget paused. */
export function pausedNote(schedule: DesiredSchedule, paused: Paused): PlanRefusal {
  const what: string[] = [];
  if (paused.workstations.length) what.push(`snapshots of ${paused.workstations.join(', ')}`);
  if (paused.copies.length) {
    const regions = [...new Set(paused.copies)].sort();
    what.push(`${paused.copies.length} cop${paused.copies.length === 1 ? 'y' : 'ies'} to ${regions.join(', ')}`);
  }
  return {
    code: 'budget-withheld',
    message: `snapshot schedule ${schedule.name}: snapshot paused (${what.join('; ')}): ${inForce(paused.override)}; retention still deletes expired snapshots (budgetExempt: true keeps a schedule snapshotting)`,
    resource: { kind: 'SnapshotSchedule', name: schedule.name },
  };
}

/** What an exempt schedule's snapshot or copy adds to its reason. */
export function exemptNote(override: BudgetOverride): string {
  return `${inForce(override)}; budgetExempt keeps this schedule snapshotting`;
}
