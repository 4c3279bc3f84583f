/**
 * The spend ledger: what each instance of the lab did since Cost Explorer's data end, kept in the
 * run record (`instanceRuns`) so the estimate of that stretch never goes down between runs.
 *
 * - **Compute** is counted over the stretches an instance ran: from its last start (`LaunchTime`)
 *   to now while it runs, to its stop (the time in EC2's `StateTransitionReason`) once stopped,
 *   and over every earlier stretch the record remembers. An instance stopped and started again
 *   between two runs, its stop not observed, counts up to when labops last saw it running.
 * - **Storage** is counted from the data end (or from when the instance is first known to exist,
 *   if later) to now, whatever the restarts, and to when it was last seen once it is gone.
 * - Every figure is clipped to `[data end, now]`: when Cost Explorer's data moves on, what it
 *   covers leaves the estimate, and the ledger forgets stretches that end before it.
 *
 * The record is untrusted (record/parse.ts): it is only ever *added* to what EC2 shows now, so a
 * record that drops stretches cannot bring the estimate below what the observation alone gives.
 * Batch jobs' run time is the ledger's Batch part (cost/job-ledger.ts), counted here as compute.
 */
import type { ObservedInstance } from '../model/observed.js';
import type { ObservedJob } from '../model/job.js';
import { jobsCostSince } from './job-ledger.js';
import type { JobLedger } from './job-ledger.js';
import type { RunRecord } from '../model/record.js';
import type { InstanceRunRecord } from '../specs/generated/run-record.js';
import { stretchHours, mergeStretches, recordedMs, recordedStretches } from './stretches.js';
import type { Stretch } from './stretches.js';
import { TAG } from '../model/tags.js';
import { HOURS_PER_MONTH, hourlyPriceUSD } from './prices/index.js';
import { storageMonthlyUSD } from './monthly.js';

const HOUR_MS = 3_600_000;
/** Most stretches kept per instance (a stop and start every reconcile for a month is about 720). */
const MAX_RUNS = 1000;

/** The ledger: by instance id. */
export type SpendLedger = Record<string, InstanceRunRecord>;

function gone(state: ObservedInstance['state']): boolean {
  return state === 'terminated' || state === 'shutting-down';
}

function storageHourlyUSD(instance: ObservedInstance): number {
  const volumes = instance.attachments.map((a) => ({ sizeGiB: a.sizeGiB, type: a.type }));
  return storageMonthlyUSD(instance.region, volumes) / HOURS_PER_MONTH;
}

/** The stretch EC2 shows the instance ran in its last start (none when that is unknown). */
function observedRun(instance: ObservedInstance, nowMs: number): Stretch | undefined {
  const from = Date.parse(instance.launchTime);
  if (Number.isNaN(from) || from > nowMs) return undefined;
  if (instance.state === 'running' || instance.state === 'pending') return { from, to: nowMs };
  const stopped = instance.stoppedAt === undefined ? Number.NaN : Date.parse(instance.stoppedAt);
  if (Number.isNaN(stopped) || stopped < from) return undefined;
  return { from, to: Math.min(stopped, nowMs) };
}

/**
 * The ledger after observing `instances` at `now`: each instance's stretches (recorded ones plus
 * what EC2 shows), its last state and when it changed; entries of instances no longer observed
 * are kept while they hold spend after `dataUntilMs`.
 */
export function updateLedger(
  ledger: SpendLedger | undefined,
  instances: readonly ObservedInstance[],
  now: Date,
  dataUntilMs: number,
): SpendLedger {
  const nowMs = now.getTime();
  const iso = (ms: number): string => new Date(ms).toISOString();
  const out: SpendLedger = {};
  for (const [id, entry] of Object.entries(ledger ?? {})) {
    const lastSeen = recordedMs(entry.lastSeen, now);
    if (lastSeen !== undefined && lastSeen > dataUntilMs) out[id] = entry;
  }
  for (const instance of instances) {
    const project = instance.tags[TAG.project];
    if (project === undefined || gone(instance.state)) continue;
    const known = ledger?.[instance.instanceId];
    const runs = recordedStretches(known?.runs, now);
    const lastSeen = known === undefined ? undefined : recordedMs(known.lastSeen, now);
    const current = observedRun(instance, nowMs);
    // Seen running last time, now running from a later start: it stopped in between, unobserved.
    if (known?.state === 'running' && lastSeen !== undefined && current !== undefined && current.from > lastSeen) {
      const since = recordedMs(known.changedAt, now);
      if (since !== undefined) runs.push({ from: since, to: lastSeen });
    }
    if (current !== undefined) runs.push(current);
    const kept = mergeStretches(runs)
      .filter((s) => s.to > dataUntilMs)
      .slice(-MAX_RUNS);
    const launch = Date.parse(instance.launchTime);
    const firstKnown = known === undefined ? undefined : recordedMs(known.firstSeen, now);
    const firstSeen = Math.min(
      ...[launch, firstKnown, nowMs].filter((t): t is number => t !== undefined && !Number.isNaN(t)),
    );
    const on = instance.state === 'running' || instance.state === 'pending';
    const changedAt = on
      ? current?.from
      : instance.stoppedAt === undefined
        ? undefined
        : Date.parse(instance.stoppedAt);
    out[instance.instanceId] = {
      project,
      region: instance.region,
      instanceType: instance.instanceType,
      storageHourlyUSD: storageHourlyUSD(instance),
      state: on ? 'running' : instance.state,
      changedAt: iso(changedAt === undefined || Number.isNaN(changedAt) ? nowMs : changedAt),
      firstSeen: iso(firstSeen),
      lastSeen: iso(nowMs),
      runs: kept.map((s) => ({ from: iso(s.from), to: iso(s.to) })),
    };
  }
  return out;
}

/** The project's Batch jobs as the spend estimate reads them (cost/job-ledger.ts). */
export interface BatchSpend {
  /** Jobs as Batch reports them now (`Observed.jobs`), priced by the Job kind's observe. */
  jobs: readonly ObservedJob[];
  /** The run record's `jobRuns`, brought up to date. */
  ledger: JobLedger | undefined;
}

/**
 * What `project`'s instances and Batch jobs cost in `[fromMs, toMs)` at list price: compute over
 * the stretches instances ran (the ledger's and EC2's) and Batch jobs' attempts ran (at the job's
 * share of its instance), storage from when each instance is first known to exist. What AWS
 * shows now is always counted; the ledgers can only add to that.
 */
export function projectCostSince(
  project: string,
  instances: readonly ObservedInstance[],
  ledger: SpendLedger | undefined,
  fromMs: number,
  toMs: number,
  now: Date,
  batch?: BatchSpend,
): number {
  const split = projectCostSinceBySource(project, instances, ledger, fromMs, toMs, now, batch);
  return split.compute + split.volumes;
}

/** {@link projectCostSince}, split into compute (instance hours, Batch included) and volumes (attached EBS). */
export function projectCostSinceBySource(
  project: string,
  instances: readonly ObservedInstance[],
  ledger: SpendLedger | undefined,
  fromMs: number,
  toMs: number,
  now: Date,
  batch?: BatchSpend,
): { compute: number; volumes: number } {
  const total = { compute: 0, volumes: 0 };
  if (toMs <= fromMs) return total;
  // Batch bills its instances as EC2 compute: Cost Explorer's actuals put them there too (cost/sources.ts).
  if (batch !== undefined) total.compute += jobsCostSince(project, batch.jobs, batch.ledger, fromMs, toMs, now);
  const seen = new Set<string>();
  for (const instance of instances) {
    if (instance.tags[TAG.project] !== project || gone(instance.state)) continue;
    seen.add(instance.instanceId);
    const entry = ledger?.[instance.instanceId];
    const current = observedRun(instance, now.getTime());
    const runs = [...(current === undefined ? [] : [current]), ...recordedStretches(entry?.runs, now)];
    const compute = hourlyPriceUSD(instance.instanceType, instance.region) ?? 0;
    const launch = Date.parse(instance.launchTime);
    const firstKnown = entry === undefined ? undefined : recordedMs(entry.firstSeen, now);
    const firstSeen = Math.min(Number.isNaN(launch) ? fromMs : launch, firstKnown ?? Number.POSITIVE_INFINITY);
    const storageHours = Math.max(0, toMs - Math.max(fromMs, firstSeen)) / HOUR_MS;
    total.compute += compute * stretchHours(runs, fromMs, toMs);
    total.volumes += storageHourlyUSD(instance) * storageHours;
  }
  for (const [id, entry] of Object.entries(ledger ?? {})) {
    if (seen.has(id) || entry.project !== project) continue;
    // Gone since (terminated): what it ran and stored up to when labops last saw it.
    const compute = hourlyPriceUSD(entry.instanceType, entry.region) ?? 0;
    const first = recordedMs(entry.firstSeen, now);
    const last = recordedMs(entry.lastSeen, now);
    const storageHours =
      first === undefined || last === undefined
        ? 0
        : Math.max(0, Math.min(last, toMs) - Math.max(fromMs, first)) / HOUR_MS;
    total.compute += compute * stretchHours(recordedStretches(entry.runs, now), fromMs, toMs);
    total.volumes += entry.storageHourlyUSD * storageHours;
  }
  return total;
}

/** The record with the ledger replaced (an empty ledger leaves the field out). */
export function withLedger(record: RunRecord, ledger: SpendLedger): RunRecord {
  const { instanceRuns: _dropped, ...rest } = record;
  return Object.keys(ledger).length ? { ...rest, instanceRuns: ledger } : rest;
}
