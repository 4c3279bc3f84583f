/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Who is told when a threshold is crossed: GitHub handles are mentioned by labops; email addresses are also the subscribers of the AWS budget this Budget is mirrored into (AWS emails them even when labops is not running). At most 10 addresses (AWS's limit per notification). Absent: the Lab's `notify`.
 *
 * @maxItems 50
 *
 * Items: A GitHub user (`@login`) or team (`@org/team`) to mention, or an email address (`pi@university.edu`) AWS Budgets emails when a mirrored budget's threshold is crossed.
 */
export type Recipients = string[];

/**
 * A spending limit for one project over a period, with alert thresholds and enforcement actions.
 */
export interface Budget {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `Budget`.
   */
  kind: 'Budget';
  metadata: BudgetMetadata;
  spec: BudgetSpec;
}
/**
 * Identity of the budget.
 */
export interface BudgetMetadata {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  labels?: Labels;
}
/**
 * Free-form string labels, used by SnapshotSchedule selectors and copied to resource tags as `labops:label:KEY`. Keys: lowercase letters, digits, `-`, `_` and `.`, so never the reserved `aws:` or `labops:` prefixes. Values: what an AWS tag value allows (letters, digits, spaces and `_ . : / = + - @`, at most 256 characters), so no control or bidirectional-override characters.
 */
export interface Labels {
  /**
   * A label value must be a valid AWS tag value: letters, digits, spaces and `_ . : / = + - @` only.
   */
  [k: string]: string | undefined;
}
/**
 * What the budget covers, its limit and period, and what happens as spend approaches it.
 */
export interface BudgetSpec {
  /**
   * The `metadata.project` whose spend counts against this budget.
   */
  project: string;
  /**
   * Spending limit for the period, in USD.
   */
  limitUSD: number;
  period: BudgetPeriod;
  /**
   * Percentages of the limit (actual or forecast) that each alert once per period.
   *
   * @maxItems 20
   */
  thresholds?: number[];
  /**
   * What labops does when actual spend reaches a percentage of the limit.
   *
   * @maxItems 20
   */
  actions?: BudgetAction[];
  notify?: Recipients;
}
/**
 * Either fixed dates `{ start, end }` (end inclusive) or a repeating calendar period `{ every: month | quarter | year }`.
 */
export interface BudgetPeriod {
  /**
   * First day of a fixed period.
   */
  start?: string;
  /**
   * Last day of a fixed period (inclusive).
   */
  end?: string;
  /**
   * A repeating calendar period, in the Lab calendar's time zone.
   */
  every?: 'month' | 'quarter' | 'year';
}
export interface BudgetAction {
  /**
   * Percentage of the limit (actual spend) at which the action applies.
   */
  atPercent: number;
  /**
   * notify: mention `notify`; hibernate/stop: power down the project's workstations (every live instance tagged with the project, also one whose spec is invalid or deleted); block-launches: refuse new workstations and Job submissions in the project.
   */
  do: 'notify' | 'hibernate' | 'stop' | 'block-launches';
}
