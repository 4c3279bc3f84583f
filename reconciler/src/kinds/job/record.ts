/**
 * Keeping the run record in step for Jobs (facts AWS forgets): every Batch job submitted (or found
 * submitted by an earlier run), kept forever; statuses Batch reports, with array child counts; jobs
 * labops cancelled. Each function returns a patch (model/record.ts): the record is never changed in place.
 */
import type { ApplyResult } from '../../engine/apply/types.js';
import { FORGOTTEN_JOB_STATE } from '../../model/job.js';
import type { ObservedJob } from '../../model/job.js';
import type { Plan } from '../../model/plan.js';
import type { JobRecord, RecordPatch } from '../../model/record.js';
import { recordedTime } from '../../model/record-time.js';

/** Batch keeps ended jobs at least this long: a job it does not return after that has ended unseen. */
const FORGET_MS = 7 * 86_400_000;

/**
 * Records what Batch said about recorded jobs just now. `asked` are the ids described: one of them
 * not returned, submitted more than a week ago, has ended without labops seeing how (FORGOTTEN).
 * `costs` are the run-time cost estimates of the jobs seen finished (run-cost.ts).
 */
export function recordJobStatuses(
  jobs: readonly ObservedJob[],
  now: Date,
  asked: readonly string[] = [],
  costs: ReadonlyMap<string, NonNullable<JobRecord['cost']>> = new Map(),
): RecordPatch {
  const byId = new Map(jobs.map((j) => [j.jobId, j]));
  const wasAsked = new Set(asked);
  const at = now.toISOString();
  const next = (entry: JobRecord): JobRecord => {
    const seen = byId.get(entry.jobId);
    if (seen === undefined) {
      // A submission time in the future is untrusted (model/record-time.ts): counted as long ago.
      const submittedAt = recordedTime(entry.submittedAt, now);
      const forgotten =
        wasAsked.has(entry.jobId) && (submittedAt === undefined || now.getTime() - Date.parse(submittedAt) > FORGET_MS);
      return forgotten ? { ...entry, status: FORGOTTEN_JOB_STATE, statusAt: at } : entry;
    }
    return {
      ...entry,
      status: seen.status,
      statusAt: at,
      ...(seen.children === undefined ? {} : { children: { ...seen.children } }),
      ...(costs.has(entry.jobId) ? { cost: { ...(costs.get(entry.jobId) as NonNullable<JobRecord['cost']>) } } : {}),
    };
  };
  return (record) => ({ ...record, jobs: record.jobs.map(next) });
}

/** Records the jobs an apply submitted and the jobs it stopped. */
export function recordJobsApplied(plan: Plan, applied: ApplyResult, now: Date): RecordPatch {
  const at = now.toISOString();
  const status = new Map(applied.results.map((r) => [r.actionId, r]));
  return (record) => {
    const jobs = [...record.jobs];
    const cancelled = new Set<string>();
    for (const action of plan.actions) {
      const d = action.details;
      const result = status.get(action.id);
      if (d.kind === 'submit-job' && result?.status === 'done' && result.jobId !== undefined) {
        if (jobs.some((j) => j.jobId === result.jobId)) continue;
        jobs.push({
          name: d.job,
          specHash: d.specHash,
          rerun: d.rerun,
          region: action.region,
          jobId: result.jobId,
          jobName: d.jobName,
          submittedAt: at,
          status: 'SUBMITTED',
          statusAt: at,
        });
      } else if (d.kind === 'cancel-job' && result?.status === 'done') cancelled.add(d.jobId);
    }
    const stopped = new Set([...cancelled].flatMap((id) => jobs.find((j) => j.jobId === id) ?? []));
    return { ...record, jobs: jobs.map((j) => (stopped.has(j) ? { ...j, cancelledAt: at } : j)) };
  };
}
