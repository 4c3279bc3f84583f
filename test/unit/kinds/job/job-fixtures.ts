/** Hand-built Jobs and run-record submissions for the Job planner tests (job-planner*.test.ts). */
import type { DesiredJob, ObservedJobQueue } from '../../../../reconciler/src/model/job.js';
import type { JobRecord } from '../../../../reconciler/src/model/record.js';
import { batchJobName } from '../../../../reconciler/src/kinds/job/desired.js';

/** A Job of project atmos in us-east-1 on `research-spot`: 8 vCPU, 32000 MiB, inline definition, never submitted. */
export function job(name: string, overrides: Partial<DesiredJob> = {}): DesiredJob {
  const specHash = overrides.specHash ?? `hash${name}`.padEnd(16, '0');
  const rerun = overrides.rerun ?? 0;
  return {
    name,
    owner: 'bob',
    project: 'atmos',
    labels: {},
    region: 'us-east-1',
    queue: 'research-spot',
    definition: { inline: { image: 'lab/model:1', vcpus: 8, memoryMiB: 32000, gpus: 0, command: [], environment: {} } },
    parameters: {},
    dependsOn: [],
    rerun,
    specHash,
    jobName: batchJobName(name, specHash, rerun),
    ...overrides,
  };
}

/** The run record's entry for a submission of `j` (job id `id-NAME`) last seen in `status`. */
export function submitted(j: DesiredJob, status: string, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    name: j.name,
    specHash: j.specHash,
    rerun: j.rerun,
    region: j.region,
    jobId: `id-${j.name}`,
    jobName: j.jobName,
    submittedAt: '2026-11-01T00:00:00.000Z',
    status,
    ...extra,
  };
}

/** A job queue as DescribeJobQueues reports it: ENABLED and VALID in us-east-1 unless told otherwise. */
export function queue(name: string, overrides: Partial<ObservedJobQueue> = {}): ObservedJobQueue {
  const region = overrides.region ?? 'us-east-1';
  return {
    name,
    arn: `arn:aws:batch:${region}:123456789012:job-queue/${name}`,
    region,
    state: 'ENABLED',
    status: 'VALID',
    ...overrides,
  };
}
