/** planJobs against the job queues of a Job's Region: a queue that is missing, DISABLED or INVALID refuses the Job in one line. */
import { describe, expect, it } from 'vitest';
import type { ObservedJobQueue } from '../../../../reconciler/src/model/job.js';
import { planJobs } from '../../../../reconciler/src/kinds/job/plan.js';
import { job, queue, submitted } from './job-fixtures.js';
import { desired, observed } from '../workstation/plan-fixtures.js';

const AT = 'jobs/train.yaml:7:10';

describe('planJobs: the Job queue of its Region', () => {
  it.each<[string, Record<string, ObservedJobQueue[]> | undefined, string[], string[]]>([
    ['the queue exists, ENABLED and VALID', { 'us-east-1': [queue('research-spot')] }, ['submit-job train'], []],
    [
      'named by its ARN',
      {
        'us-east-1': [
          queue('other'),
          { ...queue('x'), arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/research-spot', name: 'research-spot' },
        ],
      },
      ['submit-job train'],
      [],
    ],
    ['queues not read (a desired-only plan)', undefined, ['submit-job train'], []],
    ['another Region read only', { 'us-west-2': [] }, ['submit-job train'], []],
    [
      'no queue in the Region',
      { 'us-east-1': [] },
      [],
      [
        `job-queue Job/train: ${AT}: job queue research-spot does not exist in us-east-1 (us-east-1 has no job queue); create it or name an existing one (spec.queue)`,
      ],
    ],
    [
      'only other queues',
      { 'us-east-1': [queue('gpu'), queue('deadline')] },
      [],
      [
        `job-queue Job/train: ${AT}: job queue research-spot does not exist in us-east-1 (queues there: deadline, gpu); create it or name an existing one (spec.queue)`,
      ],
    ],
    [
      'a queue of that name in another Region',
      { 'us-east-1': [queue('gpu')], 'us-west-2': [queue('research-spot', { region: 'us-west-2' })] },
      [],
      [
        `job-queue Job/train: ${AT}: job queue research-spot does not exist in us-east-1 (queues there: gpu); create it or name an existing one (spec.queue)`,
      ],
    ],
    [
      'DISABLED',
      { 'us-east-1': [queue('research-spot', { state: 'DISABLED' })] },
      [],
      [
        `job-queue Job/train: ${AT}: job queue research-spot in us-east-1 is DISABLED: Batch accepts no new jobs in it (spec.queue)`,
      ],
    ],
    [
      'INVALID',
      { 'us-east-1': [queue('research-spot', { status: 'INVALID', statusReason: 'CLIENT_ERROR - role deleted' })] },
      [],
      [
        `job-queue Job/train: ${AT}: job queue research-spot in us-east-1 is INVALID (CLIENT_ERROR - role deleted): its jobs would sit RUNNABLE (spec.queue)`,
      ],
    ],
  ])('%s', (_case, jobQueues, actions, refusals) => {
    const state = desired([], { jobs: [job('train', { queueAt: AT })] });

    const part = planJobs(state, observed([], jobQueues === undefined ? {} : { jobQueues }), []);

    expect(part.actions.map((a) => `${a.kind} ${a.resource.name}`)).toEqual(actions);
    expect(part.refusals.map((r) => `${r.code} ${r.resource?.kind}/${r.resource?.name}: ${r.message}`)).toEqual(
      refusals,
    );
  });

  it('lists at most five other queues and counts the rest', () => {
    const others = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => queue(name));

    const part = planJobs(
      desired([], { jobs: [job('train', { queueAt: AT })] }),
      observed([], { jobQueues: { 'us-east-1': others } }),
      [],
    );

    expect(part.refusals[0]?.message).toContain('(queues there: a, b, c, d, e, and 2 more)');
  });

  it('holds back the dependants of a Job whose queue is missing', () => {
    const train = job('train');
    const report = job('report', { queue: 'gpu', dependsOn: [{ job: 'train' }] });

    const part = planJobs(
      desired([], { jobs: [train, report] }),
      observed([], { jobQueues: { 'us-east-1': [queue('gpu')] } }),
      [],
    );

    expect(part.actions).toEqual([]);
    expect(part.refusals.map((r) => `${r.code} ${r.resource?.name}`)).toEqual([
      'job-queue train',
      'job-blocked report',
    ]);
  });

  it('leaves a Job already submitted alone, whatever became of its queue', () => {
    const train = job('train');

    const part = planJobs(desired([], { jobs: [train] }), observed([], { jobQueues: { 'us-east-1': [] } }), [
      submitted(train, 'RUNNING'),
    ]);

    expect(part).toEqual({ actions: [], refusals: [] });
  });
});
