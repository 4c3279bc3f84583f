/** Turns the validated Budget specs into {@link DesiredBudget}s, every default settled. */
import { DEFAULT_THRESHOLDS } from '../../model/budget.js';
import type { DesiredBudget } from '../../model/budget.js';
import type { Budget } from '../../specs/types.js';
import type { LabValidation } from '../../specs/validate.js';

/** One Budget with defaults: thresholds 50/75/90/100, no actions, the Lab's `notify` handles. */
export function desiredBudget(spec: Budget, labNotify: readonly string[] = []): DesiredBudget {
  const s = spec.spec;
  const period: DesiredBudget['period'] =
    s.period.every !== undefined ? { every: s.period.every } : { start: s.period.start ?? '', end: s.period.end ?? '' };
  return {
    name: spec.metadata.name,
    project: s.project,
    limitUSD: s.limitUSD,
    period,
    thresholds: [...(s.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b),
    actions: [...(s.actions ?? [])]
      .sort((a, b) => a.atPercent - b.atPercent)
      .map((a) => ({ atPercent: a.atPercent, do: a.do })),
    notify: [...(s.notify ?? labNotify)],
  };
}

/** Every valid Budget of the lab, by name. */
export function buildDesiredBudgets(validation: LabValidation): DesiredBudget[] {
  const labNotify = validation.specs.lab?.spec.spec.notify ?? [];
  return validation.specs.budgets
    .map(({ spec }) => desiredBudget(spec, labNotify))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
