/** The action kinds a JobQueue plans, in execution order, and which of them can lose running work. */
import { REPORT_ACTIONS } from '../../engine/actions.js';
import type { ActionDeclaration } from '../../model/plan.js';

/** JobQueue action kinds, in execution order (after destructive actions first). */
export const JOB_QUEUE_ACTIONS = [
  { kind: 'create-compute-environment', destructive: false },
  { kind: 'update-compute-environment', destructive: false },
  { kind: 'create-job-queue', destructive: false },
  { kind: 'update-job-queue', destructive: false },
  { kind: 'delete-job-queue', destructive: true },
  { kind: 'delete-compute-environment', destructive: true },
] as const satisfies readonly ActionDeclaration[];

/** What the JobQueue planner orders and builds its actions by: its own kinds, then reports (orphans). */
export const JOB_QUEUE_PLAN_ACTIONS: readonly ActionDeclaration[] = [...JOB_QUEUE_ACTIONS, ...REPORT_ACTIONS];
