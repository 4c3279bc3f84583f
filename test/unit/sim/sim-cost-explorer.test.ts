import { describe, expect, it } from 'vitest';
import { costExplorerService } from '../../../reconciler/src/sim/cost-explorer/service.js';
import { CE_PAGE_GROUPS } from '../../../reconciler/src/sim/cost-explorer/cost-and-usage.js';
import type { UsageSegment } from '../../../reconciler/src/sim/core/contract.js';
import { boxUsage, simContext, simErrorCode } from './sim-fixtures.js';

const NOW = '2026-11-10T12:00:00.000Z';

const box = boxUsage;

function call(op: string, input: Record<string, unknown>, usage: UsageSegment[], now = NOW): Record<string, any> {
  return costExplorerService.operations[op]?.(input, simContext(usage, now)) as Record<string, any>;
}

function costs(input: Record<string, unknown>, usage: UsageSegment[], now = NOW): Record<string, any> {
  return call('GetCostAndUsage', { Granularity: 'DAILY', Metrics: ['UnblendedCost'], ...input }, usage, now);
}

const errorOf = simErrorCode;

describe('GetCostAndUsage', () => {
  it('prices an m6i.large running 10 h at $0.96, grouped by project tag', () => {
    const usage = [
      box('i-1', '2026-11-03T08:00:00Z', '2026-11-03T18:00:00Z', { 'labops:project': 'neuro-lab' }),
      box('i-2', '2026-11-03T08:00:00Z', '2026-11-03T09:00:00Z'),
    ];

    const out = costs(
      { TimePeriod: { Start: '2026-11-03', End: '2026-11-04' }, GroupBy: [{ Type: 'TAG', Key: 'labops:project' }] },
      usage,
    );

    expect(out.ResultsByTime).toEqual([
      {
        TimePeriod: { Start: '2026-11-03', End: '2026-11-04' },
        Total: {},
        Groups: [
          { Keys: ['labops:project$'], Metrics: { UnblendedCost: { Amount: '0.096', Unit: 'USD' } } },
          { Keys: ['labops:project$neuro-lab'], Metrics: { UnblendedCost: { Amount: '0.96', Unit: 'USD' } } },
        ],
        Estimated: false,
      },
    ]);
    expect(out.GroupDefinitions).toEqual([{ Type: 'TAG', Key: 'labops:project' }]);
  });

  it('prices 100 GiB of gp3 over a 30-day month at 100 × 0.08 × 720/730', () => {
    const volume: UsageSegment = {
      resourceId: 'vol-1',
      service: 'EC2 - Other',
      usageType: 'EBS:VolumeUsage.gp3',
      region: 'us-east-1',
      tags: {},
      start: '2026-09-01T00:00:00Z',
      hourlyUSD: (100 * 0.08) / 730,
    };

    const out = costs(
      {
        TimePeriod: { Start: '2026-09-01', End: '2026-10-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost', 'UsageQuantity'],
      },
      [volume],
    );

    expect(out.ResultsByTime[0].Total).toEqual({
      UnblendedCost: { Amount: '7.8904109589', Unit: 'USD' },
      UsageQuantity: { Amount: '720', Unit: 'Hrs' },
    });
  });

  it('shows nothing of the last 8 hours and marks the day Estimated', () => {
    const usage = [box('i-1', '2026-11-10T00:00:00Z', undefined)];

    const out = costs({ TimePeriod: { Start: '2026-11-10', End: '2026-11-11' } }, usage);

    expect(out.ResultsByTime[0].Total.UnblendedCost.Amount).toBe('0.384');
    expect(out.ResultsByTime[0].Estimated).toBe(true);
  });

  it('treats End as exclusive', () => {
    const usage = [box('i-1', '2026-11-03T00:00:00Z', '2026-11-04T00:00:00Z')];

    const out = costs({ TimePeriod: { Start: '2026-11-01', End: '2026-11-03' } }, usage);

    expect(out.ResultsByTime.map((r: any) => [r.TimePeriod.Start, r.Total.UnblendedCost.Amount])).toEqual([
      ['2026-11-01', '0'],
      ['2026-11-02', '0'],
    ]);
  });

  it('cuts MONTHLY periods at calendar months and at Start and End', () => {
    const out = costs({ TimePeriod: { Start: '2026-09-15', End: '2026-11-05' }, Granularity: 'MONTHLY' }, []);

    expect(out.ResultsByTime.map((r: any) => r.TimePeriod)).toEqual([
      { Start: '2026-09-15', End: '2026-10-01' },
      { Start: '2026-10-01', End: '2026-11-01' },
      { Start: '2026-11-01', End: '2026-11-05' },
    ]);
  });

  it.each([
    ['project alpha', { Tags: { Key: 'project', Values: ['alpha'] } }, '0.96'],
    ['untagged', { Tags: { Key: 'project', MatchOptions: ['ABSENT'] } }, '0.096'],
    ['not alpha', { Not: { Tags: { Key: 'project', Values: ['alpha'] } } }, '0.288'],
    [
      'alpha or beta',
      { Or: [{ Tags: { Key: 'project', Values: ['alpha'] } }, { Tags: { Key: 'project', Values: ['beta'] } }] },
      '1.152',
    ],
    [
      'EC2 compute and beta',
      {
        And: [
          { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } },
          { Tags: { Key: 'project', Values: ['BETA'], MatchOptions: ['CASE_INSENSITIVE'] } },
        ],
      },
      '0.192',
    ],
  ])('filters %s', (_name, Filter, amount) => {
    const usage = [
      box('i-1', '2026-11-03T00:00:00Z', '2026-11-03T10:00:00Z', { project: 'alpha' }),
      box('i-2', '2026-11-03T00:00:00Z', '2026-11-03T02:00:00Z', { project: 'beta' }),
      box('i-3', '2026-11-03T00:00:00Z', '2026-11-03T01:00:00Z'),
    ];

    const out = costs({ TimePeriod: { Start: '2026-11-03', End: '2026-11-04' }, Filter }, usage);

    expect(out.ResultsByTime[0].Total.UnblendedCost.Amount).toBe(amount);
  });

  it('pages long grouped results with NextPageToken', () => {
    const usage = Array.from({ length: 20 }, (_, i) =>
      box(`i-${i}`, '2026-10-01T00:00:00Z', undefined, { project: `p${i}` }),
    );
    const input = {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      GroupBy: [
        { Type: 'TAG', Key: 'project' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    };

    const first = costs(input, usage);
    const second = costs({ ...input, NextPageToken: first.NextPageToken }, usage);

    expect(first.ResultsByTime).toHaveLength(CE_PAGE_GROUPS / 20);
    expect(second.ResultsByTime).toHaveLength(31 - CE_PAGE_GROUPS / 20);
    expect(second.NextPageToken).toBeUndefined();
    expect(second.ResultsByTime[0].Groups[0].Keys).toEqual(['project$p0', 'Amazon Elastic Compute Cloud - Compute']);
  });

  it.each([
    ['End before Start', { TimePeriod: { Start: '2026-11-05', End: '2026-11-01' } }, 'ValidationException'],
    ['a malformed date', { TimePeriod: { Start: '2026-11', End: '2026-11-05' } }, 'ValidationException'],
    [
      'HOURLY granularity',
      { TimePeriod: { Start: '2026-11-01', End: '2026-11-05' }, Granularity: 'HOURLY' },
      'ValidationException',
    ],
    [
      'an unknown metric',
      { TimePeriod: { Start: '2026-11-01', End: '2026-11-05' }, Metrics: ['Spend'] },
      'ValidationException',
    ],
    [
      'three groups',
      {
        TimePeriod: { Start: '2026-11-01', End: '2026-11-05' },
        GroupBy: [1, 2, 3].map((i) => ({ Type: 'TAG', Key: `t${i}` })),
      },
      'ValidationException',
    ],
    [
      'an And of one',
      {
        TimePeriod: { Start: '2026-11-01', End: '2026-11-05' },
        Filter: { And: [{ Tags: { Key: 'a', Values: ['b'] } }] },
      },
      'ValidationException',
    ],
    ['a future period', { TimePeriod: { Start: '2026-11-20', End: '2026-11-25' } }, 'DataUnavailableException'],
    [
      'a bad token',
      { TimePeriod: { Start: '2026-11-01', End: '2026-11-05' }, NextPageToken: 'nope' },
      'InvalidNextTokenException',
    ],
    [
      'an End past the first day of next month',
      { TimePeriod: { Start: '2026-11-01', End: '2026-12-02' } },
      'ValidationException',
    ],
    [
      'an End months ahead',
      { TimePeriod: { Start: '2026-01-01', End: '2027-03-01' }, Granularity: 'MONTHLY' },
      'ValidationException',
    ],
  ])('refuses %s', (_name, input, code) => {
    expect(errorOf(() => costs(input, []))).toBe(code);
  });

  it('answers an End of the first day of next month with no day after it', () => {
    const out = costs({ TimePeriod: { Start: '2026-11-01', End: '2026-12-01' }, Granularity: 'MONTHLY' }, []);

    expect(out.ResultsByTime.map((r: any) => r.TimePeriod)).toEqual([{ Start: '2026-11-01', End: '2026-12-01' }]);
  });
});

describe('GetCostForecast', () => {
  it('projects the open run rate over whole future days with ±16% bounds', () => {
    const usage = [box('i-1', '2026-11-10T00:00:00Z', undefined)];

    const out = call(
      'GetCostForecast',
      { TimePeriod: { Start: '2026-11-11', End: '2026-11-13' }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY' },
      usage,
    );

    expect(out.Total).toEqual({ Amount: '4.608', Unit: 'USD' });
    expect(out.ForecastResultsByTime[0]).toEqual({
      TimePeriod: { Start: '2026-11-11', End: '2026-11-12' },
      MeanValue: '2.304',
      PredictionIntervalLowerBound: '1.93536',
      PredictionIntervalUpperBound: '2.67264',
    });
  });

  it('uses the trailing 7-day average when nothing runs now', () => {
    const usage = [box('i-1', '2026-11-03T04:00:00Z', '2026-11-03T20:48:00Z')];

    const out = call(
      'GetCostForecast',
      { TimePeriod: { Start: '2026-11-11', End: '2026-11-12' }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY' },
      usage,
    );

    expect(out.Total.Amount).toBe('0.2304');
  });

  it.each([
    ['no usage at all', []],
    ['only usage billing has not reached yet', [box('i-1', '2026-11-10T09:00:00Z', undefined)]],
  ])('answers DataUnavailableException, not $0.00, with %s', (_name, usage) => {
    const input = {
      TimePeriod: { Start: '2026-11-11', End: '2026-11-13' },
      Metric: 'UNBLENDED_COST',
      Granularity: 'DAILY',
    };

    expect(errorOf(() => call('GetCostForecast', input, usage))).toBe('DataUnavailableException');
  });

  it('refuses a forecast that starts before today', () => {
    const input = {
      TimePeriod: { Start: '2026-11-09', End: '2026-11-12' },
      Metric: 'UNBLENDED_COST',
      Granularity: 'DAILY',
    };

    expect(errorOf(() => call('GetCostForecast', input, []))).toBe('ValidationException');
  });
});
