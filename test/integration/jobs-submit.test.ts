import { afterEach, describe, expect, it } from 'vitest';
import { failures, jobYaml, startRunHarness } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

/** The Job these tests submit: 90 simulated minutes, a 2 h timeout. */
function modelJob(): string {
  return jobYaml('model', '  timeout: 2h\n', '    environment: { LABOPS_SIM_DURATION: "90m" }\n');
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('Job submission', () => {
  it('submits a job once across 10 reconciles and after Batch forgets it', async () => {
    rh = await startRunHarness({ 'jobs/model.yaml': modelJob() });

    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    for (let i = 1; i <= 9; i++)
      expect(
        failures(await rh.reconcile(new Date(Date.parse('2026-11-16T12:00:00Z') + i * 15 * 60_000).toISOString())),
      ).toEqual([]);
    await rh.h.sim.control.advance('240h');
    const late = await rh.reconcile();

    expect(failures(first)).toEqual([]);
    expect(first.plan?.actions.map((a) => a.id)).toEqual(['Job/model/submit-job']);
    expect(late.plan?.actions).toEqual([]);
    const { DescribeJobsCommand } = await import('@aws-sdk/client-batch');
    const forgotten = await rh.h.sim
      .batch('us-east-1')
      .send(new DescribeJobsCommand({ jobs: [first.applied?.results[0]?.jobId ?? ''] }));
    expect(forgotten.jobs).toEqual([]);
    expect((await rh.h.sim.control.calls())['Batch.SubmitJob']).toBe(1);
    const record = await rh.record();
    expect(record.jobs.map((j) => [j.name, j.status])).toEqual([['model', 'SUCCEEDED']]);
  });

  it('records a job Batch forgot before any reconcile saw it end as FORGOTTEN, and never submits it again', async () => {
    rh = await startRunHarness({ 'jobs/model.yaml': modelJob() });
    await rh.reconcile('2026-11-16T12:00:00Z');

    await rh.h.sim.control.advance('240h');
    const late = await rh.reconcile();
    const later = await rh.reconcile();

    expect(late.plan?.actions).toEqual([]);
    expect((await rh.record()).jobs.map((j) => j.status)).toEqual(['FORGOTTEN']);
    expect((await rh.h.sim.control.calls())['Batch.SubmitJob']).toBe(1);
    expect(later.plan?.actions).toEqual([]);
  });
});
