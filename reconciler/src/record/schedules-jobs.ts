/**
 * Keeping the run record in step for SnapshotSchedules and Jobs (facts AWS forgets): the last
 * slot each schedule took, once every snapshot action of that slot is done; every Batch job
 * submitted (or found submitted by an earlier run), kept forever; statuses Batch reports, with
 * array child counts; jobs labops cancelled. Mutates the record it is given, like the budget step.
 */
import type { ApplyResult } from '../engine/apply/types.js';
import { FORGOTTEN_JOB_STATE } from '../model/job.js';
import type { ObservedJob } from '../model/job.js';
import type { Plan } from '../model/plan.js';
import type { RunRecord } from '../model/record.js';
import { recordedTime } from '../model/record-time.js';

/** Batch keeps ended jobs at least this long: a job it does not return after that has ended unseen. */
const FORGET_MS = 7 * 86_400_000;

/**
 * Records what Batch said about recorded jobs just now. `asked` are the ids described: one of them
 * not returned, submitted more than a week ago, has ended without labops seeing how (FORGOTTEN).
 */
export function recordJobStatuses(
  record: RunRecord,
  jobs: readonly ObservedJob[],
  now: Date,
  asked: readonly string[] = [],
): void {
  const byId = new Map(jobs.map((j) => [j.jobId, j]));
  const wasAsked = new Set(asked);
  for (const entry of record.jobs) {
    const seen = byId.get(entry.jobId);
    if (seen === undefined) {
      // A submission time in the future is untrusted (model/record-time.ts): counted as long ago.
      const submittedAt = recordedTime(entry.submittedAt, now);
      if (
        wasAsked.has(entry.jobId) &&
        (submittedAt === undefined || now.getTime() - Date.parse(submittedAt) > FORGET_MS)
      ) {
        entry.status = FORGOTTEN_JOB_STATE;
        entry.statusAt = now.toISOString();
      }
      continue;
    }
    entry.status = seen.status;
    entry.statusAt = now.toISOString();
    if (seen.children !== undefined) entry.children = { ...seen.children };
  }
}

/** Records the slots taken, jobs submitted and jobs stopped by an apply. */
export function recordApplied(record: RunRecord, plan: Plan, applied: ApplyResult, now: Date): void {
  const at = now.toISOString();
  const status = new Map(applied.results.map((r) => [r.actionId, r]));
  const slots = new Map<string, { slot: string; done: boolean }>();
  for (const action of plan.actions) {
    const d = action.details;
    const result = status.get(action.id);
    if (d.kind === 'snapshot') {
      const entry = slots.get(d.schedule) ?? { slot: d.slot, done: true };
      entry.done &&= result?.status === 'done';
      slots.set(d.schedule, entry);
    } else if (d.kind === 'submit-job' && result?.status === 'done' && result.jobId !== undefined) {
      if (record.jobs.some((j) => j.jobId === result.jobId)) continue;
      record.jobs.push({
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
    } else if (d.kind === 'cancel-job' && result?.status === 'done') {
      const entry = record.jobs.find((j) => j.jobId === d.jobId);
      if (entry !== undefined) entry.cancelledAt = at;
    }
  }
  for (const [schedule, { slot, done }] of slots)
    if (done) record.schedules[schedule] = { ...record.schedules[schedule], lastSlot: slot, lastRunAt: at };
}

/**
 * Notes when each schedule was first applied: its first snapshot is at the next slot after that
 * (DLM). A first sighting or last slot in the future counts as none (model/record-time.ts).
 */
export function recordSchedulesSeen(record: RunRecord, schedules: readonly string[], now: Date): void {
  for (const name of schedules) {
    const entry = record.schedules[name];
    if (recordedTime(entry?.firstSeenAt, now) === undefined && recordedTime(entry?.lastSlot, now) === undefined)
      record.schedules[name] = { ...entry, firstSeenAt: now.toISOString() };
  }
}
