/**
 * The EC2 slice of the simulated account: instances, volumes, snapshots, own images and the
 * idempotency tokens seen, plus id generation. Everything is plain JSON so it persists as is.
 */
import type { SimContext, SimState } from '../core/contract.js';
import { hexFrom } from '../core/random.js';

/** Instance states as EC2 names them, with their `State.Code`. */
export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** A volume attached to an instance, as the instance sees it. */
export interface Ec2BlockDevice {
  deviceName: string;
  volumeId: string;
  deleteOnTermination: boolean;
  attachTime: string;
}

/** One simulated instance. Times are ISO-8601 strings. */
export interface Ec2Instance {
  id: string;
  /** Creation order, for stable pagination. */
  seq: number;
  region: string;
  az: string;
  reservationId: string;
  instanceType: string;
  imageId: string;
  architecture: string;
  state: InstanceStateName;
  /** When the current transitional state ends (pending, stopping, shutting-down), or when a terminated instance disappears. */
  transitionAt?: string;
  /** When it was launched (first visible; eventual-consistency faults count from here). */
  createdAt: string;
  /** Last time it entered `pending` (launch or start). */
  launchTime: string;
  stateTransitionReason: string;
  stateReason?: { Code: string; Message: string };
  tags: Record<string, string>;
  clientToken?: string;
  hibernationConfigured: boolean;
  /** True while stopping/stopped because of a hibernate request. */
  hibernated?: boolean;
  userData?: string;
  subnetId: string;
  vpcId: string;
  securityGroupIds: string[];
  iamInstanceProfile?: { Arn?: string; Name?: string };
  metadataOptions?: Record<string, unknown>;
  keyName?: string;
  rootDeviceName: string;
  blockDevices: Ec2BlockDevice[];
  privateIp: string;
  publicIp?: string;
  /** Whether entering `running` assigns a public IPv4 address; undefined (state saved before this field) means yes. */
  mapPublicIp?: boolean;
  /** Spot purchase details; absent for On-Demand. */
  spot?: {
    requestId: string;
    type: 'one-time' | 'persistent';
    interruptionBehavior: 'hibernate' | 'stop' | 'terminate';
  };
  amiLaunchIndex: number;
  disableApiTermination?: boolean;
  disableApiStop?: boolean;
  /** Set by the control endpoint `instance-health`: its status checks fail. */
  health?: 'impaired';
  /** Set by the control endpoint `provision`: how its provisioning script ends. @default ready after 240 s */
  provision?: { result: 'ready' | 'failed'; seconds: number; steps?: string };
}

/** One EBS volume; `data` is a sim-only marker that snapshots carry and restores inherit. */
export interface Ec2Volume {
  id: string;
  seq: number;
  region: string;
  az: string;
  size: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  state: 'creating' | 'available' | 'in-use';
  /** When `creating` ends. */
  availableAt?: string;
  createTime: string;
  snapshotId?: string;
  tags: Record<string, string>;
  attachment?: {
    instanceId: string;
    device: string;
    state: 'attaching' | 'attached' | 'detaching';
    attachTime: string;
    deleteOnTermination: boolean;
    /** When attaching/detaching ends. */
    transitionAt?: string;
  };
  data?: string;
  /** Snapshot billing: GiB of blocks ever written (≤ size). Absent on volumes from older state: 0. */
  usedGiB?: number;
  /** Snapshot billing: GiB of blocks changed since the last snapshot of this volume. */
  changedGiB?: number;
  /** Snapshot billing: the instant writes were last added to `usedGiB` and `changedGiB`. @default createTime */
  writesCountedAt?: string;
  /** Snapshot billing: true once a snapshot of this volume was taken (later ones are incremental). */
  snapshotted?: boolean;
}

/** One EBS snapshot owned by the account. */
export interface Ec2Snapshot {
  id: string;
  seq: number;
  region: string;
  volumeId: string;
  volumeSize: number;
  encrypted: boolean;
  state: 'pending' | 'completed';
  startTime: string;
  completeAt: string;
  description: string;
  tags: Record<string, string>;
  data?: string;
  sourceSnapshotId?: string;
  /** Snapshot billing: GiB of data the snapshot restores (the volume's written blocks). @default volumeSize */
  fullGiB?: number;
  /** Snapshot billing: GiB of blocks this snapshot alone stores, what EBS bills. @default volumeSize */
  billedGiB?: number;
  /** Snapshot billing: the volume whose blocks it holds, carried on by copies (its lineage). */
  originVolumeId?: string;
}

/** A device of an image: the snapshot it restores and how. */
export interface Ec2ImageDevice {
  deviceName: string;
  snapshotId: string;
  volumeSize: number;
  volumeType: string;
  encrypted: boolean;
  deleteOnTermination: boolean;
}

/** A machine image: an own one (in state) or a public catalog one (computed). */
export interface Ec2Image {
  id: string;
  seq: number;
  region: string;
  name: string;
  description?: string;
  state: 'pending' | 'available';
  availableAt?: string;
  architecture: string;
  rootDeviceName: string;
  devices: Ec2ImageDevice[];
  creationDate: string;
  ownerId: string;
  ownerAlias?: string;
  public: boolean;
  tags: Record<string, string>;
  sourceInstanceId?: string;
  /**
   * The image's build installed labops' marker unit (an EC2 Image Builder build of an
   * EnvironmentImage): an instance booted from it prints the readiness marker at every boot.
   * @default undefined (no)
   */
  bootMarker?: boolean;
}

/** A remembered idempotency token: what it created and a fingerprint of the request. */
export interface Ec2TokenRecord {
  fingerprint: string;
  reservationId?: string;
  instanceIds?: string[];
  imageId?: string;
}

/** The EC2 slice of {@link SimState}. */
export interface Ec2State {
  instances: Record<string, Ec2Instance>;
  volumes: Record<string, Ec2Volume>;
  snapshots: Record<string, Ec2Snapshot>;
  images: Record<string, Ec2Image>;
  /** Keyed `region|token` (RunInstances) or `copy|region|token` (CopyImage). */
  tokens: Record<string, Ec2TokenRecord>;
  /** Regions whose default VPC a test removed (control `default-vpc`). @default none */
  withoutDefaultVpc?: string[];
}

/** A fresh EC2 slice. */
export function initialEc2State(): Ec2State {
  return { instances: {}, volumes: {}, snapshots: {}, images: {}, tokens: {} };
}

/** The EC2 slice of an account, created on first use. */
export function ec2Of(state: SimState): Ec2State {
  const slice = state.ec2 as Partial<Ec2State> | undefined;
  if (slice?.instances === undefined) {
    state.ec2 = { ...initialEc2State(), ...(slice ?? {}) };
  }
  return state.ec2 as Ec2State;
}

/** A new deterministic id such as `i-0123456789abcdef0`, with its creation sequence number. */
export function newId(ctx: SimContext, prefix: 'i' | 'vol' | 'snap' | 'ami' | 'r'): { id: string; seq: number } {
  const seq = ctx.state.nextId;
  ctx.state.nextId += 1;
  return { id: `${prefix}-0${hexFrom(ctx.config.seed, seq, 16)}`, seq };
}

/** ISO time `seconds` after `from`. */
export function later(from: Date, seconds: number): string {
  return new Date(from.getTime() + Math.round(seconds * 1000)).toISOString();
}
