/**
 * Work-hours expressions: `Mon-Fri 08:00-19:00`, `Mon,Wed 09:00-12:00,13:00-17:00; Sat 10:00-14:00`,
 * `daily 07:00-23:00`, `weekdays 22:00-06:00` (a range that ends before it starts runs overnight
 * into the next day). Days: Mon..Sun, `daily`, `weekdays`, `weekends`; times HH:MM, end may be 24:00.
 */
import { localTime } from './time-zone.js';

/** One open window: on `weekday` (0 = Sunday) from `start` to `end` minutes after local midnight. */
export interface WorkWindow {
  weekday: number;
  start: number;
  end: number;
}

export type WorkHoursResult = { ok: true; windows: WorkWindow[] } | { ok: false; message: string };

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_SETS: Record<string, number[]> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};

/** Parses a work-hours expression into windows, or says what is wrong with it. */
export function parseWorkHours(text: string): WorkHoursResult {
  const windows: WorkWindow[] = [];
  const segments = text.split(';').map((s) => s.trim());
  for (const segment of segments) {
    const match = /^(?<days>\S+)\s+(?<ranges>\S+)$/.exec(segment)?.groups;
    if (match?.days === undefined || match.ranges === undefined)
      return fail(`"${segment}" should be DAYS HH:MM-HH:MM, e.g. "Mon-Fri 08:00-19:00"`);
    const days = parseDays(match.days);
    if (typeof days === 'string') return fail(days);
    for (const range of match.ranges.split(',')) {
      const times = parseRange(range);
      if (typeof times === 'string') return fail(times);
      for (const day of days) windows.push(...toWindows(day, times[0], times[1]));
    }
  }
  return { ok: true, windows };
}

function fail(message: string): WorkHoursResult {
  return { ok: false, message };
}

function parseDays(text: string): number[] | string {
  const lower = text.toLowerCase();
  const set = DAY_SETS[lower];
  if (set) return set;
  const days = new Set<number>();
  for (const part of lower.split(',')) {
    const [from, to] = part.split('-');
    const a = DAY_NAMES.indexOf(from ?? '');
    const b = to === undefined ? a : DAY_NAMES.indexOf(to);
    if (a < 0 || b < 0)
      return `unknown day "${part}": use Mon, Tue, Wed, Thu, Fri, Sat, Sun, daily, weekdays or weekends`;
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

function parseRange(text: string): [number, number] | string {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!match) return `"${text}" should be a time range HH:MM-HH:MM`;
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 !== 0)) return `"${text}" has an impossible time`;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (start === end) return `"${text}" is empty: start and end are the same`;
  return [start, end];
}

function toWindows(day: number, start: number, end: number): WorkWindow[] {
  if (end > start) return [{ weekday: day, start, end }];
  const overnight: WorkWindow[] = [{ weekday: day, start, end: 1440 }];
  if (end > 0) overnight.push({ weekday: (day + 1) % 7, start: 0, end });
  return overnight;
}

/** True when `instant` falls inside one of the windows, read in `timeZone`. */
export function isWithinWorkHours(windows: readonly WorkWindow[], instant: Date, timeZone: string): boolean {
  const local = localTime(instant, timeZone);
  return windows.some((w) => w.weekday === local.weekday && local.minutes >= w.start && local.minutes < w.end);
}
