import type { LeaseRegister } from './lease.js';
import type { RunRecord } from '../specs/generated/run-record.js';

/**
 * The run record: facts AWS forgets or that cost money to ask again — when each snapshot
 * schedule last ran, which Batch jobs were submitted, budget alerts already sent, the Cost
 * Explorer cache. A cache of facts, never desired state. Kept by a {@link RecordStore}: a
 * file for local use, the `labops-status` branch in GitHub (issue 7).
 */

/**
 * The record's types are generated from `schemas/run-record.schema.json` (record/parse.ts
 * validates every load against it): the schema states them, so they are not written here.
 */
export type {
  AlertRecord,
  AppliedRecord,
  CostCacheRecord,
  HoldRecord,
  JobRecord,
  RunRecord,
  ScheduleRecord,
} from '../specs/generated/run-record.js';

/** An empty record. */
export function emptyRecord(): RunRecord {
  return { version: 1, alerts: [], costExplorerCalls: 0, schedules: {}, jobs: [], resources: {} };
}

/**
 * A change to the record, as a value: a pure function from the record before to the record after.
 * Phases return patches; the pipeline applies them once, at the end, before the one save.
 */
export type RecordPatch = (record: RunRecord) => RunRecord;

/** The record after every patch, in order. */
export function applyPatches(record: RunRecord, patches: readonly RecordPatch[]): RunRecord {
  return patches.reduce((r, patch) => patch(r), record);
}

/** Where the record lives. `load` returns an empty record when none exists yet. */
export interface RecordStore {
  load(): Promise<RunRecord>;
  save(record: RunRecord): Promise<void>;
  /** The lease register beside the record (record/lease.ts): one run at a time changes AWS. @default none */
  lease?(): LeaseRegister;
}
