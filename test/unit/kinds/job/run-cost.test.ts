import { describe, expect, it } from 'vitest';
import { jobRunCost } from '../../../../reconciler/src/kinds/job/run-cost.js';
import type { ObservedJob } from '../../../../reconciler/src/model/job.js';

function job(extra: Partial<ObservedJob> = {}): ObservedJob {
  return {
    jobId: 'j-1',
    jobName: 'labops-model-0a1b2c3d-r0',
    region: 'us-east-1',
    status: 'SUCCEEDED',
    tags: {},
    queue: 'arn:aws:batch:us-east-1:123456789012:job-queue/research',
    needs: { vcpus: 1, memoryMiB: 2048, gpus: 0 },
    runMs: 2 * 3_600_000,
    ...extra,
  };
}

describe('jobRunCost: run time × the job vCPU share of the cheapest allowed type that holds it', () => {
  it.each<[string, Partial<ObservedJob>, string[], Record<string, unknown> | undefined]>([
    // m6i.xlarge: 4 vCPUs at $0.192/h; 1 vCPU for 2 h = 0.25 × 0.192 × 2.
    ['1 vCPU on m6i.xlarge for 2 h', {}, ['m6i.xlarge'], { usd: 0.096, instanceType: 'm6i.xlarge', instanceVcpus: 4 }],
    // A family: the cheapest m6i that holds 2 vCPUs / 8 GiB is m6i.large ($0.096/h), all of it.
    [
      '2 vCPUs / 8 GiB on the m6i family for 1 h',
      { needs: { vcpus: 2, memoryMiB: 8192, gpus: 0 }, runMs: 3_600_000 },
      ['m6i'],
      { usd: 0.096, instanceType: 'm6i.large', instanceVcpus: 2 },
    ],
    ['a GPU job on optimal (no GPU types)', { needs: { vcpus: 4, memoryMiB: 8192, gpus: 1 } }, ['optimal'], undefined],
    ['a job still RUNNING', { status: 'RUNNING' }, ['m6i.xlarge'], undefined],
    ['an array parent', { children: { SUCCEEDED: 3 } }, ['m6i.xlarge'], undefined],
    ['a queue whose types are unknown', {}, [], undefined],
  ])('%s', (_case, extra, types, expected) => {
    const cost = jobRunCost(job(extra), types);

    if (expected === undefined) expect(cost).toBeUndefined();
    else expect(cost).toMatchObject(expected);
  });
});
