/**
 * The simulated EC2 service: every operation labops uses, registered as a {@link SimService}.
 */
import type { SimService } from '../core/contract.js';
import { advanceEc2 } from './advance.js';
import { describeInstances } from './describe-instances.js';
import { describeInstanceStatus, getConsoleOutput, setInstanceHealth, setProvision } from './instance-status.js';
import { copyImage, createImage, deregisterImage, describeImages } from './images.js';
import { describeInstanceTypes, modifyInstanceAttribute } from './instance-types.js';
import { startInstances, stopInstances, terminateInstances } from './lifecycle.js';
import { initialEc2State } from './model.js';
import { describeSecurityGroups, describeSubnets, describeVpcs } from './network.js';
import { setDefaultVpc } from './default-vpc.js';
import { runInstances } from './run.js';
import { copySnapshot, createSnapshot, createSnapshots, deleteSnapshot, describeSnapshots } from './snapshots.js';
import { createTags, deleteTags } from './tags.js';
import { attachVolume, createVolumeOp, deleteVolume, describeVolumes, detachVolume, setVolumeData } from './volumes.js';

export type { Ec2State, Ec2Instance, Ec2Volume, Ec2Snapshot, Ec2Image } from './model.js';

/** EC2 (Query protocol, API version 2016-11-15). */
export const ec2Service: SimService = {
  name: 'EC2',
  operations: {
    RunInstances: runInstances,
    DescribeInstances: describeInstances,
    DescribeInstanceStatus: describeInstanceStatus,
    GetConsoleOutput: getConsoleOutput,
    StartInstances: startInstances,
    StopInstances: stopInstances,
    TerminateInstances: terminateInstances,
    ModifyInstanceAttribute: modifyInstanceAttribute,
    CreateTags: createTags,
    DeleteTags: deleteTags,
    CreateVolume: createVolumeOp,
    DescribeVolumes: describeVolumes,
    AttachVolume: attachVolume,
    DetachVolume: detachVolume,
    DeleteVolume: deleteVolume,
    CreateSnapshot: createSnapshot,
    CreateSnapshots: createSnapshots,
    DescribeSnapshots: describeSnapshots,
    DeleteSnapshot: deleteSnapshot,
    CopySnapshot: copySnapshot,
    CreateImage: createImage,
    CopyImage: copyImage,
    DescribeImages: describeImages,
    DeregisterImage: deregisterImage,
    DescribeInstanceTypes: describeInstanceTypes,
    DescribeVpcs: describeVpcs,
    DescribeSubnets: describeSubnets,
    DescribeSecurityGroups: describeSecurityGroups,
  },
  initialState: initialEc2State,
  advance: advanceEc2,
  control: {
    'volume-data': setVolumeData,
    'instance-health': setInstanceHealth,
    provision: setProvision,
    'default-vpc': setDefaultVpc,
  },
};
