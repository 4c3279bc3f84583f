/**
 * Keeping the run record in step for SnapshotSchedules (facts AWS forgets): the last slot each
 * schedule took, once every snapshot action of that slot is done; when each schedule was first
 * applied; its next slot, for STATUS.md. Each function returns a patch (model/record.ts).
 */
import type { ApplyResult } from '../../engine/apply/types.js';
import { nextCronTime } from '../../model/cron.js';
import type { Plan } from '../../model/plan.js';
import type { RecordPatch } from '../../model/record.js';
import { recordedTime } from '../../model/record-time.js';
import type { DesiredSchedule } from '../../model/schedule.js';

/** Records the slots an apply took: a schedule's slot counts once every snapshot action of it is done. */
export function recordSlotsTaken(plan: Plan, applied: ApplyResult, now: Date): RecordPatch {
  const at = now.toISOString();
  const status = new Map(applied.results.map((r) => [r.actionId, r]));
  const slots = new Map<string, { slot: string; done: boolean }>();
  for (const action of plan.actions) {
    const d = action.details;
    if (d.kind !== 'snapshot') continue;
    const entry = slots.get(d.schedule) ?? { slot: d.slot, done: true };
    entry.done &&= status.get(action.id)?.status === 'done';
    slots.set(d.schedule, entry);
  }
  return (record) => {
    const schedules = { ...record.schedules };
    for (const [schedule, { slot, done }] of slots)
      if (done) schedules[schedule] = { ...schedules[schedule], lastSlot: slot, lastRunAt: at };
    return { ...record, schedules };
  };
}

/**
 * Notes when each schedule was first applied: its first snapshot is at the next slot after that
 * (DLM). A first sighting or last slot in the future counts as none (model/record-time.ts).
 */
export function recordSchedulesSeen(names: readonly string[], now: Date): RecordPatch {
  return (record) => {
    const schedules = { ...record.schedules };
    for (const name of names) {
      const entry = schedules[name];
      if (recordedTime(entry?.firstSeenAt, now) === undefined && recordedTime(entry?.lastSlot, now) === undefined)
        schedules[name] = { ...entry, firstSeenAt: now.toISOString() };
    }
    return { ...record, schedules };
  };
}

/** Notes each schedule's next slot after `now`, so STATUS.md can show it without the specs. */
export function recordNextSlots(
  list: readonly Pick<DesiredSchedule, 'name' | 'cron' | 'timezone'>[],
  now: Date,
): RecordPatch {
  return (record) => {
    const schedules = { ...record.schedules };
    for (const s of list) {
      const next = nextCronTime(s.cron, s.timezone, now);
      if (next !== undefined) schedules[s.name] = { ...schedules[s.name], nextSlot: next.toISOString() };
    }
    return { ...record, schedules };
  };
}
