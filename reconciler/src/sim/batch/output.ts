/**
 * The Batch output shapes of a job: `JobDetail` (DescribeJobs) and `JobSummary` (ListJobs),
 * with times as epoch milliseconds like the real service.
 */
import type { SimContext } from '../core/contract.js';
import { JOB_STATUSES, specOf } from './model.js';
import type { BatchJob, BatchState } from './model.js';

/** `arn:aws:batch:REGION:ACCOUNT:job/ID` of a job. */
export function jobArnOf(job: BatchJob, ctx: SimContext): string {
  return `arn:aws:batch:${job.region}:${ctx.config.accountId}:job/${job.jobId}`;
}

/** Children of an array parent counted by status, every status present. */
export function statusSummary(batch: BatchState, parent: BatchJob): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]));
  for (let i = 0; i < (parent.spec?.arraySize ?? 0); i++) {
    const child = batch.jobs[`${parent.jobId}:${i}`];
    if (child) counts[child.status] = (counts[child.status] ?? 0) + 1;
  }
  return counts;
}

function arrayProperties(
  batch: BatchState,
  job: BatchJob,
  now: number,
  full: boolean,
): Record<string, unknown> | undefined {
  if (job.arrayIndex !== undefined) return { index: job.arrayIndex };
  const size = job.spec?.arraySize;
  if (size === undefined) return undefined;
  if (!full) return { size };
  return { statusSummary: statusSummary(batch, job), statusSummaryLastUpdatedAt: now, size };
}

function optional(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The `JobDetail` of a job, as DescribeJobs answers it. */
export function jobDetail(batch: BatchState, job: BatchJob, ctx: SimContext): Record<string, unknown> {
  const spec = specOf(batch, job);
  const last = job.attempts[job.attempts.length - 1];
  const dependsOn = job.arrayIndex === undefined ? spec.dependsOn : job.waitsFor.map((jobId) => ({ jobId }));
  return optional({
    jobArn: jobArnOf(job, ctx),
    jobName: spec.jobName,
    jobId: job.jobId,
    jobQueue: spec.jobQueue,
    status: job.status,
    statusReason: job.statusReason,
    attempts: job.attempts.map((a) =>
      optional({
        container: optional({ exitCode: a.exitCode, reason: a.reason, logStreamName: a.logStreamName }),
        startedAt: a.startedAt,
        stoppedAt: a.stoppedAt,
        statusReason: a.statusReason,
      }),
    ),
    createdAt: job.createdAt,
    retryStrategy: { attempts: spec.maxAttempts, evaluateOnExit: spec.evaluateOnExit },
    startedAt: job.startedAt,
    stoppedAt: job.stoppedAt,
    dependsOn,
    jobDefinition: spec.jobDefinition,
    parameters: spec.parameters,
    container: optional({
      image: spec.container.image,
      command: spec.container.command,
      environment: [
        ...spec.container.environment,
        ...(job.arrayIndex !== undefined ? [{ name: 'AWS_BATCH_JOB_ARRAY_INDEX', value: String(job.arrayIndex) }] : []),
      ],
      resourceRequirements: spec.container.resourceRequirements,
      exitCode: last?.exitCode,
      reason: last?.reason,
      logStreamName: last?.logStreamName,
    }),
    timeout: spec.timeoutSeconds !== undefined ? { attemptDurationSeconds: spec.timeoutSeconds } : undefined,
    arrayProperties: arrayProperties(batch, job, ctx.now.getTime(), true),
    tags: spec.tags,
    propagateTags: spec.propagateTags,
    platformCapabilities: ['EC2'],
  });
}

/** The `JobSummary` of a job, as ListJobs answers it. */
export function jobSummary(batch: BatchState, job: BatchJob, ctx: SimContext): Record<string, unknown> {
  const spec = specOf(batch, job);
  const last = job.attempts[job.attempts.length - 1];
  return optional({
    jobArn: jobArnOf(job, ctx),
    jobId: job.jobId,
    jobName: spec.jobName,
    createdAt: job.createdAt,
    status: job.status,
    statusReason: job.statusReason,
    startedAt: job.startedAt,
    stoppedAt: job.stoppedAt,
    container: last ? optional({ exitCode: last.exitCode, reason: last.reason }) : undefined,
    arrayProperties: arrayProperties(batch, job, ctx.now.getTime(), false),
    jobDefinition: spec.jobDefinition,
  });
}
