/**
 * EBS volume and snapshot-listing behaviours `labops sim` promises, each beside the AWS
 * documentation it comes from, checked with the real @aws-sdk/client-ec2 against the sim:
 * AttachVolume and DetachVolume rules, CreateVolume tags at creation, and the per-call
 * pagination limits of DescribeVolumes and DescribeSnapshots.
 */
import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Instance } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { answer, conformanceSim, outcome, ubuntuImage } from '../support/conformance.js';

const aws = conformanceSim();
let ubuntu: string;

beforeEach(async () => {
  ubuntu = await ubuntuImage(aws.ec2);
});

/** A running (or, when asked, stopped) instance in us-east-1a. */
async function instance(stopped = false, count = 1): Promise<Instance> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({
      ImageId: ubuntu,
      InstanceType: 'm6i.large',
      MinCount: count,
      MaxCount: count,
      Placement: { AvailabilityZone: 'us-east-1a' },
    }),
  );
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

    const result = await outcome(
      aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: '/dev/sdf' })),
    );

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

    const result = await outcome(
      aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: '/dev/sdf' })),
    );

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

    const result = await outcome(
      aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: second.InstanceId, Device: '/dev/sdg' })),
    );

    expect(result).toBe('VolumeInUse');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
  // "InvalidDevice.InUse: The device to which you are trying to attach (for example, /dev/sdh) is already
  // in use on the instance."
  // That code is listed, but EC2 answers AttachVolume to a device in use with InvalidParameterValue, the
  // same code and wording in every reply users have quoted from it:
  // https://github.com/mantl/mantl/issues/819: message: "Invalid value 'xvdh' for unixDevice. Attachment
  // point xvdh is already in use", code: "InvalidParameterValue"
  // https://github.com/nanovms/ops/pull/1189: "InvalidParameterValue: Invalid value '/dev/sdf' for
  // unixDevice. Attachment point /dev/sdf is already in use"
  // (also rexray/rexray#425, kopeio/etcd-manager#323, thenickdude/snap-to-s3#9). No reply with
  // InvalidDevice.InUse was found, so the sim answers what EC2 answers.
  it.each([
    ['the root device', true],
    ['a data device another volume is attached to', false],
  ])(
    'a device name already in use on the instance (%s): InvalidParameterValue, and the volume stays available',
    async (_label, root) => {
      const inst = await instance();
      const device = root ? (inst.RootDeviceName ?? '') : '/dev/sdf';
      if (!root) {
        await aws.ec2.send(
          new AttachVolumeCommand({ VolumeId: await volume(), InstanceId: inst.InstanceId, Device: device }),
        );
        await aws.sim.control.advance('1m');
      }
      const vol = await volume();

      const result = await answer(
        aws.ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.InstanceId, Device: device })),
      );

      expect(result).toEqual({
        name: 'InvalidParameterValue',
        message: `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
      });
      expect(await volumeState(vol)).toBe('available');
    },
  );
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
    const tags = [
      { Key: 'labops:repo', Value: 'lab/neuro' },
      { Key: 'labops:workstation', Value: 'alice' },
    ];

    const out = await aws.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 10,
        TagSpecifications: [{ ResourceType: 'volume', Tags: tags }],
      }),
    );

    expect(out.Tags).toEqual(tags);
    const described = await aws.ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'tag:labops:workstation', Values: ['alice'] }] }),
    );
    expect(described.Volumes?.map((v) => v.VolumeId)).toEqual([out.VolumeId]);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html
  // "If tags cannot be applied during resource creation, we roll back the resource creation process."
  it('a tag specification for another resource type is refused and no volume is created', async () => {
    const result = await outcome(
      aws.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: 'us-east-1a',
          Size: 10,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }],
        }),
      ),
    );

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
    await aws.ec2.send(
      new RunInstancesCommand({ ImageId: ubuntu, InstanceType: 't3.medium', MinCount: 501, MaxCount: 501 }),
    );

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
    for (let i = 0; i < 11; i += 1)
      ids.push(
        (await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }))).VolumeId ?? '',
      );

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
  // version 2016-11-15 text, as the AWS SDKs carried it until the page moved the range to Pagination):
  // "The maximum number of snapshots to return for this request. This value can be between 5 and 1,000;
  // if this value is larger than 1,000, only 1,000 results are returned. If this parameter is not used,
  // then the request returns all snapshots. You cannot specify this parameter and the snapshot IDs
  // parameter in the same request."
  // (The same sentence, quoted from that page in 2024: https://github.com/aws/aws-sdk-ruby/issues/3028.)
  it.each([
    [0, 'InvalidParameterValue'],
    [4, 'InvalidParameterValue'],
    [5, 'accepted'],
    [1000, 'accepted'],
    [1001, 'accepted'],
    [5000, 'accepted'],
  ])('DescribeSnapshots MaxResults %i: %s', async (maxResults, expected) => {
    const result = await outcome(
      aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: maxResults })),
    );

    expect(result).toBe(expected);
  });

  it('DescribeSnapshots MaxResults above 1,000 returns 1,000 snapshots and a NextToken for the rest', async () => {
    const vol = await volume();
    for (let batch = 0; batch < 11; batch += 1) {
      await Promise.all(
        Array.from({ length: batch < 10 ? 100 : 1 }, () => aws.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))),
      );
    }

    const first = await aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5000 }));
    const rest = await aws.ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5000, NextToken: first.NextToken }),
    );

    expect(first.Snapshots?.length).toBe(1000);
    expect(rest.Snapshots?.length).toBe(1);
    expect(rest.NextToken).toBeUndefined();
  });

  it.each([
    ['SnapshotIds alone', 'accepted', undefined],
    ['SnapshotIds with MaxResults', 'InvalidParameterCombination', 5],
  ])('DescribeSnapshots %s: %s', async (_label, expected, maxResults) => {
    const snapshot = await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: await volume() }));

    const result = await outcome(
      aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshot.SnapshotId ?? ''], MaxResults: maxResults })),
    );

    expect(result).toBe(expected);
  });

  it('DescribeSnapshots NextToken round-trips: pages of at most MaxResults cover every snapshot once', async () => {
    const vol = await volume();
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1)
      ids.push((await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId ?? '');

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await aws.ec2.send(
        new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5, NextToken: token }),
      );
      pages.push((out.Snapshots ?? []).map((s) => s.SnapshotId ?? ''));
      token = out.NextToken;
    } while (token !== undefined);

    expect(pages.map((p) => p.length)).toEqual([5, 2]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
  });
});
