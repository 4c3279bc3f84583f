/** The action kinds a Workstation plans, in execution order, and which of them can lose data. */
import { REPORT_ACTIONS } from '../../engine/actions.js';
import type { ActionDeclaration } from '../../model/plan.js';

/** Workstation action kinds, in execution order (after destructive actions first). */
export const WORKSTATION_ACTIONS = [
  { kind: 'replace', destructive: true },
  { kind: 'destroy', destructive: true },
  { kind: 'resize', destructive: false },
  { kind: 'create', destructive: false },
  { kind: 'start', destructive: false },
  { kind: 'stop', destructive: false },
  { kind: 'hibernate', destructive: false },
  { kind: 'retag', destructive: false },
] as const satisfies readonly ActionDeclaration[];

/** What the workstation planner orders and builds its actions by: its own kinds, then drift and orphan reports. */
export const WORKSTATION_PLAN_ACTIONS: readonly ActionDeclaration[] = [...WORKSTATION_ACTIONS, ...REPORT_ACTIONS];
