/**
 * A Job naming a job queue its Region lacks (or one that is DISABLED or INVALID) is refused by the
 * plan in one line naming the spec file and the field, found through one paginated
 * DescribeJobQueues per Region per run, never one call per Job, and never sent to SubmitJob.
 */
import { UpdateJobQueueCommand } from '@aws-sdk/client-batch';
import { afterEach, describe, expect, it } from 'vitest';
import { failures, jobYaml, startRunHarness } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

const NOW = '2026-11-16T12:00:00Z';

/** A Job on `queue` in `region` (the lab's default Region, us-east-1, when not given). */
function jobOn(name: string, queue: string, region?: string): string {
  return jobYaml(name, region === undefined ? '' : `  region: ${region}\n`).replace(
    'queue: research-spot',
    `queue: ${queue}`,
  );
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('the job queue of a Job', () => {
  it('refuses a Job whose queue its Region lacks, naming the file and the field, with one DescribeJobQueues per Region', async () => {
    rh = await startRunHarness({
      'jobs/train.yaml': jobOn('train', 'research-spot'),
      'jobs/align.yaml': jobOn('align', 'imaging'),
      'jobs/sweep.yaml': jobOn('sweep', 'gpu-queue'),
      'jobs/fit.yaml': jobOn('fit', 'research-spot', 'us-west-2'),
      'jobs/west.yaml': jobOn('west', 'imaging', 'us-west-2'),
    });

    const result = await rh.reconcile(NOW);
    const calls = await rh.h.sim.control.calls();

    expect(result.plan?.refusals.map((r) => r.message)).toEqual([
      'jobs/align.yaml:5:10: job queue imaging does not exist in us-east-1 (queues there: gpu-queue, research-ondemand, research-spot); create it or name an existing one (spec.queue)',
      'jobs/west.yaml:5:10: job queue imaging does not exist in us-west-2 (queues there: gpu-queue, research-ondemand, research-spot); create it or name an existing one (spec.queue)',
    ]);
    expect(result.plan?.actions.map((a) => a.id)).toEqual([
      'Job/fit/submit-job',
      'Job/sweep/submit-job',
      'Job/train/submit-job',
    ]);
    expect(failures(result)).toEqual([]);
    expect([calls['Batch.DescribeJobQueues'], calls['Batch.SubmitJob']]).toEqual([2, 3]);
  });

  it('reads no queue once every Job is submitted', async () => {
    rh = await startRunHarness({ 'jobs/train.yaml': jobOn('train', 'research-spot') });
    await rh.reconcile(NOW);
    await rh.h.sim.control.resetCalls();

    const again = await rh.reconcile();

    expect(again.plan?.actions).toEqual([]);
    expect((await rh.h.sim.control.calls())['Batch.DescribeJobQueues']).toBeUndefined();
  });

  it.each([
    [
      'DISABLED',
      async (h: RunHarness) => {
        await h.h.sim
          .batch('us-east-1')
          .send(new UpdateJobQueueCommand({ jobQueue: 'research-spot', state: 'DISABLED' }));
      },
      'jobs/train.yaml:5:10: job queue research-spot in us-east-1 is DISABLED: Batch accepts no new jobs in it (spec.queue)',
    ],
    [
      'INVALID',
      async (h: RunHarness) => {
        await h.h.sim.control.request('POST', 'batch-status', {
          region: 'us-east-1',
          jobQueue: 'research-spot',
          status: 'INVALID',
          statusReason: 'CLIENT_ERROR - role deleted',
        });
      },
      'jobs/train.yaml:5:10: job queue research-spot in us-east-1 is INVALID (CLIENT_ERROR - role deleted): its jobs would sit RUNNABLE (spec.queue)',
    ],
  ])('refuses a Job whose queue is %s, and submits it once the queue is back', async (_case, breakQueue, message) => {
    rh = await startRunHarness({ 'jobs/train.yaml': jobOn('train', 'research-spot') });
    await breakQueue(rh);

    const refused = await rh.reconcile(NOW);
    await rh.h.sim.batch('us-east-1').send(new UpdateJobQueueCommand({ jobQueue: 'research-spot', state: 'ENABLED' }));
    await rh.h.sim.control.request('POST', 'batch-status', {
      region: 'us-east-1',
      jobQueue: 'research-spot',
      status: 'VALID',
    });
    const submitted = await rh.reconcile();

    expect(refused.plan?.refusals.map((r) => r.message)).toEqual([message]);
    expect(refused.plan?.actions).toEqual([]);
    expect(submitted.plan?.actions.map((a) => a.id)).toEqual(['Job/train/submit-job']);
    expect(failures(submitted)).toEqual([]);
  });
});
