/**
 * Found by the chaos suite: under Batch's eventual consistency a job submitted earlier in the
 * same apply is not listed yet, and its dependant failed with "dependency … was not submitted"
 * (converging only a run later, from the record). The dependant now waits for it to be listed.
 */
import { DescribeJobsCommand } from '@aws-sdk/client-batch';
import { afterEach, describe, expect, it } from 'vitest';
import { failures, jobYaml, startRunHarness } from '../integration/run-harness.js';
import type { RunHarness } from '../integration/run-harness.js';

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('a Job depending on one submitted in the same apply', () => {
  it.each([0, 30, 90])('is submitted against it while Batch reads lag %i s', async (delaySeconds) => {
    rh = await startRunHarness({
      'jobs/prep.yaml': jobYaml('prep', '  array: 4\n'),
      'jobs/fit.yaml': jobYaml('fit', '  dependsOn: [ { job: prep } ]\n'),
    });
    await rh.h.sim.control.faults({ rules: [{ operation: 'Batch.*', kind: 'consistency', delaySeconds }] });

    const result = await rh.reconcile('2026-11-16T12:00:00Z');

    expect(failures(result)).toEqual([]);
    const [prep, fit] = ['Job/prep/submit-job', 'Job/fit/submit-job'].map(
      (id) => result.applied?.results.find((r) => r.actionId === id)?.jobId ?? '',
    );
    await rh.h.sim.control.faults({ rules: [] });
    const described = await rh.h.sim.batch('us-east-1').send(new DescribeJobsCommand({ jobs: [fit!] }));
    expect(described.jobs?.[0]?.dependsOn?.map((d) => d.jobId)).toEqual([prep]);
    expect((await rh.h.sim.control.calls())['Batch.SubmitJob']).toBe(2);
  });
});
