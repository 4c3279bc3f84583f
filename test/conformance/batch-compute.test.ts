/**
 * AWS Batch compute behaviours `labops sim` promises (issue 18): placement within `maxvCpus` in a
 * queue's compute environment order, the checks on CreateComputeEnvironment and
 * UpdateComputeEnvironment, Spot reclaims and the retry strategies that catch them, and the cost
 * of the instances a compute environment runs, each beside the AWS documentation it comes from,
 * through the real @aws-sdk/client-batch and client-cost-explorer against the sim.
 */
import {
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import type {
  BatchClient,
  ComputeResource,
  ComputeResourceUpdate,
  EvaluateOnExit,
  SubmitJobCommandInput,
} from '@aws-sdk/client-batch';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let batch: BatchClient;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, start: '2026-09-01T08:00:00Z' });
  batch = sim.batch();
  for (const [name, vcpus, gpus] of [
    ['one-vcpu', '1', '0'],
    ['two-vcpu', '2', '0'],
    ['gpu', '4', '1'],
  ] as const) {
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: name,
        type: 'container',
        containerProperties: {
          image: 'public.ecr.aws/lab/analysis:1',
          resourceRequirements: [
            { type: 'VCPU', value: vcpus },
            { type: 'MEMORY', value: '4096' },
            ...(gpus === '0' ? [] : [{ type: 'GPU' as const, value: gpus }]),
          ],
        },
      }),
    );
  }
});
afterEach(async () => {
  await sim.close();
});

const SUBNETS = ['subnet-0a1b2c3d4e5f60718'];

/** A MANAGED compute environment `name` with these compute resources (EC2, 16 vCPUs, optimal by default). */
async function environment(name: string, resources: Partial<ComputeResource> = {}): Promise<void> {
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: name,
      type: 'MANAGED',
      computeResources: {
        type: 'EC2',
        maxvCpus: 16,
        subnets: SUBNETS,
        securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
        instanceTypes: ['optimal'],
        ...resources,
      },
    }),
  );
}

/** Compute environments (name → resources), VALID, then the ENABLED queue `queue` on them in that order, VALID. */
async function queueOn(queue: string, environments: Record<string, Partial<ComputeResource>>): Promise<void> {
  for (const [name, resources] of Object.entries(environments)) await environment(name, resources);
  await sim.control.advance('1m');
  await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: queue,
      priority: 1,
      computeEnvironmentOrder: Object.keys(environments).map((name, i) => ({ order: i + 1, computeEnvironment: name })),
    }),
  );
  await sim.control.advance('1m');
}

async function submit(
  queue: string,
  definition: string,
  duration = '1h',
  extra: Partial<SubmitJobCommandInput> = {},
): Promise<string> {
  const out = await batch.send(
    new SubmitJobCommand({
      jobName: `${definition}-job`,
      jobQueue: queue,
      jobDefinition: definition,
      containerOverrides: { environment: [{ name: 'LABOPS_SIM_DURATION', value: duration }] },
      ...extra,
    }),
  );
  return out.jobId ?? '';
}

async function statuses(ids: string[]): Promise<string[]> {
  const jobs = (await batch.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? [];
  return ids.map((id) => jobs.find((j) => j.jobId === id)?.status ?? 'gone');
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err: unknown) {
    return (err as { name: string }).name;
  }
  return 'accepted';
}

const count = (list: string[], status: string): number => list.filter((s) => s === status).length;

describe('placing jobs within maxvCpus', () => {
  // https://docs.aws.amazon.com/batch/latest/userguide/job_states.html (RUNNABLE)
  // "Jobs in this state are started as soon as sufficient resources are available in one of the
  // compute environments that are mapped to the job's queue. However, jobs can remain in this
  // state indefinitely when sufficient resources are unavailable."
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html (maxvCpus)
  // "The maximum number of vCPUs that a compute environment can support."
  it('runs at most maxvCpus worth of jobs at once; the rest wait RUNNABLE and start as capacity frees', async () => {
    await queueOn('capped', { 'capped-ce': { maxvCpus: 4 } });
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await submit('capped', 'one-vcpu'));

    await sim.control.advance('5m');
    const full = await statuses(ids);
    await sim.control.advance('1h');
    const later = await statuses(ids);

    expect([count(full, 'RUNNING'), count(full, 'RUNNABLE')]).toEqual([4, 2]);
    expect([count(later, 'SUCCEEDED'), count(later, 'RUNNING')]).toEqual([4, 2]);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/scaling-updates.html
  // "maxvCpus – Defines the maximum number of vCPUs that can be launched."
  it('starts waiting jobs once maxvCpus is raised', async () => {
    await queueOn('capped', { 'capped-ce': { maxvCpus: 2 } });
    const ids = [await submit('capped', 'two-vcpu'), await submit('capped', 'two-vcpu')];
    await sim.control.advance('5m');
    const before = await statuses(ids);

    await batch.send(
      new UpdateComputeEnvironmentCommand({ computeEnvironment: 'capped-ce', computeResources: { maxvCpus: 4 } }),
    );
    await sim.control.advance('5m');

    expect([before, await statuses(ids)]).toEqual([
      ['RUNNING', 'RUNNABLE'],
      ['RUNNING', 'RUNNING'],
    ]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html (computeEnvironmentOrder)
  // "The set of compute environments mapped to a job queue and their order relative to each other.
  // The job scheduler uses this parameter to determine which compute environment runs a specific
  // job." Placement fills the first environment, then the next; their instances carry each
  // environment's computeResources.tags, which Cost Explorer groups by.
  it('fills the compute environments in order, and bills each under its own tags', async () => {
    await queueOn('tiered', {
      'first-ce': { maxvCpus: 2, instanceTypes: ['m6i.large'], tags: { 'labops:project': 'first' } },
      'second-ce': { maxvCpus: 8, instanceTypes: ['m6i.large'], tags: { 'labops:project': 'second' } },
    });
    for (let i = 0; i < 3; i += 1) await submit('tiered', 'two-vcpu', '2h');

    await sim.control.setClock('2026-09-02T12:00:00Z');
    const out = await sim.costExplorer().send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-09-01', End: '2026-09-02' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG', Key: 'labops:project' }],
      }),
    );

    // m6i.large at $0.096 an hour, 2 h a job: one job on the first, two on the second.
    expect(out.ResultsByTime?.[0]?.Groups?.map((g) => [g.Keys?.[0], g.Metrics?.UnblendedCost?.Amount])).toEqual([
      ['labops:project$first', '0.192'],
      ['labops:project$second', '0.384'],
    ]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeEnvironmentDetail.html (state)
  // "If the state is DISABLED, then the Batch scheduler doesn't attempt to place jobs within the environment."
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobQueueDetail.html (state)
  // "If the job queue state is DISABLED, new jobs can't be added to the queue, but jobs already in
  // the queue can finish." labops' budget stop relies on a DISABLED queue starting nothing new:
  // the sim places no job of a DISABLED queue (jobs already STARTING or RUNNING finish).
  it.each([
    ['an ENABLED queue whose every compute environment is DISABLED', 'ce'],
    ['a DISABLED queue', 'queue'],
  ])('keeps jobs RUNNABLE in %s until it is ENABLED again', async (_case, what) => {
    await queueOn('paused', { 'paused-ce': {} });
    const id = await submit('paused', 'one-vcpu');
    const pause = (state: 'ENABLED' | 'DISABLED') =>
      what === 'ce'
        ? batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: 'paused-ce', state }))
        : batch.send(new UpdateJobQueueCommand({ jobQueue: 'paused', state }));
    await pause('DISABLED');

    await sim.control.advance('30m');
    const held = await statuses([id]);
    await pause('ENABLED');
    await sim.control.advance('5m');

    expect([held, await statuses([id])]).toEqual([['RUNNABLE'], ['RUNNING']]);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html: GPU jobs need GPU instance
  // types (and the ECS GPU-optimized AMI, ec2Configuration imageType ECS_AL2_NVIDIA).
  // https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html: "MISCONFIGURATION:
  // JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can
  // be met by the CE(s) attached to the job queue."
  it('runs a GPU job on a g5 compute environment and holds it on an optimal one with the documented reason', async () => {
    await queueOn('gpu', { 'gpu-ce': { instanceTypes: ['g5'], ec2Configuration: [{ imageType: 'ECS_AL2_NVIDIA' }] } });
    await queueOn('cpu', { 'cpu-ce': {} });
    const onGpu = await submit('gpu', 'gpu');
    const onCpu = await submit('cpu', 'gpu');

    await sim.control.advance('5m');
    const jobs = (await batch.send(new DescribeJobsCommand({ jobs: [onGpu, onCpu] }))).jobs ?? [];

    expect(jobs.map((j) => [j.status, j.statusReason?.split(' - ')[0]])).toEqual([
      ['RUNNING', undefined],
      ['RUNNABLE', 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT'],
    ]);
  });
});

describe('CreateComputeEnvironment and UpdateComputeEnvironment checks', () => {
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
  // allocationStrategy "Valid Values: BEST_FIT | BEST_FIT_PROGRESSIVE | SPOT_CAPACITY_OPTIMIZED |
  // SPOT_PRICE_CAPACITY_OPTIMIZED" (the SPOT_ ones for Spot); instanceTypes "The instance types that
  // can be launched. You can specify instance families to launch any instance type within those
  // families (for example, c5 or p3), or you can specify specific sizes within a family (such as
  // c5.8xlarge). You can also choose optimal"; instanceTypes and allocationStrategy "isn't
  // applicable to jobs that are running on Fargate resources, and shouldn't be specified".
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html (imageType)
  it.each<[string, Partial<ComputeResource>, string]>([
    [
      'Spot with SPOT_PRICE_CAPACITY_OPTIMIZED over c6i and g5.xlarge',
      { type: 'SPOT', allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', instanceTypes: ['c6i', 'g5.xlarge'] },
      'accepted',
    ],
    [
      'EC2 with BEST_FIT_PROGRESSIVE and ECS_AL2_NVIDIA',
      {
        allocationStrategy: 'BEST_FIT_PROGRESSIVE',
        instanceTypes: ['g5'],
        ec2Configuration: [{ imageType: 'ECS_AL2_NVIDIA' }],
      },
      'accepted',
    ],
    ['EC2 with a Spot allocation strategy', { allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED' }, 'ClientException'],
    ['an instance type that does not exist', { instanceTypes: ['x9.huge'] }, 'ClientException'],
    ['an unknown image type', { ec2Configuration: [{ imageType: 'ECS_AL3' }] }, 'ClientException'],
    ['desiredvCpus above maxvCpus', { desiredvCpus: 32 }, 'ClientException'],
    ['Fargate with instance types', { type: 'FARGATE', instanceTypes: ['optimal'] }, 'ClientException'],
    // https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html (securityGroupIds)
    // "One or more security groups must be specified, either in securityGroupIds or using a launch
    // template referenced in launchTemplate. This parameter is required for jobs that are running on
    // Fargate resources and must contain at least one security group. Fargate doesn't support launch
    // templates."
    ['no security group and no launch template', { securityGroupIds: undefined }, 'ClientException'],
    ['an empty securityGroupIds', { securityGroupIds: [] }, 'ClientException'],
    [
      'the security groups in a launch template',
      { securityGroupIds: undefined, launchTemplate: { launchTemplateName: 'lab-ce' } },
      'accepted',
    ],
    [
      'Fargate without security groups',
      { type: 'FARGATE', instanceTypes: undefined, securityGroupIds: undefined },
      'ClientException',
    ],
  ])('CreateComputeEnvironment with %s: %s', async (_case, resources, outcome) => {
    expect(await failure(environment('checked-ce', resources))).toBe(outcome);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/scaling-updates.html
  // "The following settings trigger scaling updates when modified exclusively: desiredvCpus ...
  // maxvCpus ... minvCpus" "Scaling updates work with any service role type and allocation strategy".
  // https://docs.aws.amazon.com/batch/latest/userguide/updating-compute-environments.html
  // (infrastructure updates) "Allocation strategy (allocationStrategy, must be either
  // BEST_FIT_PROGRESSIVE or SPOT_CAPACITY_OPTIMIZED. If the original allocation strategy is
  // BEST_FIT, infrastructure updates aren't supported.)"
  // https://docs.aws.amazon.com/batch/latest/userguide/error-desired-vcpus-update.html
  // "The updated desiredvCpus value must be greater than or equal to the current desiredvCpus value."
  it.each<[string, Partial<ComputeResource>, ComputeResourceUpdate, string]>([
    ['maxvCpus on BEST_FIT (a scaling update)', { allocationStrategy: 'BEST_FIT' }, { maxvCpus: 64 }, 'accepted'],
    ['instance types on BEST_FIT', { allocationStrategy: 'BEST_FIT' }, { instanceTypes: ['c6i'] }, 'ClientException'],
    [
      'instance types on BEST_FIT_PROGRESSIVE',
      { allocationStrategy: 'BEST_FIT_PROGRESSIVE' },
      { instanceTypes: ['c6i'] },
      'accepted',
    ],
    [
      'tags on SPOT_PRICE_CAPACITY_OPTIMIZED',
      { type: 'SPOT', allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED' },
      { tags: { 'labops:project': 'atmos' } },
      'accepted',
    ],
    [
      'allocation strategy to BEST_FIT',
      { allocationStrategy: 'BEST_FIT_PROGRESSIVE' },
      { allocationStrategy: 'BEST_FIT' as never },
      'ClientException',
    ],
    ['desiredvCpus down from 8 to 4', { desiredvCpus: 8 }, { desiredvCpus: 4 }, 'ClientException'],
    [
      'subnets on FARGATE',
      { type: 'FARGATE', instanceTypes: undefined },
      { subnets: ['subnet-0fedcba9876543210'] },
      'accepted',
    ],
    ['maxvCpus below minvCpus', { minvCpus: 8 }, { maxvCpus: 4 }, 'ClientException'],
  ])('UpdateComputeEnvironment of %s: %s', async (_case, resources, update, outcome) => {
    await environment('updated-ce', resources);
    await sim.control.advance('1m');

    const result = await failure(
      batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: 'updated-ce', computeResources: update })),
    );

    expect(result).toBe(outcome);
  });
});

/** A SPOT compute environment `spot-ce` (and queue `spot`) and an on-demand one `od-ce` (queue `od`). */
async function spotAndOnDemand(): Promise<void> {
  await queueOn('spot', {
    'spot-ce': { type: 'SPOT', allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', instanceTypes: ['c6i'] },
  });
  await queueOn('od', { 'od-ce': { allocationStrategy: 'BEST_FIT_PROGRESSIVE', instanceTypes: ['c6i'] } });
}

/** Retry Spot reclaims, exit on anything else: what labops gives jobs on Spot queues. */
const SPOT_RETRY: EvaluateOnExit[] = [
  { onStatusReason: 'Host EC2*', action: 'retry' as never },
  { onReason: '*', action: 'EXIT' },
];

describe('Spot reclaims', () => {
  // https://docs.aws.amazon.com/batch/latest/userguide/job_retries.html: failures a retry strategy
  // may retry include "Amazon EC2 instance failure or termination". A reclaimed instance's attempt
  // ends with statusReason "Host EC2 (instance i-…) terminated." (the text DescribeJobs shows; the
  // AWS CDK's Reason.SPOT_INSTANCE_RECLAIMED matches it with onStatusReason "Host EC2*").
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html: "Specifies the
  // action to take if all of the specified conditions (onStatusReason, onReason, and onExitCode)
  // are met. The values aren't case sensitive." onStatusReason "can optionally end with an asterisk
  // (*) so that only the start of the string needs to be an exact match."
  it('fails the attempt with "Host EC2 (instance i-…) terminated." and retries it under onStatusReason "Host EC2*"', async () => {
    await spotAndOnDemand();
    await sim.control.faults({ rules: [{ operation: 'Batch.*', kind: 'spotReclaim', count: 1, afterSeconds: 600 }] });
    const id = await submit('spot', 'one-vcpu', '1h', { retryStrategy: { attempts: 3, evaluateOnExit: SPOT_RETRY } });

    await sim.control.advance('3h');
    const job = (await batch.send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0];

    expect(job?.status).toBe('SUCCEEDED');
    expect(job?.attempts?.map((a) => a.statusReason)).toEqual([
      expect.stringMatching(/^Host EC2 \(instance i-[0-9a-f]{17}\) terminated\.$/),
      'Essential container in task exited',
    ]);
    expect((job?.attempts?.[0]?.stoppedAt ?? 0) - (job?.attempts?.[0]?.startedAt ?? 0)).toBe(600_000);
  });

  // Same pages: the final EXIT entry catches an application failure, which is not retried; with
  // no retry strategy a reclaim fails the job with the same reason.
  it.each([
    [
      'an application failure under the Spot strategy',
      SPOT_RETRY,
      '1',
      false,
      ['FAILED', 1, 'Essential container in task exited'],
    ],
    ['a reclaim with no retry strategy', undefined, '0', true, ['FAILED', 1, 'Host EC2']],
  ] as const)('does not retry %s', async (_case, evaluateOnExit, exitCode, reclaim, expected) => {
    await spotAndOnDemand();
    if (reclaim) await sim.control.faults({ rules: [{ kind: 'spotReclaim' } as never] });
    const id = await submit('spot', 'one-vcpu', '1h', {
      containerOverrides: {
        environment: [
          { name: 'LABOPS_SIM_DURATION', value: '1h' },
          { name: 'LABOPS_SIM_EXIT_CODE', value: exitCode },
        ],
      },
      ...(evaluateOnExit === undefined ? {} : { retryStrategy: { attempts: 3, evaluateOnExit: [...evaluateOnExit] } }),
    });

    await sim.control.advance('3h');
    const job = (await batch.send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0];

    expect([job?.status, job?.attempts?.length, job?.statusReason?.slice(0, expected[2].length)]).toEqual(expected);
  });

  // A Spot reclaim takes Spot capacity only: the on-demand (EC2) compute environment's jobs run on.
  it('leaves jobs on an on-demand compute environment alone', async () => {
    await spotAndOnDemand();
    await sim.control.faults({ rules: [{ operation: 'Batch.*', kind: 'spotReclaim' }] });
    const id = await submit('od', 'one-vcpu', '1h');

    await sim.control.advance('2h');

    expect(await statuses([id])).toEqual(['SUCCEEDED']);
  });

  // A rule posted while an attempt already runs reclaims it from then on (the next advance).
  it('reclaims an attempt already running when the rule is posted', async () => {
    await spotAndOnDemand();
    const id = await submit('spot', 'one-vcpu', '2h');
    await sim.control.advance('10m');
    const running = await statuses([id]);

    await sim.control.faults({ rules: [{ operation: 'Batch.*', kind: 'spotReclaim', computeEnvironment: 'spot-ce' }] });
    await sim.control.advance('30m');
    const job = (await batch.send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0];

    expect([running[0], job?.status, job?.statusReason?.startsWith('Host EC2 (instance i-')]).toEqual([
      'RUNNING',
      'FAILED',
      true,
    ]);
  });
});
