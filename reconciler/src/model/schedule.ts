/**
 * SnapshotSchedule vocabulary: the schedule as the planner sees it, the snapshots and images it
 * made (observed through tags), and the details of the actions that take, copy and expire them.
 * Every snapshot or image a schedule makes is tagged with the schedule, the workstation, the
 * slot (the cron time it stands for) and, for snapshots, the volume: retention reads these tags.
 */

/** Tags on schedule snapshots and images, beside `labops:repo` and `labops:kind: SnapshotSchedule`. */
export const SCHEDULE_TAG = {
  schedule: 'labops:schedule',
  workstation: 'labops:workstation',
  /** ISO-8601 (UTC) of the cron slot the snapshot stands for. */
  slot: 'labops:slot',
  /** On a cross-region copy: the id of the snapshot or image it copies. */
  copyOf: 'labops:copy-of',
  /** On a cross-region copy: the Region of the original. */
  sourceRegion: 'labops:source-region',
} as const;

/** Retention: a snapshot is kept while either rule keeps it; with neither, every snapshot is kept. */
export interface Retention {
  /** Keep the newest N per workstation and volume. @default undefined (no count rule) */
  count?: number;
  /** Keep those younger than N days. @default undefined (no age rule) */
  maxAgeDays?: number;
}

/** One SnapshotSchedule, defaults settled. */
export interface DesiredSchedule {
  name: string;
  cron: string;
  /** IANA zone the cron is read in (the schedule's, else the Lab calendar's). */
  timezone: string;
  type: 'volumes' | 'image';
  retain: Retention;
  /** Regions to copy each snapshot (or image) to. */
  copyTo: string[];
  /** Names of the workstations the selector picks (resolved from the specs). */
  workstations: string[];
  /**
   * Keep snapshotting while a Budget's `stop`, `hibernate` or `block-launches` is in force for a
   * selected workstation's project; otherwise such a budget pauses new snapshots and copies
   * (retention still deletes). @default false
   */
  budgetExempt: boolean;
}

/** A snapshot labops made for a schedule (source or copy), from a tag-filtered listing. */
export interface ObservedSnapshot {
  snapshotId: string;
  region: string;
  volumeId: string;
  /** `pending`, `completed`, `error`. */
  state: string;
  /** ISO-8601. */
  startTime: string;
  sizeGiB: number;
  tags: Record<string, string>;
}

/** A volume to snapshot in a `snapshot` action. */
export interface SnapshotVolume {
  volumeId: string;
  /** `labops:volume` name (`root` for the root). */
  name: string;
  sizeGiB: number;
}

/** Take one slot of a schedule for one workstation: EBS snapshots of its volumes, or an AMI. */
export interface SnapshotDetails {
  kind: 'snapshot';
  schedule: string;
  /** ISO-8601 of the slot. */
  slot: string;
  type: 'volumes' | 'image';
  workstation: string;
  instanceId: string;
  volumes: SnapshotVolume[];
  /** AMI name for `type: image` (unique per Region, so a retry finds the same image). */
  imageName?: string;
  /** Tags for every snapshot (each also gets `labops:volume`) and the image. */
  tags: Record<string, string>;
}

/** Copy a completed snapshot (or available image) of a schedule into another Region. */
export interface CopySnapshotDetails {
  kind: 'copy-snapshot';
  schedule: string;
  resource: 'snapshot' | 'image';
  sourceRegion: string;
  sourceId: string;
  /** Image copies: the name in the destination, and CopyImage's idempotency token. */
  imageName?: string;
  clientToken: string;
  /** Tags of the copy: the source's schedule tags plus `labops:copy-of` and `labops:source-region`. */
  tags: Record<string, string>;
}

/** One snapshot or image retention expires, with the rule that let it go. */
export interface ExpiredSnapshot {
  resource: 'snapshot' | 'image';
  id: string;
  /** `retention: older than 30 days and not in newest 7`. */
  why: string;
}

/** Delete what retention no longer keeps, in one Region of one schedule. */
export interface DeleteSnapshotDetails {
  kind: 'delete-snapshot';
  /** `labops:repo` every expired item must carry (checked again before deleting). */
  repo: string;
  schedule: string;
  expired: ExpiredSnapshot[];
}
