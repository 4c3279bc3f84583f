/**
 * Turning usage segments into cost and usage hours over a stretch of time. Cost Explorer sees
 * only what billing has processed: nothing after `now − costLagHours`.
 */
import type { SimContext, UsageSegment } from '../core/contract.js';
import { formatAmount } from './input.js';

const HOUR_MS = 3_600_000;

/** Cost and usage hours of some segments over a stretch. */
export interface CeTotals {
  costUSD: number;
  hours: number;
}

/** Hours of a segment inside `[start, end)`; an open segment runs on without end. */
export function hoursWithin(segment: UsageSegment, start: number, end: number): number {
  const from = Math.max(start, Date.parse(segment.start));
  const to = Math.min(end, segment.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(segment.end));
  return to > from ? (to - from) / HOUR_MS : 0;
}

/** The instant up to which Cost Explorer has data: now minus the configured lag. */
export function visibleUntil(ctx: SimContext): number {
  return ctx.now.getTime() - ctx.config.costLagHours * HOUR_MS;
}

/** Adds a segment's accrual over `[start, end)` into totals. */
export function accrue(totals: CeTotals, segment: UsageSegment, start: number, end: number): void {
  const hours = hoursWithin(segment, start, end);
  totals.hours += hours;
  totals.costUSD += hours * segment.hourlyUSD;
}

/** Cost metric names Cost Explorer accepts; all equal list price here, with no discounts or credits. */
export const CE_COST_METRICS = [
  'AmortizedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
  'UnblendedCost',
];
/** Usage metric names; both answer usage hours. */
export const CE_USAGE_METRICS = ['UsageQuantity', 'NormalizedUsageAmount'];

/** The `{ Amount, Unit }` of one metric for some totals. */
export function metricValue(metric: string, totals: CeTotals): { Amount: string; Unit: string } {
  if (CE_COST_METRICS.includes(metric)) return { Amount: formatAmount(totals.costUSD), Unit: 'USD' };
  return { Amount: formatAmount(totals.hours), Unit: metric === 'UsageQuantity' ? 'Hrs' : 'N/A' };
}
