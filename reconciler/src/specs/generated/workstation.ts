/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * A personal EC2 workstation with a research environment, its storage, power schedule and idle policy.
 */
export interface Workstation {
  /**
   * Spec format version. Always `labops/v1`.
   */
  apiVersion: 'labops/v1';
  /**
   * Always `Workstation`.
   */
  kind: 'Workstation';
  metadata: OwnedMetadata;
  spec: WorkstationSpec;
}
/**
 * Identity, owner and cost-allocation project.
 */
export interface OwnedMetadata {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * GitHub login of the person this belongs to; they may merge changes to it.
   */
  owner: string;
  /**
   * Cost-allocation key: becomes the `labops:project` tag on every resource, which Cost Explorer groups spend by.
   */
  project: string;
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
 * The workstation's environment, size, storage and power behaviour.
 */
export interface WorkstationSpec {
  /**
   * Catalog or lab-local Environment, with an optional semver range: `neuroimaging@^1.2`. Changing it replaces the instance (data volumes are kept).
   */
  environment: string;
  /**
   * EC2 instance type. Changing it is a resize: stop, modify, start again if it was running.
   */
  instanceType: string;
  /**
   * AWS region. @default the Lab's defaultRegion
   */
  region?: string;
  /**
   * Desired power state when no schedule, calendar, budget or idle rule overrides it.
   */
  state?: 'running' | 'stopped' | 'hibernated';
  storage?: WorkstationStorage;
  /**
   * Configure hibernation at launch (needed for any hibernate action). Needs a family that supports it and RAM under 150 GiB.
   */
  hibernation?: boolean;
  /**
   * Launch as a Spot instance (cheaper, may be interrupted).
   */
  spot?: boolean;
  schedule?: WorkstationSchedule;
  idle?: WorkstationIdle;
  /**
   * Launch from a snapshot made by a SnapshotSchedule: `SCHEDULE/latest` or `SCHEDULE/YYYY-MM-DD`, optionally followed by `/WORKSTATION` or `/WORKSTATION@OWNER`. Without them it restores this workstation's own snapshots; `/WORKSTATION` restores those of another workstation of the same owner (`nightly/latest/old-neuro`), and `@OWNER` those of a workstation someone else owned (`nightly/latest/bob-neuro@bob`), which needs that owner's (or an admin's) approval. Only snapshots tagged with both that workstation name and that owner (by default this workstation's owner) are ever used. Changing it replaces the instance.
   */
  restoreFrom?: string;
  image?: WorkstationImage;
  /**
   * What happens to the root volume when the instance is replaced or destroyed: Snapshot it first, Retain it, or Delete it.
   */
  deletionPolicy?: 'Snapshot' | 'Retain' | 'Delete';
  network?: WorkstationNetwork;
  access?: WorkstationAccess;
}
/**
 * Root volume and data volumes.
 */
export interface WorkstationStorage {
  /**
   * Size of the encrypted root volume in GiB. With hibernation it must be at least the instance's RAM plus the environment's minimum. Changing it replaces the instance. @default the environment's recommended.minRootGiB, or 50
   */
  rootGiB?: number;
  /**
   * Data volumes. They survive every change labops makes, including replacement.
   *
   * @maxItems 16
   */
  volumes?: DataVolume[];
}
export interface DataVolume {
  /**
   * A DNS-label name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit. Unique per kind in the repository.
   */
  name: string;
  /**
   * Size in GiB.
   */
  sizeGiB: number;
  /**
   * EBS volume type.
   */
  type?: 'gp3' | 'gp2' | 'io2' | 'st1' | 'sc1';
  /**
   * Provisioned IOPS (gp3, io2).
   */
  iops?: number;
  /**
   * Provisioned throughput (gp3).
   */
  throughputMiBps?: number;
}
/**
 * Outside workHours and during calendar breaks the workstation is put into offHoursAction.
 */
export interface WorkstationSchedule {
  /**
   * Days and hours it runs, e.g. `Mon-Fri 08:00-19:00`, `Mon,Wed 09:00-17:00; Sat 10:00-14:00`, `daily 07:00-23:00`.
   */
  workHours: string;
  /**
   * What happens outside work hours.
   */
  offHoursAction?: 'hibernate' | 'stop';
  /**
   * Time zone of workHours. @default the Lab calendar's timezone
   */
  timezone?: string;
}
/**
 * Put the workstation into `action` when its CPU stays below `cpuBelowPercent` for `after`.
 */
export interface WorkstationIdle {
  /**
   * How long it must be idle, e.g. `30m`.
   */
  after: string;
  /**
   * Average CPU utilisation below which it counts as idle.
   */
  cpuBelowPercent?: number;
  /**
   * What happens when idle.
   */
  action?: 'hibernate' | 'stop';
}
/**
 * How the machine image is chosen.
 */
export interface WorkstationImage {
  /**
   * ami_preferred: the newest image the lab's EnvironmentImage built of the exact environment version in the Region, else the environment's prebuilt image, else base OS + cloud-init; ami_required: no base OS fallback (waits while an image of the version is building, refused otherwise); script: always base OS + cloud-init.
   */
  strategy?: 'ami_preferred' | 'ami_required' | 'script';
  /**
   * Pin an exact image.
   */
  ami?: string;
  /**
   * latest: replace the workstation (data volumes move, root per deletionPolicy) when a newer image of its environment version than the one it runs is built in its Region; pinned: a new image never replaces it (only a spec change does). @default pinned
   */
  follow?: 'pinned' | 'latest';
}
/**
 * Where the instance is placed. @default the default VPC, no inbound ports; access through SSM Session Manager
 */
export interface WorkstationNetwork {
  /**
   * A subnet id, e.g. `subnet-0123456789abcdef0`.
   */
  subnetId?: string;
  /**
   * Security groups to attach; labops opens no ports itself.
   *
   * @maxItems 5
   *
   * Items: A security group id, e.g. `sg-0123456789abcdef0`.
   */
  securityGroupIds?: string[];
}
/**
 * How people reach this workstation. @default the Lab's `spec.access`
 */
export interface WorkstationAccess {
  /**
   * IAM instance profile given at launch, overriding the Lab's default (the role needs AmazonSSMManagedInstanceCore for `labops connect`). Takes effect when the instance is next launched.
   */
  instanceProfile?: string;
}
