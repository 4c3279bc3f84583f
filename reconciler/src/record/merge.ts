/**
 * Merging two versions of the run record, for concurrent writers of the status branch: the
 * union of facts, the newer value where both know the same thing. Pure, so a retry after a
 * rejected (non-fast-forward) push re-applies this writer's update on top of the other's and
 * never loses either.
 */
import type { AlertRecord, JobRecord, RunRecord } from '../model/record.js';
import { boundedProvisionTimes } from './provision-times.js';

type Resource = RunRecord['resources'][string];

/** True when `a` is at least as new as `b` (ISO-8601 strings compare in time order; missing is oldest). */
function atLeastAsNew(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '') >= (b ?? '');
}

function newest(a: string | undefined, b: string | undefined): string | undefined {
  return atLeastAsNew(a, b) ? (a ?? b) : b;
}

function byString<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function alertKey(a: AlertRecord): string {
  return `${a.budget}\0${a.period}\0${a.percent}\0${a.basis}`;
}

/** Every alert either side sent, once (the earliest sending kept), oldest first. */
function mergeAlerts(ours: AlertRecord[], theirs: AlertRecord[]): AlertRecord[] {
  const alerts = new Map<string, AlertRecord>();
  for (const alert of [...theirs, ...ours]) {
    const known = alerts.get(alertKey(alert));
    if (!known || alert.at < known.at) alerts.set(alertKey(alert), alert);
  }
  return [...alerts.values()].sort(byString((a) => `${a.at}\0${alertKey(a)}`));
}

/** Every job either side recorded, by job id; the later status wins, facts only one side has are kept. */
function mergeJobs(ours: JobRecord[], theirs: JobRecord[]): JobRecord[] {
  const byId = new Map<string, JobRecord>();
  for (const job of [...theirs, ...ours]) {
    const known = byId.get(job.jobId);
    if (!known) byId.set(job.jobId, job);
    else byId.set(job.jobId, atLeastAsNew(job.statusAt, known.statusAt) ? { ...known, ...job } : { ...job, ...known });
  }
  return [...byId.values()].sort(byString((j) => `${j.submittedAt}\0${j.jobId}`));
}

function mergeSchedules(ours: RunRecord['schedules'], theirs: RunRecord['schedules']): RunRecord['schedules'] {
  const schedules = { ...theirs };
  for (const [name, entry] of Object.entries(ours)) {
    const other = schedules[name];
    const merged =
      !other || atLeastAsNew(entry.lastSlot, other.lastSlot) ? { ...other, ...entry } : { ...entry, ...other };
    // The first apply that saw a schedule is the earliest either side noted.
    const firstSeenAt = [entry.firstSeenAt, other?.firstSeenAt].filter((x): x is string => x !== undefined).sort()[0];
    schedules[name] = firstSeenAt === undefined ? merged : { ...merged, firstSeenAt };
  }
  return schedules;
}

function kindOf(key: string): string {
  const [kind = ''] = key.split('/');
  return kind;
}

function observedAt(entry: Resource): string | undefined {
  return typeof entry.observedAt === 'string' ? entry.observedAt : undefined;
}

/**
 * Per-resource facts: where both sides have a resource, the later observation; where one side
 * lacks it, it is gone if that side listed its kind after the other observed it, else kept.
 */
function mergeResources(ours: RunRecord, theirs: RunRecord): RunRecord['resources'] {
  const keys = [...new Set([...Object.keys(theirs.resources), ...Object.keys(ours.resources)])].sort();
  const resources: RunRecord['resources'] = {};
  for (const key of keys) {
    const mine = ours.resources[key];
    const other = theirs.resources[key];
    if (mine && other) resources[key] = atLeastAsNew(observedAt(mine), observedAt(other)) ? mine : other;
    else if (mine && !listedWithout(theirs, key, mine)) resources[key] = mine;
    else if (other && !listedWithout(ours, key, other)) resources[key] = other;
  }
  return resources;
}

/** True when `side` listed the kind of `key` no earlier than `entry` was observed (and so saw it gone). */
function listedWithout(side: RunRecord, key: string, entry: Resource): boolean {
  const listed = side.listedAt?.[kindOf(key)];
  return listed !== undefined && atLeastAsNew(listed, observedAt(entry));
}

function mergeListedAt(ours: RunRecord, theirs: RunRecord): Record<string, string> | undefined {
  const kinds = [...new Set([...Object.keys(ours.listedAt ?? {}), ...Object.keys(theirs.listedAt ?? {})])].sort();
  if (!kinds.length) return undefined;
  return Object.fromEntries(
    kinds.flatMap((kind) => {
      const at = newest(ours.listedAt?.[kind], theirs.listedAt?.[kind]);
      return at === undefined ? [] : [[kind, at]];
    }),
  );
}

/** Held files: per path, the entry changed last (a release is a change, so it is never undone by an older copy). */
function mergeHolds(ours: RunRecord, theirs: RunRecord): RunRecord['holds'] {
  const files = [...new Set([...Object.keys(ours.holds ?? {}), ...Object.keys(theirs.holds ?? {})])].sort();
  if (!files.length) return undefined;
  return Object.fromEntries(
    files.flatMap((file) => {
      const mine = ours.holds?.[file];
      const other = theirs.holds?.[file];
      const kept = mine && (!other || atLeastAsNew(mine.updatedAt, other.updatedAt)) ? mine : other;
      return kept ? [[file, kept] as const] : [];
    }),
  );
}

function firedKey(f: NonNullable<RunRecord['budgetActions']>[number]): string {
  return `${f.budget}\0${f.period}\0${f.do}\0${f.atPercent}\0${f.limitUSD}`;
}

/**
 * Budget actions fired: ours, plus those the other writer added since `base` (one ours dropped
 * with its period stays dropped); the earliest firing of each kept.
 */
function mergeFired(ours: RunRecord, theirs: RunRecord, base: RunRecord | undefined): RunRecord['budgetActions'] {
  const before = new Set((base?.budgetActions ?? []).map(firedKey));
  const fired = new Map<string, NonNullable<RunRecord['budgetActions']>[number]>();
  const added = (theirs.budgetActions ?? []).filter((f) => base === undefined || !before.has(firedKey(f)));
  for (const f of [...added, ...(ours.budgetActions ?? [])]) {
    const known = fired.get(firedKey(f));
    if (!known || f.at < known.at) fired.set(firedKey(f), f);
  }
  const out = [...fired.values()].sort(byString((f) => `${f.at}\0${firedKey(f)}`));
  return out.length ? out : undefined;
}

/** The spend ledger: per instance, the entry seen last; the other writer's newer entries kept. */
function mergeInstanceRuns(ours: RunRecord, theirs: RunRecord, base: RunRecord | undefined): RunRecord['instanceRuns'] {
  const out = { ...(ours.instanceRuns ?? {}) };
  for (const [id, entry] of Object.entries(theirs.instanceRuns ?? {})) {
    const mine = out[id];
    const before = base?.instanceRuns?.[id];
    if (mine !== undefined ? entry.lastSeen > mine.lastSeen : before === undefined || entry.lastSeen > before.lastSeen)
      out[id] = entry;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The Batch part of the spend ledger: per job, the entry seen last; the other writer's newer entries kept. */
function mergeJobRuns(ours: RunRecord, theirs: RunRecord, base: RunRecord | undefined): RunRecord['jobRuns'] {
  const out = { ...(ours.jobRuns ?? {}) };
  for (const [id, entry] of Object.entries(theirs.jobRuns ?? {})) {
    const mine = out[id];
    const before = base?.jobRuns?.[id];
    if (mine !== undefined ? entry.lastSeen > mine.lastSeen : before === undefined || entry.lastSeen > before.lastSeen)
      out[id] = entry;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Provisioning times: both writers' measurements (ours on the same instance), the newest kept. */
function mergeProvisionTimes(ours: RunRecord, theirs: RunRecord): RunRecord['provisionTimes'] {
  return boundedProvisionTimes({ ...(theirs.provisionTimes ?? {}), ...(ours.provisionTimes ?? {}) });
}

/**
 * `ours` (this writer's record) merged into `theirs` (the branch as it is now): alerts and jobs
 * unioned, the newest schedule slot, Cost Explorer cache, resource facts and last applied commit kept, budget
 * actions fired and the spend ledger merged. `base`, the
 * record this writer started from, lets the Cost Explorer call counter add both writers' calls;
 * without it the larger count is kept.
 */
export function mergeRecords(ours: RunRecord, theirs: RunRecord, base?: RunRecord): RunRecord {
  const cache =
    !theirs.costCache || (ours.costCache && atLeastAsNew(ours.costCache.fetchedAt, theirs.costCache.fetchedAt))
      ? ours.costCache
      : theirs.costCache;
  const calls =
    base === undefined
      ? Math.max(ours.costExplorerCalls, theirs.costExplorerCalls)
      : theirs.costExplorerCalls + Math.max(0, ours.costExplorerCalls - base.costExplorerCalls);
  const merged: RunRecord = {
    version: 1,
    alerts: mergeAlerts(ours.alerts, theirs.alerts),
    costExplorerCalls: calls,
    schedules: mergeSchedules(ours.schedules, theirs.schedules),
    jobs: mergeJobs(ours.jobs, theirs.jobs),
    resources: mergeResources(ours, theirs),
  };
  const updatedAt = newest(ours.updatedAt, theirs.updatedAt);
  const listedAt = mergeListedAt(ours, theirs);
  const holds = mergeHolds(ours, theirs);
  if (holds !== undefined) merged.holds = holds;
  if (updatedAt !== undefined) merged.updatedAt = updatedAt;
  // The Lab's zone as the later writer saw it.
  const timezone = atLeastAsNew(ours.updatedAt, theirs.updatedAt)
    ? (ours.timezone ?? theirs.timezone)
    : (theirs.timezone ?? ours.timezone);
  if (timezone !== undefined) merged.timezone = timezone;
  const lastApplyAt = newest(ours.lastApplyAt, theirs.lastApplyAt);
  if (lastApplyAt !== undefined) merged.lastApplyAt = lastApplyAt;
  if (cache !== undefined) merged.costCache = cache;
  if (listedAt !== undefined) merged.listedAt = listedAt;
  // The last commit applied: the later run's (ours on a tie).
  const applied =
    !theirs.applied || (ours.applied && atLeastAsNew(ours.applied.at, theirs.applied.at))
      ? ours.applied
      : theirs.applied;
  if (applied !== undefined) merged.applied = applied;
  const fired = mergeFired(ours, theirs, base);
  if (fired !== undefined) merged.budgetActions = fired;
  const queueRegions = [...new Set([...(ours.jobQueueRegions ?? []), ...(theirs.jobQueueRegions ?? [])])].sort();
  if (queueRegions.length > 0) merged.jobQueueRegions = queueRegions;
  const runs = mergeInstanceRuns(ours, theirs, base);
  if (runs !== undefined) merged.instanceRuns = runs;
  const jobRuns = mergeJobRuns(ours, theirs, base);
  if (jobRuns !== undefined) merged.jobRuns = jobRuns;
  const provisionTimes = mergeProvisionTimes(ours, theirs);
  if (provisionTimes !== undefined) merged.provisionTimes = provisionTimes;
  return merged;
}
