/**
 * What a run reads about Jobs: DescribeJobs (100 ids a call) for recorded jobs Batch may still be
 * running, and one paginated DescribeJobQueues per Region a Job is still to be submitted in.
 */
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import { FINAL_JOB_STATES, FORGOTTEN_JOB_STATE, jobTaggedFor } from '../../model/job.js';
import type { ObservedJob } from '../../model/job.js';
import type { Observed } from '../../model/observed.js';
import type { RunRecord } from '../../model/record.js';
import { currentSubmission } from './plan.js';
import { recordJobStatuses } from './record.js';
import { jobRunCost, priceable } from './run-cost.js';
import type { JobRunCost } from './run-cost.js';

/** The Job slice of Observed. */
export type ObservedJobs = Pick<Observed, 'jobs' | 'jobQueues'>;

/** Recorded jobs whose end labops has not seen: the ones to ask Batch about. */
export function openJobIds(record: RunRecord): string[] {
  return record.jobs
    .filter(
      (j) =>
        j.cancelledAt === undefined && j.status !== FORGOTTEN_JOB_STATE && !FINAL_JOB_STATES.includes(j.status ?? ''),
    )
    .map((j) => j.jobId);
}

/** Regions where a Job is still to be submitted (no submission of its spec hash and rerun in the record). */
export function submissionRegions(desired: Desired, record: RunRecord): string[] {
  return [
    ...new Set(desired.jobs.filter((j) => currentSubmission(j, record.jobs) === undefined).map((j) => j.region)),
  ].sort();
}

/**
 * Recorded jobs not yet final, and the job queues of every Region a Job is still to be submitted
 * in (however many Jobs); what Batch said about the recorded jobs comes back as a record patch.
 */
export async function observeJobs({ desired, ports, record, now }: ObserveInputs): Promise<Observation<ObservedJobs>> {
  const asked = openJobIds(record);
  const ids = new Set(asked);
  const open = record.jobs.filter((j) => ids.has(j.jobId));
  const regions = [...new Set(open.map((j) => j.region))].sort();
  const described =
    open.length === 0
      ? []
      : (
          await Promise.all(
            regions.map((r) =>
              ports.batch.describeJobs(
                r,
                open.filter((j) => j.region === r).map((j) => j.jobId),
              ),
            ),
          )
        ).flat();
  // The record's ids are untrusted: a job Batch does not tag as the recorded Job of this repo is not observed as it.
  const names = new Map(open.map((j) => [j.jobId, j.name]));
  const jobs = described.filter((j) => jobTaggedFor(j, desired.lab.repo, names.get(j.jobId) ?? ''));
  const queueRegions = submissionRegions(desired, record);
  const jobQueues =
    queueRegions.length === 0
      ? {}
      : Object.fromEntries(
          await Promise.all(queueRegions.map(async (r) => [r, await ports.batch.describeJobQueues(r)] as const)),
        );
  return { observed: { jobs, jobQueues }, record: recordJobStatuses(jobs, now, asked, await runCosts(ports, jobs)) };
}

/**
 * The run-time cost estimate of each job seen finished just now (run-cost.ts), by job id: one
 * DescribeJobQueues and DescribeComputeEnvironments per queue they ran in. A queue that cannot be
 * read leaves its jobs unpriced; it never fails the run.
 */
async function runCosts(ports: ObserveInputs['ports'], jobs: readonly ObservedJob[]): Promise<Map<string, JobRunCost>> {
  const costs = new Map<string, JobRunCost>();
  const finished = jobs.filter(priceable);
  const queues = [...new Set(finished.map((j) => `${j.region}\n${j.queue ?? ''}`))];
  const types = new Map<string, string[]>();
  for (const key of queues) {
    const [region = '', queue = ''] = key.split('\n');
    try {
      types.set(key, await ports.batch.queueInstanceTypes(region, queue));
    } catch {
      // Unpriced: the status shows no cost for these jobs rather than a wrong one.
    }
  }
  for (const job of finished) {
    const cost = jobRunCost(job, types.get(`${job.region}\n${job.queue ?? ''}`) ?? []);
    if (cost !== undefined) costs.set(job.jobId, cost);
  }
  return costs;
}
