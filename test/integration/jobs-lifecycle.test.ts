import { DescribeJobsCommand } from '@aws-sdk/client-batch';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordStore } from '../../reconciler/src/model/record.js';
import { fileRecordStore } from '../../reconciler/src/record/file-store.js';
import { failures, startRunHarness } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

function jobYaml(name: string, lines: string[] = [], env = 'LABOPS_SIM_DURATION: "30m"'): string {
  return [
    'apiVersion: labops/v1',
    'kind: Job',
    `metadata: { name: ${name}, owner: bob, project: atmos }`,
    'spec:',
    '  queue: research-spot',
    '  definition:',
    '    image: public.ecr.aws/lab/model:1',
    '    vcpus: 2',
    '    memoryMiB: 4096',
    `    environment: { ${env} }`,
    '  timeout: 2h',
    ...lines.map((l) => `  ${l}`),
    '',
  ].join('\n');
}

async function describeJob(rh: RunHarness, jobId: string) {
  return (await rh.h.sim.batch('us-east-1').send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('Job lifecycle', () => {
  it('submits dependencies first and passes their Batch job ids (plain { jobId }, and N_TO_N between arrays of one size)', async () => {
    rh = await startRunHarness({
      'jobs/spinup.yaml': jobYaml('spinup'),
      'jobs/months.yaml': jobYaml('months', ['array: 3', 'dependsOn: [ { job: spinup } ]']),
      'jobs/post.yaml': jobYaml('post', ['array: 3', 'dependsOn: [ { job: months } ]']),
    });

    const result = await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('6h');
    await rh.reconcile();

    expect(failures(result)).toEqual([]);
    const ids = Object.fromEntries((await rh.record()).jobs.map((j) => [j.name, j.jobId]));
    const months = await describeJob(rh, ids.months!);
    const post = await describeJob(rh, ids.post!);
    const spinup = await describeJob(rh, ids.spinup!);
    expect(months?.dependsOn).toEqual([{ jobId: ids.spinup }]);
    expect(post?.dependsOn).toEqual([{ jobId: ids.months, type: 'N_TO_N' }]);
    const firstChild = await describeJob(rh, `${ids.months}:0`);
    expect(firstChild?.startedAt).toBeGreaterThanOrEqual(spinup?.stoppedAt ?? Infinity);
    expect((await rh.record()).jobs.map((j) => [j.name, j.status, j.children]).sort()).toEqual([
      ['months', 'SUCCEEDED', { SUCCEEDED: 3 }],
      ['post', 'SUCCEEDED', { SUCCEEDED: 3 }],
      ['spinup', 'SUCCEEDED', undefined],
    ]);
  });

  it('follows an array job to FAILED with its child counts', async () => {
    rh = await startRunHarness({
      'jobs/sweep.yaml': jobYaml('sweep', ['array: 4'], 'LABOPS_SIM_DURATION: "30m", LABOPS_SIM_FAILING_INDEXES: "2"'),
    });

    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    await rh.reconcile();

    expect((await rh.record()).jobs.map((j) => [j.status, j.children])).toEqual([
      ['FAILED', { SUCCEEDED: 3, FAILED: 1 }],
    ]);
  });

  it('does not submit again after a crash between SubmitJob and saving the record', async () => {
    rh = await startRunHarness({ 'jobs/model.yaml': jobYaml('model') });
    const real = fileRecordStore(rh.recordPath);
    const crashing: RecordStore = {
      load: () => real.load(),
      save: async () => Promise.reject(new Error('killed before the record was saved')),
    };

    await expect(rh.reconcile('2026-11-16T12:00:00Z', 'apply', crashing)).rejects.toThrow('killed');
    const next = await rh.reconcile('2026-11-16T12:15:00Z');
    const third = await rh.reconcile('2026-11-16T12:30:00Z');

    expect((await rh.h.sim.control.calls())['Batch.SubmitJob']).toBe(1);
    expect(next.applied?.results.map((r) => r.detail)).toEqual([
      expect.stringContaining('submitted by an earlier run: not submitted again'),
    ]);
    expect((await rh.record()).jobs).toHaveLength(1);
    expect(third.plan?.actions).toEqual([]);
  });

  it('registers an inline definition once and reuses the identical revision for a rerun', async () => {
    rh = await startRunHarness({ 'jobs/model.yaml': jobYaml('model') });

    await rh.reconcile('2026-11-16T12:00:00Z');
    rh.write({ 'jobs/model.yaml': jobYaml('model', ['rerun: 1']) });
    const rerun = await rh.reconcile('2026-11-16T12:15:00Z');

    const calls = await rh.h.sim.control.calls();
    expect([calls['Batch.RegisterJobDefinition'], calls['Batch.SubmitJob']]).toEqual([1, 2]);
    expect(rerun.plan?.actions.map((a) => a.reason)).toEqual([expect.stringContaining('rerun 1 (was 0)')]);
    expect((await rh.record()).jobs.map((j) => [j.rerun, j.jobName])).toEqual([
      [0, expect.stringMatching(/^labops-model-[0-9a-f]{8}-r0$/)],
      [1, expect.stringMatching(/^labops-model-[0-9a-f]{8}-r1$/)],
    ]);
  });

  it.each([
    ['before it runs: CancelJob', '1s', 'Batch.CancelJob', 'cancelled'],
    ['while it runs: TerminateJob', '20m', 'Batch.TerminateJob', 'terminated'],
  ])('a removed Job with prune: true is stopped %s', async (_case, wait, call, word) => {
    rh = await startRunHarness({ 'jobs/model.yaml': jobYaml('model') }, { prune: true });
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance(wait);
    rh.remove('jobs/model.yaml');

    const result = await rh.reconcile();

    expect(failures(result)).toEqual([]);
    expect(result.applied?.results.map((r) => [r.kind, r.detail])).toEqual([
      ['cancel-job', expect.stringContaining(word)],
    ]);
    expect((await rh.h.sim.control.calls())[call]).toBe(1);
    const [job] = (await rh.record()).jobs;
    expect(job?.cancelledAt).toBeDefined();
    expect((await describeJob(rh, job!.jobId))?.status).toBe('FAILED');
  });

  it('reports a removed Job without prune and leaves it running', async () => {
    rh = await startRunHarness({ 'jobs/model.yaml': jobYaml('model') });
    await rh.reconcile('2026-11-16T12:00:00Z');
    rh.remove('jobs/model.yaml');

    const result = await rh.reconcile('2026-11-16T12:01:00Z');

    expect(result.plan?.actions.map((a) => [a.kind, a.rule])).toEqual([['orphan', 'orphan']]);
    expect((await rh.h.sim.control.calls())['Batch.CancelJob']).toBeUndefined();
  });
});
