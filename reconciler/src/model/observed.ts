import type { ObservedImageResource } from './environment-image.js';
import type { ObservedAwsBudget } from './aws-budget.js';
import type { ObservedJob, ObservedJobQueue } from './job.js';
import type { ObservedBatchQueue, ObservedComputeEnvironment } from './job-queue.js';
import type { DefaultNetwork } from './network.js';
import type { ObservedSnapshot } from './schedule.js';

/**
 * Observed state: what exists in AWS, normalised from bulk, tag-filtered listings. Only
 * resources tagged `labops:repo` = this repository appear here; everything else is invisible.
 */

/** EC2 instance states, as AWS names them. */
export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

/** A volume attached to an observed instance. */
export interface ObservedAttachment {
  volumeId: string;
  device: string;
  /** `labops:volume` tag: the spec's volume name; `root` for the root volume. */
  name: string | undefined;
  sizeGiB: number;
  type: string;
  deleteOnTermination: boolean;
}

/** An attachment whose volume carries a `labops:volume` name. */
export type NamedAttachment = ObservedAttachment & { name: string };

/** Whether the attachment's volume carries a `labops:volume` name (a filter that narrows). */
export function isNamed(attachment: ObservedAttachment): attachment is NamedAttachment {
  return attachment.name !== undefined;
}

/** One EC2 instance labops owns. */
export interface ObservedInstance {
  instanceId: string;
  region: string;
  state: InstanceState;
  instanceType: string;
  /** ISO-8601. */
  launchTime: string;
  imageId: string;
  tags: Record<string, string>;
  hibernationConfigured: boolean;
  /** AWS's state reason code, e.g. `Client.UserInitiatedHibernate`, `Client.UserInitiatedShutdown`. */
  stateReason?: string;
  /**
   * When the instance was last asked to stop, hibernate or terminate (ISO-8601), read from EC2's
   * `StateTransitionReason`, e.g. `User initiated (2026-12-05 13:00:12 GMT)`; absent while it runs.
   */
  stoppedAt?: string;
  privateIp?: string;
  publicIp?: string;
  attachments: ObservedAttachment[];
}

/** A volume labops owns that is not attached (e.g. a data volume between replacements). */
export interface ObservedVolume {
  volumeId: string;
  region: string;
  availabilityZone: string;
  sizeGiB: number;
  type: string;
  state: string;
  attachedTo?: string;
  tags: Record<string, string>;
}

/** An AMI usable for launches: the lab's own, or a public base OS image. */
export interface ObservedImage {
  imageId: string;
  region: string;
  name: string;
  architecture: 'x86_64' | 'arm64';
  /** ISO-8601. */
  creationDate: string;
  state: string;
  ownerId: string;
  tags: Record<string, string>;
  /** Device name of the root volume (`RootDeviceName`), e.g. `/dev/xvda`; absent when unknown. */
  rootDeviceName?: string;
  /** Snapshots behind the image's block devices (never deleted while the image exists). @default undefined */
  snapshotIds?: string[];
  /** Total size of the EBS snapshots behind the image (the block devices' `VolumeSize`), GiB. @default undefined (unknown) */
  snapshotGiB?: number;
}

/** CPU use of a running instance over the idle window, from CloudWatch GetMetricData. */
export interface ObservedUtilisation {
  instanceId: string;
  /** How long the instance has stayed continuously below its threshold, in seconds, ending at the last datapoint. */
  idleSeconds: number;
  /** Average CPU over that stretch, percent. */
  averageCpuPercent: number;
  /** Datapoints read. */
  datapoints: number;
}

/** Image Builder's image statuses (GetImage / ListImageBuildVersions `state.status`). */
export type ImageBuildStatus =
  | 'PENDING'
  | 'CREATING'
  | 'BUILDING'
  | 'TESTING'
  | 'DISTRIBUTING'
  | 'INTEGRATING'
  | 'AVAILABLE'
  | 'CANCELLED'
  | 'FAILED'
  | 'DEPRECATED'
  | 'DELETED'
  | 'DISABLED';

/** Image Builder statuses of a build still under way (it may yet become AVAILABLE). */
export const IMAGE_BUILD_IN_PROGRESS: ReadonlySet<ImageBuildStatus> = new Set([
  'PENDING',
  'CREATING',
  'BUILDING',
  'TESTING',
  'DISTRIBUTING',
  'INTEGRATING',
]);

/**
 * One EC2 Image Builder image build of an environment version that this repository's
 * EnvironmentImage made: a build of one of its own recipes, tagged for it (kinds/environment-image/
 * observe.ts `ownBuilds`). Its output AMIs are the repository's built images (model/image-provenance.ts).
 */
export interface ObservedImageBuild {
  /** `name@version` of the environment (the `labops:environment` tag). */
  environment: string;
  /** The image build version ARN, e.g. `arn:aws:imagebuilder:us-east-1:123456789012:image/labops-neuroimaging/1.2.0/1`. */
  arn: string;
  /** The Region whose Image Builder ran the build. */
  region: string;
  status: ImageBuildStatus;
  /** Image Builder's reason (`state.reason`), e.g. why a build FAILED. @default undefined */
  reason?: string;
  /** When the build was created (ISO-8601). */
  dateCreated: string;
  /** Output AMIs by Region, as the build's distribution reports them (empty until AVAILABLE). */
  amis: Record<string, string>;
  /**
   * The EnvironmentImage that started it: the build's own `labops:name` tag, which labops' CreateImage
   * sets (an AMI's tags anyone with ec2:CreateTags can change; the build's only imagebuilder:TagResource).
   * @default undefined (a build without it belongs to no EnvironmentImage: its AMIs are left alone)
   */
  image?: string;
}

/** What every observation has whatever the kinds: whose account it is and when it was made. */
export interface ObservedBase {
  /** Account STS says the credentials belong to. */
  accountId: string;
  /** When the observation was made (ISO-8601). */
  observedAt: string;
}

/** Everything observed in one pass: the base, then each kind's slice (its `observe` hook). */
export interface Observed extends ObservedBase {
  instances: ObservedInstance[];
  volumes: ObservedVolume[];
  /** Own images and the base OS images of each region the plan needs. */
  images: ObservedImage[];
  /** CPU utilisation by instance id (running instances with an idle policy only). */
  utilisation: Record<string, ObservedUtilisation>;
  /** Snapshots SnapshotSchedules made (sources and copies); listed only when a schedule or a restore needs them, else empty. */
  snapshots: ObservedSnapshot[];
  /**
   * Batch jobs of the run record not yet final, and those whose attempts the spend ledger still
   * counts (the record's `jobRuns`), as Batch reports them now.
   */
  jobs: ObservedJob[];
  /**
   * Batch job queues by Region, read (one paginated DescribeJobQueues each) in every Region where
   * a Job is still to be submitted; a Region absent was not read.
   */
  jobQueues: Record<string, ObservedJobQueue[]>;
  /**
   * AWS budgets whose name starts with `labops ` (any lab's, and lookalikes without a tag):
   * ownership is the `labops:repo` tag, checked by the planner.
   */
  awsBudgets: ObservedAwsBudget[];
  /**
   * This repository's Batch job queues (and the external ones the lab declares) by Region, read in
   * every Region of the Lab while the lab declares a JobQueue; empty otherwise.
   */
  batchQueues: Record<string, ObservedBatchQueue[]>;
  /** This repository's Batch compute environments (tagged `labops:kind` JobQueue) by Region. */
  computeEnvironments: Record<string, ObservedComputeEnvironment[]>;
  /** Jobs waiting for or using capacity (SUBMITTED … RUNNING), by `REGION/QUEUE`, for queues with something to delete. */
  activeJobs: Record<string, number>;
  /**
   * The default network (default VPC, its default subnets and `default` security group) by Region,
   * null where the Region has none; read only in Regions where a JobQueue's compute environment
   * leaves its network out. A Region absent was not read. @default {} (none read)
   */
  defaultNetworks?: Record<string, DefaultNetwork | null>;
  /**
   * Image Builder builds of this repository's EnvironmentImages (builds of its own recipes, tagged
   * for it), every build of every version, read in every Region of the Lab while it declares an
   * EnvironmentImage (or prunes); empty otherwise.
   */
  imageBuilds: ObservedImageBuild[];
  /** Image Builder components, recipes and configurations named like this repository's (own or foreign: the planner checks tags). */
  imageResources: ObservedImageResource[];
}

/**
 * Whether a running workstation is ready for work, from what AWS shows: its EC2 status checks
 * (DescribeInstanceStatus) and the marker line labops' provisioning script prints on its console
 * (GetConsoleOutput; environments/provision-script.ts).
 */
export interface Readiness {
  /** `provisioning` until the marker says ready; `failed` when it says failed or a status check is impaired. */
  state: 'provisioning' | 'ready' | 'failed';
  /** Seconds from boot to the end of provisioning, as the marker says. @default null (not finished) */
  tookSeconds: number | null;
  /** Why, in a few words: `status checks initializing`, `failed steps: spack`, … */
  detail: string;
  /**
   * `image` when the instance booted from a built environment image (its marker unit printed the
   * marker: `tookSeconds` is that boot's, nothing was provisioned). @default undefined (the script path)
   */
  path?: 'image';
}
