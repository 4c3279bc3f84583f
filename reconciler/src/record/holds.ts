/**
 * Held spec files (see HoldRecord): a change merged without the approval it needs is not applied;
 * every gated run reads the file's last approved version (a git blob, see trust/gate.ts) in its
 * place until an approved change to the file, or a revert, releases it. Pure functions on the run
 * record; the record only remembers holds, git decides whether one is real.
 */
import type { HoldRecord, RunRecord } from '../model/record.js';

/** A file to hold: where its last approved version is in git, and why. */
export interface HoldRequest {
  /** Path relative to the lab folder. */
  file: string;
  /** The commit holding the last approved version. */
  commit: string;
  /** Its blob id there; `null` when the file did not exist. */
  blob: string | null;
  /** The commit that brought the refused change. */
  sha: string;
  reasons: string[];
}

/** What a run is told about holds: new refusals to hold, and files whose change is now approved. */
export interface HoldChanges {
  hold?: HoldRequest[];
  /** Files (relative to the lab folder) released. */
  release?: string[];
  /** Why they are released, e.g. `approved in 1a2b3c4`. */
  releasedBy?: string;
}

/** An active hold, with its file. */
export type ActiveHold = HoldRecord & { file: string };

/** Holds not yet released, by file. */
export function activeHolds(record: RunRecord): ActiveHold[] {
  return Object.entries(record.holds ?? {})
    .filter(([, hold]) => hold.clearedAt === undefined)
    .map(([file, hold]) => ({ ...hold, file }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Records the run's hold changes. A file already held keeps the time of its first refusal. */
export function applyHoldChanges(record: RunRecord, changes: HoldChanges, now: Date): void {
  const at = now.toISOString();
  const holds = { ...(record.holds ?? {}) };
  for (const file of changes.release ?? []) {
    const hold = holds[file];
    if (hold && hold.clearedAt === undefined)
      holds[file] = { ...hold, updatedAt: at, clearedAt: at, clearedBy: changes.releasedBy ?? 'approved' };
  }
  for (const request of changes.hold ?? []) {
    const known = holds[request.file];
    const active = known && known.clearedAt === undefined ? known : undefined;
    holds[request.file] = {
      commit: request.commit,
      blob: request.blob,
      sha: request.sha,
      since: active?.since ?? at,
      updatedAt: at,
      reasons: request.reasons,
    };
  }
  if (Object.keys(holds).length) record.holds = holds;
}
