/**
 * What AWS Budgets would email: as simulated time passes, each COST budget's actual spend (its
 * `FilterExpression` over the usage Cost Explorer prices, as far as billing data reaches) and its
 * forecast (actual plus the Cost Explorer run rate to the period's end) are compared with its
 * notifications. A notification crossing its threshold goes into ALARM and one alert is recorded
 * for its subscribers, once per budget period; a new period sets it back to OK.
 * `POST /_sim/budget-alerts` lists the alerts sent.
 */
import type { SimContext, SimState } from '../core/contract.js';
import { wireText } from '../core/contract.js';
import { compileFilter } from '../cost-explorer/filter.js';
import { runRate } from '../cost-explorer/forecast.js';
import { accrue, visibleUntil } from '../cost-explorer/usage.js';
import type { CeTotals } from '../cost-explorer/usage.js';
import { budgetsStateOf } from './model.js';
import type { SimBudget, SimBudgetAlert, SimNotification } from './model.js';

const HOUR_MS = 3_600_000;

/** The current period `[start, end)` of a budget at `now`, in epoch ms (UTC calendar periods, as AWS's). */
export function currentPeriod(budget: Record<string, unknown>, now: Date): { start: number; end: number } | undefined {
  const period = (budget.TimePeriod ?? {}) as { Start?: number; End?: number };
  const startMs = (period.Start ?? 0) * 1000;
  const endMs = (period.End ?? 0) * 1000;
  const t = now.getTime();
  if (t < startMs || t >= endMs) return undefined;
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (wireText(budget.TimeUnit)) {
    case 'DAILY':
      return { start: Date.UTC(y, m, now.getUTCDate()), end: Date.UTC(y, m, now.getUTCDate() + 1) };
    case 'MONTHLY':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    case 'QUARTERLY':
      return { start: Date.UTC(y, m - (m % 3), 1), end: Date.UTC(y, m - (m % 3) + 3, 1) };
    case 'ANNUALLY':
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
    default:
      return { start: startMs, end: endMs };
  }
}

function crossed(n: SimNotification, value: number, limit: number): boolean {
  const threshold = n.ThresholdType === 'PERCENTAGE' ? (limit * n.Threshold) / 100 : n.Threshold;
  if (n.ComparisonOperator === 'GREATER_THAN') return value > threshold;
  if (n.ComparisonOperator === 'LESS_THAN') return value < threshold;
  return Math.abs(value - threshold) < 0.005;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Checks one budget's notifications at `ctx.now`, recording the alerts that fire. */
function checkBudget(b: SimBudget, ctx: SimContext, alerts: SimBudgetAlert[]): void {
  if (b.budget.BudgetType !== 'COST') return;
  const period = currentPeriod(b.budget, ctx.now);
  const limit = Number(wireText((b.budget.BudgetLimit as { Amount?: unknown } | undefined)?.Amount));
  if (period === undefined || !Number.isFinite(limit)) return;
  const test = compileFilter(b.budget.FilterExpression, ctx.config.accountId);
  const segments = ctx.state.usage.filter(test);
  const visible = Math.min(visibleUntil(ctx), period.end);
  const totals: CeTotals = { costUSD: 0, hours: 0 };
  for (const s of segments) accrue(totals, s, period.start, visible);
  const actual = totals.costUSD;
  const forecast = actual + (runRate(segments, ctx, false) * Math.max(0, period.end - visible)) / HOUR_MS;
  const key = `${day(period.start)}..${day(period.end)}`;
  for (const n of b.notifications) {
    const fired = alerts.some(
      (a) =>
        a.budgetName === b.budget.BudgetName &&
        a.period === key &&
        a.notificationType === n.NotificationType &&
        a.threshold === n.Threshold &&
        a.thresholdType === n.ThresholdType,
    );
    if (fired) {
      n.NotificationState = 'ALARM';
      continue;
    }
    n.NotificationState = 'OK';
    if (!crossed(n, n.NotificationType === 'ACTUAL' ? actual : forecast, limit)) continue;
    n.NotificationState = 'ALARM';
    alerts.push({
      at: ctx.now.toISOString(),
      budgetName: wireText(b.budget.BudgetName),
      notificationType: n.NotificationType,
      threshold: n.Threshold,
      thresholdType: n.ThresholdType,
      subscribers: n.Subscribers.map((s) => s.Address),
      period: key,
      limitUSD: limit,
      actualUSD: Math.round(actual * 100) / 100,
      forecastedUSD: Math.round(forecast * 100) / 100,
    });
  }
}

/** Checks every budget (the service's `advance`, and before the alerts are listed). */
export function checkBudgets(state: SimState, ctx: SimContext): void {
  const slice = budgetsStateOf(state);
  for (const b of Object.values(slice.budgets)) checkBudget(b, ctx, slice.alerts);
}

/** `POST /_sim/budget-alerts`: the alerts sent so far, optionally for one budget (`{ "budgetName": … }`). */
export function budgetAlertsControl(body: unknown, ctx: SimContext): unknown {
  checkBudgets(ctx.state, ctx);
  const name = (body ?? {}) as { budgetName?: unknown };
  const alerts = budgetsStateOf(ctx.state).alerts;
  return {
    alerts: name.budgetName === undefined ? alerts : alerts.filter((a) => a.budgetName === wireText(name.budgetName)),
  };
}
