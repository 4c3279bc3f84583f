/**
 * The spend ledger's Batch part: what each Batch job of the lab's JobQueues ran since Cost
 * Explorer's data end, kept in the run record (`jobRuns`) so labops asks Batch about a job again after it ends,
 * until Cost Explorer's data covers its run. Cost Explorer bills the instances Batch runs to the
 * project (their `labops:project` tag) but its data ends hours behind; this counts that stretch.
 *
 * - Each attempt is counted from its start to its stop, or to now while it runs, × the job's share
 *   of its instance's hourly price (`shareHourlyUSD`, kinds/job/run-cost.ts: the vCPU share the
 *   sim also bills), clipped to `[data end, now]`.
 * - **Which jobs:** every job that ran in one of the lab's own JobQueues, whoever submitted it (only
 *   their compute environments tag the instances with the project, so only they are the project's
 *   in Cost Explorer): labops' own Jobs (the Job kind's open ones), every job RUNNING in those
 *   queues (one ListJobs per queue a run, kinds/job/observe-spend.ts), and every job this ledger
 *   holds, asked again (DescribeJobs, 100 ids a call) until Cost Explorer's data covers its run.
 * - **Batch is the authority, the record is untrusted.** A job is counted only when Batch returns
 *   it this run in one of the lab's queues (a recorded Job's also tagged as this repository's),
 *   and the record's stretches only inside the span Batch shows it running. A forged entry for a job that does not
 *   exist adds nothing; a dropped or shortened one subtracts nothing from what Batch shows. Batch
 *   keeps an ended job for at least 7 days, far longer than the stretch since the data end, so a
 *   job that ran after the data end is always returned.
 * - Array jobs' children are not counted (ListJobs on a queue lists the parent, which has no
 *   attempts): Cost Explorer counts them once its data reaches them (docs/job-queues.md).
 */
import type { ObservedJob } from '../model/job.js';
import type { RunRecord } from '../model/record.js';
import type { JobRunRecord } from '../specs/generated/run-record.js';
import { stretchHours, mergeStretches, recordedStretches, stretchRecords } from './stretches.js';
import type { Stretch } from './stretches.js';

/** Most stretches kept per job (the schema's bound: one per attempt, Batch allows 10). */
const MAX_RUNS = 100;

/** The Batch ledger: by job id. */
export type JobLedger = Record<string, JobRunRecord>;

/** The stretches Batch shows the job's attempts ran, up to now. */
function attemptStretches(job: ObservedJob, nowMs: number): Stretch[] {
  const out: Stretch[] = [];
  for (const attempt of job.attempts ?? []) {
    const open = job.status === 'RUNNING' ? nowMs : (job.stoppedAt ?? attempt.startedAt);
    const to = Math.min(attempt.stoppedAt ?? open, nowMs);
    if (attempt.startedAt < to) out.push({ from: attempt.startedAt, to });
  }
  return mergeStretches(out);
}

/** What Batch shows the job ran, plus the record's stretches inside the span Batch shows. */
function jobStretches(job: ObservedJob, entry: JobRunRecord | undefined, now: Date): Stretch[] {
  const shown = attemptStretches(job, now.getTime());
  const first = shown[0];
  const last = shown[shown.length - 1];
  if (first === undefined || last === undefined) return [];
  const recorded = recordedStretches(entry?.runs, now).map((s) => ({
    from: Math.max(s.from, first.from),
    to: Math.min(s.to, last.to),
  }));
  return mergeStretches([...shown, ...recorded]);
}

/** The project billed for the job: its queue's, when it ran in one of the lab's. */
function projectOf(job: ObservedJob): string | undefined {
  return job.children === undefined ? job.queueProject : undefined;
}

/**
 * The Batch ledger after observing `jobs` at `now`: every job of `projects` Batch shows running
 * after `dataUntilMs`, with those stretches; entries of jobs Batch did not return are dropped.
 */
export function updateJobLedger(
  ledger: JobLedger | undefined,
  jobs: readonly ObservedJob[],
  projects: ReadonlySet<string>,
  now: Date,
  dataUntilMs: number,
): JobLedger {
  const out: JobLedger = {};
  for (const job of jobs) {
    const project = projectOf(job);
    if (project === undefined || !projects.has(project)) continue;
    const runs = jobStretches(job, ledger?.[job.jobId], now)
      .filter((s) => s.to > dataUntilMs)
      .slice(-MAX_RUNS);
    if (runs.length === 0) continue;
    out[job.jobId] = { project, region: job.region, lastSeen: now.toISOString(), runs: stretchRecords(runs) };
  }
  return out;
}

/**
 * What `project`'s Batch jobs cost in `[fromMs, toMs)`: each priced job's attempts (Batch's, and
 * the ledger's inside them) × its share of its instance's hourly price.
 */
export function jobsCostSince(
  project: string,
  jobs: readonly ObservedJob[],
  ledger: JobLedger | undefined,
  fromMs: number,
  toMs: number,
  now: Date,
): number {
  if (toMs <= fromMs) return 0;
  let usd = 0;
  const seen = new Set<string>();
  for (const job of jobs) {
    if (projectOf(job) !== project || job.shareHourlyUSD === undefined || seen.has(job.jobId)) continue;
    seen.add(job.jobId);
    usd += job.shareHourlyUSD * stretchHours(jobStretches(job, ledger?.[job.jobId], now), fromMs, toMs);
  }
  return usd;
}

/** What `project`'s Batch jobs running now cost per hour (their shares of their instances). */
export function runningJobsHourlyUSD(project: string, jobs: readonly ObservedJob[]): number {
  let usd = 0;
  for (const job of jobs) if (job.status === 'RUNNING' && projectOf(job) === project) usd += job.shareHourlyUSD ?? 0;
  return usd;
}

/** The record with the Batch ledger replaced (an empty ledger leaves the field out). */
export function withJobLedger(record: RunRecord, ledger: JobLedger): RunRecord {
  const { jobRuns: _dropped, ...rest } = record;
  return Object.keys(ledger).length ? { ...rest, jobRuns: ledger } : rest;
}
