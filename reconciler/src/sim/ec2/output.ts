/**
 * Output shapes of EC2 resources exactly as the SDK models them (the XML encoder walks the
 * SDK's schema, so member names here must be the SDK's).
 */
import type { SimState } from '../core/contract.js';
import { responseTags } from './input.js';
import { ec2Of, STATE_CODES } from './model.js';
import type { Ec2Image, Ec2Instance, Ec2Snapshot, Ec2Volume, InstanceStateName } from './model.js';

/** `{Code, Name}` of a state. */
export function stateOf(name: InstanceStateName): { Code: number; Name: InstanceStateName } {
  return { Code: STATE_CODES[name], Name: name };
}

function dnsName(inst: Ec2Instance): string {
  const suffix = inst.region === 'us-east-1' ? 'ec2.internal' : `${inst.region}.compute.internal`;
  return `ip-${inst.privateIp.replace(/\./g, '-')}.${suffix}`;
}

/** One instance as DescribeInstances shows it. */
export function instanceOutput(inst: Ec2Instance, state: SimState): Record<string, unknown> {
  const volumes = ec2Of(state).volumes;
  return {
    InstanceId: inst.id,
    ImageId: inst.imageId,
    State: stateOf(inst.state),
    PrivateDnsName: dnsName(inst),
    PublicDnsName: inst.publicIp ? `ec2-${inst.publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com` : '',
    StateTransitionReason: inst.stateTransitionReason,
    StateReason: inst.stateReason,
    KeyName: inst.keyName,
    AmiLaunchIndex: inst.amiLaunchIndex,
    InstanceType: inst.instanceType,
    LaunchTime: inst.launchTime,
    Placement: { AvailabilityZone: inst.az, GroupName: '', Tenancy: 'default' },
    Monitoring: { State: 'disabled' },
    SubnetId: inst.subnetId,
    VpcId: inst.vpcId,
    PrivateIpAddress: inst.privateIp,
    PublicIpAddress: inst.publicIp,
    Architecture: inst.architecture,
    RootDeviceType: 'ebs',
    RootDeviceName: inst.rootDeviceName,
    BlockDeviceMappings: inst.blockDevices.map((d) => ({
      DeviceName: d.deviceName,
      Ebs: {
        AttachTime: d.attachTime,
        DeleteOnTermination: d.deleteOnTermination,
        Status: volumes[d.volumeId]?.attachment?.state ?? 'attached',
        VolumeId: d.volumeId,
      },
    })),
    VirtualizationType: 'hvm',
    ClientToken: inst.clientToken ?? '',
    Tags: responseTags(inst.tags),
    InstanceLifecycle: inst.spot ? 'spot' : undefined,
    SpotInstanceRequestId: inst.spot?.requestId,
    SecurityGroups: inst.securityGroupIds.map((id) => ({
      GroupId: id,
      GroupName: id === inst.securityGroupIds[0] ? 'default' : id,
    })),
    Hypervisor: 'xen',
    EbsOptimized: true,
    EnaSupport: true,
    SourceDestCheck: true,
    IamInstanceProfile: inst.iamInstanceProfile
      ? {
          Arn:
            inst.iamInstanceProfile.Arn ??
            `arn:aws:iam::000000000000:instance-profile/${inst.iamInstanceProfile.Name ?? ''}`,
          Id: 'AIPA' + inst.id.slice(2, 19).toUpperCase(),
        }
      : undefined,
    HibernationOptions: { Configured: inst.hibernationConfigured },
    MetadataOptions: {
      State: 'applied',
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      InstanceMetadataTags: 'disabled',
      ...(inst.metadataOptions ?? {}),
    },
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    BootMode: 'uefi-preferred',
    CurrentInstanceBootMode: 'legacy-bios',
  };
}

/** A reservation of instances as RunInstances and DescribeInstances return it. */
export function reservationOutput(
  ownerId: string,
  reservationId: string,
  instances: Ec2Instance[],
  state: SimState,
): Record<string, unknown> {
  return {
    ReservationId: reservationId,
    OwnerId: ownerId,
    Groups: [],
    Instances: instances.map((i) => instanceOutput(i, state)),
  };
}

/** One volume as DescribeVolumes and CreateVolume show it. */
export function volumeOutput(vol: Ec2Volume): Record<string, unknown> {
  const a = vol.attachment;
  return {
    VolumeId: vol.id,
    Size: vol.size,
    SnapshotId: vol.snapshotId ?? '',
    AvailabilityZone: vol.az,
    State: vol.state,
    CreateTime: vol.createTime,
    Attachments: a
      ? [
          {
            AttachTime: a.attachTime,
            Device: a.device,
            InstanceId: a.instanceId,
            State: a.state,
            VolumeId: vol.id,
            DeleteOnTermination: a.deleteOnTermination,
          },
        ]
      : [],
    VolumeType: vol.volumeType,
    Iops: vol.iops,
    Throughput: vol.throughput,
    Encrypted: vol.encrypted,
    MultiAttachEnabled: false,
    Tags: responseTags(vol.tags),
  };
}

/** One snapshot as DescribeSnapshots and CreateSnapshot show it. */
export function snapshotOutput(snap: Ec2Snapshot, ownerId: string): Record<string, unknown> {
  return {
    SnapshotId: snap.id,
    VolumeId: snap.volumeId,
    State: snap.state,
    StartTime: snap.startTime,
    Progress: snap.state === 'completed' ? '100%' : '0%',
    OwnerId: ownerId,
    Description: snap.description,
    VolumeSize: snap.volumeSize,
    Encrypted: snap.encrypted,
    StorageTier: 'standard',
    Tags: responseTags(snap.tags),
  };
}

/** One image as DescribeImages shows it. */
export function imageOutput(image: Ec2Image): Record<string, unknown> {
  return {
    ImageId: image.id,
    ImageLocation: `${image.ownerAlias ?? image.ownerId}/${image.name}`,
    State: image.state,
    OwnerId: image.ownerId,
    CreationDate: image.creationDate,
    Public: image.public,
    Architecture: image.architecture,
    ImageType: 'machine',
    Name: image.name,
    Description: image.description,
    RootDeviceType: 'ebs',
    RootDeviceName: image.rootDeviceName,
    BlockDeviceMappings: image.devices.map((d) => ({
      DeviceName: d.deviceName,
      Ebs: {
        SnapshotId: d.snapshotId,
        VolumeSize: d.volumeSize,
        VolumeType: d.volumeType,
        Encrypted: d.encrypted,
        DeleteOnTermination: d.deleteOnTermination,
      },
    })),
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    ImageOwnerAlias: image.ownerAlias,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    BootMode: 'uefi-preferred',
    Tags: responseTags(image.tags),
  };
}
