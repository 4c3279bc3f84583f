/** The action kinds a Job plans, in execution order, and which of them can lose running work. */
import { REPORT_ACTIONS } from '../../engine/actions.js';
import type { ActionDeclaration } from '../../model/plan.js';

/** Job action kinds, in execution order (after destructive actions first). */
export const JOB_ACTIONS = [
  { kind: 'submit-job', destructive: false },
  { kind: 'cancel-job', destructive: true },
] as const satisfies readonly ActionDeclaration[];

/** What the job planner orders and builds its actions by: its own kinds, then reports (orphaned jobs). */
export const JOB_PLAN_ACTIONS: readonly ActionDeclaration[] = [...JOB_ACTIONS, ...REPORT_ACTIONS];
