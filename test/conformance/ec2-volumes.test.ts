/**
 * EBS volume and snapshot-listing behaviours `labops sim` promises, each beside the AWS
 * documentation it comes from, checked with the real @aws-sdk/client-ec2 against the sim:
 * AttachVolume and DetachVolume rules, CreateVolume tags at creation, and the per-call
 * pagination limits of DescribeVolumes and DescribeSnapshots.
 */
import { AttachVolumeCommand, CreateSnapshotCommand, CreateVolumeCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, DetachVolumeCommand, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { Instance } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { conformanceSim, outcome, ubuntuImage } from '../support/conformance.js';

const aws = conformanceSim();
let ubuntu: string;

beforeEach(async () => {
  ubuntu = await ubuntuImage(aws.ec2);
});

/** A running (or, when asked, stopped) instance in us-east-1a. */
async function instance(stopped = false, count = 1): Promise<Instance> {
  const out = await aws.ec2.send(new RunInstancesCommand({ ImageId: ubuntu, InstanceType: 'm6i.large', MinCount: count, MaxCount: count, Placement: { AvailabilityZone: 'us-east-1a' } }));
  const id = out.Instances?.[0]?.InstanceId ?? '';
  await aws.sim.control.advance('5m');
  if (stopped) {
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await aws.sim.control.advance('2m');
  }
  const described = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return described.Reservations?.[0]?.Instances?.[0] ?? {};
}

/** A new, available 10 GiB volume in `az`. */
async function volume(az = 'us-east-1a'): Promise<string> {
  const out = await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 10, VolumeType: 'gp3' }));
  await aws.sim.control.advance('1m');
  return out.VolumeId ?? '';
}

async function volumeState(id: string): Promise<string | undefined> {
  const out = await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
  return out.Volumes?.[0]?.State;
}

describe('AttachVolume', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachVolume.html (VolumeId)
  // "The ID of the EBS volume. The volume and instance must be within the same Availability Zone."
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "InvalidVolume.ZoneMismatch: The specified volume is not in the same Availability Zone as the
  // specified instance. You can only attach an Amazon EBS volume to an instance if they are in the same
  // Availability Zone."
  it.each([
    ['the same Availability Zone', 'us-east-1a', 'accepted'],
    ['another Availability Zone', 'us-east-1b', 'InvalidVolume.ZoneMismatch'],
  ])('a volume in %s: %s', async (_label, az, expected) => {
    const inst = await instance();
    const vol = await volume(az);

    const result = await outcome(aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: '/dev/sdf' })));

    expect(result).toBe(expected);
    expect(await volumeState(vol)).toBe(expected === 'accepted' ? 'in-use' : 'available');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachVolume.html
  // "Attaches an Amazon EBS volume to a running or stopped instance"
  it.each([
    [false, 'running'],
    [true, 'stopped'],
  ])('attaches to a %s instance', async (stopped) => {
    const inst = await instance(stopped);
    const vol = await volume();

    const result = await outcome(aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: '/dev/sdf' })));

    expect(result).toBe('accepted');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "VolumeInUse: The specified Amazon EBS volume is attached to an instance. Ensure that the specified
  // volume is in an ‘available’ state."
  it('a volume already attached: VolumeInUse', async () => {
    const first = await instance();
    const second = await instance();
    const vol = await volume();
    await aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: first.InstanceId, Device: '/dev/sdf' }));
    await aws.sim.control.advance('1m');

    const result = await outcome(aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: second.InstanceId, Device: '/dev/sdg' })));

    expect(result).toBe('VolumeInUse');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "InvalidDevice.InUse: The device to which you are trying to attach (for example, /dev/sdh) is already
  // in use on the instance."
  // EC2 itself answers this case with InvalidParameterValue ("Invalid value '/dev/sda1' for unixDevice.
  // Attachment point /dev/sda1 is already in use"), which the sim follows; either code is the rule.
  it('a device name already in use on the instance is refused and the volume stays available', async () => {
    const inst = await instance();
    const vol = await volume();

    const result = await outcome(aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: inst.RootDeviceName })));

    expect(['InvalidDevice.InUse', 'InvalidParameterValue']).toContain(result);
    expect(await volumeState(vol)).toBe('available');
  });
});

describe('DetachVolume of a root device', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachVolume.html
  // "If an EBS volume is the root device of an instance, it can't be detached while the instance is
  // running. To detach the root volume, stop the instance first."
  it.each([
    [false, 'IncorrectState'],
    [true, 'accepted'],
  ])('instance stopped: %s → %s', async (stopped, expected) => {
    const inst = await instance(stopped);
    const root = inst.BlockDeviceMappings?.find((m) => m.DeviceName === inst.RootDeviceName)?.Ebs?.VolumeId ?? '';

    const result = await outcome(aws.ec2.send(new DetachVolumeCommand({ VolumeId: root })));

    expect(result).toBe(expected);
  });
});

describe('CreateVolume: tags at creation', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html (TagSpecification.N)
  // "The tags to apply to the volume during creation."
  it('tags the volume with its TagSpecifications', async () => {
    const tags = [{ Key: 'labops:repo', Value: 'lab/neuro' }, { Key: 'labops:workstation', Value: 'alice' }];

    const out = await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, TagSpecifications: [{ ResourceType: 'volume', Tags: tags }] }));

    expect(out.Tags).toEqual(tags);
    const described = await aws.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:labops:workstation', Values: ['alice'] }] }));
    expect(described.Volumes?.map((v) => v.VolumeId)).toEqual([out.VolumeId]);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html
  // "If tags cannot be applied during resource creation, we roll back the resource creation process."
  it('a tag specification for another resource type is refused and no volume is created', async () => {
    const result = await outcome(aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }] })));

    expect(result).toBe('InvalidParameterValue');
    const described = await aws.ec2.send(new DescribeVolumesCommand({}));
    expect(described.Volumes ?? []).toEqual([]);
  });
});

describe('Pagination limits per call', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html (MaxResults, API
  // version 2016-11-15 text): "This value can be between 5 and 500; if you specify a value larger than
  // 500, only 500 items are returned. If this parameter is not used, then all items are returned. You
  // cannot specify this parameter and the volume IDs parameter in the same request."
  it.each([
    [4, 'InvalidParameterValue'],
    [5, 'accepted'],
    [500, 'accepted'],
    [1000, 'accepted'],
  ])('DescribeVolumes MaxResults %i: %s', async (maxResults, expected) => {
    await volume();

    const result = await outcome(aws.ec2.send(new DescribeVolumesCommand({ MaxResults: maxResults })));

    expect(result).toBe(expected);
  });

  it('DescribeVolumes MaxResults above 500 returns 500 volumes and a NextToken for the rest', async () => {
    await aws.ec2.send(new RunInstancesCommand({ ImageId: ubuntu, InstanceType: 't3.medium', MinCount: 501, MaxCount: 501 }));

    const first = await aws.ec2.send(new DescribeVolumesCommand({ MaxResults: 1000 }));
    const rest = await aws.ec2.send(new DescribeVolumesCommand({ MaxResults: 1000, NextToken: first.NextToken }));

    expect(first.Volumes?.length).toBe(500);
    expect(rest.Volumes?.length).toBe(1);
    expect(rest.NextToken).toBeUndefined();
  });

  it('DescribeVolumes MaxResults together with VolumeIds: InvalidParameterCombination', async () => {
    const vol = await volume();

    const result = await outcome(aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [vol], MaxResults: 5 })));

    expect(result).toBe('InvalidParameterCombination');
  });

  it('DescribeVolumes NextToken round-trips: pages of at most MaxResults cover every volume once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 11; i += 1) ids.push((await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }))).VolumeId ?? '');

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await aws.ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token }));
      pages.push((out.Volumes ?? []).map((v) => v.VolumeId ?? ''));
      token = out.NextToken;
    } while (token !== undefined);

    expect(pages.map((p) => p.length)).toEqual([5, 5, 1]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html (MaxResults, API
  // version 2016-11-15 text): "This value can be between 5 and 1,000; if this value is larger than 1,000,
  // only 1,000 results are returned."
  it.each([
    [4, 'InvalidParameterValue'],
    [5, 'accepted'],
    [1000, 'accepted'],
  ])('DescribeSnapshots MaxResults %i: %s', async (maxResults, expected) => {
    const result = await outcome(aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: maxResults })));

    expect(result).toBe(expected);
  });

  it('DescribeSnapshots NextToken round-trips: pages of at most MaxResults cover every snapshot once', async () => {
    const vol = await volume();
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId ?? '');

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5, NextToken: token }));
      pages.push((out.Snapshots ?? []).map((s) => s.SnapshotId ?? ''));
      token = out.NextToken;
    } while (token !== undefined);

    expect(pages.map((p) => p.length)).toEqual([5, 2]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
  });
});
