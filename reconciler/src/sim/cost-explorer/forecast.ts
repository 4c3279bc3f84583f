/**
 * GetCostForecast. The projection, chosen to be simple and predictable:
 *
 * - run rate = the larger of (a) the summed hourly price of the matching segments open now and
 *   (b) the average hourly cost of the matching segments over the 7 days up to the instant
 *   billing data reaches (now − costLagHours). (a) is what keeps running; (b) is the trend of
 *   intermittent use such as Batch jobs and workstations stopped at night.
 * - each forecast period's mean = run rate × its hours from the later of its start and the
 *   instant billing data reaches, so actuals plus forecast cover a month without gap or overlap.
 * - prediction interval = mean × (1 ± level / 500): ±16% at the default 80% level.
 *
 * - no billing data for the filter before the instant billing data reaches (nothing to learn a
 *   trend from) is a DataUnavailableException, as on AWS, never a $0.00 forecast.
 *
 * For USAGE_QUANTITY and NORMALIZED_USAGE_AMOUNT the same is done with usage hours.
 */
import type { SimContext, UsageSegment } from '../core/contract.js';
import { SimError } from '../core/contract.js';
import {
  formatAmount,
  periodOutput,
  readGranularity,
  readTimePeriod,
  splitPeriods,
  startOfDay,
  validationError,
} from './input.js';
import { compileFilter } from './filter.js';
import { accrue, hoursWithin, visibleUntil } from './usage.js';
import type { CeTotals } from './usage.js';

const HOUR_MS = 3_600_000;
const TREND_HOURS = 168;
const FORECAST_METRICS = [
  'AMORTIZED_COST',
  'BLENDED_COST',
  'NET_AMORTIZED_COST',
  'NET_UNBLENDED_COST',
  'UNBLENDED_COST',
  'USAGE_QUANTITY',
  'NORMALIZED_USAGE_AMOUNT',
];
/** Longest forecast per granularity, in days: 3 months of DAILY or 18 months of MONTHLY. */
const MAX_DAYS = { DAILY: 93, MONTHLY: 549 };

/** Run rate per hour of the matching segments, as documented above. */
export function runRate(segments: UsageSegment[], ctx: SimContext, usage: boolean): number {
  const now = ctx.now.getTime();
  const visible = visibleUntil(ctx);
  let open = 0;
  for (const s of segments) {
    const running = Date.parse(s.start) <= now && (s.end === undefined || Date.parse(s.end) > now);
    if (running) open += usage ? 1 : s.hourlyUSD;
  }
  const recent: CeTotals = { costUSD: 0, hours: 0 };
  for (const s of segments) accrue(recent, s, visible - TREND_HOURS * HOUR_MS, visible);
  return Math.max(open, (usage ? recent.hours : recent.costUSD) / TREND_HOURS);
}

function readLevel(input: Record<string, unknown>): number {
  const level = input.PredictionIntervalLevel ?? 80;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 51 || level > 99) {
    throw validationError('PredictionIntervalLevel must be an integer between 51 and 99.');
  }
  return level;
}

/**
 * GetCostForecast.
 * @throws ValidationException on a bad request or a period starting before today;
 *   DataUnavailableException when the filter has no billing history
 */
export function getCostForecast(input: Record<string, unknown>, ctx: SimContext): unknown {
  const period = readTimePeriod(input);
  const granularity = readGranularity(input);
  const metric = input.Metric;
  if (typeof metric !== 'string' || !FORECAST_METRICS.includes(metric)) {
    throw validationError(`Metric must be one of ${FORECAST_METRICS.join(', ')}.`);
  }
  const level = readLevel(input);
  const test = compileFilter(input.Filter, ctx.config.accountId);
  if (period.start < startOfDay(ctx.now.getTime())) {
    throw validationError('Start date must be equal to or later than the current date.');
  }
  if (period.end - period.start > MAX_DAYS[granularity] * 24 * HOUR_MS) {
    throw validationError(`A ${granularity} forecast can cover at most ${MAX_DAYS[granularity]} days.`);
  }
  const matching = ctx.state.usage.filter(test);
  const from = visibleUntil(ctx);
  if (!matching.some((s) => hoursWithin(s, Number.NEGATIVE_INFINITY, from) > 0)) {
    throw new SimError('DataUnavailableException', 'Insufficient amount of historical data to generate forecast.', 400);
  }
  const rate = runRate(matching, ctx, metric.includes('USAGE'));
  const spread = level / 500;
  let total = 0;
  const results = splitPeriods(period, granularity).map((p) => {
    const mean = (rate * Math.max(0, p.end - Math.max(p.start, from))) / HOUR_MS;
    total += mean;
    return {
      TimePeriod: periodOutput(p),
      MeanValue: formatAmount(mean),
      PredictionIntervalLowerBound: formatAmount(mean * (1 - spread)),
      PredictionIntervalUpperBound: formatAmount(mean * (1 + spread)),
    };
  });
  const unit = metric.includes('USAGE') ? 'Hrs' : 'USD';
  return { Total: { Amount: formatAmount(total), Unit: unit }, ForecastResultsByTime: results };
}
