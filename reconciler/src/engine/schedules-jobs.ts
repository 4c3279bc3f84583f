/**
 * The SnapshotSchedule and Job steps of a run: settle their specs into Desired, observe what they
 * need (one tag-filtered DescribeSnapshots per Region when the lab has schedules or restores;
 * DescribeJobs, 100 ids a call, for recorded jobs Batch may still be running; one paginated
 * DescribeJobQueues per Region a Job is still to be submitted in), plan them with the
 * pure planners, and merge their actions into the workstation plan.
 */
import type { AwsPorts } from '../aws/ports.js';
import type { Desired } from '../model/desired.js';
import { FINAL_JOB_STATES, FORGOTTEN_JOB_STATE, jobTaggedFor } from '../model/job.js';
import type { ObservedJob, ObservedJobQueue } from '../model/job.js';
import type { Observed } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { RunRecord } from '../model/record.js';
import type { ObservedSnapshot } from '../model/schedule.js';
import { orderActions, roundUSD } from './actions.js';
import { compareText } from '../model/problem.js';
import { PLAN_ORDER } from './registry.js';
import { currentSubmission, planJobs } from '../kinds/job/plan.js';
import type { BudgetOverride } from '../model/budget.js';
import { planSnapshots } from '../kinds/snapshot-schedule/plan.js';
import { buildSchedulesAndJobs } from '../specs/desired-schedules.js';
import type { LabValidation } from '../specs/validate.js';

/** Adds the lab's SnapshotSchedules and Jobs (defaults settled) to Desired. */
export function withSchedulesAndJobs(desired: Desired, validation: LabValidation): Desired {
  const built = buildSchedulesAndJobs(validation, {
    timezone: desired.lab.calendar.timezone,
    defaultRegion: desired.lab.defaultRegion,
  });
  return { ...desired, ...built };
}

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
    ...new Set(
      (desired.jobs ?? []).filter((j) => currentSubmission(j, record.jobs) === undefined).map((j) => j.region),
    ),
  ].sort();
}

/**
 * Schedule snapshots (only when a schedule or a restore needs them), recorded jobs not yet final,
 * and the job queues of every Region a Job is still to be submitted in (one paginated
 * DescribeJobQueues per Region, however many Jobs).
 */
export async function observeSchedulesAndJobs(
  desired: Desired,
  ports: AwsPorts,
  record: RunRecord,
): Promise<{ snapshots?: ObservedSnapshot[]; jobs?: ObservedJob[]; jobQueues?: Record<string, ObservedJobQueue[]> }> {
  const needSnapshots =
    (desired.schedules ?? []).length > 0 || desired.workstations.some((w) => w.restoreFrom !== undefined);
  const snapshots = needSnapshots ? await ports.ec2.observeSnapshots(desired.lab.regions, desired.lab.repo) : undefined;
  const ids = new Set(openJobIds(record));
  const open = record.jobs.filter((j) => ids.has(j.jobId));
  const regions = [...new Set(open.map((j) => j.region))].sort();
  const described =
    open.length === 0
      ? undefined
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
  const jobs = described?.filter((j) => jobTaggedFor(j, desired.lab.repo, names.get(j.jobId) ?? ''));
  const queueRegions = submissionRegions(desired, record);
  const jobQueues =
    queueRegions.length === 0
      ? undefined
      : Object.fromEntries(
          await Promise.all(queueRegions.map(async (r) => [r, await ports.batch.describeJobQueues(r)] as const)),
        );
  return {
    ...(snapshots === undefined ? {} : { snapshots }),
    ...(jobs === undefined ? {} : { jobs }),
    ...(jobQueues === undefined ? {} : { jobQueues }),
  };
}

/**
 * The workstation plan with the schedule and job actions (and refusals) added.
 * @param overrides budget actions in force (the budget step's), so `block-launches` refuses Job submissions too. @default []
 */
export function withScheduleAndJobActions(
  plan: Plan,
  desired: Desired,
  observed: Observed,
  record: RunRecord,
  now: Date,
  overrides: readonly BudgetOverride[] = [],
): Plan {
  const snapshots = planSnapshots(desired, observed, record.schedules, now);
  const jobs = planJobs(desired, observed, record.jobs, overrides);
  const actions = orderActions([...plan.actions, ...snapshots, ...jobs.actions], PLAN_ORDER);
  const refusals = [...plan.refusals, ...jobs.refusals].sort(
    (a, b) =>
      compareText(a.code, b.code) ||
      compareText(a.resource?.name ?? '', b.resource?.name ?? '') ||
      compareText(a.message, b.message),
  );
  return {
    ...plan,
    actions,
    refusals,
    monthlyDeltaUSD: roundUSD(actions.reduce((sum, a) => sum + a.monthlyDeltaUSD, 0)),
  };
}
