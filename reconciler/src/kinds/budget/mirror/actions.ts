/** The action kinds of the AWS budget mirror, in execution order: none can lose data or running work. */
import { REPORT_ACTIONS } from '../../../engine/actions.js';
import type { ActionDeclaration } from '../../../model/plan.js';

/** AWS budget mirror action kinds, in execution order. */
export const AWS_BUDGET_ACTIONS = [
  { kind: 'create-aws-budget', destructive: false },
  { kind: 'update-aws-budget', destructive: false },
  { kind: 'delete-aws-budget', destructive: false },
] as const satisfies readonly ActionDeclaration[];

/** What the mirror planner orders and builds its actions by: its own kinds, then reports (orphans). */
export const AWS_BUDGET_PLAN_ACTIONS: readonly ActionDeclaration[] = [...AWS_BUDGET_ACTIONS, ...REPORT_ACTIONS];
