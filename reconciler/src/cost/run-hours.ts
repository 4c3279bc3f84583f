/**
 * Planned run-hours of a workstation over a stretch of time, by the same rules as its power
 * state: `spec.state`, then its schedule's work hours and the calendar breaks (read in the
 * schedule's zone, day by day), then a budget `hibernate`/`stop` in force. Idle stops cannot be
 * foreseen and are not subtracted, so this is an upper bound for workstations with an idle rule.
 *
 * Windows are counted in local wall-clock minutes, so the day a DST change happens on is off by at
 * most an hour for a window spanning the change (never for the usual 08:00-19:00).
 */
import type { DesiredLab, DesiredWorkstation } from '../model/desired.js';
import { localTime } from '../model/time-zone.js';
import type { WorkWindow } from '../model/work-hours.js';
import { addDays, daysBetween } from '../model/budget-period.js';
import type { BudgetOverride } from '../model/budget.js';

/** Minutes of `windows` open on `weekday` inside `[from, to)` minutes of the day. */
function openMinutes(windows: readonly WorkWindow[], weekday: number, from: number, to: number): number {
  let total = 0;
  for (const w of windows) {
    if (w.weekday !== weekday) continue;
    total += Math.max(0, Math.min(w.end, to) - Math.max(w.start, from));
  }
  return total;
}

function inBreak(lab: DesiredLab, date: string): boolean {
  return lab.calendar.breaks.some((b) => b.from <= date && date <= b.to);
}

/** Hours the schedule's windows are open in `[fromMs, toMs)`, calendar breaks excluded. */
export function scheduledHoursBetween(
  schedule: NonNullable<DesiredWorkstation['schedule']>,
  lab: DesiredLab,
  fromMs: number,
  toMs: number,
): number {
  if (toMs <= fromMs) return 0;
  const first = localTime(new Date(fromMs), schedule.timezone);
  const last = localTime(new Date(toMs), schedule.timezone);
  const days = daysBetween(first.date, last.date);
  let minutes = 0;
  for (let i = 0; i <= days; i++) {
    const date = addDays(first.date, i);
    if (inBreak(lab, date)) continue;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const from = i === 0 ? first.minutes : 0;
    const to = i === days ? last.minutes : 1440;
    minutes += openMinutes(schedule.windows, weekday, from, to);
  }
  return minutes / 60;
}

/** True when a budget action in force turns the workstation's project off. */
export function budgetTurnsOff(ws: DesiredWorkstation, overrides: readonly BudgetOverride[]): boolean {
  return overrides.some((o) => o.project === ws.project && (o.action === 'hibernate' || o.action === 'stop'));
}

/**
 * Hours `ws` is planned to run in `[fromMs, toMs)`: 0 when its spec says off or a budget action
 * turns its project off; its schedule's open hours when it has one; otherwise the whole stretch.
 */
export function plannedRunHours(
  ws: DesiredWorkstation,
  lab: DesiredLab,
  fromMs: number,
  toMs: number,
  overrides: readonly BudgetOverride[] = [],
): number {
  if (ws.state !== 'running' || budgetTurnsOff(ws, overrides) || toMs <= fromMs) return 0;
  if (ws.schedule === undefined) return (toMs - fromMs) / 3_600_000;
  return scheduledHoursBetween(ws.schedule, lab, fromMs, toMs);
}
