/**
 * The SubmitJob request labops builds for a Job's `dependsOn`, from the spec to the SDK input:
 * a plain dependency is `{ jobId }` with no type, N_TO_N `{ jobId, type: 'N_TO_N' }`, and nothing
 * is ever sent as SEQUENTIAL with a job id (Batch takes SEQUENTIAL only without one, for an array
 * job's own children: https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html).
 */
import { describe, expect, it } from 'vitest';
import { submitJobInput } from '../../../../reconciler/src/aws/batch.js';
import { desiredJob } from '../../../../reconciler/src/kinds/job/desired.js';
import type { Job } from '../../../../reconciler/src/specs/types.js';

function spec(name: string, array: number | undefined, dependsOn: { job: string; type?: 'N_TO_N' }[]): Job {
  return {
    apiVersion: 'labops/v1',
    kind: 'Job',
    metadata: { name, owner: 'bob', project: 'atmos' },
    spec: { queue: 'research-spot', definition: 'model:1', dependsOn, ...(array === undefined ? {} : { array }) },
  };
}

describe('the SubmitJob request for a dependency', () => {
  it.each([
    ['a single job on a single job', undefined, undefined, undefined, [{ jobId: 'id-up' }]],
    ['an array on a single job', 12, undefined, undefined, [{ jobId: 'id-up' }]],
    ['an array on an array of another size', 12, 4, undefined, [{ jobId: 'id-up' }]],
    ['an array on an array of one size (N_TO_N by default)', 12, 12, undefined, [{ jobId: 'id-up', type: 'N_TO_N' }]],
    [
      'an array on an array of one size, N_TO_N asked for',
      12,
      12,
      'N_TO_N' as const,
      [{ jobId: 'id-up', type: 'N_TO_N' }],
    ],
  ])('%s', (_case, array, upstreamArray, type, expected) => {
    const arrays = new Map([
      ['up', upstreamArray],
      ['down', array],
    ]);
    const job = desiredJob(spec('down', array, [{ job: 'up', ...(type === undefined ? {} : { type }) }]), arrays, {
      timezone: 'UTC',
      defaultRegion: 'us-east-1',
    });

    const input = submitJobInput({
      region: job.region,
      queue: job.queue,
      jobName: job.jobName,
      definition: 'model:1',
      parameters: {},
      dependsOn: job.dependsOn.map((d) => ({
        jobId: `id-${d.job}`,
        ...(d.type === undefined ? {} : { type: d.type }),
      })),
      tags: {},
    });

    expect(input.dependsOn).toStrictEqual(expected);
  });
});
