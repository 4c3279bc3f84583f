/** What every part of the workstation planner reads: the inputs of one planning pass. */
import type { Desired } from '../../../model/desired.js';
import type { Observed, ObservedImageBuild } from '../../../model/observed.js';
import type { DataUse } from '../../../model/plan.js';
import type { BudgetOverride } from '../../../model/budget.js';
import type { ImageTargets } from './built-images.js';
import type { ProvisionTimes } from '../../../record/provision-times.js';

/** The inputs of one `planWorkstations` call, with defaults settled. */
export interface PlanContext {
  desired: Desired;
  observed: Observed;
  now: Date;
  overrides: readonly BudgetOverride[];
  /** `PlanWorkstationsOptions.dataApproved`. @default undefined (every use allowed) */
  dataApproved?: (use: DataUse) => boolean;
  /** `PlanWorkstationsOptions.imageBuilds`, `[]` when not given. */
  imageBuilds: readonly ObservedImageBuild[];
  /** `PlanWorkstationsOptions.imageTargets`, `{}` when not given. */
  imageTargets: ImageTargets;
  /** `PlanWorkstationsOptions.provisionTimes`, `{}` when not given. */
  provisionTimes: ProvisionTimes;
}

/** Minimum time between launch and hibernate: AWS fails a hibernate "too soon after launch" (about two minutes). */
export const HIBERNATE_AFTER_LAUNCH_MS = 2 * 60 * 1000;
