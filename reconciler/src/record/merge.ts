/**
 * Merging two versions of the run record, for concurrent writers of the status branch: the
 * union of facts, the newer value where both know the same thing. Pure and order-independent
 * for the facts it unions, so a retry after a non-fast-forward push never loses an update.
 */
import type { AlertRecord, JobRecord, RunRecord } from '../model/record.js';

function newer(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '') >= (b ?? '');
}

function alertKey(a: AlertRecord): string {
  return `${a.budget}\0${a.period}\0${a.percent}\0${a.basis}`;
}

function mergeJobs(ours: JobRecord[], theirs: JobRecord[]): JobRecord[] {
  const byId = new Map<string, JobRecord>();
  for (const job of [...theirs, ...ours]) {
    const known = byId.get(job.jobId);
    if (!known || newer(job.statusAt, known.statusAt)) byId.set(job.jobId, { ...known, ...job });
  }
  return [...byId.values()].sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : a.jobId < b.jobId ? -1 : 1));
}

/** `ours` merged with `theirs`: alerts and jobs unioned, the newest schedule slot, cache and resource facts. */
export function mergeRecords(ours: RunRecord, theirs: RunRecord): RunRecord {
  const alerts = new Map<string, AlertRecord>();
  for (const alert of [...theirs.alerts, ...ours.alerts]) if (!alerts.has(alertKey(alert))) alerts.set(alertKey(alert), alert);
  const schedules = { ...theirs.schedules };
  for (const [name, entry] of Object.entries(ours.schedules)) {
    const other = schedules[name];
    schedules[name] = !other || newer(entry.lastSlot, other.lastSlot) ? { ...other, ...entry } : { ...entry, ...other };
  }
  const resources = { ...theirs.resources };
  for (const [key, entry] of Object.entries(ours.resources)) {
    const other = resources[key];
    if (!other || newer(entry.observedAt as string | undefined, other.observedAt as string | undefined)) resources[key] = entry;
  }
  const cache = !theirs.costCache || (ours.costCache && newer(ours.costCache.fetchedAt, theirs.costCache.fetchedAt)) ? ours.costCache : theirs.costCache;
  const merged: RunRecord = {
    version: 1,
    alerts: [...alerts.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
    costExplorerCalls: Math.max(ours.costExplorerCalls, theirs.costExplorerCalls),
    schedules,
    jobs: mergeJobs(ours.jobs, theirs.jobs),
    resources,
  };
  const updatedAt = newer(ours.updatedAt, theirs.updatedAt) ? ours.updatedAt : theirs.updatedAt;
  if (updatedAt !== undefined) merged.updatedAt = updatedAt;
  if (cache !== undefined) merged.costCache = cache;
  return merged;
}
