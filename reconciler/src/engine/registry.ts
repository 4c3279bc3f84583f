/**
 * The resource kinds labops manages, one line each, in plan order: the engine iterates these and
 * names no kind. Adding a kind is one folder under kinds/ and one line here.
 */
import { budget } from '../kinds/budget/index.js';
import { awsBudgetMirror } from '../kinds/budget/mirror/index.js';
import { environmentImage } from '../kinds/environment-image/index.js';
import { job } from '../kinds/job/index.js';
import { jobQueue } from '../kinds/job-queue/index.js';
import { snapshotSchedule } from '../kinds/snapshot-schedule/index.js';
import { workstation } from '../kinds/workstation/index.js';
import type { ActionDeclaration } from '../model/plan.js';
import { REPORT_ACTIONS } from './actions.js';

/**
 * Every kind that plans actions, in plan order. EnvironmentImage comes first: its builds and
 * retirements are planned before the workstations that read images (and retirement never takes an
 * image any observed instance runs from).
 */
export const KINDS = [environmentImage, workstation, snapshotSchedule, jobQueue, job, awsBudgetMirror] as const;

/** The kind that decides, before planning, the overrides every planner obeys (budgets). */
export const DECIDER = budget;

/** Every action kind in plan order (after destructive actions first): each kind's, then the reports. */
export const PLAN_ORDER: readonly ActionDeclaration[] = [
  ...KINDS.flatMap((k): readonly ActionDeclaration[] => k.actions),
  ...REPORT_ACTIONS,
];
