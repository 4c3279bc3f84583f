/**
 * The Cost Explorer adapter: daily unblended cost grouped by the `labops:project` cost allocation
 * tag and the USAGE_TYPE dimension in one GetCostAndUsage ("You can group by up to two different
 * dimensions/tags"; the usage type names the service and tells volumes from snapshots, which the
 * SERVICE dimension lumps into `EC2 - Other`), and a project's forecast (GetCostForecast). Cost Explorer answers from
 * us-east-1 whatever Region is configured, and bills $0.01 per request, each page and each SDK
 * retry included: a middleware inside the SDK's retry loop counts every request sent, so a
 * throttled call retried twice counts three. The port is in ports.ts.
 */
import { CostExplorerClient, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import type { GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import { awsCall } from './errors.js';
import type { AwsPortsOptions } from './factory.js';
import type { CostsPort, DailyCosts } from './ports.js';
import { sourceOfUsageType } from '../cost/sources.js';

export type { CostForecast, CostQuery, CostsPort, DailyCosts, ForecastQuery } from './ports.js';

function collect(out: GetCostAndUsageCommandOutput, tagKey: string, into: DailyCosts): void {
  for (const result of out.ResultsByTime ?? []) {
    const date = result.TimePeriod?.Start?.slice(0, 10) ?? '';
    if (result.Estimated) into.estimatedDates.push(date);
    for (const group of result.Groups ?? []) {
      const key = group.Keys?.[0] ?? '';
      // Cost Explorer writes tag groups as `key$value`; `key$` is spend without the tag.
      const value = key.startsWith(`${tagKey}$`) ? key.slice(tagKey.length + 1) : key;
      const amount = Number(group.Metrics?.UnblendedCost?.Amount ?? 0);
      const days = (into.dailyByTag[value] ??= {});
      days[date] = (days[date] ?? 0) + amount;
      const source = sourceOfUsageType(group.Keys?.[1] ?? '');
      const bySource = ((into.dailyByTagSource[value] ??= {})[source] ??= {});
      bySource[date] = (bySource[date] ?? 0) + amount;
    }
  }
}

/** Days in `[start, end)`. */
function spanDays(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

/** Requests each client has sent, counted by {@link countRequests}. */
const sentBy = new WeakMap<CostExplorerClient, { sent: number }>();

/**
 * Counts every request the client sends. The middleware sits in the deserialize step, which the
 * SDK's retry middleware (finalizeRequest) runs once per attempt, so retries are counted too.
 */
function countRequests(client: CostExplorerClient): { sent: number } {
  let counter = sentBy.get(client);
  if (counter === undefined) {
    const created = { sent: 0 };
    client.middlewareStack.add(
      (next) => async (args) => {
        created.sent += 1;
        return next(args);
      },
      { step: 'deserialize', name: 'labopsCountCostExplorerRequests', priority: 'low' },
    );
    sentBy.set(client, created);
    counter = created;
  }
  return counter;
}

/** Builds the Cost Explorer port over one client. */
export function createCostsAdapter(client: CostExplorerClient): CostsPort {
  const counter = countRequests(client);
  return {
    requestsSent: () => counter.sent,
    async dailyCosts(query) {
      const into: DailyCosts = { dailyByTag: {}, dailyByTagSource: {}, estimatedDates: [], calls: 0 };
      const before = counter.sent;
      let token: string | undefined;
      do {
        const input = {
          TimePeriod: { Start: query.start, End: query.end },
          Granularity: 'DAILY' as const,
          Metrics: ['UnblendedCost'],
          GroupBy: [
            { Type: 'TAG' as const, Key: query.tagKey },
            { Type: 'DIMENSION' as const, Key: 'USAGE_TYPE' as const },
          ],
          NextPageToken: token,
        };
        const out = await awsCall('GetCostAndUsage', `${query.start}..${query.end}`, () =>
          client.send(new GetCostAndUsageCommand(input)),
        );
        collect(out, query.tagKey, into);
        into.calls = counter.sent - before;
        token = out.NextPageToken;
      } while (token !== undefined);
      return into;
    },
    async forecast(query) {
      const granularity = spanDays(query.start, query.end) <= 93 ? 'DAILY' : 'MONTHLY';
      const filter = { Tags: { Key: query.tagKey, Values: [query.tagValue], MatchOptions: ['EQUALS' as const] } };
      const out = await awsCall('GetCostForecast', query.tagValue, () =>
        client.send(
          new GetCostForecastCommand({
            TimePeriod: { Start: query.start, End: query.end },
            Metric: 'UNBLENDED_COST',
            Granularity: granularity,
            Filter: filter,
            PredictionIntervalLevel: 80,
          }),
        ),
      );
      const sum = (pick: (r: NonNullable<typeof out.ForecastResultsByTime>[number]) => string | undefined): number =>
        (out.ForecastResultsByTime ?? []).reduce((total, r) => total + Number(pick(r) ?? 0), 0);
      return {
        meanUSD: Number(out.Total?.Amount ?? sum((r) => r.MeanValue)),
        lowUSD: sum((r) => r.PredictionIntervalLowerBound),
        highUSD: sum((r) => r.PredictionIntervalUpperBound),
      };
    },
  };
}

/** A Cost Explorer port with its client, to be destroyed after use. */
export interface CostsPortHandle extends CostsPort {
  destroy(): void;
}

/** Builds the port on a client in us-east-1 (Cost Explorer's only endpoint), configured like the others. */
export function createCostsPort(options: Omit<AwsPortsOptions, 'region'> = {}): CostsPortHandle {
  const config: Record<string, unknown> = { region: 'us-east-1' };
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (options.retryStrategy !== undefined) config.retryStrategy = options.retryStrategy;
  const client = new CostExplorerClient(config);
  return { ...createCostsAdapter(client), destroy: () => client.destroy() };
}
