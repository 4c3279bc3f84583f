import { describe, expect, it } from 'vitest';
import { cloudWatchService } from '../../../reconciler/src/sim/cloudwatch/service.js';
import { setLoad } from '../../../reconciler/src/sim/cloudwatch/load.js';
import { stsService } from '../../../reconciler/src/sim/sts/service.js';
import type { SimContext, SimState, UsageSegment } from '../../../reconciler/src/sim/core/contract.js';
import { boxUsage, simContext, simErrorCode } from './sim-fixtures.js';

const NOW = '2026-11-10T11:00:00.000Z';
const sec = (iso: string): number => Date.parse(iso) / 1000;

const running = (id: string, start: string, end?: string): UsageSegment => boxUsage(id, start, end);

function newState(usage: UsageSegment[]): SimState {
  return simContext(usage, NOW).state;
}

function ctxOf(state: SimState): SimContext {
  return { ...simContext(state.usage, NOW, '210987654321'), state };
}

function query(
  id: string,
  metric = 'CPUUtilization',
  stat = 'Average',
  instanceId = 'i-0abc',
): Record<string, unknown> {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/EC2', MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: instanceId }] },
      Period: 300,
      Stat: stat,
    },
  };
}

function metrics(state: SimState, extra: Record<string, unknown> = {}): Record<string, any> {
  const input = {
    MetricDataQueries: [query('cpu')],
    StartTime: sec('2026-11-10T10:00:00Z'),
    EndTime: sec('2026-11-10T11:00:00Z'),
    ...extra,
  };
  return cloudWatchService.operations.GetMetricData?.(input, ctxOf(state)) as Record<string, any>;
}

const errorOf = simErrorCode;

describe('GetMetricData', () => {
  it('reports the default 40% CPU for a running instance, newest first', () => {
    const state = newState([running('i-0abc', '2026-11-10T10:00:00Z')]);

    const [result] = metrics(state).MetricDataResults;

    expect(result.Values).toEqual(Array(12).fill(40));
    expect(result.Timestamps[0]).toEqual(new Date('2026-11-10T10:55:00Z'));
    expect(result.Timestamps[11]).toEqual(new Date('2026-11-10T10:00:00Z'));
    expect([result.Id, result.Label, result.StatusCode]).toEqual(['cpu', 'CPUUtilization', 'Complete']);
  });

  it('follows the load profile set from a given instant', () => {
    const state = newState([running('i-0abc', '2026-11-10T10:00:00Z')]);
    setLoad(state, { instanceId: 'i-0abc', cpuPercent: 2, from: '2026-11-10T10:30:00Z' });

    const [result] = metrics(state, { ScanBy: 'TimestampAscending' }).MetricDataResults;

    expect(result.Values).toEqual([...Array(6).fill(40), ...Array(6).fill(2)]);
  });

  it('has no datapoints while the instance is not running', () => {
    const state = newState([running('i-0abc', '2026-11-10T10:00:00Z', '2026-11-10T10:20:00Z')]);

    const [result] = metrics(state).MetricDataResults;

    expect(result.Values).toHaveLength(4);
  });

  it.each([
    ['NetworkIn', 'Sum', 5 * 100_000],
    ['NetworkOut', 'Average', 20_000],
    ['CPUUtilization', 'Maximum', 2],
    ['CPUUtilization', 'SampleCount', 5],
  ])('answers %s %s from the profile', (metric, stat, value) => {
    const state = newState([running('i-0abc', '2026-11-10T09:00:00Z')]);
    setLoad(state, [{ instanceId: 'i-0abc', cpuPercent: 2, from: '2026-11-10T09:00:00Z' }]);

    const [result] = metrics(state, { MetricDataQueries: [query('m', metric, stat)] }).MetricDataResults;

    expect(result.Values[0]).toBe(value);
  });

  it('reports nothing after the simulated now', () => {
    const state = newState([running('i-0abc', '2026-11-10T10:00:00Z')]);

    const [result] = metrics(state, { EndTime: sec('2026-11-10T13:00:00Z') }).MetricDataResults;

    expect(result.Values).toHaveLength(12);
  });

  it('pages by MaxDatapoints and continues a query cut short', () => {
    const state = newState([running('i-0abc', '2026-11-10T10:00:00Z')]);
    const input = { MetricDataQueries: [query('a'), query('b', 'NetworkIn')], MaxDatapoints: 15 };

    const first = metrics(state, input);
    const second = metrics(state, { ...input, NextToken: first.NextToken });

    expect(first.MetricDataResults.map((r: any) => [r.Values.length, r.StatusCode])).toEqual([
      [12, 'Complete'],
      [3, 'PartialData'],
    ]);
    expect(second.MetricDataResults.map((r: any) => [r.Values.length, r.StatusCode])).toEqual([
      [0, 'Complete'],
      [9, 'Complete'],
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it.each([
    ['an Id starting upper case', { MetricDataQueries: [query('Cpu')] }],
    ['501 queries', { MetricDataQueries: Array.from({ length: 501 }, (_, i) => query(`q${i}`)) }],
    [
      'a Period that is not a multiple of 60',
      { MetricDataQueries: [{ ...query('a'), MetricStat: { ...(query('a').MetricStat as object), Period: 90 } }] },
    ],
    ['StartTime after EndTime', { StartTime: sec('2026-11-10T12:00:00Z') }],
  ])('refuses %s with ValidationError', (_name, extra) => {
    expect(errorOf(() => metrics(newState([]), extra))).toBe('ValidationError');
  });
});

describe('POST /_sim/load', () => {
  it.each([
    ['no instance id', { cpuPercent: 5 }],
    ['CPU over 100', { instanceId: 'i-1', cpuPercent: 101 }],
    ['negative network', { instanceId: 'i-1', cpuPercent: 5, networkInBytesPerMinute: -1 }],
    ['a bad from', { instanceId: 'i-1', cpuPercent: 5, from: 'yesterday' }],
    ['an empty list', []],
  ])('refuses %s', (_name, body) => {
    expect(errorOf(() => setLoad(newState([]), body))).toBe('InvalidParameterValue');
  });

  it('is reachable as the load control endpoint', () => {
    const state = newState([]);

    const answer = cloudWatchService.control?.load?.([{ instanceId: 'i-1', cpuPercent: 3 }], ctxOf(state));

    expect(answer).toEqual({ instances: ['i-1'] });
    expect(state.cloudwatch).toEqual({
      profiles: {
        'i-1': [{ from: NOW, cpuPercent: 3, networkInBytesPerMinute: 150_000, networkOutBytesPerMinute: 30_000 }],
      },
    });
  });
});

describe('GetCallerIdentity', () => {
  it('answers the configured account and the labops-sim role session', () => {
    const out = stsService.operations.GetCallerIdentity?.({}, ctxOf(newState([]))) as Record<string, string>;

    expect(out.Account).toBe('210987654321');
    expect(out.Arn).toBe('arn:aws:sts::210987654321:assumed-role/labops-sim/session');
    expect(out.UserId).toMatch(/^AROA[A-Z0-9]+:session$/);
  });
});
