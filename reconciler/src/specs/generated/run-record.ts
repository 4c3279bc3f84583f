/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The run record (`record.json` on the `labops-status` branch, or a local file): facts AWS forgets or that cost money to ask again — when each snapshot schedule last ran, which Batch jobs were submitted, budget alerts already sent, the Cost Explorer cache, per-resource status. A cache of facts, never desired state: whoever can push the status branch can write it, so labops validates it against this schema on every load and refuses the run on any unknown field or wrong type (an invalid record never reads as empty, which would submit jobs and send alerts again). A time in it later than the run's clock (beyond 5 minutes of skew) is ignored. Records of the previous version held files by their text (`holds.*.baseContent`); such holds cannot be verified against git and are dropped on load with a warning, the rest of that shape is this one. Missing `alerts`, `schedules`, `jobs`, `resources` and `costExplorerCalls` read as empty.
 */
export interface RunRecord {
  /**
   * Record format version. Always 1.
   */
  version: 1;
  /**
   * ISO-8601 time of the last write.
   */
  updatedAt?: string;
  /**
   * The Lab calendar's IANA time zone at the last write: STATUS.md shows its times in it (UTC when absent or unknown). @default undefined (UTC)
   */
  timezone?: string;
  /**
   * ISO-8601 time of the last apply or reconcile that wrote this record in full (not one held back because the record was missing). A record without it, and without jobs, alerts or schedule slots, counts as missing when the lab has live resources. @default undefined (never applied)
   */
  lastApplyAt?: string;
  /**
   * Budget threshold alerts already sent (each alerts once per period).
   *
   * @maxItems 100000
   */
  alerts: AlertRecord[];
  costCache?: CostCacheRecord;
  /**
   * Cost Explorer calls made, in all (each costs $0.01).
   */
  costExplorerCalls: number;
  /**
   * When each SnapshotSchedule last ran, by schedule name.
   */
  schedules: {
    [k: string]: ScheduleRecord;
  };
  /**
   * Every Batch submission labops made, kept forever (Batch forgets jobs about a week after they end).
   *
   * @maxItems 100000
   */
  jobs: JobRecord[];
  /**
   * Regions where labops has created a Batch job queue: read on every run, so a JobQueue whose file was removed (the lab's last one too) is still found, and pruned or reported. Only makes labops read; nothing is changed without the resource's own labops tags. @default undefined (none)
   *
   * @maxItems 50
   */
  jobQueueRegions?: string[];
  /**
   * Per-resource status for `labops status` and STATUS.md, by `Workstation/NAME` or `Budget/NAME`.
   */
  resources: Record<string, Record<string, unknown>>;
  /**
   * When each kind of resource (`Workstation`, `Budget`) was last listed in full: an entry of that kind observed before this and absent from `resources` is gone, so merging two writers' records never brings it back. @default undefined (never listed)
   */
  listedAt?: {
    [k: string]: string;
  };
  /**
   * Held spec files by path relative to the lab folder. @default undefined (none)
   */
  holds?: {
    [k: string]: HoldRecord;
  };
  applied?: AppliedRecord;
  /**
   * What each instance of a budgeted project did since Cost Explorer's data end, as runs observed (docs/budgets.md): its last state and when it changed, and the stretches it ran, so the spend estimate never forgets compute when an instance stops or storage when it restarts. Read only to add to what EC2 shows now: a record that leaves something out cannot lower the estimate below what EC2 shows. @default undefined (none)
   */
  instanceRuns?: {
    [k: string]: InstanceRunRecord;
  };
  /**
   * The attempts each Batch job of the lab's JobQueues (a budgeted project's) ran since Cost Explorer's data end (docs/budgets.md), so labops asks Batch about it again after it ends, until Cost Explorer's data covers it. Counted only for jobs Batch returns in the lab's queues, and only inside the span Batch shows them running: a forged entry adds nothing. @default undefined (none)
   */
  jobRuns?: {
    [k: string]: JobRunRecord;
  };
  /**
   * How long the lab's workstations took to be ready, as the marker on their console said (docs/environment-images.md), by instance id: measured once per instance, for the plan's figure of the time a built environment image saves per launch. Read for that estimate only, never for a decision; the newest 500 are kept. @default undefined (none)
   */
  provisionTimes?: {
    [k: string]: ProvisionTimeRecord;
  };
  /**
   * Budget `stop`, `hibernate` and `block-launches` actions fired, each in force for the rest of its period unless the Budget's limit or the action's percent is raised. Only ever adds an action: a forged entry cannot lift one that spend puts in force. @default undefined (none)
   *
   * @maxItems 10000
   */
  budgetActions?: FiredBudgetActionRecord[];
}
/**
 * A budget threshold alert already sent in a period (each alerts once per period).
 */
export interface AlertRecord {
  /**
   * The Budget's name.
   */
  budget: string;
  /**
   * Period key, e.g. `2026-08-24..2026-12-18`, `2026-11`, `2026-Q4` or `2026`.
   */
  period: string;
  /**
   * Threshold percent crossed.
   */
  percent: number;
  /**
   * `actual` or `forecast`.
   */
  basis: 'actual' | 'forecast';
  /**
   * ISO-8601 time it was sent.
   */
  at: string;
  /**
   * The biggest source of the spend to the period's end when the alert was raised, e.g. `snapshots of schedule nightly (~$1,234 to the period's end)`. @default undefined (not attributed)
   */
  driver?: string;
}
/**
 * Cost Explorer results kept for their refresh window.
 */
export interface CostCacheRecord {
  /**
   * ISO-8601 time of the call.
   */
  fetchedAt: string;
  /**
   * First date asked for (inclusive).
   */
  start: string;
  /**
   * Last date asked for (exclusive).
   */
  end: string;
  /**
   * Daily unblended cost per project: project → date → USD.
   */
  dailyByProject: {
    [k: string]: {
      [k: string]: number;
    };
  };
  /**
   * The same daily cost split by source (cost/sources.ts, from Cost Explorer's usage type): project → source → date → USD. A cache without it (written before labops split costs) is fetched again once. @default undefined
   */
  dailyBySource?: {
    [k: string]: {
      [k: string]: {
        [k: string]: number;
      };
    };
  };
  /**
   * Dates Cost Explorer marked as estimated (not final).
   *
   * @maxItems 1000
   */
  estimatedDates: string[];
  /**
   * GetCostForecast results per `project@periodEnd`, when asked.
   */
  forecastByProject?: {
    [k: string]: {
      /**
       * A calendar date, YYYY-MM-DD.
       */
      end: string;
      /**
       * Forecast spend to the end of the period.
       */
      meanUSD: number;
      /**
       * Lower bound of the prediction interval.
       */
      lowUSD?: number;
      /**
       * Upper bound of the prediction interval.
       */
      highUSD?: number;
    };
  };
}
/**
 * When a SnapshotSchedule last ran.
 */
export interface ScheduleRecord {
  /**
   * ISO-8601 of the last slot taken (the cron time it stood for).
   */
  lastSlot?: string;
  /**
   * ISO-8601 of when that run actually happened.
   */
  lastRunAt?: string;
  /**
   * ISO-8601 of the first apply that saw the schedule. As with Amazon Data Lifecycle Manager, a new schedule's first snapshot is at its first slot after this, not at a slot already past.
   */
  firstSeenAt?: string;
  /**
   * ISO-8601 of the schedule's next slot as of the last write (for STATUS.md). @default undefined
   */
  nextSlot?: string;
}
/**
 * One Batch submission labops made (kept forever: Batch forgets jobs about a week after they end). Acted on only when Batch's own tags on the job say `labops:repo` is this repository and `labops:name` is this Job.
 */
export interface JobRecord {
  /**
   * A spec name (DNS label).
   */
  name: string;
  /**
   * Hash of the Job spec without `rerun` (16 hex digits).
   */
  specHash: string;
  /**
   * The spec's `rerun` counter at submission.
   */
  rerun: number;
  /**
   * The Region it was submitted in.
   */
  region: string;
  /**
   * Batch's job id.
   */
  jobId: string;
  /**
   * The Batch job name, `labops-NAME-HASH8-rRERUN`.
   */
  jobName: string;
  /**
   * ISO-8601 time of the submission.
   */
  submittedAt: string;
  /**
   * Last status seen (`FORGOTTEN`: Batch forgot the job before labops saw it end).
   */
  status?: string;
  /**
   * Array child counts by status, when an array job.
   */
  children?: {
    [k: string]: number;
  };
  /**
   * ISO-8601 time the status was last seen.
   */
  statusAt?: string;
  /**
   * Set when labops cancelled or terminated it (pruned).
   */
  cancelledAt?: string;
  /**
   * Estimated run-time cost of a finished single job, recorded when labops first sees it final: its attempts' running time (Batch's `startedAt` to `stoppedAt`) × its vCPUs over the instance type's × that type's on-demand hourly price; the type is the cheapest its queue's compute environments allow that holds the job (AWS reports neither which type ran it nor Spot's discount).
   */
  cost?: {
    /**
     * The estimate in USD.
     */
    usd: number;
    /**
     * The instance type priced, e.g. `m6i.large`.
     */
    instanceType: string;
    /**
     * The job's vCPUs.
     */
    vcpus: number;
    /**
     * The instance type's vCPUs.
     */
    instanceVcpus: number;
    /**
     * Seconds its attempts ran, summed.
     */
    runSeconds: number;
  };
}
/**
 * A spec file whose change reached the default branch without the approval it needs (specs.md "who may change what"). Until an approved change to the file or a revert, every run reads the file's last approved version in its place, so a scheduled reconcile never applies what apply on merge refused. The approved text is never stored here: it is read from git by object id (`blob` at `path` in `commit`) and used only when that commit is reachable from the branch being applied and the blob really is at that path there (the record is an untrusted cache). Cleared holds stay as tombstones so a concurrent writer's older copy cannot revive them.
 */
export interface HoldRecord {
  /**
   * The commit whose version of the file is the last approved one (40 hex digits).
   */
  commit: string;
  /**
   * The file's git blob id in `commit`; `null` when the file did not exist there.
   */
  blob: string | null;
  /**
   * The commit that last brought an unapproved change to the file.
   */
  sha: string;
  /**
   * ISO-8601 of the first refusal.
   */
  since: string;
  /**
   * ISO-8601 of the last change to this entry (the newer entry wins a merge).
   */
  updatedAt: string;
  /**
   * Why: one sentence per missing approval.
   *
   * @maxItems 100
   */
  reasons: string[];
  /**
   * ISO-8601 of the release, once released.
   */
  clearedAt?: string;
  /**
   * Why it was released: `approved in <sha>` or `reverted`.
   */
  clearedBy?: string;
}
/**
 * The last commit a gated run applied. @default undefined (none yet)
 */
export interface AppliedRecord {
  /**
   * The commit applied (40 hex digits).
   */
  commit: string;
  /**
   * ISO-8601 of the run that applied it.
   */
  at: string;
}
/**
 * An instance's state as labops last saw it and the stretches it ran since Cost Explorer's data end.
 */
export interface InstanceRunRecord {
  /**
   * A spec name (DNS label).
   */
  project: string;
  /**
   * The instance's Region.
   */
  region: string;
  /**
   * The EC2 instance type.
   */
  instanceType: string;
  /**
   * Its attached volumes per hour at list price.
   */
  storageHourlyUSD: number;
  /**
   * The EC2 state last seen.
   */
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  /**
   * When it entered that state: its last start, or the stop time EC2's `StateTransitionReason` gives.
   */
  changedAt: string;
  /**
   * The earliest time it is known to have existed (its volumes cost from then).
   */
  firstSeen: string;
  /**
   * When labops last observed it.
   */
  lastSeen: string;
  /**
   * Stretches it ran (compute billed), each `[from, to]`; the last one ends at `lastSeen` while it runs.
   *
   * @maxItems 1000
   */
  runs: {
    /**
     * Start of the stretch.
     */
    from: string;
    /**
     * End of the stretch (the stop, or the last observation).
     */
    to: string;
  }[];
}
/**
 * A Batch job's attempts since Cost Explorer's data end, as labops last saw them.
 */
export interface JobRunRecord {
  /**
   * A spec name (DNS label).
   */
  project: string;
  /**
   * The job's Region.
   */
  region: string;
  /**
   * When labops last observed it.
   */
  lastSeen: string;
  /**
   * Stretches its attempts ran (its share of an instance billed), each `[from, to]`; the last one ends at `lastSeen` while it runs.
   *
   * @maxItems 100
   */
  runs: {
    /**
     * Start of the stretch.
     */
    from: string;
    /**
     * End of the stretch (the attempt's stop, or the last observation).
     */
    to: string;
  }[];
}
/**
 * How long one workstation took from boot to ready.
 */
export interface ProvisionTimeRecord {
  /**
   * `name@version` of its environment (its `labops:environment` tag).
   */
  environment: string;
  /**
   * `script`: it ran the provisioning script at first boot; `image`: it booted from a built environment image.
   */
  path: 'script' | 'image';
  /**
   * Seconds from boot to ready, as the marker said.
   */
  seconds: number;
  /**
   * When labops read it.
   */
  at: string;
}
/**
 * A budget action that fired in a period.
 */
export interface FiredBudgetActionRecord {
  /**
   * A spec name (DNS label).
   */
  budget: string;
  /**
   * Period key, e.g. `2026-08-24..2026-12-18`, `2026-11`, `2026-Q4` or `2026`.
   */
  period: string;
  /**
   * The action.
   */
  do: 'hibernate' | 'stop' | 'block-launches';
  /**
   * Its percent when it fired.
   */
  atPercent: number;
  /**
   * The Budget's limit when it fired.
   */
  limitUSD: number;
  /**
   * ISO-8601 time it fired.
   */
  at: string;
}
