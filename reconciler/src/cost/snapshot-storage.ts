/**
 * What SnapshotSchedules cost in storage, per schedule, project and Region (copies apart):
 *
 * - **now**: the schedule's observed snapshots, each at its full volume size;
 * - **steady state**: the snapshots its retention keeps, per workstation, volume and Region (as
 *   retention counts them, model/snapshot-retention.ts): `count`, or the cron slots in
 *   `maxAgeDays`, the larger of the two when both are set (a snapshot is kept while either rule
 *   keeps it); with no rule every snapshot is kept, so those there now plus every slot to the
 *   horizon. Each is priced at its volume's full size.
 *
 * Both are upper bounds: EBS bills a snapshot for the blocks it adds, not its volume's size
 * (cost/estimates.ts SNAPSHOT_COST_NOTE). A forecast carries the larger of the two to the end of
 * the period.
 */
import type { Desired, DesiredWorkstation } from '../model/desired.js';
import type { ObservedSnapshot } from '../model/schedule.js';
import type { DesiredSchedule } from '../model/schedule.js';
import { SCHEDULE_TAG } from '../model/schedule.js';
import { TAG } from '../model/tags.js';
import { cronTimes } from '../model/cron.js';
import { HOURS_PER_MONTH } from './prices/index.js';
import { snapshotMonthlyUSD } from './monthly.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One schedule's snapshot storage in one project and Region. */
export interface ScheduleStorage {
  schedule: string;
  project: string;
  region: string;
  /** True for the copies a schedule's `copyTo` keeps in `region`. */
  copy: boolean;
  /** Snapshots there now, and what they cost per month at full size. */
  snapshotsNow: number;
  monthlyNowUSD: number;
  /** Snapshots retention keeps in the steady state (by the horizon), and their monthly cost at full size. */
  snapshotsKept: number;
  monthlyKeptUSD: number;
}

/** Snapshots retention keeps per workstation and volume, given `existing` there now and the horizon. */
export function keptPerVolume(schedule: DesiredSchedule, existing: number, now: Date, horizonMs: number): number {
  const { count, maxAgeDays } = schedule.retain;
  const slots = (from: number, to: number): number =>
    to <= from ? 0 : cronTimes(schedule.cron, schedule.timezone, new Date(from), new Date(to), 100_000).length;
  if (count === undefined && maxAgeDays === undefined) return existing + slots(now.getTime(), horizonMs);
  const byAge = maxAgeDays === undefined ? 0 : slots(now.getTime() - maxAgeDays * DAY_MS, now.getTime());
  return Math.max(count ?? 0, byAge);
}

function volumesOf(ws: DesiredWorkstation): { name: string; sizeGiB: number }[] {
  return [{ name: 'root', sizeGiB: ws.rootGiB }, ...ws.volumes.map((v) => ({ name: v.name, sizeGiB: v.sizeGiB }))];
}

function made(snapshot: ObservedSnapshot, repo: string, schedule: string): boolean {
  const t = snapshot.tags;
  return t[TAG.repo] === repo && t[TAG.kind] === 'SnapshotSchedule' && t[SCHEDULE_TAG.schedule] === schedule;
}

/**
 * Every schedule's storage, per project and Region: observed snapshots now, and what retention
 * keeps of the workstations it selects by `horizonMs` (the end of the period forecast).
 */
export function scheduleStorage(
  desired: Pick<Desired, 'schedules' | 'workstations' | 'lab'>,
  snapshots: readonly ObservedSnapshot[],
  now: Date,
  horizonMs: number,
): ScheduleStorage[] {
  const rows = new Map<string, ScheduleStorage>();
  const row = (schedule: string, project: string, region: string, copy: boolean): ScheduleStorage => {
    const key = [schedule, project, region, copy ? 'copy' : 'original'].join('\u0000');
    const found = rows.get(key);
    if (found !== undefined) return found;
    const created: ScheduleStorage = {
      schedule,
      project,
      region,
      copy,
      snapshotsNow: 0,
      monthlyNowUSD: 0,
      snapshotsKept: 0,
      monthlyKeptUSD: 0,
    };
    rows.set(key, created);
    return created;
  };
  const byName = new Map(desired.workstations.map((w) => [w.name, w]));
  for (const schedule of desired.schedules) {
    const mine = snapshots.filter((s) => made(s, desired.lab.repo, schedule.name));
    for (const s of mine) {
      const copy = s.tags[SCHEDULE_TAG.copyOf] !== undefined;
      const project = s.tags[TAG.project] ?? '(untagged)';
      const r = row(schedule.name, project, s.region, copy);
      r.snapshotsNow += 1;
      r.monthlyNowUSD += snapshotMonthlyUSD(s.region, s.sizeGiB);
    }
    for (const name of schedule.workstations) {
      const ws = byName.get(name);
      if (ws === undefined) continue;
      const places = [
        { region: ws.region, copy: false },
        ...schedule.copyTo.filter((r) => r !== ws.region).map((region) => ({ region, copy: true })),
      ];
      for (const place of places) {
        const r = row(schedule.name, ws.project, place.region, place.copy);
        for (const volume of volumesOf(ws)) {
          const existing = mine.filter(
            (s) =>
              s.region === place.region &&
              (s.tags[SCHEDULE_TAG.copyOf] !== undefined) === place.copy &&
              s.tags[SCHEDULE_TAG.workstation] === ws.name &&
              (s.tags[TAG.volume] ?? 'root') === volume.name,
          ).length;
          const kept = keptPerVolume(schedule, existing, now, horizonMs);
          r.snapshotsKept += kept;
          r.monthlyKeptUSD += snapshotMonthlyUSD(place.region, volume.sizeGiB) * kept;
        }
      }
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      cmp(a.project, b.project) ||
      cmp(a.schedule, b.schedule) ||
      Number(a.copy) - Number(b.copy) ||
      cmp(a.region, b.region),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a row costs from `fromMs` to `toMs`: the larger of now and the steady state, an upper bound. */
export function storageToEnd(row: ScheduleStorage, fromMs: number, toMs: number): number {
  const hours = Math.max(0, toMs - fromMs) / HOUR_MS;
  return (Math.max(row.monthlyNowUSD, row.monthlyKeptUSD) * hours) / HOURS_PER_MONTH;
}

/** The project's snapshot storage since `fromMs` up to `toMs`: each snapshot of the project at full size while it existed. */
export function snapshotCostSince(
  project: string,
  snapshots: readonly ObservedSnapshot[],
  fromMs: number,
  toMs: number,
): number {
  let total = 0;
  for (const s of snapshots) {
    if (s.tags[TAG.project] !== project) continue;
    const start = Math.max(fromMs, Date.parse(s.startTime));
    if (Number.isNaN(start) || start >= toMs) continue;
    total += (snapshotMonthlyUSD(s.region, s.sizeGiB) * (toMs - start)) / HOUR_MS / HOURS_PER_MONTH;
  }
  return total;
}
