/**
 * Budget periods: the period a budget is in at an instant, read in the Lab calendar's time zone.
 * Fixed periods run from `start` to `end` inclusive; `every: month | quarter | year` start on the
 * first local day of the month, quarter (Jan, Apr, Jul, Oct) or year that holds the instant.
 */
import type { BudgetWindow, DesiredBudget } from './budget.js';
import { localTime } from './time-zone.js';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` shifted by whole days (pure calendar arithmetic). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (`YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Epoch ms of local midnight starting `date` in `timeZone` (exact across DST: offsets are re-read). */
export function localMidnight(date: string, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const local = localTime(new Date(guess), timeZone);
    const offset = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000 - guess;
    const next = wall - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Last day of month `month` (1-12) of `year`. */
function lastDay(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function window(key: string, start: string, end: string, timeZone: string): BudgetWindow {
  return { key, start, end, startMs: localMidnight(start, timeZone), endMs: localMidnight(addDays(end, 1), timeZone) };
}

/**
 * The period `budget` is in at `now`. A fixed period is returned as it is even when `now` lies
 * before or after it (spend outside it is then nothing, or final).
 */
export function budgetWindow(budget: DesiredBudget, now: Date, timeZone: string): BudgetWindow {
  const period = budget.period;
  if ('start' in period) return window(`${period.start}..${period.end}`, period.start, period.end, timeZone);
  const today = localTime(now, timeZone).date;
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (period.every === 'month')
    return window(`${year}-${pad(month)}`, `${year}-${pad(month)}-01`, lastDay(year, month), timeZone);
  if (period.every === 'quarter') {
    const quarter = Math.floor((month - 1) / 3);
    const first = quarter * 3 + 1;
    return window(`${year}-Q${quarter + 1}`, `${year}-${pad(first)}-01`, lastDay(year, first + 2), timeZone);
  }
  return window(String(year), `${year}-01-01`, `${year}-12-31`, timeZone);
}

/** Hours from `fromMs` to the end of the window (0 once it has ended). */
export function remainingHours(win: BudgetWindow, fromMs: number): number {
  return Math.max(0, win.endMs - Math.max(fromMs, win.startMs)) / 3_600_000;
}
