/**
 * The SnapshotSchedule and Job section of `labops status`: from the run record (last slot taken,
 * job submissions and the statuses last seen, which Batch forgets after a week) and the observed
 * snapshots (how many each schedule keeps now), plus the next slot from the cron. Pure: a
 * function of (desired, observed, record, now), rendered as text, markdown or JSON rows.
 */
import type { Desired } from '../model/desired.js';
import type { Observed } from '../model/observed.js';
import type { RunRecord } from '../model/record.js';
import { SCHEDULE_TAG } from '../model/schedule.js';
import { compareText } from '../model/problem.js';
import { currentSubmission } from '../kinds/job/plan.js';
import { madeForSchedule } from '../model/snapshot-retention.js';
import { formatSlot, nextSlot } from '../model/snapshot-slots.js';
import { markdownCell } from './plan-markdown.js';
import { alignRows } from './status-text.js';

/** One schedule now. Fields without a value are `null`. */
export interface ScheduleStatus {
  name: string;
  type: 'volumes' | 'image';
  cron: string;
  timezone: string;
  /** ISO-8601 of the last slot taken. */
  lastSlot: string | null;
  /** ISO-8601 of when it was taken. */
  lastRunAt: string | null;
  nextSlot: string | null;
  /** Originals (snapshots or images) kept now, and copies in other Regions. */
  kept: number;
  copies: number;
  workstations: string[];
}

/** One Job submission (the current spec's, or an older one still in the record). */
export interface JobStatus {
  name: string;
  jobName: string;
  jobId: string;
  region: string;
  /** Last status seen, `CANCELLED` when labops stopped it. */
  status: string;
  /** Array children by status, e.g. `{ SUCCEEDED: 9, RUNNING: 3 }`. */
  children: Record<string, number> | null;
  submittedAt: string;
  /** When the status was seen. */
  statusAt: string | null;
  /** True for the submission of the spec as it is now (spec hash and rerun). */
  current: boolean;
}

/** Both lists. */
export interface SchedulesJobsStatus {
  schedules: ScheduleStatus[];
  jobs: JobStatus[];
}

/** Builds the section. */
export function buildSchedulesJobsStatus(
  desired: Desired,
  observed: Observed,
  record: RunRecord,
  now: Date,
): SchedulesJobsStatus {
  const schedules = [...(desired.schedules ?? [])]
    .sort((a, b) => compareText(a.name, b.name))
    .map((s): ScheduleStatus => {
      const made = [
        ...(observed.snapshots ?? []).filter((x) => x.tags['labops:volume'] !== undefined),
        ...observed.images,
      ].filter((x) => madeForSchedule(x.tags, desired.lab.repo, s.name));
      const entry = record.schedules[s.name];
      return {
        name: s.name,
        type: s.type,
        cron: s.cron,
        timezone: s.timezone,
        lastSlot: entry?.lastSlot ?? null,
        lastRunAt: entry?.lastRunAt ?? null,
        nextSlot: nextSlot(s, now) ?? null,
        kept: made.filter((x) => x.tags[SCHEDULE_TAG.copyOf] === undefined).length,
        copies: made.filter((x) => x.tags[SCHEDULE_TAG.copyOf] !== undefined).length,
        workstations: [...s.workstations],
      };
    });
  const currentIds = new Set(
    (desired.jobs ?? [])
      .map((j) => currentSubmission(j, record.jobs)?.jobId)
      .filter((id): id is string => id !== undefined),
  );
  const jobs = [...record.jobs]
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.submittedAt, b.submittedAt))
    .map((j): JobStatus => ({
      name: j.name,
      jobName: j.jobName,
      jobId: j.jobId,
      region: j.region,
      status: j.cancelledAt !== undefined && j.status !== 'SUCCEEDED' ? 'CANCELLED' : (j.status ?? 'SUBMITTED'),
      children: j.children ?? null,
      submittedAt: j.submittedAt,
      statusAt: j.statusAt ?? null,
      current: currentIds.has(j.jobId),
    }));
  return { schedules, jobs };
}

function progress(j: JobStatus): string {
  if (j.children === null) return j.status;
  const total = Object.values(j.children).reduce((a, b) => a + b, 0);
  const done = (j.children.SUCCEEDED ?? 0) + (j.children.FAILED ?? 0);
  const parts = Object.keys(j.children)
    .sort()
    .map((k) => `${j.children![k]} ${k.toLowerCase()}`);
  return `${j.status} (${done}/${total} done: ${parts.join(', ')})`;
}

function slotCell(iso: string | null, tz: string): string {
  return iso === null ? '-' : formatSlot(iso, tz);
}

/** Rows of the two tables (header first). */
function tables(status: SchedulesJobsStatus): { schedules: string[][]; jobs: string[][] } {
  return {
    schedules: [
      ['SCHEDULE', 'TYPE', 'CRON', 'LAST SLOT', 'NEXT SLOT', 'KEPT', 'COPIES', 'WORKSTATIONS'],
      ...status.schedules.map((s) => [
        s.name,
        s.type,
        s.cron,
        slotCell(s.lastSlot, s.timezone),
        slotCell(s.nextSlot, s.timezone),
        String(s.kept),
        String(s.copies),
        s.workstations.join(', ') || '-',
      ]),
    ],
    jobs: [
      ['JOB', 'BATCH JOB', 'JOB ID', 'SUBMITTED', 'PROGRESS'],
      ...status.jobs.map((j) => [
        j.current ? j.name : `${j.name} (earlier spec)`,
        j.jobName,
        j.jobId,
        `${j.submittedAt.slice(0, 16).replace('T', ' ')}Z`,
        progress(j),
      ]),
    ],
  };
}

/** The section as aligned text; empty when the lab has neither schedules nor recorded jobs. */
export function renderSchedulesJobsText(status: SchedulesJobsStatus): string {
  const { schedules, jobs } = tables(status);
  const out: string[] = [];
  if (status.schedules.length > 0) out.push('', 'Snapshot schedules:', ...alignRows(schedules).map((l) => `  ${l}`));
  if (status.jobs.length > 0)
    out.push(
      '',
      'Jobs (from the run record; Batch forgets jobs a week after they end):',
      ...alignRows(jobs).map((l) => `  ${l}`),
    );
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** The section as markdown tables. */
export function renderSchedulesJobsMarkdown(status: SchedulesJobsStatus): string {
  const { schedules, jobs } = tables(status);
  const table = (rows: string[][]): string[] => [
    `| ${rows[0]!.join(' | ')} |`,
    `|${rows[0]!.map(() => ' --- ').join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
  const out: string[] = [];
  if (status.schedules.length > 0) out.push('', '#### Snapshot schedules', '', ...table(schedules));
  if (status.jobs.length > 0) out.push('', '#### Jobs', '', ...table(jobs));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
