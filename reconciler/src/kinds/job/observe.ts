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
 * Recorded jobs whose attempts the spend ledger still counts (the run record's `jobRuns`, kept
 * while they ran after Cost Explorer's data end) and labops no longer asks about as open: asked
 * again so that their run time comes from Batch, not from the untrusted record.
 */
export function ledgerJobIds(record: RunRecord, open: ReadonlySet<string>): string[] {
  const runs = record.jobRuns ?? {};
  return record.jobs.filter((j) => Object.hasOwn(runs, j.jobId) && !open.has(j.jobId)).map((j) => j.jobId);
}

/**
 * Recorded jobs not yet final and those the spend ledger counts, and the job queues of every
 * Region a Job is still to be submitted in (however many Jobs); what Batch said about the open
 * jobs comes back as a record patch. Every job is priced at its share of an instance (run-cost.ts).
 */
export async function observeJobs({ desired, ports, record, now }: ObserveInputs): Promise<Observation<ObservedJobs>> {
  const asked = openJobIds(record);
  const ids = new Set(asked);
  const counted = new Set(ledgerJobIds(record, ids));
  const wanted = record.jobs.filter((j) => ids.has(j.jobId) || counted.has(j.jobId));
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
  // The record's ids are untrusted: a job Batch does not tag as the recorded Job of this repo is not observed as it.
  const names = new Map(wanted.map((j) => [j.jobId, j.name]));
  const jobs = described.filter((j) => jobTaggedFor(j, desired.lab.repo, names.get(j.jobId) ?? ''));
  const queueRegions = submissionRegions(desired, record);
  const jobQueues =
    queueRegions.length === 0
      ? {}
      : Object.fromEntries(
          await Promise.all(queueRegions.map(async (r) => [r, await ports.batch.describeJobQueues(r)] as const)),
        );
  const costs = await priceJobs(ports, jobs);
  const open = jobs.filter((j) => ids.has(j.jobId));
  return { observed: { jobs, jobQueues }, record: recordJobStatuses(open, now, asked, costs) };
}

/**
 * Prices the jobs: each one's share of an hour of its instance (`shareHourlyUSD`, for the spend
 * ledger) and, for each seen finished just now, its run-time cost (run-cost.ts), by job id. One
 * DescribeJobQueues and DescribeComputeEnvironments per queue they ran in; a queue that cannot be
 * read leaves its jobs unpriced; it never fails the run.
 */
async function priceJobs(
  ports: ObserveInputs['ports'],
  jobs: readonly ObservedJob[],
): Promise<Map<string, JobRunCost>> {
  const costs = new Map<string, JobRunCost>();
  const sized = jobs.filter((j) => j.needs !== undefined && j.queue !== undefined && j.children === undefined);
  const queues = [...new Set(sized.map((j) => `${j.region}\n${j.queue ?? ''}`))];
  const types = new Map<string, string[]>();
  for (const key of queues) {
    const [region = '', queue = ''] = key.split('\n');
    try {
      types.set(key, await ports.batch.queueInstanceTypes(region, queue));
    } catch {
      // Unpriced: the status shows no cost for these jobs rather than a wrong one.
    }
  }
  for (const job of sized) {
    const allowed = types.get(`${job.region}\n${job.queue ?? ''}`) ?? [];
    const share = jobShare(job, allowed);
    if (share !== undefined) job.shareHourlyUSD = share.hourlyUSD;
    const cost = priceable(job) ? jobRunCost(job, allowed) : undefined;
    if (cost !== undefined) costs.set(job.jobId, cost);
  }
  return costs;
}
