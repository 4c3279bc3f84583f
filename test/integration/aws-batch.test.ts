import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { submitJobInput } from '../../reconciler/src/aws/batch.js';
import { sameContainer } from '../../reconciler/src/aws/batch-normalise.js';
import type { InlineDefinition } from '../../reconciler/src/model/job.js';
import { startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

const CONTAINER: InlineDefinition = {
  image: 'lab/model:1',
  vcpus: 2,
  memoryMiB: 4096,
  gpus: 0,
  command: ['run.sh', 'Ref::month'],
  environment: { B: '2', A: '1' },
};

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('Batch adapter', () => {
  it('describes 150 jobs in two DescribeJobs calls (100 ids each at most)', async () => {
    const ref = await h.ports.batch.registerDefinition('us-east-1', 'labops-model', CONTAINER, {});
    const ids: string[] = [];
    for (let i = 0; i < 150; i++)
      ids.push(
        (
          await h.ports.batch.submitJob({
            region: 'us-east-1',
            queue: 'research-spot',
            jobName: `j-${i}`,
            definition: ref,
            parameters: { month: '01' },
            dependsOn: [],
            tags: {},
          })
        ).jobId,
      );
    await h.sim.control.resetCalls();

    const jobs = await h.ports.batch.describeJobs('us-east-1', ids);

    expect(jobs).toHaveLength(150);
    expect((await h.sim.control.calls())['Batch.DescribeJobs']).toBe(2);
  });

  it('finds jobs by exact name in any status, with their tags', async () => {
    const ref = await h.ports.batch.registerDefinition('us-east-1', 'labops-model', CONTAINER, {});
    const submitted = await h.ports.batch.submitJob({
      region: 'us-east-1',
      queue: 'research-spot',
      jobName: 'labops-model-abcdef12-r0',
      definition: ref,
      parameters: {},
      dependsOn: [],
      tags: { 'labops:repo': 'lab/neuro' },
    });
    await h.ports.batch.submitJob({
      region: 'us-east-1',
      queue: 'research-spot',
      jobName: 'labops-model-abcdef12-r0-other',
      definition: ref,
      parameters: {},
      dependsOn: [],
      tags: {},
    });

    const found = await h.ports.batch.findJobs('us-east-1', 'research-spot', 'labops-model-abcdef12-r0');

    expect(found.map((j) => [j.jobId, j.status, j.tags['labops:repo']])).toEqual([
      [submitted.jobId, 'SUBMITTED', 'lab/neuro'],
    ]);
  });

  it('reads back a registered definition as the same container', async () => {
    await h.ports.batch.registerDefinition('us-east-1', 'labops-model', CONTAINER, {});

    const [revision] = await h.ports.batch.findDefinitions('us-east-1', 'labops-model');

    expect(revision?.revision).toBe(1);
    expect(sameContainer(revision!.container, CONTAINER)).toBe(true);
    expect(sameContainer(revision!.container, { ...CONTAINER, vcpus: 4 })).toBe(false);
  });

  it('builds SubmitJob with arrays, dependencies, retries, timeout and propagated tags', () => {
    const input = submitJobInput({
      region: 'us-east-1',
      queue: 'q',
      jobName: 'n',
      definition: 'd:1',
      parameters: {},
      arraySize: 12,
      dependsOn: [{ jobId: 'j-1', type: 'N_TO_N' }],
      retryAttempts: 3,
      timeoutSeconds: 21600,
      tags: { 'labops:project': 'atmos' },
    });

    expect(input).toEqual({
      jobName: 'n',
      jobQueue: 'q',
      jobDefinition: 'd:1',
      arrayProperties: { size: 12 },
      dependsOn: [{ jobId: 'j-1', type: 'N_TO_N' }],
      retryStrategy: { attempts: 3 },
      timeout: { attemptDurationSeconds: 21600 },
      tags: { 'labops:project': 'atmos' },
      propagateTags: true,
    });
  });
});
