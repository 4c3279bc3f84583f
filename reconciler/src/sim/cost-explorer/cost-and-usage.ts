/**
 * GetCostAndUsage over the usage segments of the simulated account: DAILY or MONTHLY periods
 * (Start inclusive, End exclusive), up to two GroupBy, an Expression filter, and only what
 * billing has processed (up to now − costLagHours). A period whose end is past that instant is
 * `Estimated`. An End past the first day of next month is a ValidationException, so no day after
 * the current month is ever answered. With GroupBy, `Total` is empty and groups with no usage are left out, as AWS does.
 * Pages hold whole periods, at most {@link CE_PAGE_GROUPS} groups (or at least one period).
 */
import type { SimContext, UsageSegment } from '../core/contract.js';
import { SimError } from '../core/contract.js';
import {
  decodePageToken,
  encodePageToken,
  periodOutput,
  readGranularity,
  readTimePeriod,
  splitPeriods,
  startOfNextMonth,
  validationError,
} from './input.js';
import type { CePeriod } from './input.js';
import { compileFilter, groupKey, readGroupBy } from './filter.js';
import type { CeGroupDefinition } from './filter.js';
import { CE_COST_METRICS, CE_USAGE_METRICS, accrue, metricValue, visibleUntil } from './usage.js';
import type { CeTotals } from './usage.js';

/** Most groups one page of GetCostAndUsage carries. */
export const CE_PAGE_GROUPS = 500;

/** Requested metric names, each with the canonical name it is computed as. */
function readMetrics(value: unknown): [string, string][] {
  if (!Array.isArray(value) || value.length === 0) throw validationError('Metrics is required.');
  const known = [...CE_COST_METRICS, ...CE_USAGE_METRICS];
  return value.map((name) => {
    const canonical = known.find((k) => k.toLowerCase() === String(name).toLowerCase());
    if (!canonical) throw validationError(`Metric ${String(name)} is not valid. Valid values: ${known.join(', ')}.`);
    return [String(name), canonical];
  });
}

function metricsOf(metrics: [string, string][], totals: CeTotals): Record<string, { Amount: string; Unit: string }> {
  return Object.fromEntries(metrics.map(([name, canonical]) => [name, metricValue(canonical, totals)]));
}

interface GroupRow {
  keys: string[];
  totals: CeTotals;
}

/** Orders groups by their keys, code unit by code unit, so pages are the same on every machine. */
function compareKeys(a: string[], b: string[]): number {
  const x = a.join('\u0000');
  const y = b.join('\u0000');
  return x < y ? -1 : x > y ? 1 : 0;
}

function groupRows(
  segments: UsageSegment[],
  groups: CeGroupDefinition[],
  start: number,
  end: number,
  accountId: string,
): GroupRow[] {
  const rows = new Map<string, GroupRow>();
  for (const segment of segments) {
    const keys = groups.map((g) => groupKey(segment, g, accountId));
    const id = JSON.stringify(keys);
    const row = rows.get(id) ?? { keys, totals: { costUSD: 0, hours: 0 } };
    accrue(row.totals, segment, start, end);
    rows.set(id, row);
  }
  return [...rows.values()].filter((row) => row.totals.hours > 0).sort((a, b) => compareKeys(a.keys, b.keys));
}

function resultFor(
  period: CePeriod,
  segments: UsageSegment[],
  request: { groups: CeGroupDefinition[]; metrics: [string, string][]; visible: number; accountId: string },
): Record<string, unknown> {
  const end = Math.min(period.end, request.visible);
  const inPeriod = segments.filter(
    (s) => Date.parse(s.start) < end && (s.end === undefined || Date.parse(s.end) > period.start),
  );
  const estimated = period.end > request.visible;
  if (request.groups.length === 0) {
    const totals: CeTotals = { costUSD: 0, hours: 0 };
    for (const segment of inPeriod) accrue(totals, segment, period.start, end);
    return {
      TimePeriod: periodOutput(period),
      Total: metricsOf(request.metrics, totals),
      Groups: [],
      Estimated: estimated,
    };
  }
  const rows = groupRows(inPeriod, request.groups, period.start, end, request.accountId);
  return {
    TimePeriod: periodOutput(period),
    Total: {},
    Groups: rows.map((row) => ({ Keys: row.keys, Metrics: metricsOf(request.metrics, row.totals) })),
    Estimated: estimated,
  };
}

/** GetCostAndUsage. @throws ValidationException, DataUnavailableException, InvalidNextTokenException */
export function getCostAndUsage(input: Record<string, unknown>, ctx: SimContext): unknown {
  const period = readTimePeriod(input);
  const granularity = readGranularity(input);
  const metrics = readMetrics(input.Metrics);
  const groups = readGroupBy(input.GroupBy);
  const test = compileFilter(input.Filter, ctx.config.accountId);
  const first = decodePageToken(input.NextPageToken);
  // AWS has no figures past the current month and refuses to be asked for them.
  if (period.end > startOfNextMonth(ctx.now.getTime()))
    throw validationError('end date past the beginning of next month');
  if (period.start > ctx.now.getTime()) {
    throw new SimError('DataUnavailableException', 'Data is not available. Please try to adjust the time period.', 400);
  }
  const periods = splitPeriods(period, granularity);
  if (first >= periods.length && first > 0) {
    throw new SimError('InvalidNextTokenException', 'The NextPageToken is not valid.', 400);
  }
  const segments = ctx.state.usage.filter(test);
  const request = { groups, metrics, visible: visibleUntil(ctx), accountId: ctx.config.accountId };
  const results: Record<string, unknown>[] = [];
  let groupCount = 0;
  let index = first;
  for (; index < periods.length; index++) {
    const result = resultFor(periods[index] as CePeriod, segments, request);
    const size = (result.Groups as unknown[]).length;
    if (results.length > 0 && groupCount + size > CE_PAGE_GROUPS) break;
    results.push(result);
    groupCount += size;
  }
  return {
    ...(groups.length > 0 ? { GroupDefinitions: groups } : {}),
    ResultsByTime: results,
    DimensionValueAttributes: [],
    ...(index < periods.length ? { NextPageToken: encodePageToken(index) } : {}),
  };
}
