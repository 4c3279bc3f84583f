/**
 * What a run reads about Jobs: DescribeJobs (100 ids a call) for recorded jobs Batch may still be
 * running or whose run time the spend ledger counts, and one paginated DescribeJobQueues per
 * Region a Job is still to be submitted in.
 */
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import { FINAL_JOB_STATES, FORGOTTEN_JOB_STATE, jobTaggedFor } from '../../model/job.js';
import type { ObservedJob } from '../../model/job.js';
import type { Observed } from '../../model/observed.js';
import type { RunRecord } from '../../model/record.js';
import { currentSubmission } from './plan.js';
import { recordJobStatuses } from './record.js';
import { jobRunCost, jobShare, priceable } from './run-cost.js';
import { labQueueOf, labQueues, spendJobRefs } from './observe-spend.js';
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
 * Recorded jobs not yet final and those the spend ledger counts, the jobs running in the lab's own
 * JobQueues (observe-spend.ts), and the job queues of every Region a Job is still to be submitted
 * in (however many Jobs); what Batch said about the open jobs comes back as a record patch. A job
 * in one of the lab's queues is priced at its share of an instance (run-cost.ts), for the spend
 * estimate (cost/job-ledger.ts).
 */
export async function observeJobs({ desired, ports, record, now }: ObserveInputs): Promise<Observation<ObservedJobs>> {
  const asked = openJobIds(record);
  const ids = new Set(asked);
  const runs = record.jobRuns ?? {};
  const recorded = record.jobs.filter((j) => ids.has(j.jobId) || Object.hasOwn(runs, j.jobId));
  const names = new Map(recorded.map((j) => [j.jobId, j.name]));
  const wanted = [...recorded, ...(await spendJobRefs(desired, ports, record, new Set(names.keys())))];
  const regions = [...new Set(wanted.map((j) => j.region))].sort();
  const described =
    wanted.length === 0
      ? []
      : (
          await Promise.all(
            regions.map((r) =>
              ports.batch.describeJobs(
                r,
                wanted.filter((j) => j.region === r).map((j) => j.jobId),
              ),
            ),
          )
        ).flat();
  const queues = labQueues(desired);
  const jobs: ObservedJob[] = [];
  for (const job of described) {
    const queue = labQueueOf(job, queues);
    if (queue !== undefined) {
      // Priced on the queue's declared instance types: no DescribeJobQueues a run for running jobs.
      job.queueProject = queue.project;
      const share = jobShare(job, queue.instanceTypes);
      if (share !== undefined) job.shareHourlyUSD = share.hourlyUSD;
    }
    const name = names.get(job.jobId);
    // The record's ids are untrusted: a job Batch does not tag as the recorded Job of this repo is
    // not observed as it; any other job only when it ran in one of the lab's queues.
    if (name === undefined ? queue !== undefined : jobTaggedFor(job, desired.lab.repo, name)) jobs.push(job);
  }
  const queueRegions = submissionRegions(desired, record);
  const jobQueues =
    queueRegions.length === 0
      ? {}
      : Object.fromEntries(
          await Promise.all(queueRegions.map(async (r) => [r, await ports.batch.describeJobQueues(r)] as const)),
        );
  const open = jobs.filter((j) => ids.has(j.jobId));
  return { observed: { jobs, jobQueues }, record: recordJobStatuses(open, now, asked, await runCosts(ports, open)) };
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
