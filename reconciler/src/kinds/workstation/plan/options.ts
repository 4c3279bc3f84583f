/** Inputs of the workstation planner beyond Desired, Observed and the clock. */
import type { DataUse } from './data-owners.js';

/**
 * A budget action in force for a project, decided by the budget planner from spend and forecast.
 * `hibernate` and `stop` override the desired power state of the project's workstations;
 * `block-launches` keeps new workstations of the project from being created.
 */
export interface BudgetOverride {
  /** The `metadata.project` the budget covers. */
  project: string;
  action: 'hibernate' | 'stop' | 'block-launches';
  /** The rule text carried by the actions it causes, e.g. `budget neuro-fall at 101% of $5,000`. */
  rule: string;
}

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
}
