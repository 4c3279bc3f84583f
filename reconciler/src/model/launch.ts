/**
 * What the planner hands the executor: launch parameters and per-action details, fully
 * resolved (AMI chosen, tags computed, client token derived), so apply makes no decisions.
 */
import type { EnvironmentImageDetails } from './environment-image.js';
import type { JobQueueDetails } from './job-queue.js';
import type { DesiredVolume } from './desired.js';
import type { CreateAwsBudgetDetails, DeleteAwsBudgetDetails, UpdateAwsBudgetDetails } from './aws-budget.js';
import type { CancelJobDetails, SubmitJobDetails } from './job.js';
import type { CopySnapshotDetails, DeleteSnapshotDetails, SnapshotDetails } from './schedule.js';

/** Device names for data volumes, in order: `/dev/sdf` … `/dev/sdp` (AWS's recommended range). */
export const DATA_DEVICES: readonly string[] = 'fghijklmnop'.split('').map((letter) => `/dev/sd${letter}`);

/**
 * The device each new data volume gets: the first free names of {@link DATA_DEVICES}, skipping
 * `reserved` (devices that volumes moved from an old instance will take).
 * @throws {RangeError} when there are more volumes than free device names
 */
export function dataDevices(count: number, reserved: readonly string[] = []): string[] {
  const free = DATA_DEVICES.filter((d) => !reserved.includes(d));
  if (count > free.length) throw new RangeError(`${count} data volumes but only ${free.length} free device names`);
  return free.slice(0, count);
}

/** IAM's rule for an instance profile name (as schemas/common.schema.json `instanceProfile`). */
export const INSTANCE_PROFILE_NAME = /^[A-Za-z0-9_+=,.@-]{1,128}$/;

/** Everything RunInstances needs for one workstation. */
export interface LaunchRequest {
  region: string;
  imageId: string;
  instanceType: string;
  /** Cloud-init user data as text; the adapter base64-encodes it. Empty when the image is prebuilt. */
  userData: string;
  /** Encrypted root volume size; with hibernation at least the RAM. */
  rootGiB: number;
  /** New data volumes created at launch (encrypted, DeleteOnTermination false, tagged `labops:volume`). */
  volumes: DesiredVolume[];
  hibernation: boolean;
  spot: boolean;
  /** Keep the new instance in this zone (so existing data volumes can be attached). */
  availabilityZone?: string;
  subnetId?: string;
  securityGroupIds?: string[];
  /** IAM instance profile name (SSM Session Manager access); `--instance-profile` overrides it. @default none */
  instanceProfile?: string;
  /** Tags for the instance and its volumes (volumes also get `labops:volume`). */
  tags: Record<string, string>;
  /** Deterministic idempotency token (see `clientToken`). */
  clientToken: string;
  /**
   * Data volumes restored from snapshots, by volume name (`restoreFrom`): each is created from its
   * snapshot instead of empty. @default undefined (every data volume starts empty)
   */
  volumeSnapshots?: Record<string, string>;
}

/** A cross-region copy of the environment's prebuilt image, made before launch. */
export interface CopyImageRequest {
  sourceRegion: string;
  sourceImageId: string;
  region: string;
  name: string;
  clientToken: string;
  tags: Record<string, string>;
}

/** A power state labops can put an instance into. */
export type PowerState = 'running' | 'stopped' | 'hibernated';

/** Details of each action kind. */
export type ActionDetails =
  | { kind: 'create'; launch: LaunchRequest; copyImage?: CopyImageRequest; thenState: PowerState }
  | { kind: 'start' }
  | { kind: 'stop' }
  | { kind: 'hibernate' }
  | { kind: 'resize'; from: string; to: string; restart: boolean }
  | {
      kind: 'replace';
      launch: LaunchRequest;
      copyImage?: CopyImageRequest;
      oldInstanceId: string;
      /**
       * Region of the old instance when it is not the action's (a region change): it is
       * snapshotted, stopped and terminated there. @default undefined (the action's Region)
       */
      oldRegion?: string;
      /** Snapshot the old root before terminating (deletionPolicy Snapshot). */
      snapshotRoot: boolean;
      /** Keep the old root volume instead of deleting it (deletionPolicy Retain). */
      retainRoot: boolean;
      rootVolumeId?: string;
      /** Data volumes detached from the old instance and attached to the new one. */
      moveVolumes: { volumeId: string; name: string; device: string }[];
      /**
       * Data volumes snapshotted before the replacement (a restore: the new instance gets volumes
       * from the restore snapshot, and these stay detached). @default undefined (none)
       */
      snapshotVolumes?: { volumeId: string; name: string }[];
      thenState: PowerState;
    }
  | {
      kind: 'retag';
      set: Record<string, string>;
      remove: string[];
      /**
       * `labops:volume` names for attached volumes a launch left unnamed (a create or replace
       * interrupted before it named them), by volume id. @default undefined (none)
       */
      volumes?: Record<string, string>;
    }
  | { kind: 'destroy'; snapshotRoot: boolean; retainRoot: boolean; rootVolumeId?: string; keptVolumes: string[] }
  | { kind: 'orphan' }
  | { kind: 'drift'; observed: string; expected: string }
  | SnapshotDetails
  | CopySnapshotDetails
  | DeleteSnapshotDetails
  | SubmitJobDetails
  | CancelJobDetails
  | CreateAwsBudgetDetails
  | UpdateAwsBudgetDetails
  | DeleteAwsBudgetDetails
  | JobQueueDetails
  | EnvironmentImageDetails;
