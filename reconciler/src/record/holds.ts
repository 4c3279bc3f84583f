/**
 * Held spec files (see HoldRecord): a change merged without the approval it needs is not applied;
 * every run reads the file's last approved version in its place until an approved change to the
 * file, or a revert, releases it. Pure functions on the run record, plus the one read of the tree
 * that tells a revert.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HoldRecord, RunRecord } from '../model/record.js';
import type { LabOverlay } from '../specs/lab-files.js';

/** A file to hold: its last approved text, and why. */
export interface HoldRequest {
  /** Path relative to the lab folder. */
  file: string;
  /** The file's text before the refused change; `null` when it did not exist. */
  baseContent: string | null;
  sha: string;
  reasons: string[];
}

/** What a run is told about holds: new refusals to hold, and files whose change is now approved. */
export interface HoldChanges {
  hold?: HoldRequest[];
  /** Files (relative to the lab folder) the run's approved change touched. */
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

/** Records the run's hold changes. A file already held keeps its last approved text and first refusal. */
export function applyHoldChanges(record: RunRecord, changes: HoldChanges, now: Date): void {
  const at = now.toISOString();
  const holds = { ...(record.holds ?? {}) };
  for (const file of changes.release ?? []) {
    const hold = holds[file];
    if (hold && hold.clearedAt === undefined) holds[file] = { ...hold, updatedAt: at, clearedAt: at, clearedBy: changes.releasedBy ?? 'approved' };
  }
  for (const request of changes.hold ?? []) {
    const known = holds[request.file];
    const active = known && known.clearedAt === undefined ? known : undefined;
    holds[request.file] = {
      baseContent: active ? active.baseContent : request.baseContent,
      sha: request.sha,
      since: active?.since ?? at,
      updatedAt: at,
      reasons: request.reasons,
    };
  }
  if (Object.keys(holds).length) record.holds = holds;
}

/**
 * The overlay a run reads the lab through: each held file's last approved text. A held file whose
 * text in the tree is its approved text again (reverted) is released here.
 */
export function holdOverlay(record: RunRecord, labDir: string, now: Date): LabOverlay {
  const overlay = new Map<string, string | null>();
  for (const hold of activeHolds(record)) {
    if (hold.file.startsWith('/') || hold.file.split('/').includes('..')) continue;
    const path = join(labDir, hold.file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === hold.baseContent) applyHoldChanges(record, { release: [hold.file], releasedBy: 'reverted' }, now);
    else overlay.set(hold.file, hold.baseContent);
  }
  return overlay;
}
