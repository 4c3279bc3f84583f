/**
 * JobQueue validation: instance types and families exist in the price table and the Lab allows
 * every type they stand for; a GPU queue lists GPU types only; Spot rules; an external queue
 * declares no capacity; and, once the lab declares a JobQueue, a Job's queue names one of its
 * Region. Each problem is one line naming file:line:col.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';
import { makeLab } from '../../support/lab-fixture.js';

const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const LAB = `apiVersion: labops/v1
kind: Lab
metadata: { name: queue-lab }
spec:
  aws: { accountId: "111122223333", defaultRegion: us-east-1, regions: [us-east-1, us-west-2] }
  policy: { allowedInstanceTypes: ["c6i.*", "m6i.large", "g5.xlarge"], requireBudget: false }
`;

function queue(name: string, spec: string): string {
  return `apiVersion: labops/v1\nkind: JobQueue\nmetadata: { name: ${name}, owner: bob, project: atmos }\nspec:\n${spec}`;
}

function ce(lines: string): string {
  return `  priority: 10\n  computeEnvironments:\n    - name: main\n      maxVcpus: 64\n      subnets: [subnet-0a1b2c3d4e5f60718]\n${lines}`;
}

function job(name: string, queueName: string, extra = ''): string {
  return `apiVersion: labops/v1\nkind: Job\nmetadata: { name: ${name}, owner: bob, project: atmos }\nspec:\n  queue: ${queueName}\n  definition: { image: public.ecr.aws/lab/model:1, vcpus: 2, memoryMiB: 4096 }\n${extra}`;
}

function problems(files: Record<string, string>): string[] {
  const made = makeLab({ 'labops.yaml': LAB, ...files }, null);
  cleanups.push(made.cleanup);
  return validateLab(made.dir, { catalog }).problems.map(
    (p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.message}`,
  );
}

describe('JobQueue validation', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'a valid Spot queue with an on-demand fallback, and a Job on it',
      {
        'queues/spot.yaml': queue(
          'spot',
          `${ce('      capacity: spot\n      instanceTypes: [c6i]\n      bidPercentage: 60\n')}    - name: fallback\n      capacity: onDemand\n      instanceTypes: [m6i.large]\n      maxVcpus: 8\n      subnets: [subnet-0a1b2c3d4e5f60718]\n`,
        ),
        'jobs/model.yaml': job('model', 'spot'),
      },
      [],
    ],
    [
      'an unknown type or family',
      { 'queues/q.yaml': queue('q', ce('      capacity: spot\n      instanceTypes: [c6x]\n')) },
      ['queues/q.yaml:11:23 error unknown instance type or family "c6x" (did you mean "c6i"?)'],
    ],
    [
      'a family with types the Lab does not allow, and a type it does not allow',
      { 'queues/q.yaml': queue('q', ce('      capacity: onDemand\n      instanceTypes: [m6i, r6i.large]\n')) },
      [
        'queues/q.yaml:11:23 error family "m6i" includes types the lab policy does not allow (m6i.12xlarge, m6i.16xlarge, m6i.24xlarge, …; allowedInstanceTypes: c6i.*, m6i.large, g5.xlarge); list the allowed types',
        'queues/q.yaml:11:28 error instance type "r6i.large" is not allowed by the lab policy (allowedInstanceTypes: c6i.*, m6i.large, g5.xlarge)',
      ],
    ],
    [
      'optimal under a policy that lists types',
      { 'queues/q.yaml': queue('q', ce('      capacity: spot\n      instanceTypes: [optimal]\n')) },
      [
        'queues/q.yaml:11:23 error "optimal" lets Batch pick types the lab policy cannot check (allowedInstanceTypes: c6i.*, m6i.large, g5.xlarge); list types or families',
      ],
    ],
    [
      'a GPU queue without GPU types',
      {
        'queues/q.yaml': queue(
          'q',
          `  gpu: true\n${ce('      capacity: onDemand\n      instanceTypes: [c6i.large, g5.xlarge]\n')}`,
        ),
      },
      [
        'queues/q.yaml:12:22 error a GPU queue (gpu: true) needs GPU instance types or families only (g4dn, g5, g6, p3, …)',
      ],
    ],
    [
      'Spot rules: a Spot strategy and a bid on on-demand capacity, minVcpus over maxVcpus',
      {
        'queues/q.yaml': queue(
          'q',
          ce(
            '      capacity: onDemand\n      instanceTypes: [c6i.large]\n      allocationStrategy: SPOT_PRICE_CAPACITY_OPTIMIZED\n      bidPercentage: 50\n      minVcpus: 128\n',
          ),
        ),
      },
      [
        'queues/q.yaml:12:27 error SPOT_PRICE_CAPACITY_OPTIMIZED is for Spot capacity; on-demand uses BEST_FIT_PROGRESSIVE',
        'queues/q.yaml:13:22 error bidPercentage applies to Spot capacity only',
        'queues/q.yaml:14:17 error minVcpus 128 is greater than maxVcpus 64',
      ],
    ],
    [
      'a Job naming an undeclared queue once the lab declares one',
      {
        'queues/spot.yaml': queue('spot', ce('      capacity: spot\n      instanceTypes: [c6i]\n')),
        'jobs/model.yaml': job('model', 'spto'),
      },
      [
        'jobs/model.yaml:5:10 error no JobQueue named "spto" (did you mean "spot"?): declare it as a JobQueue (or with external: true for an existing queue labops only reads)',
      ],
    ],
    [
      'a Job in another Region than its queue',
      {
        'queues/spot.yaml': queue('spot', ce('      capacity: spot\n      instanceTypes: [c6i]\n')),
        'jobs/model.yaml': job('model', 'spot', '  region: us-west-2\n'),
      },
      [
        'jobs/model.yaml:5:10 error JobQueue "spot" is in us-east-1, this Job runs in us-west-2: declare it as a JobQueue (or with external: true for an existing queue labops only reads)',
      ],
    ],
    [
      'an external queue: Jobs may name it; it declares no capacity',
      {
        'queues/legacy.yaml': queue('legacy', '  external: true\n'),
        'queues/bad.yaml': queue('bad', '  external: true\n  priority: 5\n'),
        'jobs/model.yaml': job('model', 'legacy'),
      },
      [
        'queues/bad.yaml:6:13 error an external JobQueue is only read, never changed: remove priority (or drop external: true to let labops manage the queue)',
      ],
    ],
    [
      'a compute environment without subnets or securityGroupIds (the default VPC gives them), and one with only groups',
      {
        'queues/q.yaml': queue(
          'q',
          '  priority: 10\n  computeEnvironments:\n    - name: main\n      capacity: spot\n      instanceTypes: [c6i]\n      maxVcpus: 64\n    - name: grouped\n      capacity: onDemand\n      instanceTypes: [m6i.large]\n      maxVcpus: 8\n      securityGroupIds: [sg-0a1b2c3d4e5f60718]\n',
        ),
      },
      [],
    ],
    [
      'empty subnets or securityGroupIds (Batch needs one; leave the field out for the default VPC)',
      {
        'queues/q.yaml': queue(
          'q',
          '  priority: 10\n  computeEnvironments:\n    - name: main\n      capacity: spot\n      instanceTypes: [c6i]\n      maxVcpus: 64\n      subnets: []\n      securityGroupIds: []\n',
        ),
      },
      [
        'queues/q.yaml:11:16 error spec.computeEnvironments[0].subnets must have at least 1 items',
        'queues/q.yaml:12:25 error spec.computeEnvironments[0].securityGroupIds must have at least 1 items',
      ],
    ],
    [
      'a managed queue without compute environments',
      { 'queues/q.yaml': queue('q', '  priority: 1\n') },
      ['queues/q.yaml:4:1 error computeEnvironments is required (1 to 3, in order) unless the queue is external: true'],
    ],
  ])('%s', (_case, files, expected) => {
    expect(problems(files)).toEqual(expected);
  });

  it('leaves a lab that declares no JobQueue naming hand-made queues (the migration path)', () => {
    expect(problems({ 'jobs/model.yaml': job('model', 'research-spot') })).toEqual([]);
  });
});
