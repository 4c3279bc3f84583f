/**
 * AWS Batch behaviours `labops sim` promises, each beside the AWS documentation it comes from,
 * checked with the real @aws-sdk/client-batch against the sim. Engineers append their own
 * describe blocks.
 */
import {
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
  paginateListJobs,
} from '@aws-sdk/client-batch';
import type {
  BatchClient,
  ComputeEnvironmentOrder,
  CreateComputeEnvironmentCommandInput,
  JobDependency,
  ListJobsCommandInput,
  SubmitJobCommandInput,
} from '@aws-sdk/client-batch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let batch: BatchClient;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, queues: { 'us-east-1': ['research-spot'] } });
  batch = sim.batch();
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'analysis',
      type: 'container',
      containerProperties: {
        image: 'public.ecr.aws/lab/analysis:1',
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '2048' },
        ],
      },
    }),
  );
});
afterEach(async () => {
  await sim.close();
});

async function submit(name: string, extra: Partial<SubmitJobCommandInput> = {}): Promise<string> {
  const out = await batch.send(
    new SubmitJobCommand({ jobName: name, jobQueue: 'research-spot', jobDefinition: 'analysis', ...extra }),
  );
  return out.jobId ?? '';
}

async function failure(promise: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await promise;
  } catch (err: unknown) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode];
  }
  return ['accepted', 200];
}

/** The jobs a dependency may point at: a single job, and arrays of 3 and of 4 children. */
async function upstream(): Promise<Record<'single' | 'array3' | 'array4', string>> {
  return {
    single: await submit('single'),
    array3: await submit('array3', { arrayProperties: { size: 3 } }),
    array4: await submit('array4', { arrayProperties: { size: 4 } }),
  };
}

type Upstream = Awaited<ReturnType<typeof upstream>>;

describe('SubmitJob dependsOn shapes', () => {
  // https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html
  // "When you submit an AWS Batch job, you can specify the job IDs that the job depends on."
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobDependency.html
  // jobId and type are both "Required: No": a plain dependency is { jobId } with no type.
  it.each([
    ['a single job on a single job', undefined, (u: Upstream): JobDependency[] => [{ jobId: u.single }]],
    ['an array on a single job', 3, (u: Upstream): JobDependency[] => [{ jobId: u.single }]],
    [
      'a single job on an array (waits for the whole array)',
      undefined,
      (u: Upstream): JobDependency[] => [{ jobId: u.array4 }],
    ],
  ])('accepts a plain dependency { jobId }: %s', async (_case, size, dependsOn) => {
    const u = await upstream();

    const result = await failure(
      submit('down', { dependsOn: dependsOn(u), ...(size === undefined ? {} : { arrayProperties: { size } }) }),
    );

    expect(result).toEqual(['accepted', 200]);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html
  // "You can also specify an N_TO_N type dependency with a job ID. That way, each index child of
  // this job must wait for the corresponding index child of each dependency to complete before it
  // can begin." Every child needs a corresponding child: both are arrays, of one size.
  it('accepts N_TO_N with a job id between two arrays of one size', async () => {
    const u = await upstream();

    const result = await failure(
      submit('down', { arrayProperties: { size: 3 }, dependsOn: [{ jobId: u.array3, type: 'N_TO_N' }] }),
    );

    expect(result).toEqual(['accepted', 200]);
  });

  // Same page and sentence as above: N_TO_N pairs child i with child i, so it needs two arrays of one size.
  it.each([
    ['a single job on an array', undefined, (u: Upstream) => u.array3],
    ['an array on a single job', 3, (u: Upstream) => u.single],
    ['arrays of different sizes', 3, (u: Upstream) => u.array4],
  ])('rejects N_TO_N between jobs that are not arrays of one size: %s', async (_case, size, target) => {
    const u = await upstream();

    const result = await failure(
      submit('down', {
        dependsOn: [{ jobId: target(u), type: 'N_TO_N' }],
        ...(size === undefined ? {} : { arrayProperties: { size } }),
      }),
    );

    expect(result).toEqual(['ClientException', 400]);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html
  // "For array jobs, you can specify a SEQUENTIAL type dependency without specifying a job ID so
  // that each child array job completes sequentially, starting at index 0."
  it('accepts SEQUENTIAL without a job id on an array job', async () => {
    const result = await failure(
      submit('chain', { arrayProperties: { size: 3 }, dependsOn: [{ type: 'SEQUENTIAL' }] }),
    );

    expect(result).toEqual(['accepted', 200]);
  });

  // Same page and sentence as above: SEQUENTIAL is given without a job ID, for an array job.
  it.each([
    [
      'SEQUENTIAL with a job id on a single job',
      undefined,
      (u: Upstream): JobDependency[] => [{ jobId: u.single, type: 'SEQUENTIAL' }],
    ],
    [
      'SEQUENTIAL with a job id on an array job',
      3,
      (u: Upstream): JobDependency[] => [{ jobId: u.array3, type: 'SEQUENTIAL' }],
    ],
    ['SEQUENTIAL without a job id on a single job', undefined, (): JobDependency[] => [{ type: 'SEQUENTIAL' }]],
  ])('rejects %s', async (_case, size, dependsOn) => {
    const u = await upstream();

    const result = await failure(
      submit('down', { dependsOn: dependsOn(u), ...(size === undefined ? {} : { arrayProperties: { size } }) }),
    );

    expect(result).toEqual(['ClientException', 400]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobDependency.html
  // type: "Valid Values: N_TO_N | SEQUENTIAL"
  it('rejects an unknown dependency type', async () => {
    const u = await upstream();

    const result = await failure(
      submit('down', { dependsOn: [{ jobId: u.single, type: 'ALL' as JobDependency['type'] }] }),
    );

    expect(result).toEqual(['ClientException', 400]);
  });
});

/** `count` more jobs named `PREFIX-i` in research-spot, each running `duration`. */
async function submitMany(prefix: string, count: number, duration = '1h'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1)
    ids.push(
      await submit(`${prefix}-${i}`, {
        containerOverrides: { environment: [{ name: 'LABOPS_SIM_DURATION', value: duration }] },
      }),
    );
  return ids;
}

describe('ListJobs', () => {
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ListJobs.html (jobStatus)
  // "If the filters parameter is specified, the jobStatus parameter is ignored and jobs with any
  // status are returned. If you don't specify a status, only RUNNING jobs are returned."
  it.each<[string, Partial<ListJobsCommandInput>, string[]]>([
    ['neither jobStatus nor filters: RUNNING only', {}, ['first']],
    ['jobStatus PENDING', { jobStatus: 'PENDING' }, ['second']],
    ['a filter: any status', { filters: [{ name: 'JOB_NAME', values: ['*'] }] }, ['second', 'first']],
  ])('lists %s', async (_case, input, names) => {
    const [first] = await submitMany('first', 1);
    await submit('second', { dependsOn: [{ jobId: first! }] });
    await sim.control.advance('120s');

    const listed = await batch.send(new ListJobsCommand({ jobQueue: 'research-spot', ...input }));

    expect(listed.jobSummaryList?.map((j) => j.jobName?.replace(/-\d+$/, ''))).toEqual(names);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ListJobs.html (maxResults)
  // "The minimum value is 1. When --job-status is used, Batch returns up to 1000 values. When
  // --filters is used, Batch returns up to 100 values. If neither parameter is used, then ListJobs
  // returns up to 1000 results (jobs that are in the RUNNING status) and a nextToken value, if
  // applicable."
  it.each<[string, Partial<ListJobsCommandInput>, [number, boolean]]>([
    [
      'filters, maxResults 500: a page of 100',
      { filters: [{ name: 'JOB_NAME', values: ['sweep*'] }], maxResults: 500 },
      [100, true],
    ],
    ['filters, no maxResults: a page of 100', { filters: [{ name: 'JOB_NAME', values: ['sweep*'] }] }, [100, true]],
    ['filters, maxResults 40', { filters: [{ name: 'JOB_NAME', values: ['sweep*'] }], maxResults: 40 }, [40, true]],
    ['jobStatus, maxResults 1000: every job', { jobStatus: 'SUBMITTED', maxResults: 1000 }, [150, false]],
  ])('pages 150 jobs: %s', async (_case, input, [size, more]) => {
    await submitMany('sweep', 150);

    const page = await batch.send(new ListJobsCommand({ jobQueue: 'research-spot', ...input }));

    expect([page.jobSummaryList?.length, page.nextToken !== undefined]).toEqual([size, more]);
  });

  // Same page and sentence: pages of 100 with a nextToken reach every job.
  it('reaches every job through nextToken', async () => {
    await submitMany('sweep', 150);

    const names: string[] = [];
    for await (const page of paginateListJobs(
      { client: batch },
      { jobQueue: 'research-spot', filters: [{ name: 'JOB_NAME', values: ['sweep*'] }] },
    )) {
      names.push(...(page.jobSummaryList ?? []).map((j) => j.jobName ?? ''));
    }

    expect(new Set(names).size).toBe(150);
  });

  // Same page and sentence: "The minimum value is 1."
  it('refuses maxResults 0', async () => {
    expect(await failure(batch.send(new ListJobsCommand({ jobQueue: 'research-spot', maxResults: 0 })))).toEqual([
      'ClientException',
      400,
    ]);
  });
});

describe('SubmitJob to a job queue', () => {
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_SubmitJob.html (Errors)
  // "ClientException: These errors are usually caused by a client action. ... Another cause is
  // specifying an identifier that's not valid. HTTP Status Code: 400". A new account has no job
  // queue: one must be created (CreateJobQueue) before a job is submitted to it. The message's
  // wording is not documented; the sim says "Job queue NAME does not exist."
  it.each([
    ['a queue the account never created', 'imaging', 'us-east-1'],
    ['a queue that exists only in another Region', 'research-spot', 'us-west-2'],
  ])('answers ClientException 400 for %s', async (_case, jobQueue, region) => {
    const other = sim.batch(region);
    await other.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'analysis',
        type: 'container',
        containerProperties: {
          image: 'public.ecr.aws/lab/analysis:1',
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '2048' },
          ],
        },
      }),
    );

    const result = await failure(
      other.send(new SubmitJobCommand({ jobName: 'align', jobQueue, jobDefinition: 'analysis' })),
    );

    expect(result).toEqual(['ClientException', 400]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobQueueDetail.html (state)
  // "If the job queue state is ENABLED, it can accept jobs. If the job queue state is DISABLED,
  // new jobs can't be added to the queue, but jobs already in the queue can finish."
  it('refuses new jobs in a DISABLED queue and lets the jobs already in it finish', async () => {
    const [running] = await submitMany('running', 1, '10m');
    await sim.control.advance('120s');

    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'research-spot', state: 'DISABLED' }));
    const refused = await failure(submit('late'));
    await sim.control.advance('15m');
    const done = await batch.send(new DescribeJobsCommand({ jobs: [running!] }));

    expect(refused).toEqual(['ClientException', 400]);
    expect(done.jobs?.[0]?.status).toBe('SUCCEEDED');
  });
});

/** A MANAGED EC2 (or Fargate) compute environment named `name`. */
function environment(
  name: string,
  extra: Partial<CreateComputeEnvironmentCommandInput> = {},
): CreateComputeEnvironmentCommand {
  return new CreateComputeEnvironmentCommand({
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: {
      type: 'EC2',
      maxvCpus: 64,
      subnets: ['subnet-0a1b2c3d4e5f60718'],
      securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
      instanceTypes: ['optimal'],
    },
    ...extra,
  });
}

async function ceStatus(name: string): Promise<string> {
  const ce = (await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [name] })))
    .computeEnvironments?.[0];
  return ce === undefined ? 'gone' : `${ce.state} ${ce.status}`;
}

async function queueStatus(name: string): Promise<string> {
  const queue = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [name] }))).jobQueues?.[0];
  return queue === undefined ? 'gone' : `${queue.state} ${queue.status}`;
}

describe('compute environments and job queues', () => {
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeEnvironmentDetail.html (status)
  // "The current status of the compute environment (for example, CREATING or VALID)."
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobQueueDetail.html (status)
  // "The status of the job queue (for example, CREATING or VALID)."
  it('are CREATING, then VALID', async () => {
    await batch.send(environment('imaging-ce'));
    const ceCreating = await ceStatus('imaging-ce');
    await sim.control.advance('60s');
    const ceValid = await ceStatus('imaging-ce');
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'imaging',
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'imaging-ce' }],
      }),
    );
    const queueCreating = await queueStatus('imaging');
    await sim.control.advance('60s');

    expect([ceCreating, ceValid, queueCreating, await queueStatus('imaging')]).toEqual([
      'ENABLED CREATING',
      'ENABLED VALID',
      'ENABLED CREATING',
      'ENABLED VALID',
    ]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html (computeEnvironmentOrder)
  // "Compute environments must be in the VALID state before you can associate them with a job
  // queue. You can associate up to three compute environments with a job queue. All of the
  // compute environments must be either EC2 (EC2 or SPOT) or Fargate (FARGATE or FARGATE_SPOT);
  // EC2 and Fargate compute environments can't be mixed."
  it.each<[string, ComputeEnvironmentOrder[], string]>([
    [
      'three VALID EC2 compute environments',
      [1, 2, 3].map((order) => ({ order, computeEnvironment: `ce-${order}` })),
      'accepted',
    ],
    ['a compute environment still CREATING', [{ order: 1, computeEnvironment: 'ce-late' }], 'ClientException'],
    ['a compute environment that does not exist', [{ order: 1, computeEnvironment: 'ce-none' }], 'ClientException'],
    [
      'four compute environments',
      [1, 2, 3, 4].map((order) => ({ order, computeEnvironment: `ce-${order}` })),
      'ClientException',
    ],
    [
      'EC2 and Fargate mixed',
      [
        { order: 1, computeEnvironment: 'ce-1' },
        { order: 2, computeEnvironment: 'ce-fargate' },
      ],
      'ClientException',
    ],
  ])('CreateJobQueue with %s: %s', async (_case, computeEnvironmentOrder, outcome) => {
    for (const name of ['ce-1', 'ce-2', 'ce-3', 'ce-4']) await batch.send(environment(name));
    await batch.send(
      environment('ce-fargate', {
        computeResources: {
          type: 'FARGATE',
          maxvCpus: 64,
          subnets: ['subnet-0a1b2c3d4e5f60718'],
          securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
        },
      }),
    );
    await sim.control.advance('60s');
    await batch.send(environment('ce-late'));

    const result = await failure(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'imaging', priority: 1, computeEnvironmentOrder })),
    );

    expect(result[0]).toBe(outcome);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_DeleteJobQueue.html
  // "You must first disable submissions for a queue with the UpdateJobQueue operation. All jobs
  // in the queue are eventually terminated when you delete a job queue."
  it('deletes a job queue only once DISABLED, and terminates the jobs left in it', async () => {
    const [job] = await submitMany('left', 1);
    await sim.control.advance('120s');

    const enabled = await failure(batch.send(new DeleteJobQueueCommand({ jobQueue: 'research-spot' })));
    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'research-spot', state: 'DISABLED' }));
    const disabled = await failure(batch.send(new DeleteJobQueueCommand({ jobQueue: 'research-spot' })));
    const deleting = await queueStatus('research-spot');
    await sim.control.advance('10m');
    const after = await batch.send(new DescribeJobsCommand({ jobs: [job!] }));

    expect([enabled[0], disabled[0], deleting, await queueStatus('research-spot')]).toEqual([
      'ClientException',
      'accepted',
      'DISABLED DELETING',
      'gone',
    ]);
    expect(after.jobs?.[0]?.status).toBe('FAILED');
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_DeleteComputeEnvironment.html
  // "Before you can delete a compute environment, you must set its state to DISABLED with the
  // UpdateComputeEnvironment API operation and disassociate it from any job queues with the
  // UpdateJobQueue API operation."
  it('deletes a compute environment only once DISABLED and in no job queue', async () => {
    await batch.send(environment('spare-ce'));
    await sim.control.advance('60s');

    const enabled = await failure(
      batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'research-spot-ce' })),
    );
    await batch.send(
      new UpdateComputeEnvironmentCommand({ computeEnvironment: 'research-spot-ce', state: 'DISABLED' }),
    );
    const inQueue = await failure(
      batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'research-spot-ce' })),
    );
    await batch.send(
      new UpdateJobQueueCommand({
        jobQueue: 'research-spot',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'spare-ce' }],
      }),
    );
    const free = await failure(
      batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'research-spot-ce' })),
    );
    const deleting = await ceStatus('research-spot-ce');
    await sim.control.advance('10m');

    expect([enabled[0], inQueue[0], free[0], deleting, await ceStatus('research-spot-ce')]).toEqual([
      'ClientException',
      'ClientException',
      'accepted',
      'DISABLED DELETING',
      'gone',
    ]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeEnvironmentDetail.html (state)
  // "If the state is DISABLED, then the Batch scheduler doesn't attempt to place jobs within the
  // environment. Jobs in a STARTING or RUNNING state continue to progress normally."
  it('places no job on a DISABLED compute environment until it is ENABLED again; a running job goes on', async () => {
    const [running] = await submitMany('running', 1, '2h');
    await sim.control.advance('120s');
    await batch.send(
      new UpdateComputeEnvironmentCommand({ computeEnvironment: 'research-spot-ce', state: 'DISABLED' }),
    );
    const [waiting] = await submitMany('waiting', 1);

    await sim.control.advance('30m');
    const held = await batch.send(new DescribeJobsCommand({ jobs: [running!, waiting!] }));
    await batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: 'research-spot-ce', state: 'ENABLED' }));
    await sim.control.advance('5m');
    const placed = await batch.send(new DescribeJobsCommand({ jobs: [waiting!] }));

    expect(held.jobs?.map((j) => j.status)).toEqual(['RUNNING', 'RUNNABLE']);
    expect(placed.jobs?.[0]?.status).toBe('RUNNING');
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable_invalid_ce.html
  // "All compute environments are invalid." "statusReason message while the job is stuck:
  // ACTION_REQUIRED - CE(s) associated with the job queue are invalid." (A compute environment
  // turns INVALID on AWS's side; the sim's /_sim/batch-status stands in for that.)
  it('holds a job RUNNABLE with the documented reason while every compute environment of its queue is INVALID', async () => {
    await sim.control.request('POST', 'batch-status', {
      region: 'us-east-1',
      computeEnvironment: 'research-spot-ce',
      status: 'INVALID',
      statusReason: 'CLIENT_ERROR - the service role was deleted',
    });
    const [stuck] = await submitMany('stuck', 1);

    await sim.control.advance('30m');
    const job = (await batch.send(new DescribeJobsCommand({ jobs: [stuck!] }))).jobs?.[0];

    expect([job?.status, job?.statusReason]).toEqual([
      'RUNNABLE',
      'ACTION_REQUIRED - CE(s) associated with the job queue are invalid.',
    ]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_DescribeJobQueues.html (maxResults)
  // "This value can be between 1 and 100. If this parameter isn't used, then DescribeJobQueues
  // returns up to 100 results and a nextToken value if applicable."
  it.each([
    [100, 'accepted'],
    [101, 'ClientException'],
  ])('DescribeJobQueues with maxResults %i: %s', async (maxResults, outcome) => {
    expect((await failure(batch.send(new DescribeJobQueuesCommand({ maxResults }))))[0]).toBe(outcome);
  });
});
