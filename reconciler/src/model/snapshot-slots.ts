/**
 * When a SnapshotSchedule is due, with Amazon DLM's catch-up rule: the latest cron slot at or
 * before now is due when it is later than the last slot taken; slots missed in between are not
 * taken one by one (a missed slot is taken once, at the next reconcile). The last slot comes from
 * the run record, or from the newest snapshot tagged for the schedule when the record lost it;
 * either in the future is ignored (model/record-time.ts), so a forged one cannot silence a schedule.
 */
import { cronTimes, lastCronTime, nextCronTime } from './cron.js';
import type { ObservedImage } from './observed.js';
import type { DesiredSchedule, ObservedSnapshot } from './schedule.js';
import { SCHEDULE_TAG } from './schedule.js';
import { recordedTime } from './record-time.js';
import { localTime } from './time-zone.js';
import { madeForSchedule } from './snapshot-retention.js';

/** A slot that is due now. */
export interface DueSlot {
  /** ISO-8601 of the slot. */
  slot: string;
  /** ISO-8601 of the last slot taken, when known. */
  last?: string;
  /** Slots since `last` up to and including this one (more than 1: some were missed). */
  slots: number;
}

/** `2026-11-22 02:00 America/New_York`. */
export function formatSlot(iso: string, timeZone: string): string {
  const local = localTime(new Date(iso), timeZone);
  const hh = String(Math.floor(local.minutes / 60)).padStart(2, '0');
  const mm = String(local.minutes % 60).padStart(2, '0');
  return `${local.date} ${hh}:${mm} ${timeZone}`;
}

/**
 * The newest slot tagged on an original (not a copy) the schedule made, if any. A slot later than
 * `now` (beyond the clock skew allowed) is ignored: tags are inputs, and a future one would mark
 * every slot until then taken. @default now: every tagged slot counts
 */
export function newestTaggedSlot(
  schedule: string,
  repo: string,
  snapshots: readonly ObservedSnapshot[],
  images: readonly ObservedImage[],
  now?: Date,
): string | undefined {
  let newest: string | undefined;
  for (const item of [...snapshots, ...images]) {
    const slot = item.tags[SCHEDULE_TAG.slot];
    if (
      slot === undefined ||
      (now !== undefined && recordedTime(slot, now) === undefined) ||
      item.tags[SCHEDULE_TAG.copyOf] !== undefined ||
      !madeForSchedule(item.tags, repo, schedule)
    )
      continue;
    if (newest === undefined || slot > newest) newest = slot;
  }
  return newest;
}

/**
 * The due slot of a schedule at `now`, or undefined when the latest slot was already taken. A
 * `lastSlot` later than `now` (beyond the clock skew allowed) is ignored: it cannot have been taken.
 */
export function dueSlot(schedule: DesiredSchedule, recorded: string | undefined, now: Date): DueSlot | undefined {
  const lastSlot = recordedTime(recorded, now);
  const latest = lastCronTime(schedule.cron, schedule.timezone, now);
  if (latest === undefined) return undefined;
  if (lastSlot !== undefined && latest.getTime() <= Date.parse(lastSlot)) return undefined;
  const slot = latest.toISOString();
  if (lastSlot === undefined) return { slot, slots: 1 };
  const slots = cronTimes(schedule.cron, schedule.timezone, new Date(lastSlot), latest, 10_000).length;
  return { slot, last: new Date(lastSlot).toISOString(), slots: Math.max(1, slots) };
}

/** The next slot after `now` (for status). */
export function nextSlot(schedule: DesiredSchedule, now: Date): string | undefined {
  return nextCronTime(schedule.cron, schedule.timezone, now)?.toISOString();
}

/** `nightly: slot 2026-11-22 02:00 America/New_York due (last 2026-11-21 02:00; 2 missed slots taken once)`. */
export function dueReason(schedule: DesiredSchedule, due: DueSlot): string {
  const last =
    due.last === undefined
      ? 'first run'
      : `last ${formatSlot(due.last, schedule.timezone).replace(` ${schedule.timezone}`, '')}`;
  const missed = due.slots > 1 ? `; ${due.slots - 1} missed slot(s) taken once` : '';
  return `${schedule.name}: slot ${formatSlot(due.slot, schedule.timezone)} due (${last}${missed})`;
}
