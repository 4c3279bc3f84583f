/**
 * The pure SnapshotSchedule planner: Desired + Observed + the run record's last slots + clock →
 * actions. Per schedule: a `snapshot` per selected live workstation when a slot is due, a
 * `copy-snapshot` per original that lacks its copy in a `copyTo` Region, and a `delete-snapshot`
 * per Region for what retention lets go (after the new snapshots exist, so a failed snapshot
 * never lets the count drop). A budget `stop`, `hibernate` or `block-launches` in force for a
 * workstation's project pauses its snapshots and copies unless the schedule is `budgetExempt`;
 * deletions go on (budget-pause.ts). No I/O, no clock reads; sorted inputs give byte-identical plans.
 */
import type { Desired } from '../../model/desired.js';
import type { Observed, ObservedInstance } from '../../model/observed.js';
import type { Action, PlanPart, PlanRefusal } from '../../model/plan.js';
import type { BudgetOverride } from '../../model/budget.js';
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
import { budgetHold, exemptNote, pausedNote } from './budget-pause.js';
import type { Paused } from './budget-pause.js';

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

/** What the budget does to one schedule's new snapshots and copies. */
interface BudgetGate {
  overrides: readonly BudgetOverride[];
  /** Each declared workstation's `metadata.project`. */
  projectOf: ReadonlyMap<string, string>;
}

/**
 * Lets through the new snapshots and copies no budget action pauses (all of them, noted, for an
 * exempt schedule) and notes what was paused; deletions are never passed here.
 */
function gateByBudget(schedule: DesiredSchedule, made: Action[], gate: BudgetGate): PlanPart {
  const paused = new Map<BudgetOverride, Paused>();
  const actions: Action[] = [];
  for (const action of made) {
    const d = action.details;
    const projects =
      d.kind === 'snapshot'
        ? [gate.projectOf.get(d.workstation), d.tags[TAG.project]]
        : d.kind === 'copy-snapshot'
          ? [d.tags[TAG.project], gate.projectOf.get(d.tags[SCHEDULE_TAG.workstation] ?? '')]
          : [];
    const hold = budgetHold(gate.overrides, projects);
    if (hold === undefined) actions.push(action);
    else if (schedule.budgetExempt) actions.push({ ...action, reason: `${action.reason}; ${exemptNote(hold)}` });
    else {
      const entry = paused.get(hold) ?? { override: hold, workstations: [], copies: [] };
      if (d.kind === 'snapshot') entry.workstations.push(d.workstation);
      else entry.copies.push(action.region);
      paused.set(hold, entry);
    }
  }
  return { actions, refusals: [...paused.values()].map((p) => pausedNote(schedule, p)) };
}

/** Plans one schedule. */
function planSchedule(
  repo: string,
  schedule: DesiredSchedule,
  observed: Observed,
  record: ScheduleRecord | undefined,
  now: Date,
  gate: BudgetGate,
): PlanPart {
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
  const allowed = gateByBudget(schedule, made, gate);
  return {
    actions: [...allowed.actions, ...deleteActions(repo, schedule, items, allowed.actions, snapshots, now)],
    refusals: allowed.refusals,
  };
}

/**
 * Plans every SnapshotSchedule at `now`; `records` are the run record's schedule entries.
 * @param overrides budget actions in force: each pauses its project's new snapshots and copies
 *   (a `budget-withheld` note) unless the schedule is `budgetExempt`. @default []
 */
export function planSnapshotSchedules(
  desired: Desired,
  observed: Observed,
  records: Readonly<Record<string, ScheduleRecord>>,
  now: Date,
  overrides: readonly BudgetOverride[] = [],
): PlanPart {
  const schedules = [...desired.schedules].sort((a, b) => compareText(a.name, b.name));
  const gate: BudgetGate = { overrides, projectOf: new Map(desired.workstations.map((w) => [w.name, w.project])) };
  const parts = schedules.map((s) => planSchedule(desired.lab.repo, s, observed, records[s.name], now, gate));
  const refusals: PlanRefusal[] = parts.flatMap((p) => p.refusals);
  return {
    actions: orderActions(
      parts.flatMap((p) => p.actions),
      SNAPSHOT_PLAN_ACTIONS,
    ),
    refusals,
  };
}

/** {@link planSnapshotSchedules} without budget actions: the actions alone. */
export function planSnapshots(
  desired: Desired,
  observed: Observed,
  records: Readonly<Record<string, ScheduleRecord>>,
  now: Date,
): Action[] {
  return planSnapshotSchedules(desired, observed, records, now).actions;
}
