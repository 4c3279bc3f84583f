/**
 * `restoreFrom: SCHEDULE/latest` or `SCHEDULE/YYYY-MM-DD`: which slot of a SnapshotSchedule a
 * workstation launches from, in its own Region (an original there, or a `copyTo` copy). A
 * `volumes` schedule gives one snapshot per data volume, matched by volume name; an `image`
 * schedule gives the AMI (root and data volumes). A date is the slot's local date in the
 * schedule's zone; the newest slot of that day wins. `latest` with nothing yet launches fresh.
 *
 * Data belongs to its owner: only snapshots tagged with the source workstation's name AND the
 * source owner are candidates. The source is the workstation itself and its owner, unless the
 * value names another (`SCHEDULE/WHICH/WORKSTATION[@OWNER]`); another owner's snapshots of the
 * same name are never picked silently (the plan refuses and says whose they are), and naming
 * that owner explicitly is what makes the restore a use of their data (see data-owners.ts).
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { LaunchRequest } from '../../../model/launch.js';
import type { Observed } from '../../../model/observed.js';
import type { PlanRefusal } from '../../../model/plan.js';
import { SCHEDULE_TAG } from '../../../model/schedule.js';
import type { DesiredSchedule } from '../../../model/schedule.js';
import { TAG, sortKeys } from '../../../model/tags.js';
import { localTime } from '../../../model/time-zone.js';
import { madeForSchedule } from '../../../model/snapshot-retention.js';
import { formatSlot } from '../../../model/snapshot-slots.js';

/** Tag on an instance: the `restoreFrom` it was launched with (a change is a restore replacement). */
export const RESTORE_FROM_TAG = 'labops:restore-from';
/** Tag on an instance: the slot it was restored from. */
export const RESTORED_SLOT_TAG = 'labops:restored-slot';

/** Where `restoreFrom` points: a schedule, a slot selector, and whose snapshots. */
export interface RestoreSource {
  schedule: string;
  /** `latest` or a local date `YYYY-MM-DD`. */
  which: string;
  /** The workstation the snapshots were made of. @default the restoring workstation's name */
  workstation: string;
  /** The `labops:owner` the snapshots must carry, lower-cased. @default the restoring workstation's owner */
  owner: string;
}

/** A slot to restore, resolved to snapshot and image ids. */
export interface RestorePoint {
  schedule: string;
  /** The workstation whose snapshots these are. */
  workstation: string;
  /** Their `labops:owner`, lower-cased. */
  owner: string;
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
  /** `labops:owner` of the snapshot or image, lower-cased (`''` when untagged). */
  owner: string;
}

/** GitHub logins are case-insensitive: owners compare lower-cased. */
export function ownerKey(login: string | undefined): string {
  return (login ?? '').toLowerCase();
}

/** The parsed `ws.restoreFrom`, defaults settled; undefined when the workstation restores nothing. */
export function restoreSource(ws: DesiredWorkstation): RestoreSource | undefined {
  if (ws.restoreFrom === undefined) return undefined;
  const [schedule = '', which = 'latest', from = ''] = ws.restoreFrom.split('/');
  const [workstation = '', owner = ''] = from.split('@');
  return {
    schedule,
    which,
    workstation: workstation === '' ? ws.name : workstation,
    owner: ownerKey(owner === '' ? ws.owner : owner),
  };
}

/** Snapshots (or images) the schedule made of the source workstation in the workstation's Region, of any owner. */
function candidates(
  ws: DesiredWorkstation,
  source: RestoreSource,
  schedule: DesiredSchedule,
  repo: string,
  observed: Observed,
): Candidate[] {
  const ofSource = (tags: Record<string, string>, region: string): boolean =>
    region === ws.region &&
    madeForSchedule(tags, repo, schedule.name) &&
    tags[SCHEDULE_TAG.workstation] === source.workstation;
  if (schedule.type === 'image') {
    return observed.images.flatMap((i) => {
      const slot = i.tags[SCHEDULE_TAG.slot];
      if (i.state !== 'available' || !ofSource(i.tags, i.region) || slot === undefined) return [];
      return [{ slot, id: i.imageId, volume: 'image', owner: ownerKey(i.tags[TAG.owner]) }];
    });
  }
  return observed.snapshots.flatMap((s) => {
    const slot = s.tags[SCHEDULE_TAG.slot];
    const volume = s.tags[TAG.volume];
    if (s.state !== 'completed' || !ofSource(s.tags, s.region) || slot === undefined) return [];
    if (volume === undefined || volume === 'root') return [];
    return [{ slot, id: s.snapshotId, volume, owner: ownerKey(s.tags[TAG.owner]) }];
  });
}

/** `bob`, `bob and carol`, or `no recorded owner` for untagged snapshots. */
function owners(found: readonly Candidate[]): string {
  const names = [...new Set(found.map((c) => c.owner))].sort().map((o) => (o === '' ? 'no recorded owner' : o));
  return names.join(' and ');
}

/** Resolves `ws.restoreFrom` against the observed snapshots and images, taking only the source owner's. */
export function resolveRestore(
  ws: DesiredWorkstation,
  schedules: readonly DesiredSchedule[],
  repo: string,
  observed: Observed,
): RestoreResolution {
  const source = restoreSource(ws);
  if (source === undefined) return { ok: true };
  const { which } = source;
  const refuse = (message: string, code: PlanRefusal['code'] = 'no-restore-snapshot'): RestoreResolution => ({
    ok: false,
    refusal: {
      code,
      message: `workstation ${ws.name}: restoreFrom ${ws.restoreFrom}: ${message}`,
      resource: { kind: 'Workstation', name: ws.name },
    },
  });
  const schedule = schedules.find((s) => s.name === source.schedule);
  if (schedule === undefined) return refuse(`no valid SnapshotSchedule ${source.schedule}`);
  const inSlots = candidates(ws, source, schedule, repo, observed).filter(
    (c) => which === 'latest' || localTime(new Date(c.slot), schedule.timezone).date === which,
  );
  const found = inSlots.filter((c) => c.owner === source.owner);
  const foreign = inSlots.filter((c) => c.owner !== source.owner);
  if (found.length === 0 && foreign.length > 0) {
    const hints = [...new Set(foreign.map((c) => c.owner))]
      .filter((o) => o !== '')
      .sort()
      .map((o) => `${source.schedule}/${which}/${source.workstation}@${o}`);
    const how =
      hints.length === 0
        ? ''
        : ` (to restore them, write restoreFrom: ${hints.join(' or ')}; that needs their owner's approval)`;
    return refuse(
      `the snapshots of ${source.workstation} in ${ws.region} belong to ${owners(foreign)}, not ${source.owner}: not restored${how}`,
      'other-owner-snapshots',
    );
  }
  const slots = [...new Set(found.map((c) => c.slot))].sort();
  const slot = slots[slots.length - 1];
  const whose =
    source.workstation === ws.name && source.owner === ownerKey(ws.owner)
      ? ws.name
      : `${source.workstation} (owner ${source.owner})`;
  if (slot === undefined)
    return which === 'latest'
      ? { ok: true }
      : refuse(`no snapshot of ${whose} in ${ws.region} from ${which} (${schedule.timezone})`);
  const chosen = found.filter((c) => c.slot === slot).sort((a, b) => (a.id < b.id ? -1 : 1));
  const point: RestorePoint = {
    schedule: schedule.name,
    workstation: source.workstation,
    owner: source.owner,
    slot,
    type: schedule.type,
    volumeSnapshots: {},
    label: `${schedule.name} slot ${formatSlot(slot, schedule.timezone)}`,
  };
  const [first] = chosen;
  if (schedule.type === 'image' && first !== undefined) point.imageId = first.id;
  else for (const c of chosen) point.volumeSnapshots[c.volume] ??= c.id;
  return { ok: true, point };
}

/** The launch request with the restore applied: snapshots for data volumes, or the AMI; tags recording it. */
export function withRestore(
  launch: LaunchRequest,
  ws: DesiredWorkstation,
  point: RestorePoint | undefined,
): LaunchRequest {
  if (ws.restoreFrom === undefined) return launch;
  const tags: Record<string, string> = { ...launch.tags, [RESTORE_FROM_TAG]: ws.restoreFrom };
  if (point === undefined) return { ...launch, tags: sortKeys(tags) };
  tags[RESTORED_SLOT_TAG] = point.slot;
  if (point.type === 'image' && point.imageId !== undefined) {
    tags[TAG.ami] = point.imageId;
    return { ...launch, imageId: point.imageId, userData: '', tags: sortKeys(tags) };
  }
  const volumeSnapshots: Record<string, string> = {};
  for (const v of launch.volumes) {
    const snapshotId = point.volumeSnapshots[v.name];
    if (snapshotId !== undefined) volumeSnapshots[v.name] = snapshotId;
  }
  return { ...launch, tags: sortKeys(tags), ...(Object.keys(volumeSnapshots).length > 0 ? { volumeSnapshots } : {}) };
}
