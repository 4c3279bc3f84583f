/**
 * Desired state: what the validated specs ask for, with every default settled, ready for the
 * pure planner. Built in one pass from a `LabValidation` by the engine's desired phase
 * (engine/desired.ts): the Lab's settings, then each kind's slice (its `desired` hook).
 */
import type { DesiredEnvironmentImage } from './environment-image.js';
import type { DesiredAwsBudget } from './aws-budget.js';
import type { DesiredJob } from './job.js';
import type { DesiredJobQueue } from './job-queue.js';
import type { DesiredSchedule } from './schedule.js';
import type { WorkWindow } from './work-hours.js';

/** Lab-wide settings the planner needs. */
export interface DesiredLab {
  /** `owner/name` of the lab repository: the value of every `labops:repo` tag. */
  repo: string;
  accountId: string;
  defaultRegion: string;
  regions: string[];
  /** Destroy resources whose spec was deleted (per deletionPolicy). @default false */
  prune: boolean;
  /** Revert drift made outside labops. @default false */
  selfHeal: boolean;
  /** `spec.access.instanceProfile`: the IAM instance profile workstations launch with. @default none */
  instanceProfile?: string;
  calendar: {
    /** IANA zone of the calendar and of schedules that name none. @default "UTC" */
    timezone: string;
    breaks: { name: string; from: string; to: string }[];
  };
}

/** Defaults a SnapshotSchedule or Job takes from the Lab. */
export type LabDefaults = Pick<DesiredLab['calendar'], 'timezone'> & Pick<DesiredLab, 'defaultRegion'>;

/** A data volume as the planner sees it: name, size and type settled. */
export interface DesiredVolume {
  name: string;
  sizeGiB: number;
  type: 'gp3' | 'gp2' | 'io2' | 'st1' | 'sc1';
  iops?: number;
  throughputMiBps?: number;
}

/** The environment a workstation launches with, resolved and rendered. */
export interface DesiredEnvironment {
  name: string;
  version: string;
  os: 'ubuntu-22.04' | 'ubuntu-24.04' | 'amazonlinux-2023' | 'rocky-9';
  architecture: 'x86_64' | 'arm64';
  /** Prebuilt AMIs by region (the environment's `images`). */
  images: Record<string, string>;
  /** Rendered cloud-init user data (deterministic). */
  userData: string;
  /** Ports of the environment's services (reached through SSM port forwarding). */
  servicePorts: number[];
}

/** One workstation, every default applied. */
export interface DesiredWorkstation {
  name: string;
  owner: string;
  project: string;
  labels: Record<string, string>;
  region: string;
  instanceType: string;
  /** `spec.state`, before schedule, calendar, budget and idle rules. */
  state: 'running' | 'stopped' | 'hibernated';
  hibernation: boolean;
  spot: boolean;
  /** Root volume size, at least the environment's minimum (and the RAM when hibernating). */
  rootGiB: number;
  volumes: DesiredVolume[];
  schedule?: {
    /** The expression as written, for plan reasons. */
    workHours: string;
    windows: WorkWindow[];
    offHoursAction: 'hibernate' | 'stop';
    timezone: string;
  };
  idle?: {
    afterSeconds: number;
    cpuBelowPercent: number;
    action: 'hibernate' | 'stop';
  };
  restoreFrom?: string;
  /**
   * `follow`: `latest` replaces the instance when a newer built image of its environment version
   * appears in its Region; `pinned` never does (not part of the launch hash). @default 'pinned'
   */
  image: { strategy: 'ami_preferred' | 'ami_required' | 'script'; ami?: string; follow?: 'pinned' | 'latest' };
  deletionPolicy: 'Snapshot' | 'Retain' | 'Delete';
  network?: { subnetId?: string; securityGroupIds?: string[] };
  /** IAM instance profile at launch: the spec's `access.instanceProfile`, else the Lab's. @default none */
  instanceProfile?: string;
  environment: DesiredEnvironment;
  /**
   * Hash of everything that needs a new instance when it changes (environment, image,
   * region, rootGiB, restoreFrom): recorded as the `labops:spec-hash` tag at launch.
   */
  launchHash: string;
}

/** What every Desired has whatever the kinds: the Lab's settings and the files that did not parse. */
export interface DesiredBase {
  lab: DesiredLab;
  /** Files that did not parse at all (the names they declare cannot be known). */
  unknownFiles: string[];
}

/** Everything desired, plus what could not be read (whose resources are unknown, not absent). */
export interface Desired extends DesiredBase {
  workstations: DesiredWorkstation[];
  /** Names of Workstations whose spec is invalid: their instances are left alone. */
  unknownWorkstations: string[];
  /** SnapshotSchedules, defaults settled. */
  schedules: DesiredSchedule[];
  /** Batch Jobs, defaults settled and hashed. */
  jobs: DesiredJob[];
  /** Names of Jobs whose spec is invalid: never cancelled as removed. */
  unknownJobs: string[];
  /** The AWS budgets the Budgets mirror into; empty when the Lab's `budgets.mirror` is false. */
  awsBudgets: DesiredAwsBudget[];
  /** Names of Budgets whose spec is invalid: their AWS budgets are never deleted as removed. */
  unknownBudgets: string[];
  /** Batch job queues and the compute environments they own, defaults settled. */
  jobQueues: DesiredJobQueue[];
  /** Names of JobQueues whose spec is invalid: their queues are left alone. */
  unknownJobQueues: string[];
  /** EnvironmentImages (AMIs baked through EC2 Image Builder), defaults settled and rendered. */
  environmentImages: DesiredEnvironmentImage[];
  /** Names of EnvironmentImages whose spec is invalid: their images are left alone. */
  unknownEnvironmentImages: string[];
}
