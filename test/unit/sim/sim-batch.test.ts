import { describe, expect, it } from 'vitest';
import { batchHarness, START } from './sim-batch-harness.js';
import { SimError } from '../../../reconciler/src/sim/core/contract.js';

/** Batch handlers over an in-memory state, with a clock the test moves. */
function harness() {
  const { state, call, advance } = batchHarness({ queues: ['research-spot', 'research-ondemand', 'gpu-queue'] });
  function register(env: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
    return call('RegisterJobDefinition', {
      jobDefinitionName: 'analysis',
      type: 'container',
      containerProperties: {
        image: 'public.ecr.aws/lab/analysis:1',
        command: ['run.sh'],
        resourceRequirements: [
          { type: 'VCPU', value: '2' },
          { type: 'MEMORY', value: '8192' },
        ],
        environment: Object.entries(env).map(([name, value]) => ({ name, value })),
      },
      ...extra,
    }).jobDefinitionArn as string;
  }
  function submit(extra: Record<string, unknown> = {}): string {
    return call('SubmitJob', { jobName: 'align', jobQueue: 'research-spot', jobDefinition: 'analysis', ...extra })
      .jobId as string;
  }
  function job(jobId: string): Record<string, any> | undefined {
    return call('DescribeJobs', { jobs: [jobId] }).jobs[0];
  }
  return { state, call, advance, register, submit, job };
}

function env(vars: Record<string, string>): Record<string, unknown> {
  return { containerOverrides: { environment: Object.entries(vars).map(([name, value]) => ({ name, value })) } };
}

function errorOf(fn: () => unknown): SimError | undefined {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof SimError) return err;
    throw err;
  }
  return undefined;
}

describe('Batch job definitions and queues', () => {
  it('numbers revisions per name and resolves a bare name to the latest ACTIVE one', () => {
    const sim = harness();

    sim.register();
    const second = sim.register();
    sim.call('DeregisterJobDefinition', { jobDefinition: 'analysis:2' });
    const listed = sim.call('DescribeJobDefinitions', { jobDefinitionName: 'analysis' });
    const jobId = sim.submit();

    expect(second).toBe('arn:aws:batch:us-east-1:123456789012:job-definition/analysis:2');
    expect(listed.jobDefinitions.map((d: any) => [d.revision, d.status])).toEqual([
      [1, 'ACTIVE'],
      [2, 'INACTIVE'],
    ]);
    expect(sim.job(jobId)?.jobDefinition).toBe('arn:aws:batch:us-east-1:123456789012:job-definition/analysis:1');
  });

  it('starts an account with no job queue and no compute environment', () => {
    const { call } = batchHarness();

    const queues = call('DescribeJobQueues', {}).jobQueues;
    const environments = call('DescribeComputeEnvironments', {}).computeEnvironments;

    expect([queues, environments]).toEqual([[], []]);
  });

  it('lists created queues in creation order, each with its compute environment ARN', () => {
    const sim = harness();

    const queues = sim.call('DescribeJobQueues', {}).jobQueues;

    expect(
      queues.map((q: any) => [
        q.jobQueueName,
        q.state,
        q.status,
        q.computeEnvironmentOrder.map((o: any) => o.computeEnvironment),
      ]),
    ).toEqual([
      [
        'research-spot',
        'ENABLED',
        'VALID',
        ['arn:aws:batch:us-east-1:123456789012:compute-environment/research-spot-ce'],
      ],
      [
        'research-ondemand',
        'ENABLED',
        'VALID',
        ['arn:aws:batch:us-east-1:123456789012:compute-environment/research-ondemand-ce'],
      ],
      ['gpu-queue', 'ENABLED', 'VALID', ['arn:aws:batch:us-east-1:123456789012:compute-environment/gpu-queue-ce']],
    ]);
  });

  it.each([
    ['an unknown queue', { jobQueue: 'nope' }],
    ['an inactive revision', { jobDefinition: 'analysis:2' }],
    ['an array of one', { arrayProperties: { size: 1 } }],
    ['an array over 10,000', { arrayProperties: { size: 10_001 } }],
    ['11 attempts', { retryStrategy: { attempts: 11 } }],
    ['a 59 s timeout', { timeout: { attemptDurationSeconds: 59 } }],
    ['an unknown dependency', { dependsOn: [{ jobId: 'no-such-job' }] }],
    ['a bad duration control', env({ LABOPS_SIM_DURATION: 'soon' })],
    ['a DISABLED queue', { jobQueue: 'closed' }],
  ])('refuses SubmitJob with %s', (_name, extra) => {
    const sim = harness();
    sim.call('CreateJobQueue', {
      jobQueueName: 'closed',
      state: 'DISABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'gpu-queue-ce' }],
    });
    sim.register();
    sim.register();
    sim.call('DeregisterJobDefinition', { jobDefinition: 'analysis:2' });

    const error = errorOf(() => sim.submit(extra));

    expect([error?.code, error?.status]).toEqual(['ClientException', 400]);
  });
});

describe('Batch job lifecycle', () => {
  it.each([
    [5, 'SUBMITTED'],
    [15, 'RUNNABLE'],
    [45, 'STARTING'],
    [61, 'RUNNING'],
    [60 + 90 * 60 + 1, 'SUCCEEDED'],
  ])('after %i s a 90 minute job is %s', (seconds, status) => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '90m' });
    const jobId = sim.submit();

    sim.advance(seconds);

    expect(sim.job(jobId)?.status).toBe(status);
  });

  // The job's tags do not reach its instance: the usage carries the compute environment's computeResources.tags (none here).
  it('records times, exit code and a usage segment: its vCPU share of the cheapest optimal type that fits', () => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '90m' });
    const jobId = sim.submit({ tags: { 'labops:project': 'neuro-lab' } });

    sim.advance(3 * 3600);
    const job = sim.job(jobId);

    const created = Date.parse(START);
    expect([job?.createdAt, job?.startedAt, job?.stoppedAt]).toEqual([
      created,
      created + 60_000,
      created + 60_000 + 5_400_000,
    ]);
    expect(job?.container.exitCode).toBe(0);
    expect(sim.state.usage).toEqual([
      {
        resourceId: jobId,
        service: 'Amazon Elastic Compute Cloud - Compute',
        usageType: 'BoxUsage:m6i.large',
        region: 'us-east-1',
        tags: {},
        start: '2026-11-02T09:01:00.000Z',
        end: '2026-11-02T10:31:00.000Z',
        hourlyUSD: 0.096,
      },
    ]);
  });

  it('lists only RUNNING jobs when ListJobs has no status and no filters', () => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '1h' });
    const running = sim.submit();
    sim.advance(120);
    sim.submit({ jobName: 'later' });

    const byDefault = sim.call('ListJobs', { jobQueue: 'research-spot' }).jobSummaryList;
    const submitted = sim.call('ListJobs', { jobQueue: 'research-spot', jobStatus: 'SUBMITTED' }).jobSummaryList;

    expect(byDefault.map((j: any) => j.jobId)).toEqual([running]);
    expect(submitted.map((j: any) => j.jobName)).toEqual(['later']);
  });

  it.each([
    ['SUBMITTED', 1, 'FAILED'],
    ['RUNNABLE', 15, 'FAILED'],
    ['STARTING', 45, 'STARTING'],
    ['RUNNING', 120, 'RUNNING'],
  ])('CancelJob on a %s job leaves it %s', (_state, seconds, after) => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '1h' });
    const jobId = sim.submit();
    sim.advance(seconds);

    const answer = sim.call('CancelJob', { jobId, reason: 'not needed' });

    expect(answer).toEqual({});
    expect(sim.job(jobId)?.status).toBe(after);
  });

  it('TerminateJob fails a RUNNING job and closes its usage', () => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '1h' });
    const jobId = sim.submit();
    sim.advance(600);

    sim.call('TerminateJob', { jobId, reason: 'over budget' });

    expect([sim.job(jobId)?.status, sim.job(jobId)?.statusReason]).toEqual(['FAILED', 'over budget']);
    expect(sim.state.usage[0]?.end).toBe('2026-11-02T09:10:00.000Z');
  });

  const exitOn2 = [{ onExitCode: '2', action: 'exit' }];
  it.each([
    ['1,1,0', 3, 'SUCCEEDED', 3, []],
    ['1,1,0', 2, 'FAILED', 2, []],
    ['1', 1, 'FAILED', 1, []],
    ['1,2,0', 3, 'FAILED', 2, exitOn2],
    ['1,3,0', 3, 'SUCCEEDED', 3, exitOn2],
  ])(
    'with exit codes %s and %i attempts ends %s after %i attempts (evaluateOnExit %j)',
    (codes, attempts, status, made, evaluateOnExit) => {
      const sim = harness();
      sim.register({ LABOPS_SIM_DURATION: '10m' });
      const jobId = sim.submit({
        retryStrategy: { attempts, evaluateOnExit },
        ...env({ LABOPS_SIM_EXIT_CODE: codes }),
      });

      sim.advance(3 * 3600);
      const job = sim.job(jobId);

      expect([job?.status, job?.attempts.length]).toEqual([status, made]);
      expect(job?.attempts.map((a: any) => a.container.exitCode)).toEqual(codes.split(',').map(Number).slice(0, made));
    },
  );

  it('fails an attempt that outlives its timeout and does not retry it', () => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '2h' });
    const jobId = sim.submit({ timeout: { attemptDurationSeconds: 3600 }, retryStrategy: { attempts: 3 } });

    sim.advance(4 * 3600);
    const job = sim.job(jobId);

    expect([job?.status, job?.statusReason, job?.attempts.length]).toEqual([
      'FAILED',
      'Job attempt duration exceeded timeout',
      1,
    ]);
    expect(job?.stoppedAt - job?.startedAt).toBe(3_600_000);
  });

  it('forgets a finished job 7 days after it stopped', () => {
    const sim = harness();
    sim.register({ LABOPS_SIM_DURATION: '1h' });
    const jobId = sim.submit();
    sim.advance(7 * 86400);
    const kept = sim.job(jobId)?.status;

    sim.advance(3600 + 120);

    expect(kept).toBe('SUCCEEDED');
    expect(sim.job(jobId)).toBeUndefined();
  });
});
