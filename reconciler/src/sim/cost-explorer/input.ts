/**
 * Shared pieces of the simulated Cost Explorer: its errors, dates (`YYYY-MM-DD`, UTC, End
 * exclusive), splitting a time period into DAILY or MONTHLY periods, and amounts as the decimal
 * strings Cost Explorer answers with.
 */
import { SimError } from '../core/contract.js';

/** A ValidationException, Cost Explorer's answer to a malformed request. */
export function validationError(message: string): SimError {
  return new SimError('ValidationException', message, 400);
}

/** Granularities Cost Explorer knows; HOURLY is refused as not enabled for the account. */
export type CeGranularity = 'DAILY' | 'MONTHLY';

const DAY_MS = 86_400_000;

/** One result period: epoch ms, start inclusive, end exclusive. */
export interface CePeriod {
  start: number;
  end: number;
}

/**
 * Parses a Cost Explorer date, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`, as UTC.
 * @throws ValidationException when malformed
 */
export function parseCeDate(value: unknown, name: string): number {
  const text = typeof value === 'string' ? value : '';
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/.exec(text);
  const ms = match ? Date.parse(match[4] ? text : `${text}T00:00:00Z`) : Number.NaN;
  if (!match || Number.isNaN(ms)) {
    throw validationError(`${name} must be a date in the form YYYY-MM-DD, got '${text}'.`);
  }
  return ms;
}

/** `YYYY-MM-DD` of an epoch ms instant (UTC). */
export function ceDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of the day holding `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Midnight UTC of the first day of the month after the one holding `ms`. */
export function startOfNextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * Reads `TimePeriod { Start, End }`. @throws ValidationException when missing or not Start < End
 */
export function readTimePeriod(input: Record<string, unknown>): CePeriod {
  const period = input.TimePeriod as Record<string, unknown> | undefined;
  if (!period || typeof period !== 'object') throw validationError('TimePeriod is required.');
  const start = parseCeDate(period.Start, 'TimePeriod.Start');
  const end = parseCeDate(period.End, 'TimePeriod.End');
  if (start >= end) throw validationError('Start date (and hour) should be before end date (and hour)');
  return { start, end };
}

/** Reads `Granularity`. @throws ValidationException when missing, unknown or HOURLY */
export function readGranularity(input: Record<string, unknown>): CeGranularity {
  const value = input.Granularity;
  if (value === 'DAILY' || value === 'MONTHLY') return value;
  if (value === 'HOURLY') {
    throw validationError(
      'Hourly granularity is not enabled for this account. Enable hourly and resource-level data in Cost Explorer preferences.',
    );
  }
  throw validationError('Granularity must be one of DAILY, MONTHLY, HOURLY.');
}

/** The result periods of a time period: whole days, or calendar months cut at Start and End. */
export function splitPeriods(period: CePeriod, granularity: CeGranularity): CePeriod[] {
  const periods: CePeriod[] = [];
  for (let start = period.start; start < period.end;) {
    const next = granularity === 'DAILY' ? startOfDay(start) + DAY_MS : startOfNextMonth(start);
    const end = Math.min(next, period.end);
    periods.push({ start, end });
    start = end;
  }
  return periods;
}

/** `{ Start, End }` as Cost Explorer writes a period back. */
export function periodOutput(period: CePeriod): { Start: string; End: string } {
  const format = (ms: number): string =>
    ms % DAY_MS === 0 ? ceDate(ms) : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { Start: format(period.start), End: format(period.end) };
}

/** An amount as Cost Explorer writes it: a decimal string, at most 10 places, no trailing zeros. */
export function formatAmount(value: number): string {
  if (Math.abs(value) < 5e-11) return '0';
  return value.toFixed(10).replace(/\.?0+$/, '');
}

/** Opaque page token holding the index of the next result period. */
export function encodePageToken(index: number): string {
  return Buffer.from(`ce:${index}`, 'utf8').toString('base64');
}

/** The index inside a token from {@link encodePageToken}. @throws InvalidNextTokenException */
export function decodePageToken(token: unknown): number {
  if (token === undefined || token === null) return 0;
  const text = typeof token === 'string' ? Buffer.from(token, 'base64').toString('utf8') : '';
  const match = /^ce:(\d+)$/.exec(text);
  if (!match) throw new SimError('InvalidNextTokenException', 'The NextPageToken is not valid.', 400);
  return Number(match[1]);
}
