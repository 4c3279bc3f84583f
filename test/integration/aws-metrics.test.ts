import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseImage, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function launch(count: number, region = 'us-east-1'): Promise<string[]> {
  const out = await h.sim.ec2(region).send(
    new RunInstancesCommand({
      ImageId: await baseImage(h.sim, region),
      InstanceType: 't3.medium',
      MinCount: count,
      MaxCount: count,
    }),
  );
  return (out.Instances ?? []).map((i) => i.InstanceId ?? '');
}

describe('metrics: CPU utilisation for idle detection', () => {
  it('measures the trailing stretch below each threshold, one GetMetricData call per Region', async () => {
    const [idle, busy, woke] = await launch(3);
    const [far] = await launch(1, 'eu-west-1');
    await h.sim.control.load([
      { instanceId: idle, cpuPercent: 2, from: '2026-09-01T08:05:00Z' },
      { instanceId: woke, cpuPercent: 3, from: '2026-09-01T08:05:00Z' },
      { instanceId: woke, cpuPercent: 50, from: '2026-09-01T08:40:00Z' },
      { instanceId: woke, cpuPercent: 1, from: '2026-09-01T08:50:00Z' },
      { instanceId: far, cpuPercent: 4, from: '2026-09-01T08:05:00Z' },
    ]);
    await h.sim.control.setClock('2026-09-01T09:10:00Z');
    await h.sim.control.resetCalls();
    const query = (instanceId: string, region = 'us-east-1', cpuBelowPercent = 5) => ({
      instanceId,
      region,
      cpuBelowPercent,
      windowSeconds: 3600,
    });

    const result = await h.ports.metrics.utilisation(
      [query(idle ?? ''), query(busy ?? ''), query(woke ?? ''), query(far ?? '', 'eu-west-1', 3)],
      new Date('2026-09-01T09:10:00Z'),
    );

    expect(await h.sim.control.calls()).toEqual({ 'CloudWatch.GetMetricData': 2 });
    expect(Object.values(result).map((u) => [u.instanceId, u.idleSeconds, u.averageCpuPercent, u.datapoints])).toEqual([
      [idle, 3900, 2, 13],
      [busy, 0, 0, 13],
      [woke, 1200, 1, 13],
      [far, 0, 0, 13],
    ]);
  });

  it('asks about at most 500 instances per call', async () => {
    const ids = await launch(501);
    await h.sim.control.setClock('2026-09-01T08:30:00Z');
    await h.sim.control.resetCalls();

    const result = await h.ports.metrics.utilisation(
      ids.map((instanceId) => ({ instanceId, region: 'us-east-1', cpuBelowPercent: 5, windowSeconds: 900 })),
      new Date('2026-09-01T08:30:00Z'),
    );

    expect(await h.sim.control.calls()).toEqual({ 'CloudWatch.GetMetricData': 2 });
    expect(Object.keys(result)).toHaveLength(501);
  });

  it('no instances, no call', async () => {
    const result = await h.ports.metrics.utilisation([], new Date('2026-09-01T08:30:00Z'));

    expect(result).toEqual({});
    expect(await h.sim.control.calls()).toEqual({});
  });
});
