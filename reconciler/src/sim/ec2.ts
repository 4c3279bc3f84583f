/**
 * The simulated EC2 service: every operation labops uses, registered as a {@link SimService}.
 */
import type { SimService } from './contract.js';
import { advanceEc2 } from './ec2-advance.js';
import { describeInstances } from './ec2-describe-instances.js';
import { copyImage, createImage, deregisterImage, describeImages } from './ec2-images.js';
import { describeInstanceTypes, modifyInstanceAttribute } from './ec2-instance-types.js';
import { startInstances, stopInstances, terminateInstances } from './ec2-lifecycle.js';
import { initialEc2State } from './ec2-model.js';
import { runInstances } from './ec2-run.js';
import { copySnapshot, createSnapshot, createSnapshots, deleteSnapshot, describeSnapshots } from './ec2-snapshots.js';
import { createTags, deleteTags } from './ec2-tags.js';
import { attachVolume, createVolumeOp, deleteVolume, describeVolumes, detachVolume, setVolumeData } from './ec2-volumes.js';

export type { Ec2State, Ec2Instance, Ec2Volume, Ec2Snapshot, Ec2Image } from './ec2-model.js';

/** EC2 (Query protocol, API version 2016-11-15). */
export const ec2Service: SimService = {
  name: 'EC2',
  operations: {
    RunInstances: runInstances,
    DescribeInstances: describeInstances,
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
  },
  initialState: initialEc2State,
  advance: advanceEc2,
  control: { 'volume-data': setVolumeData },
};
