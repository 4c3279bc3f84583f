/**
 * The JobQueue kind through the whole pipeline against the sim's Batch: created (environments
 * VALID before the queue), converged (a second run plans nothing and mutates nothing), updated in
 * place (maxVcpus), replaced blue/green while a job runs (never interrupted; the old environment
 * deleted only once the queue is empty), deleted with prune only when no job waits or runs, and
 * Jobs on a Spot queue retry Spot reclaims only. A compute environment whose spec names no subnets
 * or security groups runs in the Region's default VPC (its default subnets and `default` group), and
 * a Region without one refuses the queue.
 */
import {
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
} from '@aws-sdk/client-batch';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { failures, startRunHarness } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

function queueYaml(maxVcpus = 64, spotTypes = '[m6i]'): string {
  return `apiVersion: labops/v1
kind: JobQueue
metadata: { name: research-spot, owner: bob, project: atmos }
spec:
  priority: 10
  computeEnvironments:
    - name: spot
      capacity: spot
      instanceTypes: ${spotTypes}
      maxVcpus: ${maxVcpus}
    - name: ondemand
      capacity: onDemand
      instanceTypes: [m6i.large]
      maxVcpus: 8
`;
}

function jobYaml(name: string, duration = '30m', extra = '', exitCodes = '0'): string {
  return `apiVersion: labops/v1
kind: Job
metadata: { name: ${name}, owner: bob, project: atmos }
spec:
  queue: research-spot
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 2
    memoryMiB: 4096
    environment: { LABOPS_SIM_DURATION: "${duration}", LABOPS_SIM_EXIT_CODE: "${exitCodes}" }
  timeout: 6h
${extra}`;
}

const MUTATIONS = [
  'Batch.CreateComputeEnvironment',
  'Batch.UpdateComputeEnvironment',
  'Batch.DeleteComputeEnvironment',
  'Batch.CreateJobQueue',
  'Batch.UpdateJobQueue',
  'Batch.DeleteJobQueue',
];

async function mutations(rh: RunHarness): Promise<Record<string, number>> {
  const calls = await rh.h.sim.control.calls();
  return Object.fromEntries(MUTATIONS.map((m) => [m, calls[m] ?? 0]));
}

async function environments(rh: RunHarness) {
  const out = await rh.h.sim.batch('us-east-1').send(new DescribeComputeEnvironmentsCommand({}));
  return (out.computeEnvironments ?? []).sort((a, b) =>
    (a.computeEnvironmentName ?? '').localeCompare(b.computeEnvironmentName ?? ''),
  );
}

async function queue(rh: RunHarness) {
  return (await rh.h.sim.batch('us-east-1').send(new DescribeJobQueuesCommand({ jobQueues: ['research-spot'] })))
    .jobQueues?.[0];
}

async function job(rh: RunHarness, name: string) {
  const id = (await rh.record()).jobs.find((j) => j.name === name)?.jobId ?? '';
  return (await rh.h.sim.batch('us-east-1').send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0];
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('JobQueue lifecycle', () => {
  it('creates the environments, then the queue on them, submits the Job after it, and converges', async () => {
    rh = await startRunHarness(
      { 'queues/research-spot.yaml': queueYaml(), 'jobs/model.yaml': jobYaml('model') },
      { handMadeQueues: false },
    );

    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    const before = await mutations(rh);
    const second = await rh.reconcile('2026-11-16T12:15:00Z');

    expect(failures(first)).toEqual([]);
    expect(first.plan?.actions.map((a) => a.id)).toEqual([
      'JobQueue/research-spot/create-compute-environment/ondemand',
      'JobQueue/research-spot/create-compute-environment/spot',
      'JobQueue/research-spot/create-job-queue',
      'Job/model/submit-job',
    ]);
    const create = first.plan?.actions.find((a) => a.kind === 'create-job-queue');
    expect(create?.reason).toMatch(/ceiling 72 vCPUs, worst case \$\d+\.\d\d\/h/);
    const ces = await environments(rh);
    expect(ces.map((c) => [c.computeEnvironmentName, c.state, c.status, c.computeResources?.type])).toEqual([
      [expect.stringMatching(/^research-spot-ondemand-[0-9a-f]{8}$/), 'ENABLED', 'VALID', 'EC2'],
      [expect.stringMatching(/^research-spot-spot-[0-9a-f]{8}$/), 'ENABLED', 'VALID', 'SPOT'],
    ]);
    expect(ces.map((c) => c.computeResources?.tags?.['labops:project'])).toEqual(['atmos', 'atmos']);
    expect(ces[1]?.computeResources?.allocationStrategy).toBe('SPOT_PRICE_CAPACITY_OPTIMIZED');
    const q = await queue(rh);
    expect([q?.state, q?.status, q?.priority, q?.tags?.['labops:repo']]).toEqual(['ENABLED', 'VALID', 10, 'lab/neuro']);
    expect(q?.computeEnvironmentOrder?.map((o) => o.computeEnvironment?.split('/').pop())).toEqual([
      ces[1]?.computeEnvironmentName,
      ces[0]?.computeEnvironmentName,
    ]);
    expect((await job(rh, 'model'))?.retryStrategy).toEqual({
      attempts: 3,
      evaluateOnExit: [
        { onStatusReason: 'Host EC2*', action: 'RETRY' },
        { onReason: '*', action: 'EXIT' },
      ],
    });
    expect(second.plan?.actions).toEqual([]);
    expect(await mutations(rh)).toEqual(before);
  });

  it('updates maxVcpus in place: one UpdateComputeEnvironment, nothing created', async () => {
    rh = await startRunHarness({ 'queues/research-spot.yaml': queueYaml() }, { handMadeQueues: false });
    await rh.reconcile('2026-11-16T12:00:00Z');
    const before = await mutations(rh);

    rh.write({ 'queues/research-spot.yaml': queueYaml(128) });
    const update = await rh.reconcile('2026-11-16T12:15:00Z');

    expect(failures(update)).toEqual([]);
    expect(update.plan?.actions.map((a) => [a.kind, a.reason])).toEqual([
      ['update-compute-environment', expect.stringContaining('maxVcpus 64 → 128')],
    ]);
    const after = await mutations(rh);
    expect(after['Batch.UpdateComputeEnvironment']).toBe(before['Batch.UpdateComputeEnvironment']! + 1);
    expect(after['Batch.CreateComputeEnvironment']).toBe(before['Batch.CreateComputeEnvironment']);
    expect((await environments(rh)).map((c) => c.computeResources?.maxvCpus)).toEqual([8, 128]);
    expect((await rh.reconcile('2026-11-16T12:30:00Z')).plan?.actions).toEqual([]);
  });

  it('replaces an environment blue/green while a job runs: the job finishes, the old one is deleted after', async () => {
    rh = await startRunHarness(
      { 'queues/research-spot.yaml': queueYaml(), 'jobs/long.yaml': jobYaml('long', '2h') },
      { handMadeQueues: false },
    );
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('10m');
    expect((await job(rh, 'long'))?.status).toBe('RUNNING');
    const [, oldSpot] = (await environments(rh)).map((c) => c.computeEnvironmentName);

    rh.write({ 'queues/research-spot.yaml': queueYaml(64, '[m6i.large, m6i.xlarge]') });
    const switched = await rh.reconcile();

    expect(failures(switched)).toEqual([]);
    expect(switched.plan?.actions.map((a) => a.id)).toEqual([
      'JobQueue/research-spot/create-compute-environment/spot',
      `JobQueue/research-spot/update-compute-environment/${oldSpot}`,
      'JobQueue/research-spot/update-job-queue',
    ]);
    expect(switched.plan?.refusals.map((r) => r.code)).toEqual(['queue-draining']);
    expect((await job(rh, 'long'))?.status).toBe('RUNNING');
    const mid = await environments(rh);
    expect(mid.find((c) => c.computeEnvironmentName === oldSpot)?.state).toBe('DISABLED');
    const q = await queue(rh);
    expect(q?.computeEnvironmentOrder?.map((o) => o.computeEnvironment?.split('/').pop())).not.toContain(oldSpot);

    await rh.h.sim.control.advance('3h');
    const drained = await rh.reconcile();

    expect((await job(rh, 'long'))?.status).toBe('SUCCEEDED');
    expect(failures(drained)).toEqual([]);
    expect(drained.plan?.actions.map((a) => a.id)).toEqual([
      `JobQueue/research-spot/delete-compute-environment/${oldSpot}`,
    ]);
    await rh.h.sim.control.advance('5m');
    expect((await environments(rh)).map((c) => c.computeEnvironmentName)).not.toContain(oldSpot);
    expect((await rh.reconcile()).plan?.actions).toEqual([]);
  });

  it('a removed queue (prune) is disabled, kept while a job runs, then deleted with its environments', async () => {
    rh = await startRunHarness(
      { 'queues/research-spot.yaml': queueYaml(), 'jobs/long.yaml': jobYaml('long', '2h') },
      { prune: true, handMadeQueues: false },
    );
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('10m');

    rh.remove('queues/research-spot.yaml');
    const busy = await rh.reconcile();

    expect(failures(busy)).toEqual([]);
    expect(busy.plan?.actions.map((a) => a.id)).toEqual(['JobQueue/research-spot/update-job-queue']);
    expect(busy.plan?.refusals.map((r) => [r.code, r.message])).toEqual([
      ['queue-busy', expect.stringContaining('not deleted while jobs wait or run in it (1 now)')],
    ]);
    expect((await queue(rh))?.state).toBe('DISABLED');
    expect((await job(rh, 'long'))?.status).toBe('RUNNING');

    await rh.h.sim.control.advance('3h');
    const gone = await rh.reconcile();

    expect((await job(rh, 'long'))?.status).toBe('SUCCEEDED');
    expect(failures(gone)).toEqual([]);
    expect(gone.plan?.actions.map((a) => a.kind)).toEqual([
      'delete-job-queue',
      'delete-compute-environment',
      'delete-compute-environment',
      'update-compute-environment',
      'update-compute-environment',
    ]);
    expect(gone.plan?.actions.filter((a) => a.kind === 'update-compute-environment').map((a) => a.reason)).toEqual([
      expect.stringContaining('disable'),
      expect.stringContaining('disable'),
    ]);
    await rh.h.sim.control.advance('5m');
    expect(await queue(rh)).toBeUndefined();
    expect(await environments(rh)).toEqual([]);
  });

  it('on a Spot queue an application failure is not retried, unless the spec says so', async () => {
    rh = await startRunHarness(
      {
        'queues/research-spot.yaml': queueYaml(),
        'jobs/crash.yaml': jobYaml('crash', '10m', '', '1,0'),
        'jobs/flaky.yaml': jobYaml(
          'flaky',
          '10m',
          '  retry: { attempts: 2, evaluateOnExit: [ { onExitCode: "1", action: RETRY } ] }\n',
          '1,0',
        ),
      },
      { handMadeQueues: false },
    );

    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('2h');
    await rh.reconcile();

    const crash = await job(rh, 'crash');
    const flaky = await job(rh, 'flaky');
    expect([crash?.status, crash?.attempts?.length, crash?.retryStrategy?.attempts]).toEqual(['FAILED', 1, 3]);
    expect([flaky?.status, flaky?.attempts?.length, flaky?.retryStrategy?.evaluateOnExit]).toEqual([
      'SUCCEEDED',
      2,
      [{ onExitCode: '1', action: 'RETRY' }],
    ]);
  });
});

/** The default subnets (by Availability Zone) and the `default` group of the default VPC, as EC2 lists them. */
async function defaultNetwork(rh: RunHarness): Promise<{ subnets: string[]; groups: string[] }> {
  const ec2 = rh.h.sim.ec2('us-east-1');
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
  );
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
  );
  return {
    subnets: (subnets.Subnets ?? [])
      .sort((a, b) => (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''))
      .map((s) => s.SubnetId ?? ''),
    groups: (groups.SecurityGroups ?? []).map((g) => g.GroupId ?? ''),
  };
}

describe('JobQueue on the default VPC', () => {
  it('puts environments without subnets in the default subnets with the default group; a second run changes nothing', async () => {
    rh = await startRunHarness({ 'queues/research-spot.yaml': queueYaml() }, { handMadeQueues: false });
    const network = await defaultNetwork(rh);
    await rh.h.sim.control.resetCalls();

    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    const reads = await rh.h.sim.control.calls();
    const before = await mutations(rh);
    const second = await rh.reconcile('2026-11-16T12:15:00Z');

    expect(failures(first)).toEqual([]);
    expect(network.subnets).toHaveLength(3);
    expect(network.groups).toHaveLength(1);
    const ces = await environments(rh);
    expect(ces.map((c) => [c.computeResources?.subnets, c.computeResources?.securityGroupIds])).toEqual([
      [network.subnets, network.groups],
      [network.subnets, network.groups],
    ]);
    const create = first.plan?.actions.find((a) => a.kind === 'create-compute-environment');
    expect(create?.reason).toContain(`(subnets ${network.subnets.join(', ')}; security groups ${network.groups[0]})`);
    // One read of each per Region that needs it (us-east-1 only: the Lab's us-west-2 has no queue), per run.
    expect([reads['EC2.DescribeVpcs'], reads['EC2.DescribeSubnets'], reads['EC2.DescribeSecurityGroups']]).toEqual([
      1, 1, 1,
    ]);
    expect(second.plan?.actions).toEqual([]);
    expect(second.plan?.refusals).toEqual([]);
    expect(await mutations(rh)).toEqual(before);
  });

  it('refuses a queue whose Region has no default VPC: one line naming the file and the field, no Batch call', async () => {
    rh = await startRunHarness({ 'queues/research-spot.yaml': queueYaml() }, { handMadeQueues: false });
    await rh.h.sim.control.request('POST', 'default-vpc', { region: 'us-east-1', present: false });

    const run = await rh.reconcile('2026-11-16T12:00:00Z');

    expect(run.plan?.actions).toEqual([]);
    expect(run.plan?.refusals).toEqual([
      {
        code: 'no-default-network',
        message:
          'queues/research-spot.yaml:7:7: spec.computeEnvironments[0].subnets: us-east-1 has no default VPC to take it from; give the subnets and securityGroupIds to use',
        resource: { kind: 'JobQueue', name: 'research-spot' },
      },
    ]);
    expect(Object.values(await mutations(rh)).every((n) => n === 0)).toBe(true);
  });

  it('refuses subnets of another VPC without securityGroupIds: the default group cannot go with them', async () => {
    rh = await startRunHarness(
      {
        'queues/research-spot.yaml': queueYaml().replace(
          'maxVcpus: 8\n',
          'maxVcpus: 8\n      subnets: [subnet-0a1b2c3d4e5f60718]\n',
        ),
      },
      { handMadeQueues: false },
    );

    const run = await rh.reconcile('2026-11-16T12:00:00Z');

    expect(run.plan?.refusals.map((r) => [r.code, r.message])).toEqual([
      [
        'no-default-network',
        expect.stringMatching(
          /^queues\/research-spot\.yaml:\d+:\d+: spec\.computeEnvironments\[1\]\.securityGroupIds: required, since subnets subnet-0a1b2c3d4e5f60718 are not default subnets of the default VPC vpc-0[0-9a-f]{16} of us-east-1/,
        ),
      ],
    ]);
    expect(run.plan?.actions).toEqual([]);
  });
});
