/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Who is mentioned on drift, failures and alerts.
 *
 * @maxItems 50
 *
 * Items: A GitHub user (`@login`) or team (`@org/team`) to mention.
 */
export type Handles = string[];

/**
 * labops.yaml: one per lab repository, at its root. Names the AWS account, where specs live, who administers the lab, its policy and its academic calendar.
 */
export interface Lab {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `Lab`.
   */
  kind: 'Lab';
  metadata: LabMetadata;
  spec: LabSpec;
}
/**
 * Identity of the lab.
 */
export interface LabMetadata {
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
 * Account, spec locations, admins, policy and calendar of the lab.
 */
export interface LabSpec {
  /**
   * The lab's identity: the value of the `labops:repo` tag on everything labops makes for this lab, usually the GitHub repository `owner/name` (written by `labops init`). Keep it when the repository is renamed, transferred or moved: a different id is a different lab, and `labops adopt --from OLD-ID` retags resources made under an old one. Absent: derived from `--repo`, GITHUB_REPOSITORY, the origin remote or `local/<name>`, with a warning.
   */
  id?: string;
  aws: LabAws;
  /**
   * Folders (relative to labops.yaml) whose *.yaml / *.yml files are read as specs.
   *
   * @maxItems 50
   *
   * Items: A folder relative to labops.yaml, without `..`.
   */
  paths?: string[];
  /**
   * GitHub logins who may approve any change; only they may change Budgets and labops.yaml.
   *
   * @maxItems 100
   *
   * Items: A GitHub login (user name), without the leading @.
   */
  admins?: string[];
  policy?: LabPolicy;
  calendar?: LabCalendar;
  budgets?: LabBudgets;
  notify?: Handles;
  access?: LabAccess;
}
/**
 * The AWS account and regions this lab uses.
 */
export interface LabAws {
  /**
   * 12-digit AWS account id, quoted. Apply refuses to run against any other account.
   */
  accountId: string;
  /**
   * Region used by specs that do not name one.
   */
  defaultRegion: string;
  /**
   * Regions specs may use; a spec naming another region is an error. @default [defaultRegion]
   *
   * @minItems 1
   * @maxItems 30
   *
   * Items: An AWS region code, e.g. `us-west-2`.
   */
  regions?: [string, ...string[]];
}
/**
 * Limits every Workstation must respect, and how labops treats deleted specs and drift.
 */
export interface LabPolicy {
  /**
   * Glob patterns (`*`, `?`) of instance types workstations may use, e.g. `["t3.*", "g5.xlarge"]`. Absent: any type in the price table.
   *
   * @maxItems 200
   *
   * Items: An instance type glob: lowercase letters, digits, `.`, `-`, `*` and `?`, e.g. `m6i.*`.
   */
  allowedInstanceTypes?: string[];
  /**
   * Highest on-demand list price per hour a workstation's instance type may have, in USD.
   */
  maxHourlyUSDPerWorkstation?: number;
  /**
   * How many Workstations one owner may have.
   */
  maxWorkstationsPerOwner?: number;
  /**
   * true: every Workstation and Job must belong to a project (`metadata.project`) that a Budget covers; one that does not is a validation error. false: it is only a warning.
   */
  requireBudget?: boolean;
  /**
   * Highest estimated cost of one Job run, in USD (vCPUs and memory × hours of its timeout at on-demand list price, times its array size). A Job estimated above it is refused; a Job whose cost cannot be estimated is refused too while this is set.
   */
  maxJobUSD?: number;
  /**
   * true: resources whose spec was deleted are destroyed (per deletionPolicy); false: they are reported as orphaned and left alone.
   */
  prune?: boolean;
  /**
   * true: drift made outside labops is reverted; false: it is reported only.
   */
  selfHeal?: boolean;
}
/**
 * Academic calendar used by workstation schedules: during a break, scheduled workstations are put into their off-hours action.
 */
export interface LabCalendar {
  /**
   * Time zone of the calendar and of schedules that do not name one. @default UTC
   */
  timezone?: string;
  /**
   * Breaks, each from its first day to its last day inclusive.
   *
   * @maxItems 100
   */
  breaks?: CalendarBreak[];
}
export interface CalendarBreak {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * First day of the break.
   */
  from: string;
  /**
   * Last day of the break (inclusive).
   */
  to: string;
}
/**
 * How Budgets are carried out beyond labops' own runs.
 */
export interface LabBudgets {
  /**
   * true: each Budget is mirrored into an AWS Budget (same limit and period, filtered on the `labops:project` tag, an ACTUAL notification per threshold and action percent and a FORECASTED one at 100%, emailing the Budget's `notify` addresses), so AWS alerts even when labops is not running. false: no AWS budget is made; those labops made are deleted when `policy.prune` is true, reported as orphaned otherwise.
   */
  mirror?: boolean;
}
/**
 * How people reach workstations: SSM Session Manager through an IAM instance profile, no inbound ports.
 */
export interface LabAccess {
  /**
   * Default IAM instance profile of new workstations (a Workstation's `spec.access.instanceProfile` overrides it). Its role needs the AmazonSSMManagedInstanceCore managed policy for `labops connect`. @default none: workstations get no IAM role and cannot be reached through SSM
   */
  instanceProfile?: string;
}
