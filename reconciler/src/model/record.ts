import type { LeaseRegister } from './lease.js';

/**
 * The run record: facts AWS forgets or that cost money to ask again — when each snapshot
 * schedule last ran, which Batch jobs were submitted, budget alerts already sent, the Cost
 * Explorer cache. A cache of facts, never desired state. Kept by a {@link RecordStore}: a
 * file for local use, the `labops-status` branch in GitHub (issue 7).
 */

/** A budget threshold alert already sent in a period (each alerts once per period). */
export interface AlertRecord {
  budget: string;
  /** Period key, e.g. `2026-08-24..2026-12-18` or `2026-11`. */
  period: string;
  /** Threshold percent crossed. */
  percent: number;
  /** `actual` or `forecast`. */
  basis: 'actual' | 'forecast';
  /** ISO-8601 time it was sent. */
  at: string;
}

/** Cost Explorer results kept for its refresh window (each call costs $0.01). */
export interface CostCacheRecord {
  /** ISO-8601 time of the call. */
  fetchedAt: string;
  /** Start (inclusive) and end (exclusive) dates asked for. */
  start: string;
  end: string;
  /** Daily unblended cost per project: project → date → USD. */
  dailyByProject: Record<string, Record<string, number>>;
  /** Dates Cost Explorer marked as estimated (not final). */
  estimatedDates: string[];
  /** GetCostForecast results per project, when asked. */
  forecastByProject?: Record<string, { end: string; meanUSD: number; lowUSD?: number; highUSD?: number }>;
}

/** One Batch submission labops made (kept forever: Batch forgets jobs about a week after they end). */
export interface JobRecord {
  /** The Job spec's name. */
  name: string;
  specHash: string;
  rerun: number;
  region: string;
  jobId: string;
  jobName: string;
  /** ISO-8601. */
  submittedAt: string;
  /** Last status seen, e.g. RUNNING, SUCCEEDED, FAILED. */
  status?: string;
  /** Array child counts by status, when an array job. */
  children?: Record<string, number>;
  /** ISO-8601 time the status was last seen. */
  statusAt?: string;
  /** Set when labops cancelled or terminated it (pruned). */
  cancelledAt?: string;
}

/** When a SnapshotSchedule last ran. */
export interface ScheduleRecord {
  /** ISO-8601 of the last slot taken (the cron time it stood for). */
  lastSlot?: string;
  /** ISO-8601 of when that run actually happened. */
  lastRunAt?: string;
  /**
   * ISO-8601 of the first apply that saw the schedule. As with Amazon Data Lifecycle Manager, a
   * new schedule's first snapshot is at its first slot after this, not at a slot already past.
   */
  firstSeenAt?: string;
  /** ISO-8601 of the schedule's next slot as of the last write (for STATUS.md). @default undefined */
  nextSlot?: string;
}

/**
 * A spec file whose change reached the default branch without the approval it needs
 * (specs.md "who may change what"). Until an approved change to the file or a revert, every run
 * reads `baseContent` in its place, so a scheduled reconcile never applies what apply on merge
 * refused. Cleared holds stay as tombstones so a concurrent writer's older copy cannot revive them.
 */
export interface HoldRecord {
  /** The file's last approved text; `null` when it did not exist. */
  baseContent: string | null;
  /** The commit that last brought an unapproved change to the file. */
  sha: string;
  /** ISO-8601 of the first refusal. */
  since: string;
  /** ISO-8601 of the last change to this entry (the newer entry wins a merge). */
  updatedAt: string;
  /** Why: one sentence per missing approval. */
  reasons: string[];
  /** ISO-8601 of the release, once released. */
  clearedAt?: string;
  /** Why it was released: `approved in <sha>` or `reverted`. */
  clearedBy?: string;
}

/** The whole record. */
export interface RunRecord {
  version: 1;
  /** ISO-8601 of the last write. */
  updatedAt?: string;
  alerts: AlertRecord[];
  costCache?: CostCacheRecord;
  /** Cost Explorer calls made, in all (each costs $0.01). */
  costExplorerCalls: number;
  schedules: Record<string, ScheduleRecord>;
  jobs: JobRecord[];
  /** Per-resource status for `labops status` and STATUS.md (issue 7). */
  resources: Record<string, Record<string, unknown>>;
  /**
   * When each kind of resource (`Workstation`, `Budget`) was last listed in full: an entry of that
   * kind observed before this and absent from `resources` is gone, so merging two writers' records
   * never brings it back. @default undefined (never listed)
   */
  listedAt?: Record<string, string>;
  /** Held spec files by path relative to the lab folder. @default undefined (none) */
  holds?: Record<string, HoldRecord>;
}

/** An empty record. */
export function emptyRecord(): RunRecord {
  return { version: 1, alerts: [], costExplorerCalls: 0, schedules: {}, jobs: [], resources: {} };
}

/** Where the record lives. `load` returns an empty record when none exists yet. */
export interface RecordStore {
  load(): Promise<RunRecord>;
  save(record: RunRecord): Promise<void>;
  /** The lease register beside the record (record/lease.ts): one run at a time changes AWS. @default none */
  lease?(): LeaseRegister;
}
