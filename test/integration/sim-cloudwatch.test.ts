import { DescribeImagesCommand, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let cw: CloudWatchClient;
let instanceId: string;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, start: '2026-09-01T08:00:00Z' });
  cw = sim.cloudwatch();
  const ec2 = sim.ec2();
  const images = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['099720109477'],
      Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] }],
    }),
  );
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: images.Images?.[0]?.ImageId,
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
    }),
  );
  instanceId = run.Instances?.[0]?.InstanceId ?? '';
  await sim.control.setClock('2026-09-01T12:00:00Z');
});
afterEach(async () => {
  await sim.close();
});

function query(id: string, metricName: string, stat: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/EC2', MetricName: metricName, Dimensions: [{ Name: 'InstanceId', Value: instanceId }] },
      Period: 3600,
      Stat: stat,
    },
  };
}

function lastHours(queries: MetricDataQuery[], from = '2026-09-01T09:00:00Z') {
  return cw.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(from),
      EndTime: new Date('2026-09-01T12:00:00Z'),
    }),
  );
}

describe('GetMetricData', () => {
  it('reports the default steady 40% CPU for a running instance, newest first', async () => {
    const out = await lastHours([query('cpu', 'CPUUtilization', 'Average')]);

    expect(out.MetricDataResults?.[0]).toMatchObject({
      Id: 'cpu',
      StatusCode: 'Complete',
      Values: [40, 40, 40],
      Timestamps: [
        new Date('2026-09-01T11:00:00Z'),
        new Date('2026-09-01T10:00:00Z'),
        new Date('2026-09-01T09:00:00Z'),
      ],
    });
  });

  it('follows the load profile set through /_sim/load', async () => {
    await sim.control.load([
      {
        instanceId,
        cpuPercent: 1.5,
        networkInBytesPerMinute: 1000,
        networkOutBytesPerMinute: 500,
        from: '2026-09-01T10:00:00Z',
      },
    ]);

    const out = await lastHours([
      query('cpu', 'CPUUtilization', 'Maximum'),
      query('netin', 'NetworkIn', 'Sum'),
      query('netout', 'NetworkOut', 'Sum'),
    ]);

    expect(out.MetricDataResults?.map((r) => [r.Id, r.Values])).toEqual([
      ['cpu', [1.5, 1.5, 40]],
      ['netin', [60_000, 60_000, 120_000_000]],
      ['netout', [30_000, 30_000, 24_000_000]],
    ]);
  });

  it('reports no datapoints for the time an instance is stopped', async () => {
    await sim.ec2().send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await sim.control.advance('3h');

    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query('cpu', 'CPUUtilization', 'Average')],
        StartTime: new Date('2026-09-01T11:00:00Z'),
        EndTime: new Date('2026-09-01T15:00:00Z'),
      }),
    );

    expect(out.MetricDataResults?.[0]?.Timestamps).toEqual([new Date('2026-09-01T11:00:00Z')]);
  });

  it('refuses a query Id that does not start with a lowercase letter', async () => {
    const error = (await lastHours([query('Cpu', 'CPUUtilization', 'Average')]).catch((err: unknown) => err)) as {
      Code?: string;
      $metadata?: { httpStatusCode?: number };
    };

    expect([error.Code, error.$metadata?.httpStatusCode]).toEqual(['ValidationError', 400]);
  });

  it('refuses a malformed load profile', async () => {
    const answer = await sim.control.request('POST', 'load', { instanceId, cpuPercent: 250 });

    expect(answer.status).toBe(400);
  });
});
