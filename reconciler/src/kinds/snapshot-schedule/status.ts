/**
 * The SnapshotSchedule section of `labops status`: from the run record (last slot taken) and the
 * observed snapshots and images (how many each schedule keeps now), plus the next slot from the
 * cron. Pure: a function of (desired, observed, record, now), rendered as text, markdown or JSON rows.
 */
import type { StatusSection } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import { compareText } from '../../model/problem.js';
import type { RunRecord } from '../../model/record.js';
import { SCHEDULE_TAG } from '../../model/schedule.js';
import { madeForSchedule } from '../../model/snapshot-retention.js';
import { formatSlot, nextSlot } from '../../model/snapshot-slots.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { alignRows } from '../../report/status-text.js';

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

/** Every schedule now, by name. */
export function buildScheduleStatus(
  desired: Desired,
  observed: Observed,
  record: RunRecord,
  now: Date,
): ScheduleStatus[] {
  return [...desired.schedules]
    .sort((a, b) => compareText(a.name, b.name))
    .map((s): ScheduleStatus => {
      const made = [
        ...observed.snapshots.filter((x) => x.tags['labops:volume'] !== undefined),
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
}

function slotCell(iso: string | null, tz: string): string {
  return iso === null ? '-' : formatSlot(iso, tz);
}

const HEADER = ['SCHEDULE', 'TYPE', 'CRON', 'LAST SLOT', 'NEXT SLOT', 'KEPT', 'COPIES', 'WORKSTATIONS'];

function rows(schedules: readonly ScheduleStatus[]): string[][] {
  return schedules.map((s) => [
    s.name,
    s.type,
    s.cron,
    slotCell(s.lastSlot, s.timezone),
    slotCell(s.nextSlot, s.timezone),
    String(s.kept),
    String(s.copies),
    s.workstations.join(', ') || '-',
  ]);
}

function markdownTable(body: readonly string[][]): string[] {
  return [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => ' --- ').join('|')}|`,
    ...body.map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
}

/** The schedules as aligned text; empty when there are none. */
export function renderScheduleStatusText(schedules: readonly ScheduleStatus[]): string {
  if (schedules.length === 0) return '';
  return `${['', 'Snapshot schedules:', ...alignRows([HEADER, ...rows(schedules)]).map((l) => `  ${l}`)].join('\n')}\n`;
}

/** The schedules as a markdown table; empty when there are none. */
export function renderScheduleStatusMarkdown(schedules: readonly ScheduleStatus[]): string {
  if (schedules.length === 0) return '';
  return `${['', '#### Snapshot schedules', '', ...markdownTable(rows(schedules))].join('\n')}\n`;
}

/** The section, as the engine shows it. */
export function scheduleStatusSection(
  desired: Desired,
  observed: Observed,
  record: RunRecord,
  now: Date,
): StatusSection {
  const rows = buildScheduleStatus(desired, observed, record, now);
  return { key: 'schedules', rows, text: renderScheduleStatusText(rows), markdown: renderScheduleStatusMarkdown(rows) };
}
