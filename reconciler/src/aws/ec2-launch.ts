/**
 * The RunInstances and CopyImage requests for a launch, built as pure functions of the
 * planner's {@link LaunchRequest} so that a retry (or a run after a crash) sends byte-identical
 * requests and EC2's ClientToken idempotency returns the instance launched before.
 */
import type { BlockDeviceMapping, CopyImageCommandInput, RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { dataDevices, type CopyImageRequest, type LaunchRequest } from '../model/launch.js';
import { TAG } from '../model/tags.js';
import { tagList } from './ec2-normalise.js';
import type { LaunchOptions } from './ports.js';

/** Tags every volume gets at launch: the instance's, minus the instance-only power state. */
export function volumeLaunchTags(tags: Record<string, string>): Record<string, string> {
  const { [TAG.desiredState]: _state, ...rest } = tags;
  return rest;
}

function blockDevices(request: LaunchRequest, options: LaunchOptions): BlockDeviceMapping[] {
  const root: BlockDeviceMapping = {
    DeviceName: options.rootDeviceName,
    Ebs: { VolumeSize: request.rootGiB, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
  };
  const devices = dataDevices(request.volumes.length, options.reservedDevices);
  const data = request.volumes.map((v, i): BlockDeviceMapping => ({
    DeviceName: devices[i],
    Ebs: {
      VolumeSize: v.sizeGiB,
      VolumeType: v.type,
      Iops: v.iops,
      Throughput: v.throughputMiBps,
      Encrypted: true,
      DeleteOnTermination: false,
      SnapshotId: request.volumeSnapshots?.[v.name],
    },
  }));
  return [root, ...data];
}

/**
 * The RunInstances input: one instance, the deterministic ClientToken, tags on instance and
 * volumes, an encrypted gp3 root on the image's root device, encrypted data volumes kept on
 * termination, IMDSv2 only, no public IP unless asked, hibernation and Spot as requested.
 */
export function runInstancesInput(request: LaunchRequest, options: LaunchOptions): RunInstancesCommandInput {
  const input: RunInstancesCommandInput = {
    ImageId: request.imageId,
    InstanceType: request.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: 1,
    MaxCount: 1,
    ClientToken: request.clientToken,
    BlockDeviceMappings: blockDevices(request, options),
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
    NetworkInterfaces: [
      {
        DeviceIndex: 0,
        AssociatePublicIpAddress: options.publicIp === true,
        DeleteOnTermination: true,
        SubnetId: request.subnetId,
        Groups: request.securityGroupIds,
      },
    ],
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tagList(request.tags) },
      { ResourceType: 'volume', Tags: tagList(volumeLaunchTags(request.tags)) },
    ],
  };
  if (request.userData !== '') input.UserData = Buffer.from(request.userData, 'utf8').toString('base64');
  if (request.hibernation) input.HibernationOptions = { Configured: true };
  if (request.availabilityZone !== undefined) input.Placement = { AvailabilityZone: request.availabilityZone };
  // `--instance-profile` (the deployment's) overrides the spec's.
  const instanceProfile = options.instanceProfile ?? request.instanceProfile;
  if (instanceProfile !== undefined) input.IamInstanceProfile = { Name: instanceProfile };
  if (request.spot) {
    input.InstanceMarketOptions = {
      MarketType: 'spot',
      // Persistent with stop/hibernate: a workstation's disks survive an interruption.
      SpotOptions: {
        SpotInstanceType: 'persistent',
        InstanceInterruptionBehavior: request.hibernation ? 'hibernate' : 'stop',
      },
    };
  }
  return input;
}

/**
 * The CopyImage input (called in the destination Region), encrypted, idempotent by token, the
 * new AMI and every new snapshot of it tagged at creation with the same tags (as CreateImage
 * tags an image and its snapshots): a copy's snapshots are never left untagged, unowned.
 */
export function copyImageInput(request: CopyImageRequest): CopyImageCommandInput {
  const tags = tagList(request.tags);
  return {
    SourceRegion: request.sourceRegion,
    SourceImageId: request.sourceImageId,
    Name: request.name,
    ClientToken: request.clientToken,
    Encrypted: true,
    TagSpecifications: [
      { ResourceType: 'image', Tags: tags },
      { ResourceType: 'snapshot', Tags: tags },
    ],
  };
}
