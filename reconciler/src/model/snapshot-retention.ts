/**
 * Retention of schedule snapshots, as Amazon DLM counts it: per workstation and volume (per
 * workstation for images), per Region, originals and copies apart. A snapshot is kept while
 * either rule keeps it: among the newest `count`, or younger than `maxAgeDays`. Snapshots an image
 * still uses, and anything not tagged for this repo and schedule, are never candidates. The saving
 * a deletion shows is the snapshot's full size, an upper bound: EBS moves the blocks a later
 * snapshot still needs to it rather than freeing them (plan/costs.ts SNAPSHOT_COST_NOTE).
 */
import type { ObservedImage } from './observed.js';
import type { ExpiredSnapshot, ObservedSnapshot, Retention } from './schedule.js';
import { SCHEDULE_TAG } from './schedule.js';
import { TAG } from './tags.js';
import { compareText } from './problem.js';

const DAY_MS = 86_400_000;

/** One retention candidate: a snapshot or image with its slot. */
export interface RetentionItem {
  resource: 'snapshot' | 'image';
  id: string;
  /** ISO-8601 slot (or creation time when untagged). */
  slot: string;
  region: string;
  /** Grouping key: Region, original or copy, workstation and volume. */
  group: string;
}

/** Why retention lets an item go, or undefined when a rule keeps it. */
export function retentionVerdict(retain: Retention, index: number, slot: string, now: Date): string | undefined {
  if (retain.count === undefined && retain.maxAgeDays === undefined) return undefined;
  const keptByCount = retain.count !== undefined && index < retain.count;
  const keptByAge = retain.maxAgeDays !== undefined && now.getTime() - Date.parse(slot) < retain.maxAgeDays * DAY_MS;
  if (keptByCount || keptByAge) return undefined;
  const parts: string[] = [];
  if (retain.maxAgeDays !== undefined) parts.push(`older than ${retain.maxAgeDays} days`);
  if (retain.count !== undefined) parts.push(`not in newest ${retain.count}`);
  return `retention: ${parts.join(' and ')}`;
}

/**
 * The items retention expires. `planned` are items this plan is about to create (they count as
 * the newest of their group, but are never expired themselves).
 */
export function expiredItems(
  retain: Retention,
  items: readonly RetentionItem[],
  planned: readonly RetentionItem[],
  now: Date,
): (ExpiredSnapshot & { region: string })[] {
  const groups = new Map<string, { item: RetentionItem; planned: boolean }[]>();
  for (const [list, isPlanned] of [
    [items, false],
    [planned, true],
  ] as const) {
    for (const item of list) {
      const group = groups.get(item.group) ?? [];
      group.push({ item, planned: isPlanned });
      groups.set(item.group, group);
    }
  }
  const out: (ExpiredSnapshot & { region: string })[] = [];
  for (const [, group] of [...groups.entries()].sort(([a], [b]) => compareText(a, b))) {
    const entries = group.sort((a, b) => compareText(b.item.slot, a.item.slot) || compareText(a.item.id, b.item.id));
    for (const [index, { item, planned: isPlanned }] of entries.entries()) {
      const why = isPlanned ? undefined : retentionVerdict(retain, index, item.slot, now);
      if (why !== undefined) out.push({ resource: item.resource, id: item.id, why, region: item.region });
    }
  }
  return out;
}

/** True when a snapshot or image was made by labops for this repo and schedule. */
export function madeForSchedule(tags: Record<string, string>, repo: string, schedule: string): boolean {
  return tags[TAG.repo] === repo && tags[TAG.kind] === 'SnapshotSchedule' && tags[SCHEDULE_TAG.schedule] === schedule;
}

function groupKey(region: string, tags: Record<string, string>, volume: string): string {
  return [
    region,
    tags[SCHEDULE_TAG.copyOf] === undefined ? 'original' : 'copy',
    tags[SCHEDULE_TAG.workstation] ?? '',
    volume,
  ].join('|');
}

/** The schedule's volume snapshots as retention items (never one an observed image uses). */
export function snapshotItems(
  snapshots: readonly ObservedSnapshot[],
  images: readonly ObservedImage[],
  repo: string,
  schedule: string,
): RetentionItem[] {
  const used = new Set(images.flatMap((i) => i.snapshotIds ?? []));
  return snapshots.flatMap((s) => {
    const volume = s.tags[TAG.volume];
    if (!madeForSchedule(s.tags, repo, schedule) || volume === undefined || used.has(s.snapshotId)) return [];
    return [
      {
        resource: 'snapshot' as const,
        id: s.snapshotId,
        slot: s.tags[SCHEDULE_TAG.slot] ?? s.startTime,
        region: s.region,
        group: groupKey(s.region, s.tags, volume),
      },
    ];
  });
}

/** The schedule's images as retention items. */
export function imageItems(images: readonly ObservedImage[], repo: string, schedule: string): RetentionItem[] {
  return images
    .filter((i) => madeForSchedule(i.tags, repo, schedule) && i.state !== 'deregistered')
    .map((i) => ({
      resource: 'image' as const,
      id: i.imageId,
      slot: i.tags[SCHEDULE_TAG.slot] ?? i.creationDate,
      region: i.region,
      group: groupKey(i.region, i.tags, 'image'),
    }));
}

/** The retention item an action about to run will create (for counting). */
export function plannedItem(
  region: string,
  tags: Record<string, string>,
  volume: string,
  id: string,
  resource: 'snapshot' | 'image',
): RetentionItem {
  return { resource, id, slot: tags[SCHEDULE_TAG.slot] ?? '', region, group: groupKey(region, tags, volume) };
}
