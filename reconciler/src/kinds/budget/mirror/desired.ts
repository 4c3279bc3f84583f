/**
 * The AWS budget each valid Budget is mirrored into (docs/budgets.md "AWS Budgets mirror"):
 *
 * - period: `every: month | quarter | year` → MONTHLY, QUARTERLY, ANNUALLY (AWS's periods are UTC
 *   calendar periods; labops' own are in the Lab calendar's zone); fixed dates → CUSTOM from the
 *   first day to the day after the last.
 * - notifications: ACTUAL at every `thresholds` and `actions[].atPercent` percent (AWS alerts on
 *   spend labops acts on), and FORECASTED at 100% (AWS's own forecast says the limit will be
 *   passed; labops forecasts too, its thresholds alert on either), each emailing the `notify`
 *   entries that are addresses. Without an address the budget has no notification (AWS requires a
 *   subscriber on each): it still shows spend against the limit in the AWS console.
 */
import type { DesiredBudget } from '../../../model/budget.js';
import type { Desired, DesiredLab } from '../../../model/desired.js';
import { AWS_BUDGET_LIMITS, awsBudgetName, isEmailAddress } from '../../../model/aws-budget.js';
import type { AwsBudgetNotification, DesiredAwsBudget } from '../../../model/aws-budget.js';
import { TAG } from '../../../model/tags.js';
import type { LabValidation } from '../../../specs/validate.js';
import { buildDesiredBudgets } from '../desired.js';

const TIME_UNITS = { month: 'MONTHLY', quarter: 'QUARTERLY', year: 'ANNUALLY' } as const;

/** The AWS budget of one Budget of the lab. */
export function desiredAwsBudget(budget: DesiredBudget, lab: Pick<DesiredLab, 'repo'>): DesiredAwsBudget {
  const emails = [...new Set(budget.notify.filter(isEmailAddress))].sort();
  const notSubscribed = budget.notify.filter((n) => !isEmailAddress(n));
  const percents = [...new Set([...budget.thresholds, ...budget.actions.map((a) => a.atPercent)])].sort(
    (a, b) => a - b,
  );
  const notifications: AwsBudgetNotification[] = emails.length
    ? [
        ...percents.map((percent) => ({ type: 'ACTUAL' as const, percent, emails })),
        { type: 'FORECASTED' as const, percent: 100, emails },
      ]
    : [];
  const limits: string[] = [];
  if (notifications.length > AWS_BUDGET_LIMITS.notificationsPerBudget)
    limits.push(
      `${notifications.length} notifications (${percents.length} ACTUAL percents and FORECASTED 100%) but AWS allows ${AWS_BUDGET_LIMITS.notificationsPerBudget} per budget`,
    );
  if (emails.length > AWS_BUDGET_LIMITS.emailSubscribersPerNotification)
    limits.push(
      `${emails.length} email addresses in notify but AWS allows ${AWS_BUDGET_LIMITS.emailSubscribersPerNotification} per notification`,
    );
  const out: DesiredAwsBudget = {
    budget: budget.name,
    name: awsBudgetName(lab.repo, budget.name),
    limitUSD: budget.limitUSD,
    timeUnit: 'every' in budget.period ? TIME_UNITS[budget.period.every] : 'CUSTOM',
    project: budget.project,
    notifications,
    notSubscribed,
    tags: { [TAG.repo]: lab.repo, [TAG.kind]: 'Budget', [TAG.name]: budget.name, [TAG.project]: budget.project },
  };
  if ('start' in budget.period) out.period = { start: budget.period.start, end: budget.period.end };
  if (limits.length) out.overLimit = limits.join('; ');
  return out;
}

/** The AWS budgets of a validated lab (none when `budgets.mirror` is false), and its invalid Budgets' names. */
export function desiredAwsBudgets(
  validation: LabValidation,
  lab: DesiredLab,
): Pick<Desired, 'awsBudgets' | 'unknownBudgets'> {
  const mirror = validation.specs.lab?.spec.spec.budgets?.mirror ?? true;
  const unknownBudgets = validation.invalid.flatMap((i) => (i.kind === 'Budget' && i.name ? [i.name] : []));
  return {
    awsBudgets: mirror ? buildDesiredBudgets(validation).map((b) => desiredAwsBudget(b, lab)) : [],
    unknownBudgets,
  };
}
