/**
 * Reading Batch jobs: DescribeJobs (up to 100 ids, unknown ids simply absent) and ListJobs
 * (one queue or array job, status or filters, newest first, paginated).
 */
import { wireText, type SimContext } from '../core/contract.js';
import { JOB_STATUSES, batchStateOf, clientError, specOf } from './model.js';
import type { BatchJob, BatchJobStatus, BatchState } from './model.js';
import { decodeToken, encodeToken, optionalInteger, optionalList, optionalString } from './input.js';
import { jobDetail, jobSummary } from './output.js';
import { findQueue } from './queues.js';

/** Most ids one DescribeJobs call may name. */
export const DESCRIBE_JOBS_MAX = 100;
/** Most jobs one ListJobs page holds with a `jobStatus` or neither `jobStatus` nor `filters`. */
export const LIST_JOBS_MAX = 1000;
/** Most jobs one ListJobs page holds with `filters`. */
export const LIST_JOBS_FILTERED_MAX = 100;

/** DescribeJobs. @throws ClientException for more than 100 ids */
export function describeJobs(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const ids = optionalList(input, 'jobs');
  if (!ids) throw clientError('jobs is required.');
  if (ids.length > DESCRIBE_JOBS_MAX) throw clientError(`jobs can list at most ${DESCRIBE_JOBS_MAX} job ids.`);
  const jobs: Record<string, unknown>[] = [];
  for (const id of ids) {
    const job = typeof id === 'string' ? findJob(batch, ctx.region, id) : undefined;
    if (job && visible(job, ctx)) jobs.push(jobDetail(batch, job, ctx));
  }
  return { jobs };
}

/** A job of the region by id or ARN. */
export function findJob(batch: BatchState, region: string, ref: string): BatchJob | undefined {
  const id = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref;
  const job = batch.jobs[id];
  return job?.region === region ? job : undefined;
}

/** Whether reads see a job yet: under an eventual-consistency fault, young jobs stay hidden. */
function visible(job: BatchJob, ctx: SimContext): boolean {
  const delay = ctx.consistencyDelaySeconds ?? 0;
  return job.createdAt <= ctx.now.getTime() - delay * 1000;
}

interface ListFilter {
  name: string;
  values: string[];
}

function readFilters(input: Record<string, unknown>): ListFilter[] {
  return (optionalList(input, 'filters') ?? []).map((item) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = wireText(entry.name);
    const values = Array.isArray(entry.values) ? entry.values.map(String) : [];
    if (!['JOB_NAME', 'JOB_DEFINITION', 'BEFORE_CREATED_AT', 'AFTER_CREATED_AT'].includes(name)) {
      throw clientError(`Filter name ${name} is not valid.`);
    }
    if (values.length !== 1) throw clientError(`Filter ${name} takes exactly one value.`);
    return { name, values };
  });
}

function globMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  return p.endsWith('*') ? v.startsWith(p.slice(0, -1)) : v === p;
}

function passes(batch: BatchState, job: BatchJob, filter: ListFilter): boolean {
  const value = filter.values[0] ?? '';
  const spec = specOf(batch, job);
  switch (filter.name) {
    case 'JOB_NAME':
      return globMatch(value, spec.jobName, true);
    case 'BEFORE_CREATED_AT':
      return job.createdAt < Number(value);
    case 'AFTER_CREATED_AT':
      return job.createdAt > Number(value);
    default: {
      const nameRev = spec.jobDefinition.split('/').pop() ?? '';
      const name = nameRev.split(':')[0] ?? '';
      return [spec.jobDefinition, nameRev, name].some((candidate) => globMatch(value, candidate, false));
    }
  }
}

function candidates(input: Record<string, unknown>, batch: BatchState, ctx: SimContext): BatchJob[] {
  const queueRef = optionalString(input, 'jobQueue');
  const arrayJobId = optionalString(input, 'arrayJobId');
  const multiNodeJobId = optionalString(input, 'multiNodeJobId');
  if ([queueRef, arrayJobId, multiNodeJobId].filter((v) => v !== undefined).length !== 1) {
    throw clientError('Specify exactly one of jobQueue, arrayJobId or multiNodeJobId.');
  }
  if (arrayJobId !== undefined) {
    const parent = findJob(batch, ctx.region, arrayJobId);
    const size = parent?.spec?.arraySize ?? 0;
    const children: BatchJob[] = [];
    for (let i = 0; i < size; i++) {
      const child = batch.jobs[`${parent?.jobId}:${i}`];
      if (child) children.push(child);
    }
    return children;
  }
  // labops sim runs no multi-node parallel jobs, so such a listing is always empty.
  if (queueRef === undefined) return [];
  const queue = findQueue(batch, ctx.region, queueRef);
  if (!queue) throw clientError(`Job queue ${queueRef} does not exist.`);
  const jobs = Object.values(batch.jobs).filter(
    (job) => job.arrayParentId === undefined && job.region === ctx.region && job.spec?.jobQueue === queue.jobQueueArn,
  );
  // Newest first; among equal creation times the later submission first.
  return jobs.reverse().sort((a, b) => b.createdAt - a.createdAt);
}

/** ListJobs. With neither `jobStatus` nor `filters`, only RUNNING jobs are listed, as in Batch. */
export function listJobs(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const status = optionalString(input, 'jobStatus');
  if (status !== undefined && !JOB_STATUSES.includes(status as BatchJobStatus)) {
    throw clientError(`jobStatus ${status} is not valid.`);
  }
  const filters = readFilters(input);
  const forChildren = input.arrayJobId !== undefined && input.arrayJobId !== null;
  // "When --job-status is used, Batch returns up to 1000 values. When --filters is used, Batch
  // returns up to 100 values. If neither parameter is used, then ListJobs returns up to 1000
  // results": a larger maxResults gets a page of that many and a nextToken.
  const cap = filters.length > 0 ? LIST_JOBS_FILTERED_MAX : LIST_JOBS_MAX;
  const maxResults = Math.min(optionalInteger(input, 'maxResults', 1, Number.MAX_SAFE_INTEGER) ?? cap, cap);
  const offset = decodeToken(optionalString(input, 'nextToken'));
  let jobs = candidates(input, batch, ctx).filter((job) => visible(job, ctx));
  if (filters.length > 0 && !forChildren) {
    jobs = jobs.filter((job) => filters.every((f) => passes(batch, job, f)));
  } else {
    const wanted = status ?? (filters.length > 0 ? undefined : 'RUNNING');
    if (wanted !== undefined) jobs = jobs.filter((job) => job.status === wanted);
  }
  const page = jobs.slice(offset, offset + maxResults);
  const next = offset + maxResults < jobs.length ? encodeToken(offset + maxResults) : undefined;
  return { jobSummaryList: page.map((job) => jobSummary(batch, job, ctx)), ...(next ? { nextToken: next } : {}) };
}
