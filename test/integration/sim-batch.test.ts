import {
  CancelJobCommand,
  CreateJobQueueCommand,
  DeregisterJobDefinitionCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  ListTagsForResourceCommand,
  paginateListJobs,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import type { BatchClient, JobDetail, SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labQueues, startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let batch: BatchClient;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, queues: labQueues('us-east-1') });
  batch = sim.batch();
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'analysis',
      type: 'container',
      containerProperties: {
        image: 'public.ecr.aws/lab/analysis:1',
        resourceRequirements: [
          { type: 'VCPU', value: '2' },
          { type: 'MEMORY', value: '8192' },
        ],
      },
    }),
  );
});
afterEach(async () => {
  await sim.close();
});

function submit(
  name: string,
  vars: Record<string, string> = {},
  extra: Partial<SubmitJobCommandInput> = {},
): Promise<string> {
  const environment = Object.entries(vars).map(([key, value]) => ({ name: key, value }));
  return batch
    .send(
      new SubmitJobCommand({
        jobName: name,
        jobQueue: 'research-spot',
        jobDefinition: 'analysis',
        containerOverrides: { environment },
        ...extra,
      }),
    )
    .then((out) => out.jobId ?? '');
}

async function job(jobId: string): Promise<JobDetail | undefined> {
  return (await batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
}

async function errorOf(promise: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await promise;
  } catch (err: unknown) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode];
  }
  throw new Error('expected the call to fail');
}

describe('Batch definitions and queues', () => {
  it('registers revisions, describes them and deregisters one', async () => {
    const second = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'analysis',
        type: 'container',
        containerProperties: { image: 'lab/analysis:2' },
      }),
    );

    await batch.send(new DeregisterJobDefinitionCommand({ jobDefinition: 'analysis:1' }));
    const active = await batch.send(
      new DescribeJobDefinitionsCommand({ jobDefinitionName: 'analysis', status: 'ACTIVE' }),
    );

    expect([second.revision, second.jobDefinitionArn]).toEqual([
      2,
      'arn:aws:batch:us-east-1:123456789012:job-definition/analysis:2',
    ]);
    expect(active.jobDefinitions?.map((d) => d.revision)).toEqual([2]);
  });

  it('describes the queues the account has and creates another (CREATING at first)', async () => {
    const created = await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'imaging',
        priority: 5,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'research-spot-ce' }],
      }),
    );

    const queues = await batch.send(new DescribeJobQueuesCommand({}));
    const duplicate = await errorOf(
      batch.send(
        new CreateJobQueueCommand({
          jobQueueName: 'imaging',
          priority: 5,
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'x' }],
        }),
      ),
    );

    expect(created.jobQueueArn).toBe('arn:aws:batch:us-east-1:123456789012:job-queue/imaging');
    expect(queues.jobQueues?.map((q) => [q.jobQueueName, q.state, q.status])).toEqual([
      ['research-spot', 'ENABLED', 'VALID'],
      ['research-ondemand', 'ENABLED', 'VALID'],
      ['gpu-queue', 'ENABLED', 'VALID'],
      ['imaging', 'ENABLED', 'CREATING'],
    ]);
    expect(duplicate).toEqual(['ClientException', 400]);
  });
});

describe('Batch jobs over the wire', () => {
  it.each([
    ['an unknown queue', { jobQueue: 'no-such-queue' }],
    ['an unknown definition', { jobDefinition: 'no-such-definition' }],
    ['a timeout under 60 s', { timeout: { attemptDurationSeconds: 30 } }],
  ])('answers ClientException 400 to SubmitJob with %s', async (_name, extra) => {
    expect(await errorOf(submit('bad', {}, extra))).toEqual(['ClientException', 400]);
  });

  it('refuses DescribeJobs over 100 ids and leaves unknown ids out', async () => {
    const jobId = await submit('one');

    const tooMany = await errorOf(
      batch.send(new DescribeJobsCommand({ jobs: Array.from({ length: 101 }, (_, i) => `job-${i}`) })),
    );
    const known = await batch.send(new DescribeJobsCommand({ jobs: [jobId, 'no-such-job'] }));

    expect(tooMany).toEqual(['ClientException', 400]);
    expect(known.jobs?.map((j) => j.jobId)).toEqual([jobId]);
  });

  it('runs a job to SUCCEEDED with epoch-millisecond times and tags', async () => {
    const jobId = await submit('align', { LABOPS_SIM_DURATION: '90m' }, { tags: { 'labops:project': 'neuro-lab' } });

    await sim.control.advance('2h');
    const done = await job(jobId);
    const tags = await batch.send(new ListTagsForResourceCommand({ resourceArn: done?.jobArn }));

    expect([done?.status, done?.container?.exitCode]).toEqual(['SUCCEEDED', 0]);
    expect((done?.stoppedAt ?? 0) - (done?.startedAt ?? 0)).toBe(90 * 60_000);
    expect(done?.createdAt).toBe(Date.parse('2026-09-01T08:00:00Z'));
    expect(tags.tags).toEqual({ 'labops:project': 'neuro-lab' });
  });

  it('lists only RUNNING jobs by default and pages with the SDK paginator', async () => {
    for (let i = 0; i < 3; i++) await submit(`run-${i}`, { LABOPS_SIM_DURATION: '1h' });
    await sim.control.advance('5m');
    await submit('waiting');

    const byDefault = await batch.send(new ListJobsCommand({ jobQueue: 'research-spot' }));
    const pages = [];
    for await (const page of paginateListJobs(
      { client: batch, pageSize: 2 },
      { jobQueue: 'research-spot', filters: [{ name: 'JOB_NAME', values: ['run-*'] }] },
    ))
      pages.push(page.jobSummaryList?.length);

    expect(byDefault.jobSummaryList?.map((j) => j.jobName)).toEqual(['run-2', 'run-1', 'run-0']);
    expect(pages).toEqual([2, 1]);
  });

  it.each([
    ['RUNNABLE', '15s', 'FAILED'],
    ['RUNNING', '5m', 'RUNNING'],
  ])('CancelJob on a %s job leaves it %s', async (_state, wait, after) => {
    const jobId = await submit('cancel-me', { LABOPS_SIM_DURATION: '1h' });
    await sim.control.advance(wait);

    await batch.send(new CancelJobCommand({ jobId, reason: 'not needed' }));

    expect((await job(jobId))?.status).toBe(after);
  });

  it('TerminateJob fails a RUNNING job with the given reason', async () => {
    const jobId = await submit('stop-me', { LABOPS_SIM_DURATION: '1h' });
    await sim.control.advance('5m');

    await batch.send(new TerminateJobCommand({ jobId, reason: 'over budget' }));

    expect([(await job(jobId))?.status, (await job(jobId))?.statusReason]).toEqual(['FAILED', 'over budget']);
  });

  it('counts array children in statusSummary and fails the parent when one fails', async () => {
    const parent = await submit(
      'sweep',
      { LABOPS_SIM_DURATION: '20m', LABOPS_SIM_FAILING_INDEXES: '2' },
      { arrayProperties: { size: 4 } },
    );
    await sim.control.advance('5m');
    const during = await job(parent);

    await sim.control.advance('1h');
    const after = await job(parent);
    const children = await batch.send(new ListJobsCommand({ arrayJobId: parent, jobStatus: 'SUCCEEDED' }));

    expect([during?.status, during?.arrayProperties?.statusSummary?.RUNNING]).toEqual(['PENDING', 4]);
    expect([after?.status, after?.arrayProperties?.statusSummary]).toEqual([
      'FAILED',
      expect.objectContaining({ SUCCEEDED: 3, FAILED: 1 }),
    ]);
    expect(children.jobSummaryList?.map((c) => c.arrayProperties?.index)).toEqual([0, 1, 3]);
  });

  it('runs dependents after their dependency and fails them when it fails', async () => {
    const first = await submit('prepare', { LABOPS_SIM_DURATION: '30m' });
    const second = await submit('analyse', { LABOPS_SIM_DURATION: '30m' }, { dependsOn: [{ jobId: first }] });
    const broken = await submit('broken', { LABOPS_SIM_DURATION: '10m', LABOPS_SIM_EXIT_CODE: '3' });
    const orphan = await submit('orphan', {}, { dependsOn: [{ jobId: broken }] });

    await sim.control.advance('20m');
    const waiting = (await job(second))?.status;
    await sim.control.advance('2h');

    expect(waiting).toBe('PENDING');
    expect((await job(second))?.startedAt).toBeGreaterThan((await job(first))?.stoppedAt ?? 0);
    expect([(await job(orphan))?.status, (await job(orphan))?.statusReason]).toEqual([
      'FAILED',
      'Dependent Job failed',
    ]);
  });

  it('retries up to the attempts allowed and records each attempt', async () => {
    const jobId = await submit(
      'flaky',
      { LABOPS_SIM_DURATION: '10m', LABOPS_SIM_EXIT_CODE: '1,1,0' },
      { retryStrategy: { attempts: 3 } },
    );

    await sim.control.advance('2h');
    const done = await job(jobId);

    expect(done?.status).toBe('SUCCEEDED');
    expect(done?.attempts?.map((a) => a.container?.exitCode)).toEqual([1, 1, 0]);
  });

  it('fails a job whose attempt outlives its timeout', async () => {
    const jobId = await submit('slow', { LABOPS_SIM_DURATION: '3h' }, { timeout: { attemptDurationSeconds: 3600 } });

    await sim.control.advance('4h');

    expect([(await job(jobId))?.status, (await job(jobId))?.statusReason]).toEqual([
      'FAILED',
      'Job attempt duration exceeded timeout',
    ]);
  });

  it('forgets finished jobs 7 days after they stopped', async () => {
    const jobId = await submit('old', { LABOPS_SIM_DURATION: '1h' });
    await sim.control.advance('2h');
    const kept = (await job(jobId))?.status;

    await sim.control.advance('168h');

    expect(kept).toBe('SUCCEEDED');
    expect(await job(jobId)).toBeUndefined();
  });
});
