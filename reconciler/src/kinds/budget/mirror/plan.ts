/**
 * The AWS budget mirror planner, a pure function: for each Budget, create its AWS budget, or update
 * the limit, period, filter, notifications and subscribers that differ; delete an AWS budget this
 * lab made whose Budget was removed (prune; reported as orphaned otherwise). A budget of the same
 * name without this lab's `labops:repo` tag is never touched: the Budget is refused, with why.
 */
import { resourceAction } from '../../../engine/clock-actions.js';
import { notificationLabel } from '../../../model/aws-budget.js';
import type {
  AwsBudgetBody,
  AwsBudgetNotification,
  DesiredAwsBudget,
  ObservedAwsBudget,
  UpdateAwsBudgetDetails,
} from '../../../model/aws-budget.js';
import type { Desired } from '../../../model/desired.js';
import type { Observed } from '../../../model/observed.js';
import type { Action, PlanPart, PlanRefusal } from '../../../model/plan.js';
import { TAG } from '../../../model/tags.js';
import { formatUSD } from '../../../report/money.js';
import { BUDGETS_REGION } from '../../../aws/budgets.js';
import { AWS_BUDGET_PLAN_ACTIONS } from './actions.js';

const key = (n: Pick<AwsBudgetNotification, 'type' | 'percent'>): string => `${n.type} ${n.percent}`;

/** `ACTUAL 50/75/90/100%, FORECASTED 100%`. */
function notificationsText(list: readonly AwsBudgetNotification[]): string {
  const by = (type: AwsBudgetNotification['type']): string => {
    const percents = list.filter((n) => n.type === type).map((n) => n.percent);
    return percents.length ? `${type} ${percents.join('/')}%` : '';
  };
  return [by('ACTUAL'), by('FORECASTED')].filter(Boolean).join(', ');
}

function periodText(b: AwsBudgetBody): string {
  return b.period === undefined ? b.timeUnit : `${b.period.start}..${b.period.end}`;
}

/** Who AWS emails, and the `notify` entries it does not (said once, in the create or update reason). */
function whoText(d: DesiredAwsBudget): string {
  const emails = d.notifications[0]?.emails ?? [];
  const to = emails.length ? ` → ${emails.join(', ')}` : '; no email address in notify: AWS alerts nobody';
  const not = d.notSubscribed.length
    ? `; ${d.notSubscribed.join(', ')} not AWS subscriber(s) (GitHub handles are mentioned by labops only)`
    : '';
  return `${to}${not}`;
}

function bodyDiff(d: DesiredAwsBudget, o: ObservedAwsBudget): string[] {
  const out: string[] = [];
  if (o.limitUSD !== d.limitUSD)
    out.push(`limit ${o.limitUSD === undefined ? '?' : formatUSD(o.limitUSD)} → ${formatUSD(d.limitUSD)}`);
  const observedPeriod = o.period === undefined ? o.timeUnit : `${o.period.start}..${o.period.end}`;
  if (o.timeUnit !== d.timeUnit || observedPeriod !== periodText(d))
    out.push(`period ${observedPeriod} → ${periodText(d)}`);
  if (o.project !== d.project) out.push(`filter → ${TAG.project}=${d.project}`);
  if (o.budgetType !== 'COST') out.push(`type ${o.budgetType} → COST`);
  return out;
}

/** The update of an owned budget, or undefined when it matches. */
function updateOf(
  d: DesiredAwsBudget,
  o: ObservedAwsBudget,
  accountId: string,
  repo: string,
): { details: UpdateAwsBudgetDetails; reason: string } | undefined {
  const changes = bodyDiff(d, o);
  const observed = new Map(o.notifications.map((n) => [key(n), n]));
  const desired = new Map(d.notifications.map((n) => [key(n), n]));
  const deleteNotifications = o.notifications.filter((n) => !desired.has(key(n)));
  const createNotifications = d.notifications.filter((n) => !observed.has(key(n)));
  const subscribers: UpdateAwsBudgetDetails['subscribers'] = [];
  for (const n of d.notifications) {
    const seen = observed.get(key(n));
    if (seen === undefined) continue;
    const add = n.emails.filter((e) => !seen.emails.includes(e));
    const remove = seen.emails.filter((e) => !n.emails.includes(e));
    if (add.length || remove.length)
      subscribers.push({ notification: { type: n.type, percent: n.percent }, add, remove });
  }
  if (deleteNotifications.length) changes.push(`remove ${deleteNotifications.map(notificationLabel).join(', ')}`);
  if (createNotifications.length) changes.push(`add ${createNotifications.map(notificationLabel).join(', ')}`);
  for (const s of subscribers)
    changes.push(
      `${notificationLabel(s.notification)} subscribers ${[...s.add.map((e) => `+${e}`), ...s.remove.map((e) => `-${e}`)].join(' ')}`,
    );
  if (!changes.length) return undefined;
  const body: AwsBudgetBody | undefined = bodyDiff(d, o).length
    ? {
        name: d.name,
        limitUSD: d.limitUSD,
        timeUnit: d.timeUnit,
        project: d.project,
        ...(d.period === undefined ? {} : { period: d.period }),
      }
    : undefined;
  return {
    details: {
      kind: 'update-aws-budget',
      accountId,
      repo,
      name: d.name,
      ...(body === undefined ? {} : { body }),
      deleteNotifications,
      createNotifications,
      subscribers,
    },
    reason: `AWS budget "${d.name}": ${changes.join('; ')}${whoText(d)}`,
  };
}

/** The mirror's actions and refusals. */
export function planAwsBudgets(desired: Desired, observed: Observed): PlanPart {
  const { repo, accountId, prune } = desired.lab;
  const actions: Action[] = [];
  const refusals: PlanRefusal[] = [];
  const byName = new Map(observed.awsBudgets.map((b) => [b.name, b]));
  const fields = { region: BUDGETS_REGION, rule: 'spec', monthlyDeltaUSD: 0 };
  for (const d of desired.awsBudgets) {
    const resource = { kind: 'Budget' as const, name: d.budget };
    const seen = byName.get(d.name);
    if (seen !== undefined && seen.tags[TAG.repo] !== repo) {
      const owner = seen.tags[TAG.repo] === undefined ? 'no labops:repo tag' : `labops:repo ${seen.tags[TAG.repo]}`;
      refusals.push({
        code: 'aws-budget-foreign',
        message: `Budget ${d.budget}: an AWS budget named "${d.name}" exists with ${owner}; labops does not mirror over it (delete or rename it in AWS, or tag it labops:repo=${repo} if it is this lab's)`,
        resource,
      });
      continue;
    }
    if (d.overLimit !== undefined) {
      refusals.push({
        code: 'aws-budget-limits',
        message: `Budget ${d.budget}: not mirrored into AWS Budgets: ${d.overLimit} (fewer thresholds or addresses, or set the Lab's budgets.mirror: false); labops' own alerts and actions still apply`,
        resource,
      });
      continue;
    }
    if (seen === undefined) {
      actions.push(
        resourceAction(AWS_BUDGET_PLAN_ACTIONS, 'Budget', d.budget, 'create-aws-budget', undefined, {
          ...fields,
          reason: `AWS budget "${d.name}": ${formatUSD(d.limitUSD)} ${periodText(d)} on ${TAG.project}=${d.project}; ${notificationsText(d.notifications) || 'no notifications'}${whoText(d)}`,
          details: { kind: 'create-aws-budget', accountId, budget: d },
        }),
      );
      continue;
    }
    const update = updateOf(d, seen, accountId, repo);
    if (update !== undefined)
      actions.push(
        resourceAction(AWS_BUDGET_PLAN_ACTIONS, 'Budget', d.budget, 'update-aws-budget', undefined, {
          ...fields,
          reason: update.reason,
          details: update.details,
        }),
      );
  }
  const wanted = new Set(desired.awsBudgets.map((d) => d.name));
  for (const o of observed.awsBudgets) {
    if (o.tags[TAG.repo] !== repo || wanted.has(o.name)) continue;
    const name = o.tags[TAG.name] ?? o.name;
    // A Budget whose spec is invalid is unknown, not removed: its AWS budget is left as it is.
    if (desired.unknownBudgets.includes(name)) continue;
    const why = 'Budget removed (or budgets.mirror: false)';
    actions.push(
      prune
        ? resourceAction(AWS_BUDGET_PLAN_ACTIONS, 'Budget', name, 'delete-aws-budget', undefined, {
            ...fields,
            rule: 'prune',
            reason: `${why}: DeleteBudget "${o.name}"`,
            details: { kind: 'delete-aws-budget', accountId, repo, name: o.name },
          })
        : resourceAction(AWS_BUDGET_PLAN_ACTIONS, 'Budget', name, 'orphan', undefined, {
            ...fields,
            rule: 'orphan',
            reason: `${why}: AWS budget "${o.name}" left in place (prune is off)`,
            details: { kind: 'orphan' },
          }),
    );
  }
  return { actions, refusals };
}
