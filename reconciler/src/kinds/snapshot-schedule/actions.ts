/** The action kinds a SnapshotSchedule plans, in execution order, and which of them can lose data. */
import { REPORT_ACTIONS } from '../../engine/actions.js';
import type { ActionDeclaration } from '../../model/plan.js';

/** SnapshotSchedule action kinds, in execution order (after destructive actions first). */
export const SNAPSHOT_ACTIONS = [
  { kind: 'snapshot', destructive: false },
  { kind: 'copy-snapshot', destructive: false },
  { kind: 'delete-snapshot', destructive: true },
] as const satisfies readonly ActionDeclaration[];

/** What the snapshot planner orders and builds its actions by: its own kinds, then reports. */
export const SNAPSHOT_PLAN_ACTIONS: readonly ActionDeclaration[] = [...SNAPSHOT_ACTIONS, ...REPORT_ACTIONS];
