/**
 * The metrics adapter: CPU utilisation for idle detection from CloudWatch GetMetricData, one call
 * per Region per 500 instances (CPUUtilization, Average, 5-minute periods), and the pure maths
 * that turns datapoints into {@link ObservedUtilisation}.
 */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { ObservedUtilisation } from '../model/observed.js';
import { awsCall } from './errors.js';
import type { MetricsPort, UtilisationQuery } from './ports.js';

/** Seconds per datapoint (basic monitoring). */
export const PERIOD_SECONDS = 300;
/** Most queries one GetMetricData call may hold. */
export const MAX_QUERIES = 500;

/** One datapoint: epoch ms and value. */
export interface Datapoint {
  at: number;
  value: number;
}

/**
 * Idle stretch of one instance: the trailing run of datapoints below `cpuBelowPercent`, as
 * seconds (datapoints × period), with their average CPU. No datapoints: zero idle.
 */
export function idleStretch(
  instanceId: string,
  points: Datapoint[],
  cpuBelowPercent: number,
  periodSeconds = PERIOD_SECONDS,
): ObservedUtilisation {
  const ordered = [...points].sort((a, b) => a.at - b.at);
  let run = 0;
  let sum = 0;
  for (let i = ordered.length - 1; i >= 0; i -= 1) {
    const value = ordered[i]?.value ?? 0;
    if (value >= cpuBelowPercent) break;
    run += 1;
    sum += value;
  }
  return {
    instanceId,
    idleSeconds: run * periodSeconds,
    averageCpuPercent: run === 0 ? 0 : sum / run,
    datapoints: ordered.length,
  };
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function metricQuery(query: UtilisationQuery, index: number): MetricDataQuery {
  return {
    Id: `q${index}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: query.instanceId }],
      },
      Period: PERIOD_SECONDS,
      Stat: 'Average',
    },
    ReturnData: true,
  };
}

function collect(results: MetricDataResult[] | undefined, into: Map<string, Datapoint[]>): void {
  for (const result of results ?? []) {
    const list = into.get(result.Id ?? '') ?? [];
    const stamps = result.Timestamps ?? [];
    for (const [i, stamp] of stamps.entries())
      list.push({ at: new Date(stamp).getTime(), value: result.Values?.[i] ?? 0 });
    into.set(result.Id ?? '', list);
  }
}

/** One GetMetricData call (following NextToken only if AWS split the answer) for ≤500 queries. */
async function readChunk(
  client: CloudWatchClient,
  region: string,
  queries: UtilisationQuery[],
  now: Date,
): Promise<ObservedUtilisation[]> {
  const window = Math.max(...queries.map((q) => q.windowSeconds)) + PERIOD_SECONDS;
  const periodMs = PERIOD_SECONDS * 1000;
  const start = new Date(Math.floor((now.getTime() - window * 1000) / periodMs) * periodMs);
  const points = new Map<string, Datapoint[]>();
  let nextToken: string | undefined;
  do {
    const out = await awsCall('GetMetricData', region, () =>
      client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.map(metricQuery),
          StartTime: start,
          EndTime: now,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
      ),
    );
    collect(out.MetricDataResults, points);
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  return queries.map((q, i) => idleStretch(q.instanceId, points.get(`q${i}`) ?? [], q.cpuBelowPercent));
}

/** Builds the metrics port over a per-Region CloudWatch client source. */
export function createMetricsAdapter(clientFor: (region: string) => CloudWatchClient): MetricsPort {
  return {
    async utilisation(queries, now) {
      const byRegion = new Map<string, UtilisationQuery[]>();
      for (const q of queries) byRegion.set(q.region, [...(byRegion.get(q.region) ?? []), q]);
      const work = [...byRegion].flatMap(([region, list]) =>
        chunks(list, MAX_QUERIES).map((chunk) => readChunk(clientFor(region), region, chunk, now)),
      );
      const out: Record<string, ObservedUtilisation> = {};
      for (const u of (await Promise.all(work)).flat()) out[u.instanceId] = u;
      return out;
    },
  };
}
