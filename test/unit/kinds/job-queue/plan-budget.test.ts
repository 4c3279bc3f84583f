/**
 * Budget actions reach Batch through the JobQueue planner: with `block-launches` in force for the
 * queue's project the queue is DISABLED (jobs already in it finish); with `stop` its compute
 * environments also go to 0 vCPUs; once the action is lifted (spend back under its percent, or a
 * new period) the plan restores the spec. Another project's budget changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { desiredJobQueue } from '../../../../reconciler/src/kinds/job-queue/desired.js';
import { planJobQueues } from '../../../../reconciler/src/kinds/job-queue/plan.js';
import type { BudgetOverride } from '../../../../reconciler/src/model/budget.js';
import type { DesiredJobQueue } from '../../../../reconciler/src/model/job-queue.js';
import type { JobQueue } from '../../../../reconciler/src/specs/types.js';
import { desired, observed } from '../workstation/plan-fixtures.js';

const SPEC: JobQueue = {
  apiVersion: 'labops/v1',
  kind: 'JobQueue',
  metadata: { name: 'research-spot', owner: 'bob', project: 'atmos' },
  spec: {
    priority: 10,
    computeEnvironments: [
      { name: 'spot', capacity: 'spot', instanceTypes: ['m6i'], maxVcpus: 64, subnets: ['subnet-0a1b2c3d4e5f60718'] },
      {
        name: 'ondemand',
        capacity: 'onDemand',
        instanceTypes: ['m6i.large'],
        maxVcpus: 8,
        subnets: ['subnet-0a1b2c3d4e5f60718'],
      },
    ],
  },
};

function world(queue: DesiredJobQueue, repo: string, state: 'ENABLED' | 'DISABLED', vcpus: 'spec' | 'zero') {
  const tags = { 'labops:repo': repo, 'labops:kind': 'JobQueue', 'labops:name': queue.name };
  const arn = (name: string): string => `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`;
  return observed([], {
    batchQueues: {
      'us-east-1': [
        {
          name: queue.name,
          arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/research-spot',
          region: 'us-east-1',
          state,
          status: 'VALID',
          priority: 10,
          order: queue.computeEnvironments.map((ce) => arn(ce.batchName)),
          tags,
        },
      ],
    },
    computeEnvironments: {
      'us-east-1': queue.computeEnvironments.map((ce) => ({
        name: ce.batchName,
        arn: arn(ce.batchName),
        region: 'us-east-1',
        state: 'ENABLED',
        status: 'VALID',
        maxVcpus: vcpus === 'zero' ? 0 : ce.maxVcpus,
        minVcpus: 0,
        tags,
      })),
    },
  });
}

const rule = 'budget atmos-monthly at 101% of $1,500';

describe('budget actions on job queues', () => {
  it.each<[string, BudgetOverride[], 'ENABLED' | 'DISABLED', 'spec' | 'zero', [string, string][]]>([
    ['nothing in force, queue as declared: nothing to do', [], 'ENABLED', 'spec', []],
    [
      'block-launches: the queue is disabled, its environments keep their vCPUs',
      [{ project: 'atmos', action: 'block-launches', rule }],
      'ENABLED',
      'spec',
      [['update-job-queue', 'state ENABLED → DISABLED (jobs already running finish)']],
    ],
    [
      'stop: the queue is disabled and both environments go to 0 vCPUs',
      [{ project: 'atmos', action: 'stop', rule }],
      'ENABLED',
      'spec',
      [
        ['update-compute-environment', 'maxVcpus 8 → 0'],
        ['update-compute-environment', 'maxVcpus 64 → 0'],
        ['update-job-queue', 'state ENABLED → DISABLED (jobs already running finish)'],
      ],
    ],
    [
      'stop lifted (a new period): vCPUs and the queue restored',
      [],
      'DISABLED',
      'zero',
      [
        ['update-compute-environment', 'maxVcpus 0 → 8'],
        ['update-compute-environment', 'maxVcpus 0 → 64'],
        ['update-job-queue', 'state DISABLED → ENABLED'],
      ],
    ],
    ['another project’s stop changes nothing', [{ project: 'neuro', action: 'stop', rule }], 'ENABLED', 'spec', []],
  ])('%s', (_case, overrides, state, vcpus, expected) => {
    const queue = desiredJobQueue(SPEC, 'us-east-1');
    const lab = desired([], { jobQueues: [queue] });

    const plan = planJobQueues(lab, world(queue, lab.lab.repo, state, vcpus), overrides);

    expect(plan.actions.map((a) => [a.kind, a.reason])).toEqual(
      expected.map(([kind, what]) => [kind, expect.stringContaining(what)]),
    );
    expect(plan.actions.every((a) => a.rule === (overrides.some((o) => o.project === 'atmos') ? rule : 'spec'))).toBe(
      true,
    );
  });
});
