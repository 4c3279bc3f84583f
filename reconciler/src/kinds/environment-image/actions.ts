/** The action kinds an EnvironmentImage plans, in execution order. */
import { REPORT_ACTIONS } from '../../engine/actions.js';
import type { ActionDeclaration } from '../../model/plan.js';

/** EnvironmentImage action kinds, in execution order (retirement deletes AMIs: destructive). */
export const ENVIRONMENT_IMAGE_ACTIONS = [
  { kind: 'create-image-resource', destructive: false },
  { kind: 'build-image', destructive: false },
  { kind: 'retire-image', destructive: true },
] as const satisfies readonly ActionDeclaration[];

/** What the EnvironmentImage planner orders its actions by: its own kinds, then reports (orphans). */
export const ENVIRONMENT_IMAGE_PLAN_ACTIONS: readonly ActionDeclaration[] = [
  ...ENVIRONMENT_IMAGE_ACTIONS,
  ...REPORT_ACTIONS,
];
