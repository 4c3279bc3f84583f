/**
 * The pure SnapshotSchedule planner: Desired + Observed + the run record's last slots + clock →
 * actions. Per schedule: a `snapshot` per selected live workstation when a slot is due, a
 * `copy-snapshot` per original that lacks its copy in a `copyTo` Region, and a `delete-snapshot`
 * per Region for what retention lets go (after the new snapshots exist, so a failed snapshot
 * never lets the count drop). No I/O, no clock reads; sorted inputs give byte-identical plans.
 */
import type { Desired } from '../../model/desired.js';
import type { Observed, ObservedInstance } from '../../model/observed.js';
import type { Action } from '../../model/plan.js';
import type { ScheduleRecord } from '../../model/record.js';
import { recordedTime } from '../../model/record-time.js';
import type { DesiredSchedule, ObservedSnapshot, SnapshotDetails } from '../../model/schedule.js';
import { SCHEDULE_TAG } from '../../model/schedule.js';
import { TAG } from '../../model/tags.js';
import { orderActions } from '../../engine/actions.js';
import { compareText } from '../../model/problem.js';
import { scheduleAction } from '../../engine/clock-actions.js';
import { SNAPSHOT_COST_NOTE, snapshotMonthlyUSD } from '../../cost/monthly.js';
import { liveInstancesByName } from '../../model/workstation-inventory.js';
import { planCopies } from './copies.js';
import { expiredItems, imageItems, plannedItem, snapshotItems } from '../../model/snapshot-retention.js';
import type { RetentionItem } from '../../model/snapshot-retention.js';
import { dueReason, dueSlot, newestTaggedSlot } from '../../model/snapshot-slots.js';
import type { DueSlot } from '../../model/snapshot-slots.js';
import { SNAPSHOT_PLAN_ACTIONS } from './actions.js';

/** `20261122T070000Z`: a slot in AMI names. */
function compactSlot(slot: string): string {
  return slot.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function snapshotTags(
  repo: string,
  schedule: DesiredSchedule,
  instance: ObservedInstance,
  slot: string,
): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG.repo]: repo,
    [TAG.kind]: 'SnapshotSchedule',
    [TAG.name]: schedule.name,
    [SCHEDULE_TAG.schedule]: schedule.name,
    [SCHEDULE_TAG.workstation]: instance.tags[TAG.name] ?? '',
    [SCHEDULE_TAG.slot]: slot,
  };
  for (const key of [TAG.project, TAG.owner]) {
    const value = instance.tags[key];
    if (value !== undefined) tags[key] = value;
  }
  return tags;
}

function snapshotAction(repo: string, schedule: DesiredSchedule, instance: ObservedInstance, due: DueSlot): Action {
  const workstation = instance.tags[TAG.name] ?? instance.instanceId;
  const volumes = instance.attachments.flatMap((a) =>
    a.name === undefined ? [] : [{ volumeId: a.volumeId, name: a.name, sizeGiB: a.sizeGiB }],
  );
  const tags = snapshotTags(repo, schedule, instance, due.slot);
  const details: SnapshotDetails = {
    kind: 'snapshot',
    schedule: schedule.name,
    slot: due.slot,
    type: schedule.type,
    workstation,
    instanceId: instance.instanceId,
    volumes,
    tags,
  };
  if (schedule.type === 'image') details.imageName = `labops-${schedule.name}-${workstation}-${compactSlot(due.slot)}`;
  const what =
    schedule.type === 'image'
      ? `an image (NoReboot) of ${workstation}`
      : `${volumes.map((v) => `${v.name} (${v.sizeGiB} GiB)`).join(', ')} of ${workstation}`;
  const sizeGiB = volumes.reduce((sum, v) => sum + v.sizeGiB, 0);
  return scheduleAction(SNAPSHOT_PLAN_ACTIONS, schedule.name, 'snapshot', workstation, {
    region: instance.region,
    instanceId: instance.instanceId,
    rule: 'schedule',
    reason: `${dueReason(schedule, due)}: ${what} (${SNAPSHOT_COST_NOTE})`,
    monthlyDeltaUSD: snapshotMonthlyUSD(instance.region, sizeGiB),
    details,
  });
}

function plannedItems(actions: readonly Action[]): RetentionItem[] {
  const out: RetentionItem[] = [];
  for (const a of actions) {
    const d = a.details;
    if (d.kind === 'snapshot') {
      if (d.type === 'image') out.push(plannedItem(a.region, d.tags, 'image', a.id, 'image'));
      else for (const v of d.volumes) out.push(plannedItem(a.region, d.tags, v.name, `${a.id}/${v.name}`, 'snapshot'));
    } else if (d.kind === 'copy-snapshot') {
      out.push(
        plannedItem(a.region, d.tags, d.resource === 'image' ? 'image' : (d.tags[TAG.volume] ?? ''), a.id, d.resource),
      );
    }
  }
  return out;
}

function deleteActions(
  repo: string,
  schedule: DesiredSchedule,
  items: RetentionItem[],
  made: Action[],
  snapshots: readonly ObservedSnapshot[],
  now: Date,
): Action[] {
  const expired = expiredItems(schedule.retain, items, plannedItems(made), now);
  const regions = [...new Set(expired.map((e) => e.region))].sort();
  return regions.map((region) => {
    const here = expired.filter((e) => e.region === region).map(({ region: _r, ...e }) => e);
    const sizeGiB = here.reduce((sum, e) => sum + (snapshots.find((s) => s.snapshotId === e.id)?.sizeGiB ?? 0), 0);
    return scheduleAction(SNAPSHOT_PLAN_ACTIONS, schedule.name, 'delete-snapshot', region, {
      region,
      rule: 'retention',
      reason: `${here.map((e) => `${e.id} ${e.why.replace(/^retention: /, '')}`).join('; ')} (saving at full size, an upper bound: EBS keeps the blocks a later snapshot still needs)`,
      monthlyDeltaUSD: -snapshotMonthlyUSD(region, sizeGiB),
      details: { kind: 'delete-snapshot', repo, schedule: schedule.name, expired: here },
      after: made.filter((a) => a.region === region).map((a) => a.id),
    });
  });
}

/** Whether `instance` already has this schedule's snapshots of `slot`: its image, or one snapshot per named volume. */
function slotTaken(
  repo: string,
  schedule: DesiredSchedule,
  instance: ObservedInstance,
  slot: string,
  snapshots: readonly ObservedSnapshot[],
  images: Observed['images'],
): boolean {
  const name = instance.tags[TAG.name] ?? instance.instanceId;
  const ofSlot = (tags: Record<string, string>): boolean =>
    tags[TAG.repo] === repo &&
    tags[SCHEDULE_TAG.schedule] === schedule.name &&
    tags[SCHEDULE_TAG.workstation] === name &&
    tags[SCHEDULE_TAG.slot] === slot &&
    tags[SCHEDULE_TAG.copyOf] === undefined;
  if (schedule.type === 'image') return images.some((i) => ofSlot(i.tags));
  const taken = snapshots.filter((s) => s.state !== 'error' && ofSlot(s.tags));
  return instance.attachments
    .filter((a) => a.name !== undefined)
    .every((a) => taken.some((s) => s.volumeId === a.volumeId || s.tags[TAG.volume] === a.name));
}

/** Plans one schedule. */
function planSchedule(
  repo: string,
  schedule: DesiredSchedule,
  observed: Observed,
  record: ScheduleRecord | undefined,
  now: Date,
): Action[] {
  const snapshots = observed.snapshots;
  const images = observed.images;
  const tagged = newestTaggedSlot(schedule.name, repo, snapshots, images, now);
  // The record is untrusted: a slot or first sighting in the future is ignored (model/record-time.ts).
  const recorded = recordedTime(record?.lastSlot, now);
  const last = recorded === undefined ? tagged : tagged === undefined || recorded > tagged ? recorded : tagged;
  // Never run and never seen: nothing is due until an apply records when the schedule began.
  const since = last ?? recordedTime(record?.firstSeenAt, now);
  const due = since === undefined ? undefined : dueSlot(schedule, since, now);
  // A slot the tags show but the record does not (a run that failed part-way, or no record):
  // workstations without their snapshots of it still take it. Before, the newest tag alone
  // marked the slot taken, so one workstation's failed snapshot was never taken again.
  const unfinished =
    due === undefined && tagged !== undefined && (recorded === undefined || recorded < tagged)
      ? { slot: tagged, ...(recorded === undefined ? {} : { last: recorded }), slots: 1 }
      : undefined;
  const slot = due ?? unfinished;
  const live = liveInstancesByName(observed.instances, repo);
  const made: Action[] = [];
  if (slot !== undefined) {
    for (const name of schedule.workstations) {
      const instance = live.get(name)?.[0];
      if (instance === undefined || (instance.state !== 'running' && instance.state !== 'stopped')) continue;
      if (due === undefined && slotTaken(repo, schedule, instance, slot.slot, snapshots, images)) continue;
      made.push(snapshotAction(repo, schedule, instance, slot));
    }
  }
  const items =
    schedule.type === 'image'
      ? imageItems(images, repo, schedule.name)
      : snapshotItems(snapshots, images, repo, schedule.name);
  made.push(...planCopies(repo, schedule, items, snapshots, images, now));
  return [...made, ...deleteActions(repo, schedule, items, made, snapshots, now)];
}

/** Plans every SnapshotSchedule at `now`; `records` are the run record's schedule entries. */
export function planSnapshots(
  desired: Desired,
  observed: Observed,
  records: Readonly<Record<string, ScheduleRecord>>,
  now: Date,
): Action[] {
  const schedules = [...desired.schedules].sort((a, b) => compareText(a.name, b.name));
  return orderActions(
    schedules.flatMap((s) => planSchedule(desired.lab.repo, s, observed, records[s.name], now)),
    SNAPSHOT_PLAN_ACTIONS,
  );
}
