/**
 * `restoreFrom: SCHEDULE/latest` or `SCHEDULE/YYYY-MM-DD`: which slot of a SnapshotSchedule a
 * workstation launches from, in its own Region (an original there, or a `copyTo` copy). A
 * `volumes` schedule gives one snapshot per data volume, matched by volume name; an `image`
 * schedule gives the AMI (root and data volumes). A date is the slot's local date in the
 * schedule's zone; the newest slot of that day wins. `latest` with nothing yet launches fresh.
 */
import type { DesiredWorkstation } from '../model/desired.js';
import type { LaunchRequest } from '../model/launch.js';
import type { Observed } from '../model/observed.js';
import type { PlanRefusal } from '../model/plan.js';
import { SCHEDULE_TAG } from '../model/schedule.js';
import type { DesiredSchedule } from '../model/schedule.js';
import { TAG } from '../model/tags.js';
import { localTime } from '../model/time-zone.js';
import { madeForSchedule } from './snapshot-retention.js';
import { formatSlot } from './snapshot-slots.js';

/** Tag on an instance: the `restoreFrom` it was launched with (a change is a restore replacement). */
export const RESTORE_FROM_TAG = 'labops:restore-from';
/** Tag on an instance: the slot it was restored from. */
export const RESTORED_SLOT_TAG = 'labops:restored-slot';

/** A slot to restore, resolved to snapshot and image ids. */
export interface RestorePoint {
  schedule: string;
  slot: string;
  type: 'volumes' | 'image';
  /** The AMI, for `image` schedules. */
  imageId?: string;
  /** Data volume snapshots by volume name, for `volumes` schedules. */
  volumeSnapshots: Record<string, string>;
  /** `nightly slot 2026-11-20 02:00 America/New_York`. */
  label: string;
}

/** A restore point; `point` absent means `latest` found nothing yet. */
export type RestoreResolution = { ok: true; point?: RestorePoint } | { ok: false; refusal: PlanRefusal };

interface Candidate {
  slot: string;
  id: string;
  volume: string;
}

function candidates(ws: DesiredWorkstation, schedule: DesiredSchedule, repo: string, observed: Observed): Candidate[] {
  const mine = (tags: Record<string, string>, region: string): boolean => region === ws.region && madeForSchedule(tags, repo, schedule.name) && tags[SCHEDULE_TAG.workstation] === ws.name && tags[SCHEDULE_TAG.slot] !== undefined;
  if (schedule.type === 'image') {
    return observed.images.filter((i) => i.state === 'available' && mine(i.tags, i.region)).map((i) => ({ slot: i.tags[SCHEDULE_TAG.slot]!, id: i.imageId, volume: 'image' }));
  }
  return (observed.snapshots ?? [])
    .filter((s) => s.state === 'completed' && mine(s.tags, s.region) && s.tags[TAG.volume] !== undefined && s.tags[TAG.volume] !== 'root')
    .map((s) => ({ slot: s.tags[SCHEDULE_TAG.slot]!, id: s.snapshotId, volume: s.tags[TAG.volume]! }));
}

/** Resolves `ws.restoreFrom` against the observed snapshots and images. */
export function resolveRestore(ws: DesiredWorkstation, schedules: readonly DesiredSchedule[], repo: string, observed: Observed): RestoreResolution {
  if (ws.restoreFrom === undefined) return { ok: true };
  const [name = '', which = 'latest'] = ws.restoreFrom.split('/');
  const refuse = (message: string): RestoreResolution => ({ ok: false, refusal: { code: 'no-restore-snapshot', message: `workstation ${ws.name}: restoreFrom ${ws.restoreFrom}: ${message}`, resource: { kind: 'Workstation', name: ws.name } } });
  const schedule = schedules.find((s) => s.name === name);
  if (schedule === undefined) return refuse(`no valid SnapshotSchedule ${name}`);
  const found = candidates(ws, schedule, repo, observed);
  const slots = [...new Set(found.map((c) => c.slot))].filter((slot) => which === 'latest' || localTime(new Date(slot), schedule.timezone).date === which).sort();
  const slot = slots[slots.length - 1];
  if (slot === undefined) return which === 'latest' ? { ok: true } : refuse(`no snapshot of ${ws.name} in ${ws.region} from ${which} (${schedule.timezone})`);
  const chosen = found.filter((c) => c.slot === slot).sort((a, b) => (a.id < b.id ? -1 : 1));
  const point: RestorePoint = { schedule: schedule.name, slot, type: schedule.type, volumeSnapshots: {}, label: `${schedule.name} slot ${formatSlot(slot, schedule.timezone)}` };
  if (schedule.type === 'image') point.imageId = chosen[0]!.id;
  else for (const c of chosen) point.volumeSnapshots[c.volume] ??= c.id;
  return { ok: true, point };
}

/** The launch request with the restore applied: snapshots for data volumes, or the AMI; tags recording it. */
export function withRestore(launch: LaunchRequest, ws: DesiredWorkstation, point: RestorePoint | undefined): LaunchRequest {
  if (ws.restoreFrom === undefined) return launch;
  const tags: Record<string, string> = { ...launch.tags, [RESTORE_FROM_TAG]: ws.restoreFrom };
  if (point === undefined) return { ...launch, tags: sorted(tags) };
  tags[RESTORED_SLOT_TAG] = point.slot;
  if (point.type === 'image' && point.imageId !== undefined) {
    tags[TAG.ami] = point.imageId;
    return { ...launch, imageId: point.imageId, userData: '', tags: sorted(tags) };
  }
  const volumeSnapshots: Record<string, string> = {};
  for (const v of launch.volumes) if (point.volumeSnapshots[v.name] !== undefined) volumeSnapshots[v.name] = point.volumeSnapshots[v.name]!;
  return { ...launch, tags: sorted(tags), ...(Object.keys(volumeSnapshots).length > 0 ? { volumeSnapshots } : {}) };
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]!]));
}
