import { describe, expect, it } from 'vitest';
import {
  COMPUTE_ENVIRONMENT_CREATE_SECONDS,
  DELETE_SECONDS,
  JOB_QUEUE_CREATE_SECONDS,
  UPDATE_SECONDS,
} from '../../../reconciler/src/sim/batch/compute.js';
import { QUEUE_DELETED_REASON } from '../../../reconciler/src/sim/batch/advance.js';
import { INVALID_CE_REASON } from '../../../reconciler/src/sim/batch/lifecycle.js';
import { setBatchStatus } from '../../../reconciler/src/sim/batch/status-control.js';
import { SimError } from '../../../reconciler/src/sim/core/contract.js';
import type { SimContext } from '../../../reconciler/src/sim/core/contract.js';
import { batchHarness } from './sim-batch-harness.js';

const RESOURCES = {
  type: 'EC2',
  maxvCpus: 64,
  subnets: ['subnet-0a1b2c3d4e5f60718'],
  securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
};
const FARGATE = {
  type: 'FARGATE',
  maxvCpus: 64,
  subnets: ['subnet-0a1b2c3d4e5f60718'],
  securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
};

/** A fresh account, its calls, and helpers to read statuses and errors. */
function account() {
  const h = batchHarness();
  const environment = (name: string, extra: Record<string, unknown> = {}): void => {
    h.call('CreateComputeEnvironment', {
      computeEnvironmentName: name,
      type: 'MANAGED',
      computeResources: RESOURCES,
      ...extra,
    });
  };
  const ceStatus = (name: string): string[] => {
    const ce = h.call('DescribeComputeEnvironments', { computeEnvironments: [name] }).computeEnvironments[0];
    return ce === undefined ? ['gone'] : [ce.state, ce.status];
  };
  const queueStatus = (name: string): string[] => {
    const q = h.call('DescribeJobQueues', { jobQueues: [name] }).jobQueues[0];
    return q === undefined ? ['gone'] : [q.state, q.status];
  };
  const error = (op: string, input: Record<string, unknown>): string => {
    try {
      h.call(op, input);
    } catch (err: unknown) {
      if (err instanceof SimError) return `${err.code} ${err.status}`;
      throw err;
    }
    return 'accepted';
  };
  /** Two VALID compute environments `a` and `b` and a VALID, ENABLED queue `q` on `a`. */
  const ready = (): void => {
    environment('a');
    environment('b');
    h.advance(COMPUTE_ENVIRONMENT_CREATE_SECONDS);
    h.call('CreateJobQueue', {
      jobQueueName: 'q',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'a' }],
    });
    h.advance(JOB_QUEUE_CREATE_SECONDS);
    h.call('RegisterJobDefinition', {
      jobDefinitionName: 'step',
      type: 'container',
      containerProperties: {
        image: 'lab/step:1',
        vcpus: 1,
        memory: 2048,
        environment: [{ name: 'LABOPS_SIM_DURATION', value: '1h' }],
      },
    });
  };
  const submit = (): string =>
    h.call('SubmitJob', { jobName: 'one', jobQueue: 'q', jobDefinition: 'step' }).jobId as string;
  const job = (jobId: string): Record<string, any> => h.call('DescribeJobs', { jobs: [jobId] }).jobs[0];
  const control = (body: unknown): unknown => {
    const ctx: SimContext = {
      state: h.state,
      now: h.now(),
      random: () => 0.5,
      config: { accountId: '123456789012', seed: 1, costLagHours: 8 },
      region: 'us-east-1',
    };
    return setBatchStatus(body, ctx);
  };
  return { ...h, environment, ceStatus, queueStatus, error, ready, submit, job, control };
}

describe('Batch compute environments', () => {
  it('is CREATING, then VALID, ENABLED unless created DISABLED', () => {
    const a = account();
    a.environment('on');
    a.environment('off', { state: 'DISABLED' });

    const creating = [a.ceStatus('on'), a.ceStatus('off')];
    a.advance(COMPUTE_ENVIRONMENT_CREATE_SECONDS);

    expect(creating).toEqual([
      ['ENABLED', 'CREATING'],
      ['DISABLED', 'CREATING'],
    ]);
    expect([a.ceStatus('on'), a.ceStatus('off')]).toEqual([
      ['ENABLED', 'VALID'],
      ['DISABLED', 'VALID'],
    ]);
  });

  it('is UPDATING for a while after an update, then VALID in its new state', () => {
    const a = account();
    a.ready();

    a.call('UpdateComputeEnvironment', {
      computeEnvironment: 'a',
      state: 'DISABLED',
      computeResources: { maxvCpus: 8 },
    });
    const updating = a.ceStatus('a');
    a.advance(UPDATE_SECONDS);

    expect(updating).toEqual(['DISABLED', 'UPDATING']);
    expect(a.ceStatus('a')).toEqual(['DISABLED', 'VALID']);
    expect(
      a.call('DescribeComputeEnvironments', { computeEnvironments: ['a'] }).computeEnvironments[0].computeResources
        .maxvCpus,
    ).toBe(8);
  });

  it.each([
    ['a taken name', { computeEnvironmentName: 'a', type: 'MANAGED', computeResources: RESOURCES }],
    ['an unknown type', { computeEnvironmentName: 'x', type: 'SHARED', computeResources: RESOURCES }],
    ['MANAGED without computeResources', { computeEnvironmentName: 'x', type: 'MANAGED' }],
    [
      'MANAGED without subnets',
      { computeEnvironmentName: 'x', type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4 } },
    ],
    [
      'minvCpus above maxvCpus',
      { computeEnvironmentName: 'x', type: 'MANAGED', computeResources: { ...RESOURCES, minvCpus: 128 } },
    ],
    ['UNMANAGED without a service role', { computeEnvironmentName: 'x', type: 'UNMANAGED' }],
    ['a bad state', { computeEnvironmentName: 'x', type: 'MANAGED', computeResources: RESOURCES, state: 'PAUSED' }],
  ])('refuses CreateComputeEnvironment with %s', (_case, input) => {
    const a = account();
    a.environment('a');

    expect(a.error('CreateComputeEnvironment', input)).toBe('ClientException 400');
  });

  it.each([
    [
      'ENABLED',
      (a: ReturnType<typeof account>) =>
        a.call('UpdateJobQueue', { jobQueue: 'q', computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'b' }] }),
      'a',
      'ClientException 400',
    ],
    [
      'in a queue, even DISABLED',
      (a: ReturnType<typeof account>) =>
        a.call('UpdateComputeEnvironment', { computeEnvironment: 'a', state: 'DISABLED' }),
      'a',
      'ClientException 400',
    ],
    [
      'DISABLED and in no queue',
      (a: ReturnType<typeof account>) =>
        a.call('UpdateComputeEnvironment', { computeEnvironment: 'b', state: 'DISABLED' }),
      'b',
      'accepted',
    ],
    ['unknown', () => undefined, 'nope', 'ClientException 400'],
  ])('DeleteComputeEnvironment of one %s: %s', (_case, arrange, name, outcome) => {
    const a = account();
    a.ready();
    arrange(a);

    expect(a.error('DeleteComputeEnvironment', { computeEnvironment: name })).toBe(outcome);
  });

  it('is DELETING after DeleteComputeEnvironment, then gone', () => {
    const a = account();
    a.ready();
    a.call('UpdateComputeEnvironment', { computeEnvironment: 'b', state: 'DISABLED' });

    a.call('DeleteComputeEnvironment', { computeEnvironment: 'b' });
    const deleting = a.ceStatus('b');
    a.advance(DELETE_SECONDS);

    expect(deleting).toEqual(['DISABLED', 'DELETING']);
    expect(a.ceStatus('b')).toEqual(['gone']);
  });
});

describe('Batch job queues', () => {
  it('is CREATING, then VALID', () => {
    const a = account();
    a.environment('a');
    a.advance(COMPUTE_ENVIRONMENT_CREATE_SECONDS);

    a.call('CreateJobQueue', {
      jobQueueName: 'q',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'a' }],
    });
    const creating = a.queueStatus('q');
    a.advance(JOB_QUEUE_CREATE_SECONDS);

    expect([creating, a.queueStatus('q')]).toEqual([
      ['ENABLED', 'CREATING'],
      ['ENABLED', 'VALID'],
    ]);
  });

  it('tries its compute environments in ascending order, whatever order they were given in', () => {
    const a = account();
    for (const name of ['a', 'b', 'c']) a.environment(name);
    a.advance(COMPUTE_ENVIRONMENT_CREATE_SECONDS);

    a.call('CreateJobQueue', {
      jobQueueName: 'q',
      priority: 1,
      computeEnvironmentOrder: [
        { order: 3, computeEnvironment: 'a' },
        { order: 1, computeEnvironment: 'b' },
        { order: 2, computeEnvironment: 'c' },
      ],
    });
    const order = a.call('DescribeJobQueues', { jobQueues: ['q'] }).jobQueues[0].computeEnvironmentOrder;

    expect(order.map((o: any) => [o.order, o.computeEnvironment.split('/').pop()])).toEqual([
      [1, 'b'],
      [2, 'c'],
      [3, 'a'],
    ]);
  });

  it.each([
    ['an unknown compute environment', [{ order: 1, computeEnvironment: 'nope' }]],
    ['a compute environment still CREATING', [{ order: 1, computeEnvironment: 'late' }]],
    ['no compute environment', []],
    [
      'four compute environments',
      [1, 2, 3, 4].map((order) => ({ order, computeEnvironment: ['a', 'b', 'c', 'd'][order - 1] })),
    ],
    [
      'two at one order',
      [
        { order: 1, computeEnvironment: 'a' },
        { order: 1, computeEnvironment: 'b' },
      ],
    ],
    [
      'EC2 and Fargate mixed',
      [
        { order: 1, computeEnvironment: 'a' },
        { order: 2, computeEnvironment: 'f' },
      ],
    ],
  ])('refuses CreateJobQueue with %s', (_case, order) => {
    const a = account();
    for (const name of ['a', 'b', 'c', 'd']) a.environment(name);
    a.environment('f', { computeResources: FARGATE });
    a.advance(COMPUTE_ENVIRONMENT_CREATE_SECONDS);
    a.environment('late');

    expect(a.error('CreateJobQueue', { jobQueueName: 'q', priority: 1, computeEnvironmentOrder: order })).toBe(
      'ClientException 400',
    );
  });

  it.each([
    ['ENABLED', [], 'ClientException 400'],
    ['DISABLED', [{ jobQueue: 'q', state: 'DISABLED' }], 'accepted'],
    ['unknown', [], 'ClientException 400'],
  ])('DeleteJobQueue of one %s: %s', (state, updates, outcome) => {
    const a = account();
    a.ready();
    for (const update of updates) a.call('UpdateJobQueue', update);

    expect(a.error('DeleteJobQueue', { jobQueue: state === 'unknown' ? 'nope' : 'q' })).toBe(outcome);
  });

  it('is DELETING after DeleteJobQueue, then gone with its unfinished jobs FAILED, freeing its compute environment', () => {
    const a = account();
    a.ready();
    const jobId = a.submit();
    a.advance(120);
    a.call('UpdateJobQueue', { jobQueue: 'q', state: 'DISABLED' });

    a.call('DeleteJobQueue', { jobQueue: 'q' });
    const deleting = a.queueStatus('q');
    const running = a.job(jobId).status;
    a.advance(DELETE_SECONDS);
    a.call('UpdateComputeEnvironment', { computeEnvironment: 'a', state: 'DISABLED' });

    expect([deleting, running]).toEqual([['DISABLED', 'DELETING'], 'RUNNING']);
    expect(a.queueStatus('q')).toEqual(['gone']);
    expect([a.job(jobId).status, a.job(jobId).statusReason]).toEqual(['FAILED', QUEUE_DELETED_REASON]);
    expect(a.error('DeleteComputeEnvironment', { computeEnvironment: 'a' })).toBe('accepted');
  });

  it('refuses SubmitJob to a DISABLED queue and accepts it again once ENABLED', () => {
    const a = account();
    a.ready();

    a.call('UpdateJobQueue', { jobQueue: 'q', state: 'DISABLED' });
    const disabled = a.error('SubmitJob', { jobName: 'one', jobQueue: 'q', jobDefinition: 'step' });
    a.call('UpdateJobQueue', { jobQueue: 'q', state: 'ENABLED' });

    expect([disabled, a.error('SubmitJob', { jobName: 'one', jobQueue: 'q', jobDefinition: 'step' })]).toEqual([
      'ClientException 400',
      'accepted',
    ]);
  });
});

describe('Batch job placement', () => {
  it.each([
    [
      'DISABLED',
      (a: ReturnType<typeof account>) =>
        a.call('UpdateComputeEnvironment', { computeEnvironment: 'a', state: 'DISABLED' }),
      undefined,
    ],
    [
      'INVALID',
      (a: ReturnType<typeof account>) =>
        a.control({ computeEnvironment: 'a', status: 'INVALID', statusReason: 'CLIENT_ERROR - role deleted' }),
      INVALID_CE_REASON,
    ],
  ])(
    'holds a job RUNNABLE while its only compute environment is %s, and runs it once it is back',
    (_case, arrange, reason) => {
      const a = account();
      a.ready();
      arrange(a);
      const jobId = a.submit();

      a.advance(3600);
      const held = [a.job(jobId).status, a.job(jobId).statusReason];
      a.call('UpdateComputeEnvironment', { computeEnvironment: 'a', state: 'ENABLED' });
      a.control({ computeEnvironment: 'a', status: 'VALID' });
      a.advance(UPDATE_SECONDS + 60);

      expect(held).toEqual(['RUNNABLE', reason]);
      expect(a.job(jobId).status).toBe('RUNNING');
    },
  );

  it('places a job on the next compute environment of the queue when the first is DISABLED', () => {
    const a = account();
    a.ready();
    a.call('UpdateJobQueue', {
      jobQueue: 'q',
      computeEnvironmentOrder: [
        { order: 1, computeEnvironment: 'a' },
        { order: 2, computeEnvironment: 'b' },
      ],
    });
    a.call('UpdateComputeEnvironment', { computeEnvironment: 'a', state: 'DISABLED' });
    const jobId = a.submit();

    a.advance(120);

    expect(a.job(jobId).status).toBe('RUNNING');
  });

  it('reports a compute environment made INVALID through /_sim/batch-status with its reason', () => {
    const a = account();
    a.ready();

    a.control({ computeEnvironment: 'a', status: 'INVALID', statusReason: 'CLIENT_ERROR - role deleted' });
    const ce = a.call('DescribeComputeEnvironments', { computeEnvironments: ['a'] }).computeEnvironments[0];

    expect([ce.status, ce.statusReason]).toEqual(['INVALID', 'CLIENT_ERROR - role deleted']);
  });
});

describe('a state saved before the sim kept compute environments', () => {
  it('keeps its queues placing jobs on the compute environments they name', () => {
    const h = batchHarness();
    const arn = 'arn:aws:batch:us-east-1:123456789012:compute-environment/research-spot-ce';
    h.state.batch = {
      jobs: {},
      definitions: [],
      queues: [
        {
          jobQueueName: 'research-spot',
          jobQueueArn: 'arn:aws:batch:us-east-1:123456789012:job-queue/research-spot',
          region: 'us-east-1',
          state: 'ENABLED',
          priority: 10,
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: arn }],
          tags: {},
        },
      ],
      seededRegions: ['us-east-1'],
    };
    h.call('RegisterJobDefinition', {
      jobDefinitionName: 'step',
      type: 'container',
      containerProperties: { image: 'lab/step:1', vcpus: 1, memory: 2048 },
    });

    const jobId = h.call('SubmitJob', { jobName: 'one', jobQueue: 'research-spot', jobDefinition: 'step' })
      .jobId as string;
    h.advance(120);

    expect(h.call('DescribeJobs', { jobs: [jobId] }).jobs[0].status).toBe('RUNNING');
    expect(
      h
        .call('DescribeComputeEnvironments', {})
        .computeEnvironments.map((ce: any) => [ce.computeEnvironmentArn, ce.state, ce.status]),
    ).toEqual([[arn, 'ENABLED', 'VALID']]);
    expect(h.state.batch).not.toHaveProperty('seededRegions');
  });
});
