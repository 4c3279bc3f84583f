/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Regular EBS snapshots or AMIs of selected workstations, with retention and cross-region copies (the semantics of Amazon Data Lifecycle Manager).
 */
export interface SnapshotSchedule {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `SnapshotSchedule`.
   */
  kind: 'SnapshotSchedule';
  metadata: SnapshotScheduleMetadata;
  spec: SnapshotScheduleSpec;
}
/**
 * Identity of the schedule.
 */
export interface SnapshotScheduleMetadata {
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
 * Which workstations, when, what kind of snapshot, and how long to keep it.
 */
export interface SnapshotScheduleSpec {
  selector: SnapshotSelector;
  /**
   * Five-field cron expression (minute hour day-of-month month day-of-week), e.g. `0 2 * * *`.
   */
  cron: string;
  /**
   * Time zone the cron is read in. @default the Lab calendar's timezone
   */
  timezone?: string;
  /**
   * volumes: EBS snapshots of every volume; image: an AMI of the whole instance (NoReboot).
   */
  type?: 'volumes' | 'image';
  retain?: SnapshotRetention;
  /**
   * Regions to copy each snapshot to.
   *
   * @maxItems 10
   *
   * Items: An AWS region code, e.g. `us-west-2`.
   */
  copyTo?: string[];
  /**
   * Keep taking (and copying) snapshots while a Budget's `stop`, `hibernate` or `block-launches` is in force for a project this schedule covers; by default such a budget pauses new snapshots (retention still deletes expired ones). For data that matters more than the budget: setting it, or selecting a workstation into an exempt schedule, needs a Lab admin's approval.
   */
  budgetExempt?: boolean;
}
/**
 * Which workstations: exactly one of `project`, `workstations` or `labels`.
 */
export interface SnapshotSelector {
  /**
   * Every Workstation whose metadata.project is this.
   */
  project?: string;
  /**
   * Workstations by name.
   *
   * @minItems 1
   * @maxItems 500
   *
   * Items: A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  workstations?: [string, ...string[]];
  labels?: Labels1;
}
/**
 * Free-form string labels, used by SnapshotSchedule selectors and copied to resource tags as `labops:label:KEY`. Keys: lowercase letters, digits, `-`, `_` and `.`, so never the reserved `aws:` or `labops:` prefixes. Values: what an AWS tag value allows (letters, digits, spaces and `_ . : / = + - @`, at most 256 characters), so no control or bidirectional-override characters.
 */
export interface Labels1 {
  /**
   * A label value must be a valid AWS tag value: letters, digits, spaces and `_ . : / = + - @` only.
   */
  [k: string]: string | undefined;
}
/**
 * A snapshot is kept while either rule keeps it.
 */
export interface SnapshotRetention {
  /**
   * Keep the newest N.
   */
  count?: number;
  /**
   * Keep those younger than N days.
   */
  maxAgeDays?: number;
}
