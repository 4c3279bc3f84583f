/**
 * CloudWatch GetMetricData for `MetricStat` queries (metric math is refused, not faked).
 * Results hold newest points first unless `ScanBy` is `TimestampAscending`; pages hold at most
 * `MaxDatapoints` points across all queries, a query cut short is `PartialData` and continues
 * on the next page under the same Id. Timestamps are returned as Dates, which the core writes
 * as epoch seconds for the JSON 1.0 protocol.
 */
import type { SimContext } from '../core/contract.js';
import { SimError, wireText } from '../core/contract.js';
import { isKnownStat, metricSeries, runningIndex } from './series.js';
import type { SeriesPoint, SeriesRequest } from './series.js';

/** Most queries one call may hold. */
export const MAX_METRIC_DATA_QUERIES = 500;
/** Default and largest `MaxDatapoints`. */
export const MAX_DATAPOINTS = 100_800;

/** A ValidationError, CloudWatch's answer to a malformed request. */
export function cwValidation(message: string): SimError {
  return new SimError('ValidationError', message, 400);
}

/** Reads a timestamp the way the JSON 1.0 decoder leaves it: epoch seconds, ISO text or a Date. */
export function readTime(value: unknown, name: string): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string') {
    const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw cwValidation(`The parameter ${name} is required and must be a timestamp.`);
}

interface Query {
  id: string;
  label: string;
  returnData: boolean;
  series: SeriesRequest;
}

function readQuery(item: unknown, start: number, end: number): Query {
  const q = (item ?? {}) as Record<string, unknown>;
  const id = typeof q.Id === 'string' ? q.Id : '';
  if (!/^[a-z][a-zA-Z0-9_]{0,254}$/.test(id)) {
    throw cwValidation(
      `The value ${id} for parameter MetricDataQueries.member.Id is not valid: it must start with a lowercase letter and hold only letters, numbers and underscores.`,
    );
  }
  if (q.Expression !== undefined) throw cwValidation('Metric math expressions are not supported by labops sim.');
  const stat = (q.MetricStat ?? undefined) as Record<string, unknown> | undefined;
  const metric = (stat?.Metric ?? undefined) as Record<string, unknown> | undefined;
  if (!stat || !metric) throw cwValidation(`Query ${id} must have a MetricStat.`);
  const period = stat.Period;
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 60 || period % 60 !== 0) {
    throw cwValidation(`The Period of query ${id} must be a multiple of 60 seconds.`);
  }
  const statName = wireText(stat.Stat);
  if (!isKnownStat(statName)) throw cwValidation(`The statistic ${statName} of query ${id} is not valid.`);
  const dimensions = Array.isArray(metric.Dimensions)
    ? metric.Dimensions.map((d: Record<string, unknown> | null) => ({
        Name: wireText(d?.Name),
        Value: wireText(d?.Value),
      }))
    : [];
  const metricName = wireText(metric.MetricName);
  return {
    id,
    label: typeof q.Label === 'string' ? q.Label : metricName,
    returnData: q.ReturnData !== false,
    series: { namespace: wireText(metric.Namespace), metricName, dimensions, period, stat: statName, start, end },
  };
}

function readToken(token: unknown): number {
  if (token === undefined || token === null) return 0;
  const text = typeof token === 'string' ? Buffer.from(token, 'base64').toString('utf8') : '';
  const match = /^cw:(\d+)$/.exec(text);
  if (!match) throw new SimError('InvalidNextToken', 'The service found that NextToken is not valid.', 400);
  return Number(match[1]);
}

/** GetMetricData. @throws ValidationError, InvalidNextToken */
export function getMetricData(input: Record<string, unknown>, ctx: SimContext): unknown {
  const start = readTime(input.StartTime, 'StartTime');
  const end = readTime(input.EndTime, 'EndTime');
  if (start >= end) throw cwValidation('The parameter StartTime must be less than the parameter EndTime.');
  const items = input.MetricDataQueries;
  if (!Array.isArray(items) || items.length === 0) throw cwValidation('The parameter MetricDataQueries is required.');
  if (items.length > MAX_METRIC_DATA_QUERIES)
    throw cwValidation(`MetricDataQueries can hold at most ${MAX_METRIC_DATA_QUERIES} queries.`);
  const queries = items.map((item) => readQuery(item, start, end));
  if (new Set(queries.map((q) => q.id)).size !== queries.length)
    throw cwValidation('The Id of each query must be unique.');
  const limit =
    typeof input.MaxDatapoints === 'number' && input.MaxDatapoints > 0
      ? Math.min(input.MaxDatapoints, MAX_DATAPOINTS)
      : MAX_DATAPOINTS;
  const ascending = input.ScanBy === 'TimestampAscending';
  const skip = readToken(input.NextToken);
  const running = runningIndex(ctx.state, ctx.region);
  let seen = 0;
  let room = limit;
  const results = queries
    .filter((q) => q.returnData)
    .map((q) => {
      const all: SeriesPoint[] = metricSeries(ctx.state, running, q.series, ctx.now.getTime());
      if (!ascending) all.reverse();
      const from = Math.min(all.length, Math.max(0, skip - seen));
      const page = all.slice(from, from + room);
      seen += all.length;
      room -= page.length;
      return {
        Id: q.id,
        Label: q.label,
        Timestamps: page.map((p) => new Date(p.at)),
        Values: page.map((p) => p.value),
        StatusCode: from + page.length < all.length ? 'PartialData' : 'Complete',
        Messages: [],
      };
    });
  const sent = skip + (limit - room);
  const next = sent < seen ? Buffer.from(`cw:${sent}`, 'utf8').toString('base64') : undefined;
  return { MetricDataResults: results, Messages: [], ...(next ? { NextToken: next } : {}) };
}
