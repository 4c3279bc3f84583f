import { expect, it } from 'vitest';
import { batchHarness } from './sim-batch-harness.js';

function setup(consistencyDelaySeconds?: number, region = 'us-east-1', vcpus = '1') {
  const { call, advance, state } = batchHarness({
    queues: ['gpu-queue'],
    region,
    ...(consistencyDelaySeconds ? { consistencyDelaySeconds } : {}),
  });
  call('RegisterJobDefinition', {
    jobDefinitionName: 'step',
    type: 'container',
    containerProperties: { image: 'lab/step:1', vcpus: Number(vcpus), memory: 2048 },
    tags: { team: 'imaging' },
  });
  const job = call('SubmitJob', {
    jobName: 'one',
    jobQueue: 'gpu-queue',
    jobDefinition: 'step',
    tags: { 'labops:project': 'neuro-lab' },
  });
  return { call, job, advance, state };
}

it.each([
  ['a job', (job: any) => job.jobArn, { 'labops:project': 'neuro-lab' }],
  ['a job definition', () => 'arn:aws:batch:us-east-1:123456789012:job-definition/step:1', { team: 'imaging' }],
  ['a job queue', () => 'arn:aws:batch:us-east-1:123456789012:job-queue/gpu-queue', {}],
  ['a compute environment', () => 'arn:aws:batch:us-east-1:123456789012:compute-environment/gpu-queue-ce', {}],
])('lists, adds and removes the tags of %s', (_kind, arnOf, initial) => {
  const { call, job } = setup();
  const resourceArn = arnOf(job);

  const before = call('ListTagsForResource', { resourceArn }).tags;
  call('TagResource', { resourceArn, tags: { owner: 'ada' } });
  const added = call('ListTagsForResource', { resourceArn }).tags;
  call('UntagResource', { resourceArn, tagKeys: ['owner'] });

  expect(before).toEqual(initial);
  expect(added).toEqual({ ...initial, owner: 'ada' });
  expect(call('ListTagsForResource', { resourceArn }).tags).toEqual(initial);
});

it('hides a just-submitted job from reads under an eventual-consistency fault', () => {
  const { call, job } = setup(30);

  const described = call('DescribeJobs', { jobs: [job.jobId] }).jobs;
  const listed = call('ListJobs', { jobQueue: 'gpu-queue', jobStatus: 'SUBMITTED' }).jobSummaryList;

  expect([described, listed]).toEqual([[], []]);
});

it('gives jobs UUID-shaped ids', () => {
  const { job } = setup();

  expect(job.jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
});

it.each([
  // The queue's compute environment names no instance types: `optimal` (C, M and R families).
  ['us-east-1', '1', 'RUNNING', 'BoxUsage:c6i.large'],
  ['eu-west-1', '1', 'RUNNING', 'BoxUsage:c6i.large'],
  ['us-east-1', '1000', 'RUNNABLE', undefined],
])('places a job in %s needing %s vCPUs: %s on %s', (region, vcpus, status, usageType) => {
  const { call, job, advance, state } = setup(undefined, region, vcpus);

  advance(300);
  const [detail] = call('DescribeJobs', { jobs: [job.jobId] }).jobs;

  expect(detail.status).toBe(status);
  expect(state.usage[0]?.usageType).toBe(usageType);
  if (status === 'RUNNABLE') expect(detail.statusReason).toMatch(/^MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT/);
});
