/**
 * Cross-region copies of a schedule's originals (`copyTo`): each original that is complete
 * (snapshot `completed`, image `available`) and has no copy in a `copyTo` Region gets a
 * `copy-snapshot` action there. Originals retention is about to expire are not copied. A copy
 * carries the original's labops tags plus `labops:copy-of`, so it is found again, never doubled.
 */
import type { ObservedImage } from '../../model/observed.js';
import type { Action } from '../../model/plan.js';
import type { CopySnapshotDetails, DesiredSchedule, ObservedSnapshot } from '../../model/schedule.js';
import { SCHEDULE_TAG } from '../../model/schedule.js';
import { sortKeys, stableHash } from '../../model/tags.js';
import { SNAPSHOT_COST_NOTE, snapshotMonthlyUSD } from '../../cost/monthly.js';
import type { RetentionItem } from '../../model/snapshot-retention.js';
import { retentionVerdict } from '../../model/snapshot-retention.js';
import { scheduleAction } from '../../engine/clock-actions.js';
import { SNAPSHOT_PLAN_ACTIONS } from './actions.js';

function labopsTags(tags: Record<string, string>): Record<string, string> {
  return sortKeys(Object.fromEntries(Object.entries(tags).filter(([key]) => key.startsWith('labops:'))));
}

function copyExists(
  sourceId: string,
  region: string,
  snapshots: readonly ObservedSnapshot[],
  images: readonly ObservedImage[],
): boolean {
  return [...snapshots, ...images].some(
    (x) =>
      x.region === region && x.tags[SCHEDULE_TAG.copyOf] === sourceId && x.state !== 'error' && x.state !== 'failed',
  );
}

/** The copy actions a schedule needs now. */
export function planCopies(
  repo: string,
  schedule: DesiredSchedule,
  items: readonly RetentionItem[],
  snapshots: readonly ObservedSnapshot[],
  images: readonly ObservedImage[],
  now: Date,
): Action[] {
  const originals = items.filter((i) => !i.group.split('|').includes('copy'));
  // Index within each group of originals, newest first, to skip what count-retention drops.
  const byGroup = new Map<string, RetentionItem[]>();
  for (const item of originals) byGroup.set(item.group, [...(byGroup.get(item.group) ?? []), item]);
  const actions: Action[] = [];
  for (const group of [...byGroup.keys()].sort()) {
    const sorted = (byGroup.get(group) ?? []).sort((a, b) => (a.slot < b.slot ? 1 : a.slot > b.slot ? -1 : 0));
    for (const [index, item] of sorted.entries()) {
      if (retentionVerdict(schedule.retain, index, item.slot, now) !== undefined) continue;
      const source =
        item.resource === 'image'
          ? images.find((i) => i.imageId === item.id)
          : snapshots.find((s) => s.snapshotId === item.id);
      if (source === undefined || source.state !== (item.resource === 'image' ? 'available' : 'completed')) continue;
      for (const region of schedule.copyTo) {
        if (region === item.region || copyExists(item.id, region, snapshots, images)) continue;
        const tags: Record<string, string> = {
          ...labopsTags(source.tags),
          [SCHEDULE_TAG.copyOf]: item.id,
          [SCHEDULE_TAG.sourceRegion]: item.region,
        };
        const details: CopySnapshotDetails = {
          kind: 'copy-snapshot',
          schedule: schedule.name,
          resource: item.resource,
          sourceRegion: item.region,
          sourceId: item.id,
          clientToken: `labops-${stableHash([repo, item.id, region], 48)}`,
          tags,
        };
        if (item.resource === 'image') details.imageName = 'name' in source ? source.name : item.id;
        const sizeGiB = 'sizeGiB' in source ? source.sizeGiB : 0;
        actions.push(
          scheduleAction(SNAPSHOT_PLAN_ACTIONS, schedule.name, 'copy-snapshot', `${region}/${item.id}`, {
            region,
            rule: 'copyTo',
            reason: `${schedule.name}: copy ${item.id} (${tags[SCHEDULE_TAG.workstation] ?? '?'}, slot ${item.slot}) from ${item.region} to ${region} (${SNAPSHOT_COST_NOTE})`,
            monthlyDeltaUSD: snapshotMonthlyUSD(region, sizeGiB),
            details,
          }),
        );
      }
    }
  }
  return actions;
}
