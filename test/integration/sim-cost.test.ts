import {
  CreateVolumeCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import type { CostExplorerClient, Expression, GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const COMPUTE: Expression = { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } };
const PROJECT = [{ Type: 'TAG' as const, Key: 'labops:project' }];

let sim: TestSim;
let ce: CostExplorerClient;

async function open(start: string): Promise<void> {
  sim = await startTestSim({ log: () => {}, start, queues: { 'us-east-1': ['research-spot'] } });
  ce = sim.costExplorer();
}
afterEach(async () => {
  await sim.close();
});

/** Runs an m6i.large tagged with a project for exactly `hours` of running time. */
async function runInstance(hours: number, project: string): Promise<void> {
  const ec2 = sim.ec2();
  const images = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['099720109477'],
      Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] }],
    }),
  );
  const tags = [{ Key: 'labops:project', Value: project }];
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: images.Images?.[0]?.ImageId,
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
    }),
  );
  const id = run.Instances?.[0]?.InstanceId ?? '';
  await sim.control.advance('5m');
  const box = (await sim.control.state()).usage.find((s) => s.resourceId === id && s.usageType.startsWith('BoxUsage'));
  await sim.control.setClock(new Date(Date.parse(box?.start ?? '') + hours * 3_600_000).toISOString());
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
}

function costs(input: Partial<GetCostAndUsageCommandInput>): Promise<Record<string, any>> {
  return ce.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: '2026-09-01', End: '2026-09-02' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      ...input,
    }),
  );
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err: unknown) {
    return (err as { name: string }).name;
  }
  throw new Error('expected the call to fail');
}

describe('Cost Explorer over simulated usage', () => {
  it('prices an m6i.large running 10 h in us-east-1 at 10 × 0.096 = $0.96 for its project', async () => {
    await open('2026-09-01T08:00:00Z');
    await runInstance(10, 'neuro-lab');
    await sim.control.setClock('2026-09-02T12:00:00Z');

    const out = await costs({ Filter: COMPUTE, GroupBy: PROJECT });

    expect(out.ResultsByTime).toEqual([
      {
        TimePeriod: { Start: '2026-09-01', End: '2026-09-02' },
        Total: {},
        Groups: [{ Keys: ['labops:project$neuro-lab'], Metrics: { UnblendedCost: { Amount: '0.96', Unit: 'USD' } } }],
        Estimated: false,
      },
    ]);
  });

  it('prices 100 GiB of gp3 over 30-day September at 100 × 0.08 × 720/730', async () => {
    await open('2026-09-01T00:00:00Z');
    await sim.ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 100, VolumeType: 'gp3' }));
    await sim.control.setClock('2026-10-02T00:00:00Z');

    const out = await costs({
      TimePeriod: { Start: '2026-09-01', End: '2026-10-01' },
      Granularity: 'MONTHLY',
      Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: ['EBS:VolumeUsage.gp3'] } },
    });

    expect(out.ResultsByTime[0].Total.UnblendedCost).toEqual({ Amount: '7.8904109589', Unit: 'USD' });
  });

  // A Batch job's cost is its instance's: the instance carries its compute environment's
  // computeResources.tags ("Key-value pair tags to be applied to EC2 resources that are launched
  // in the compute environment", API_ComputeResource.html), not the job's own tags.
  it.each([
    ['2 vCPUs / 4 GiB on an m6i compute environment: all of an m6i.large, 5 h × 0.096', '2', '5h', ['m6i'], '0.48'],
    ['1 vCPU on an m6i.xlarge compute environment: 1/4 of 0.192 for 4 h', '1', '4h', ['m6i.xlarge'], '0.192'],
  ])('bills %s, under the compute environment tags', async (_case, vcpus, duration, instanceTypes, amount) => {
    await open('2026-09-01T07:59:00Z');
    const batch = sim.batch();
    await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'genomics-ce',
        type: 'MANAGED',
        computeResources: {
          type: 'EC2',
          maxvCpus: 16,
          subnets: ['subnet-0a1b2c3d4e5f60718'],
          securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
          instanceTypes,
          tags: { 'labops:project': 'genomics' },
        },
      }),
    );
    await sim.control.advance('1m');
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'genomics',
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'genomics-ce' }],
      }),
    );
    await sim.control.advance('1m');
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'fit',
        type: 'container',
        containerProperties: {
          image: 'lab/fit:1',
          resourceRequirements: [
            { type: 'VCPU', value: vcpus },
            { type: 'MEMORY', value: '4096' },
          ],
          environment: [{ name: 'LABOPS_SIM_DURATION', value: duration }],
        },
      }),
    );
    await batch.send(
      new SubmitJobCommand({
        jobName: 'fit',
        jobQueue: 'genomics',
        jobDefinition: 'fit',
        tags: { 'labops:project': 'not-billed' },
      }),
    );
    await sim.control.setClock('2026-09-02T12:00:00Z');

    const out = await costs({ GroupBy: PROJECT });

    expect(out.ResultsByTime[0].Groups).toEqual([
      { Keys: ['labops:project$genomics'], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } },
    ]);
  });

  it('shows no usage from the last 8 hours yet', async () => {
    await open('2026-09-01T00:00:00Z');
    await runInstance(12, 'neuro-lab');

    const out = await costs({ Filter: COMPUTE });
    await sim.control.advance('8h');
    const later = await costs({ Filter: COMPUTE });

    expect(Number(out.ResultsByTime[0].Total.UnblendedCost.Amount)).toBeCloseTo(4 * 0.096, 2);
    expect(out.ResultsByTime[0].Estimated).toBe(true);
    expect(Number(later.ResultsByTime[0].Total.UnblendedCost.Amount)).toBeCloseTo(12 * 0.096, 2);
  });

  it('treats End as exclusive', async () => {
    await open('2026-09-01T00:00:00Z');
    await runInstance(10, 'neuro-lab');
    await sim.control.setClock('2026-09-03T12:00:00Z');

    const out = await costs({ TimePeriod: { Start: '2026-08-31', End: '2026-09-01' }, Filter: COMPUTE });

    expect(out.ResultsByTime.map((r: any) => [r.TimePeriod.Start, r.Total.UnblendedCost.Amount])).toEqual([
      ['2026-08-31', '0'],
    ]);
  });

  it.each([
    ['HOURLY granularity', { Granularity: 'HOURLY' as const }, 'ValidationException'],
    ['End before Start', { TimePeriod: { Start: '2026-09-02', End: '2026-09-01' } }, 'ValidationException'],
    ['a period in the future', { TimePeriod: { Start: '2026-09-10', End: '2026-09-11' } }, 'DataUnavailableException'],
  ])('refuses %s', async (_name, input, code) => {
    await open('2026-09-01T08:00:00Z');

    expect(await errorOf(costs(input))).toBe(code);
  });

  it('forecasts the run rate of what is running now', async () => {
    await open('2026-09-01T08:00:00Z');
    const ec2 = sim.ec2();
    const images = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['099720109477'],
        Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] }],
      }),
    );
    await ec2.send(
      new RunInstancesCommand({
        ImageId: images.Images?.[0]?.ImageId,
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
      }),
    );
    // 9 h: one hour past the 8 h billing lag, so Cost Explorer has history to forecast from.
    await sim.control.advance('9h');

    const out = await ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: '2026-09-02', End: '2026-09-04' },
        Granularity: 'DAILY',
        Metric: 'UNBLENDED_COST',
        Filter: COMPUTE,
      }),
    );

    expect(out.Total).toEqual({ Amount: '4.608', Unit: 'USD' });
    expect(out.ForecastResultsByTime?.map((r) => r.MeanValue)).toEqual(['2.304', '2.304']);
    expect(
      await errorOf(
        ce.send(
          new GetCostForecastCommand({
            TimePeriod: { Start: '2026-08-31', End: '2026-09-04' },
            Granularity: 'DAILY',
            Metric: 'UNBLENDED_COST',
          }),
        ),
      ),
    ).toBe('ValidationException');
  });
});
