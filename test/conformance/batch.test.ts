/**
 * AWS Batch behaviours `labops sim` promises, each beside the AWS documentation it comes from,
 * checked with the real @aws-sdk/client-batch against the sim. Engineers append their own
 * describe blocks.
 */
import { RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import type { BatchClient, JobDependency, SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let batch: BatchClient;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {} });
  batch = sim.batch();
  await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'analysis', type: 'container', containerProperties: { image: 'public.ecr.aws/lab/analysis:1', resourceRequirements: [{ type: 'VCPU', value: '1' }, { type: 'MEMORY', value: '2048' }] } }));
});
afterEach(async () => {
  await sim.close();
});

async function submit(name: string, extra: Partial<SubmitJobCommandInput> = {}): Promise<string> {
  const out = await batch.send(new SubmitJobCommand({ jobName: name, jobQueue: 'research-spot', jobDefinition: 'analysis', ...extra }));
  return out.jobId ?? '';
}

async function failure(promise: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await promise;
  } catch (err: unknown) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode];
  }
  return ['accepted', 200];
}

/** The jobs a dependency may point at: a single job, and arrays of 3 and of 4 children. */
async function upstream(): Promise<Record<'single' | 'array3' | 'array4', string>> {
  return {
    single: await submit('single'),
    array3: await submit('array3', { arrayProperties: { size: 3 } }),
    array4: await submit('array4', { arrayProperties: { size: 4 } }),
  };
}

type Upstream = Awaited<ReturnType<typeof upstream>>;

describe('SubmitJob dependsOn shapes', () => {
  // https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html
  // "When you submit an AWS Batch job, you can specify the job IDs that the job depends on."
  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobDependency.html
  // jobId and type are both "Required: No": a plain dependency is { jobId } with no type.
  it.each([
    ['a single job on a single job', undefined, (u: Upstream): JobDependency[] => [{ jobId: u.single }]],
    ['an array on a single job', 3, (u: Upstream): JobDependency[] => [{ jobId: u.single }]],
    ['a single job on an array (waits for the whole array)', undefined, (u: Upstream): JobDependency[] => [{ jobId: u.array4 }]],
  ])('accepts a plain dependency { jobId }: %s', async (_case, size, dependsOn) => {
    const u = await upstream();

    const result = await failure(submit('down', { dependsOn: dependsOn(u), ...(size === undefined ? {} : { arrayProperties: { size } }) }));

    expect(result).toEqual(['accepted', 200]);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html
  // "You can also specify an N_TO_N type dependency with a job ID. That way, each index child of
  // this job must wait for the corresponding index child of each dependency to complete before it
  // can begin." Every child needs a corresponding child: both are arrays, of one size.
  it('accepts N_TO_N with a job id between two arrays of one size', async () => {
    const u = await upstream();

    const result = await failure(submit('down', { arrayProperties: { size: 3 }, dependsOn: [{ jobId: u.array3, type: 'N_TO_N' }] }));

    expect(result).toEqual(['accepted', 200]);
  });

  // Same page and sentence as above: N_TO_N pairs child i with child i, so it needs two arrays of one size.
  it.each([
    ['a single job on an array', undefined, (u: Upstream) => u.array3],
    ['an array on a single job', 3, (u: Upstream) => u.single],
    ['arrays of different sizes', 3, (u: Upstream) => u.array4],
  ])('rejects N_TO_N between jobs that are not arrays of one size: %s', async (_case, size, target) => {
    const u = await upstream();

    const result = await failure(submit('down', { dependsOn: [{ jobId: target(u), type: 'N_TO_N' }], ...(size === undefined ? {} : { arrayProperties: { size } }) }));

    expect(result).toEqual(['ClientException', 400]);
  });

  // https://docs.aws.amazon.com/batch/latest/userguide/job_dependencies.html
  // "For array jobs, you can specify a SEQUENTIAL type dependency without specifying a job ID so
  // that each child array job completes sequentially, starting at index 0."
  it('accepts SEQUENTIAL without a job id on an array job', async () => {
    const result = await failure(submit('chain', { arrayProperties: { size: 3 }, dependsOn: [{ type: 'SEQUENTIAL' }] }));

    expect(result).toEqual(['accepted', 200]);
  });

  // Same page and sentence as above: SEQUENTIAL is given without a job ID, for an array job.
  it.each([
    ['SEQUENTIAL with a job id on a single job', undefined, (u: Upstream): JobDependency[] => [{ jobId: u.single, type: 'SEQUENTIAL' }]],
    ['SEQUENTIAL with a job id on an array job', 3, (u: Upstream): JobDependency[] => [{ jobId: u.array3, type: 'SEQUENTIAL' }]],
    ['SEQUENTIAL without a job id on a single job', undefined, (): JobDependency[] => [{ type: 'SEQUENTIAL' }]],
  ])('rejects %s', async (_case, size, dependsOn) => {
    const u = await upstream();

    const result = await failure(submit('down', { dependsOn: dependsOn(u), ...(size === undefined ? {} : { arrayProperties: { size } }) }));

    expect(result).toEqual(['ClientException', 400]);
  });

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_JobDependency.html
  // type: "Valid Values: N_TO_N | SEQUENTIAL"
  it('rejects an unknown dependency type', async () => {
    const u = await upstream();

    const result = await failure(submit('down', { dependsOn: [{ jobId: u.single, type: 'ALL' as JobDependency['type'] }] }));

    expect(result).toEqual(['ClientException', 400]);
  });
});
