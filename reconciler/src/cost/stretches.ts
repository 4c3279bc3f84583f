/**
 * Stretches of time (epoch ms) the spend ledgers count: what ran, merged, and read back from the
 * untrusted run record.
 */
import { recordedTime } from '../model/record-time.js';

const HOUR_MS = 3_600_000;

/** `[from, to)` in epoch ms. */
export interface Stretch {
  from: number;
  to: number;
}

/** A time from the record, or undefined when it is not a time or lies in the future (untrusted). */
export function recordedMs(iso: string, now: Date): number | undefined {
  const at = recordedTime(iso, now);
  return at === undefined ? undefined : Math.min(Date.parse(at), now.getTime());
}

/** The record's stretches that are real times up to now. */
export function recordedStretches(runs: readonly { from: string; to: string }[] | undefined, now: Date): Stretch[] {
  const out: Stretch[] = [];
  for (const run of runs ?? []) {
    const from = recordedMs(run.from, now);
    const to = recordedMs(run.to, now);
    if (from !== undefined && to !== undefined) out.push({ from, to });
  }
  return out;
}

/** Sorted, merged stretches (empty ones dropped). */
export function mergeStretches(stretches: readonly Stretch[]): Stretch[] {
  const sorted = stretches.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Stretch[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Length of `stretches` inside `[from, to)`, in hours (overlaps counted once). */
export function stretchHours(stretches: readonly Stretch[], from: number, to: number): number {
  let ms = 0;
  for (const s of mergeStretches(stretches)) ms += Math.max(0, Math.min(s.to, to) - Math.max(s.from, from));
  return ms / HOUR_MS;
}

/** `stretches` as the record writes them. */
export function stretchRecords(stretches: readonly Stretch[]): { from: string; to: string }[] {
  return stretches.map((s) => ({ from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() }));
}
