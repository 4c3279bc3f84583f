/** Inputs of the workstation planner beyond Desired, Observed and the clock. */
import type { BudgetOverride } from '../../../model/budget.js';
import type { DataUse } from '../../../model/plan.js';
import type { ObservedImageBuild } from '../../../model/observed.js';
import type { ImageTargets } from './built-images.js';
import type { ProvisionTimes } from '../../../record/provision-times.js';

/** Options of `planWorkstations`. */
export interface PlanWorkstationsOptions {
  /**
   * Let a plan destroy every live workstation instance (otherwise it carries a
   * `destroys-everything` refusal and apply runs nothing). @default false
   */
  allowDestroyAll?: boolean;
  /** Budget actions in force; the first matching one per project and action wins. @default [] */
  overrides?: BudgetOverride[];
  /**
   * Whether the owner of data another person's workstation would launch from (an image labops
   * made of their workstation, their snapshots named in `restoreFrom`) has approved that use.
   * A launch (create or replace) reading a use it answers false for is not planned; the plan
   * carries a `data-not-approved` refusal instead. @default undefined (every use allowed)
   */
  dataApproved?: (use: DataUse) => boolean;
  /**
   * This repository's EC2 Image Builder builds (`Observed.imageBuilds`): while one of a
   * workstation's environment version runs, `ami_required` waits for it; when the newest FAILED,
   * the plan gives its reason. @default [] (no build known)
   */
  imageBuilds?: readonly ObservedImageBuild[];
  /**
   * The environment versions the lab's EnvironmentImages build (`name@version` → the Regions they
   * distribute to): before its first build, `ami_required` waits for such a version instead of
   * being refused, and a workstation in a Region the EnvironmentImage does not list is told so.
   * @default {} (none known)
   */
  imageTargets?: ImageTargets;
  /**
   * How long the lab's workstations took to be ready (the run record's `provisionTimes`): the
   * plan's figure of the time a built image saves per launch. @default {} (none measured)
   */
  provisionTimes?: ProvisionTimes;
}
