/**
 * Datapoints of one `AWS/EC2` metric of one instance, built from one-minute samples of its load
 * profile, taken only while the instance was running (a `BoxUsage` usage segment of that
 * instance covers the minute) and only for minutes already over at the simulated now. Samples
 * are grouped into periods aligned to multiples of the period since the epoch, then reduced by
 * the statistic (Average, Minimum, Maximum, Sum, SampleCount, or a percentile such as p90).
 */
import type { SimState } from '../core/contract.js';
import { cloudWatchStateOf, loadAt } from './load.js';
import type { LoadPoint } from './load.js';

const MINUTE_MS = 60_000;

/** One metric of one instance over a time range. */
export interface SeriesRequest {
  namespace: string;
  metricName: string;
  dimensions: { Name: string; Value: string }[];
  /** Seconds per datapoint. */
  period: number;
  stat: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

/** One datapoint: period start (epoch ms) and its statistic. */
export interface SeriesPoint {
  at: number;
  value: number;
}

const FIELDS: Record<string, Exclude<keyof LoadPoint, 'from' | 'ebsWriteGiBPerDay'>> = {
  CPUUtilization: 'cpuPercent',
  NetworkIn: 'networkInBytesPerMinute',
  NetworkOut: 'networkOutBytesPerMinute',
};

/** Whether a statistic name is one CloudWatch accepts here. */
export function isKnownStat(stat: string): boolean {
  return (
    ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'].includes(stat) || /^p(\d{1,2}(\.\d+)?|100)$/.test(stat)
  );
}

/** Reduces samples by a statistic. */
export function reduce(samples: number[], stat: string): number {
  if (stat === 'Sum') return samples.reduce((a, b) => a + b, 0);
  if (stat === 'Average') return samples.reduce((a, b) => a + b, 0) / samples.length;
  if (stat === 'Minimum') return Math.min(...samples);
  if (stat === 'Maximum') return Math.max(...samples);
  if (stat === 'SampleCount') return samples.length;
  // Percentile by nearest rank.
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((Number(stat.slice(1)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] ?? 0;
}

/** Running stretches `[from, to)` (epoch ms) of every instance in a Region, from its BoxUsage segments. */
export function runningIndex(state: SimState, region: string): Map<string, [number, number][]> {
  const index = new Map<string, [number, number][]>();
  for (const s of state.usage) {
    if (s.region !== region || !s.usageType.includes('BoxUsage')) continue;
    const list = index.get(s.resourceId) ?? [];
    list.push([Date.parse(s.start), s.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(s.end)]);
    index.set(s.resourceId, list);
  }
  return index;
}

/** Ascending datapoints for a request; empty for metrics labops sim does not produce. */
export function metricSeries(
  state: SimState,
  runningByInstance: Map<string, [number, number][]>,
  req: SeriesRequest,
  now: number,
): SeriesPoint[] {
  const field = FIELDS[req.metricName];
  const instanceId =
    req.dimensions.length === 1 && req.dimensions[0]?.Name === 'InstanceId' ? req.dimensions[0].Value : undefined;
  if (req.namespace !== 'AWS/EC2' || !field || !instanceId) return [];
  const slice = cloudWatchStateOf(state);
  const running = runningByInstance.get(instanceId) ?? [];
  if (running.length === 0) return [];
  const periodMs = req.period * 1000;
  const points: SeriesPoint[] = [];
  let bucket = Number.NaN;
  let samples: number[] = [];
  const flush = (): void => {
    if (samples.length > 0) points.push({ at: bucket, value: reduce(samples, req.stat) });
    samples = [];
  };
  const last = Math.min(req.end, now - MINUTE_MS);
  for (
    let minute = Math.ceil(req.start / MINUTE_MS) * MINUTE_MS;
    minute <= last && minute < req.end;
    minute += MINUTE_MS
  ) {
    if (!running.some(([from, to]) => from <= minute && minute < to)) continue;
    const at = Math.floor(minute / periodMs) * periodMs;
    if (at !== bucket) {
      flush();
      bucket = at;
    }
    samples.push(loadAt(slice, instanceId, minute)[field]);
  }
  flush();
  return points;
}
