/**
 * The AWS Budgets operations labops uses: budgets (create, describe, update, delete), their
 * notifications and email subscribers, and their tags. Errors are AWS's: `DuplicateRecordException`
 * for a name or notification that exists, `NotFoundException` for one that does not,
 * `CreationLimitExceededException` past the notification and subscriber limits,
 * `InvalidParameterException` for bad values.
 */
import type { SimContext } from '../core/contract.js';
import { SimError, wireText } from '../core/contract.js';
import { compileFilter } from '../cost-explorer/filter.js';
import {
  MAX_NOTIFICATIONS,
  budgetsStateOf,
  checkAccount,
  checkBudgetName,
  checkSubscriberLimits,
  invalid,
  budgetNotFound,
  overLimit,
  readNotification,
  readSubscriber,
  sameNotification,
} from './model.js';
import type { SimBudget, SimNotification } from './model.js';

const TIME_UNITS = ['DAILY', 'MONTHLY', 'QUARTERLY', 'ANNUALLY', 'CUSTOM'];
const BUDGET_TYPES = [
  'USAGE',
  'COST',
  'RI_UTILIZATION',
  'RI_COVERAGE',
  'SAVINGS_PLANS_UTILIZATION',
  'SAVINGS_PLANS_COVERAGE',
];
/** "If you didn't specify an end date, Amazon Web Services set your end date to 06/15/87 00:00 UTC." */
const DEFAULT_END_SECONDS = Date.parse('2087-06-15T00:00:00Z') / 1000;

function duplicate(message: string): SimError {
  return new SimError('DuplicateRecordException', message, 400);
}

/** The start of the current period of a time unit (UTC), in epoch seconds. */
function periodStart(unit: string, now: Date): number {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (unit === 'DAILY' || unit === 'CUSTOM') return Date.UTC(y, m, d) / 1000;
  if (unit === 'MONTHLY') return Date.UTC(y, m, 1) / 1000;
  if (unit === 'QUARTERLY') return Date.UTC(y, m - (m % 3), 1) / 1000;
  return Date.UTC(y, 0, 1) / 1000;
}

/** A Budget object as sent, checked; timestamps kept as epoch seconds (the JSON 1.1 wire form). */
function readBudget(value: unknown, ctx: SimContext): Record<string, unknown> {
  const b = { ...((value ?? {}) as Record<string, unknown>) };
  b.BudgetName = checkBudgetName(b.BudgetName);
  const unit = wireText(b.TimeUnit);
  if (!TIME_UNITS.includes(unit)) throw invalid(`TimeUnit must be one of ${TIME_UNITS.join(', ')}.`);
  if (!BUDGET_TYPES.includes(wireText(b.BudgetType)))
    throw invalid(`BudgetType must be one of ${BUDGET_TYPES.join(', ')}.`);
  const limit = b.BudgetLimit as { Amount?: unknown; Unit?: unknown } | undefined;
  if ((b.BudgetType === 'COST' || b.BudgetType === 'USAGE') && b.PlannedBudgetLimits === undefined) {
    if (limit === undefined) throw invalid('BudgetLimit is required for cost and usage budgets.');
    const amount = Number(wireText(limit.Amount));
    if (!Number.isFinite(amount) || amount < 0) throw invalid('BudgetLimit.Amount must be a non-negative number.');
    if (wireText(limit.Unit) === '') throw invalid('BudgetLimit.Unit is required.');
  }
  if (b.FilterExpression !== undefined && b.CostFilters !== undefined)
    throw invalid('A budget cannot have both CostFilters and FilterExpression.');
  if (b.FilterExpression !== undefined) {
    try {
      compileFilter(b.FilterExpression, ctx.config.accountId);
    } catch (err: unknown) {
      throw invalid(`FilterExpression: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const period = (b.TimePeriod ?? {}) as { Start?: unknown; End?: unknown };
  const start = typeof period.Start === 'number' ? period.Start : periodStart(unit, ctx.now);
  const end = typeof period.End === 'number' ? period.End : DEFAULT_END_SECONDS;
  if (unit === 'CUSTOM' && (typeof period.Start !== 'number' || typeof period.End !== 'number'))
    throw invalid('A CUSTOM budget needs TimePeriod Start and End.');
  if (start >= end) throw invalid('TimePeriod Start must come before End.');
  if (end > DEFAULT_END_SECONDS) throw invalid('TimePeriod End must come before 06/15/87 00:00 UTC.');
  b.TimePeriod = { Start: start, End: end };
  b.LastUpdatedTime = ctx.now.getTime() / 1000;
  delete b.CalculatedSpend;
  return b;
}

function budgetOf(input: Record<string, unknown>, ctx: SimContext): SimBudget {
  checkAccount(input, ctx.config.accountId);
  const name = checkBudgetName(input.BudgetName);
  const found = budgetsStateOf(ctx.state).budgets[name];
  if (found === undefined) throw budgetNotFound(`Unable to get budget: ${name} - the budget doesn't exist.`);
  return found;
}

function notificationOf(budget: SimBudget, value: unknown): SimNotification {
  const wanted = readNotification(value);
  const found = budget.notifications.find((n) => sameNotification(n, wanted));
  if (found === undefined)
    throw budgetNotFound(`Unable to find notification for budget ${wireText(budget.budget.BudgetName)}.`);
  return found;
}

function readSubscribers(value: unknown): SimNotification['Subscribers'] {
  const list = Array.isArray(value) ? value.map(readSubscriber) : [];
  checkSubscriberLimits(list);
  const seen = new Set<string>();
  for (const s of list) {
    const key = `${s.SubscriptionType} ${s.Address}`;
    if (seen.has(key)) throw duplicate(`Subscriber ${s.Address} is listed twice.`);
    seen.add(key);
  }
  return list;
}

function readTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (value === undefined) return tags;
  if (!Array.isArray(value) || value.length > 200) throw invalid('ResourceTags must be a list of at most 200 tags.');
  for (const t of value as { Key?: unknown; Value?: unknown }[]) {
    const key = wireText(t.Key);
    const val = wireText(t.Value);
    if (key.length < 1 || key.length > 128 || key.startsWith('aws:')) throw invalid(`Invalid tag key "${key}".`);
    if (val.length > 256) throw invalid(`Tag value of ${key} is longer than 256 characters.`);
    tags[key] = val;
  }
  return tags;
}

/** The budget as DescribeBudget(s) answer it: the FilterExpression only when asked for. */
function describe(b: SimBudget, showFilter: boolean): Record<string, unknown> {
  const out = { ...b.budget };
  if (!showFilter) delete out.FilterExpression;
  return out;
}

function budgetName(arn: unknown, ctx: SimContext): string {
  const text = wireText(arn);
  const prefix = `arn:aws:budgets::${ctx.config.accountId}:budget/`;
  if (!text.startsWith(prefix)) throw invalid(`ResourceARN ${text} is not a budget of this account.`);
  const name = text.slice(prefix.length);
  if (budgetsStateOf(ctx.state).budgets[name] === undefined) throw budgetNotFound(`Budget ${name} doesn't exist.`);
  return name;
}

function page<T>(items: T[], input: Record<string, unknown>, max: number): { items: T[]; next?: string } {
  const size = input.MaxResults === undefined ? max : Number(input.MaxResults);
  if (!Number.isInteger(size) || size < 1 || size > max) throw invalid(`MaxResults must be between 1 and ${max}.`);
  const from = input.NextToken === undefined ? 0 : Number.parseInt(wireText(input.NextToken), 10);
  if (!Number.isInteger(from) || from < 0) throw new SimError('InvalidNextTokenException', 'Invalid NextToken.', 400);
  const slice = items.slice(from, from + size);
  return from + size < items.length ? { items: slice, next: String(from + size) } : { items: slice };
}

/** The Budgets operations, by name. */
export const BUDGETS_OPERATIONS = {
  CreateBudget(input: Record<string, unknown>, ctx: SimContext): unknown {
    checkAccount(input, ctx.config.accountId);
    const state = budgetsStateOf(ctx.state);
    const budget = readBudget(input.Budget, ctx);
    const name = budget.BudgetName as string;
    if (state.budgets[name] !== undefined)
      throw duplicate(`Error creating budget: ${name} - the budget already exists.`);
    const sent = Array.isArray(input.NotificationsWithSubscribers) ? input.NotificationsWithSubscribers : [];
    if (sent.length > MAX_NOTIFICATIONS)
      throw overLimit(`A budget can have up to ${MAX_NOTIFICATIONS} notifications (got ${sent.length}).`);
    const notifications: SimNotification[] = [];
    for (const entry of sent as { Notification?: unknown; Subscribers?: unknown }[]) {
      const n = readNotification(entry.Notification);
      if (notifications.some((m) => sameNotification(m, n))) throw duplicate('The same notification is listed twice.');
      notifications.push({ ...n, NotificationState: 'OK', Subscribers: readSubscribers(entry.Subscribers) });
    }
    state.budgets[name] = { budget, notifications, tags: readTags(input.ResourceTags) };
    return {};
  },
  DescribeBudget(input: Record<string, unknown>, ctx: SimContext): unknown {
    return { Budget: describe(budgetOf(input, ctx), input.ShowFilterExpression === true) };
  },
  DescribeBudgets(input: Record<string, unknown>, ctx: SimContext): unknown {
    checkAccount(input, ctx.config.accountId);
    const all = Object.values(budgetsStateOf(ctx.state).budgets).sort((a, b) =>
      wireText(a.budget.BudgetName).localeCompare(wireText(b.budget.BudgetName)),
    );
    const { items, next } = page(all, input, 1000);
    return {
      Budgets: items.map((b) => describe(b, input.ShowFilterExpression === true)),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  },
  UpdateBudget(input: Record<string, unknown>, ctx: SimContext): unknown {
    checkAccount(input, ctx.config.accountId);
    const budget = readBudget(input.NewBudget, ctx);
    const found = budgetsStateOf(ctx.state).budgets[budget.BudgetName as string];
    if (found === undefined)
      throw budgetNotFound(`Unable to update budget: ${wireText(budget.BudgetName)} - the budget doesn't exist.`);
    found.budget = budget;
    return {};
  },
  DeleteBudget(input: Record<string, unknown>, ctx: SimContext): unknown {
    const found = budgetOf(input, ctx);
    delete budgetsStateOf(ctx.state).budgets[found.budget.BudgetName as string];
    return {};
  },
  CreateNotification(input: Record<string, unknown>, ctx: SimContext): unknown {
    const budget = budgetOf(input, ctx);
    const n = readNotification(input.Notification);
    if (budget.notifications.some((m) => sameNotification(m, n)))
      throw duplicate('Error creating notification: the notification already exists.');
    if (budget.notifications.length >= MAX_NOTIFICATIONS)
      throw overLimit(`A budget can have up to ${MAX_NOTIFICATIONS} notifications.`);
    budget.notifications.push({ ...n, NotificationState: 'OK', Subscribers: readSubscribers(input.Subscribers) });
    return {};
  },
  DeleteNotification(input: Record<string, unknown>, ctx: SimContext): unknown {
    const budget = budgetOf(input, ctx);
    const n = notificationOf(budget, input.Notification);
    budget.notifications = budget.notifications.filter((m) => m !== n);
    return {};
  },
  DescribeNotificationsForBudget(input: Record<string, unknown>, ctx: SimContext): unknown {
    const budget = budgetOf(input, ctx);
    const { items, next } = page(budget.notifications, input, 100);
    return {
      Notifications: items.map(({ Subscribers: _s, ...n }) => n),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  },
  CreateSubscriber(input: Record<string, unknown>, ctx: SimContext): unknown {
    const n = notificationOf(budgetOf(input, ctx), input.Notification);
    const s = readSubscriber(input.Subscriber);
    if (n.Subscribers.some((m) => m.SubscriptionType === s.SubscriptionType && m.Address === s.Address))
      throw duplicate(`Subscriber ${s.Address} already exists.`);
    checkSubscriberLimits([...n.Subscribers, s]);
    n.Subscribers.push(s);
    return {};
  },
  DeleteSubscriber(input: Record<string, unknown>, ctx: SimContext): unknown {
    const n = notificationOf(budgetOf(input, ctx), input.Notification);
    const s = readSubscriber(input.Subscriber);
    const kept = n.Subscribers.filter((m) => !(m.SubscriptionType === s.SubscriptionType && m.Address === s.Address));
    if (kept.length === n.Subscribers.length) throw budgetNotFound(`Subscriber ${s.Address} doesn't exist.`);
    n.Subscribers = kept;
    return {};
  },
  DescribeSubscribersForNotification(input: Record<string, unknown>, ctx: SimContext): unknown {
    const n = notificationOf(budgetOf(input, ctx), input.Notification);
    const { items, next } = page(n.Subscribers, input, 100);
    return { Subscribers: items, ...(next === undefined ? {} : { NextToken: next }) };
  },
  ListTagsForResource(input: Record<string, unknown>, ctx: SimContext): unknown {
    const name = budgetName(input.ResourceARN, ctx);
    const tags = budgetsStateOf(ctx.state).budgets[name]?.tags ?? {};
    return { ResourceTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
  },
  TagResource(input: Record<string, unknown>, ctx: SimContext): unknown {
    const name = budgetName(input.ResourceARN, ctx);
    const budget = budgetsStateOf(ctx.state).budgets[name] as SimBudget;
    budget.tags = { ...budget.tags, ...readTags(input.ResourceTags) };
    return {};
  },
  UntagResource(input: Record<string, unknown>, ctx: SimContext): unknown {
    const name = budgetName(input.ResourceARN, ctx);
    const budget = budgetsStateOf(ctx.state).budgets[name] as SimBudget;
    const keys = Array.isArray(input.ResourceTagKeys) ? input.ResourceTagKeys.map(wireText) : [];
    budget.tags = Object.fromEntries(Object.entries(budget.tags).filter(([k]) => !keys.includes(k)));
    return {};
  },
};
