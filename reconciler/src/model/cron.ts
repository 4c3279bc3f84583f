/** Cron expressions of SnapshotSchedules: five fields, read in an IANA time zone (cron-parser). */
import { CronExpressionParser } from 'cron-parser';

export type CronCheck = { ok: true } | { ok: false; message: string };

const ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

/** Checks a five-field cron expression (or an @alias) without evaluating it. */
export function checkCron(expression: string): CronCheck {
  const trimmed = expression.trim();
  if (!ALIASES.has(trimmed)) {
    const fields = trimmed.split(/\s+/);
    if (fields.length !== 5) {
      return {
        ok: false,
        message: `cron must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`,
      };
    }
  }
  try {
    CronExpressionParser.parse(trimmed, { strict: false });
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `invalid cron expression: ${(err as Error).message}` };
  }
}

/** The scheduled times after `from` up to and including `to`, at most `limit` of them. */
export function cronTimes(expression: string, timeZone: string, from: Date, to: Date, limit = 1000): Date[] {
  const cron = CronExpressionParser.parse(expression.trim(), { tz: timeZone, currentDate: from, endDate: to });
  const out: Date[] = [];
  while (out.length < limit && cron.hasNext()) out.push(cron.next().toDate());
  return out;
}

/** The latest scheduled time at or before `at`, or undefined when there is none. */
export function lastCronTime(expression: string, timeZone: string, at: Date): Date | undefined {
  const cron = CronExpressionParser.parse(expression.trim(), { tz: timeZone, currentDate: new Date(at.getTime() + 1) });
  try {
    return cron.prev().toDate();
  } catch {
    return undefined;
  }
}

/** The first scheduled time strictly after `at`, or undefined when there is none. */
export function nextCronTime(expression: string, timeZone: string, at: Date): Date | undefined {
  const cron = CronExpressionParser.parse(expression.trim(), { tz: timeZone, currentDate: at });
  try {
    return cron.next().toDate();
  } catch {
    return undefined;
  }
}
