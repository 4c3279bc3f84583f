import { describe, expect, it } from 'vitest';
import { copyImageInput, runInstancesInput } from '../../../reconciler/src/aws/ec2-launch.js';
import { dataDevices } from '../../../reconciler/src/model/launch.js';
import type { LaunchRequest } from '../../../reconciler/src/model/launch.js';

const BASE: LaunchRequest = {
  region: 'us-east-1',
  imageId: 'ami-0123456789abcdef0',
  instanceType: 'm6i.large',
  userData: '#cloud-config\n',
  rootGiB: 30,
  volumes: [{ name: 'data', sizeGiB: 100, type: 'gp3', iops: 4000 }],
  hibernation: false,
  spot: false,
  tags: { 'labops:repo': 'lab/neuro', 'labops:name': 'alice', 'labops:desired-state': 'running' },
  clientToken: 'labops-abc',
};

describe('runInstancesInput', () => {
  it('asks for one instance with the token, encrypted disks, IMDSv2, no public IP and tags on instance and volumes', () => {
    const input = runInstancesInput(BASE, { rootDeviceName: '/dev/xvda' });

    expect(input).toEqual({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
      ClientToken: 'labops-abc',
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { VolumeSize: 30, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
        },
        {
          DeviceName: '/dev/sdf',
          Ebs: {
            VolumeSize: 100,
            VolumeType: 'gp3',
            Iops: 4000,
            Throughput: undefined,
            Encrypted: true,
            DeleteOnTermination: false,
          },
        },
      ],
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          AssociatePublicIpAddress: false,
          DeleteOnTermination: true,
          SubnetId: undefined,
          Groups: undefined,
        },
      ],
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'labops:desired-state', Value: 'running' },
            { Key: 'labops:name', Value: 'alice' },
            { Key: 'labops:repo', Value: 'lab/neuro' },
          ],
        },
        {
          ResourceType: 'volume',
          Tags: [
            { Key: 'labops:name', Value: 'alice' },
            { Key: 'labops:repo', Value: 'lab/neuro' },
          ],
        },
      ],
      UserData: Buffer.from('#cloud-config\n').toString('base64'),
    });
  });

  it.each([
    ['hibernation', { hibernation: true }, {}, { HibernationOptions: { Configured: true } }],
    ['a zone', { availabilityZone: 'us-east-1b' }, {}, { Placement: { AvailabilityZone: 'us-east-1b' } }],
    ['an instance profile', {}, { instanceProfile: 'labops-ssm' }, { IamInstanceProfile: { Name: 'labops-ssm' } }],
    [
      'spot',
      { spot: true },
      {},
      {
        InstanceMarketOptions: {
          MarketType: 'spot',
          SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' },
        },
      },
    ],
    [
      'spot with hibernation',
      { spot: true, hibernation: true },
      {},
      {
        InstanceMarketOptions: {
          MarketType: 'spot',
          SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'hibernate' },
        },
      },
    ],
  ])('adds %s', (_name, request, options, expected) => {
    const input = runInstancesInput({ ...BASE, ...request }, { rootDeviceName: '/dev/sda1', ...options });

    expect(input).toMatchObject(expected);
  });

  it('puts the network on the interface and a public IP only when asked', () => {
    const input = runInstancesInput(
      { ...BASE, subnetId: 'subnet-1', securityGroupIds: ['sg-1'] },
      { rootDeviceName: '/dev/xvda', publicIp: true },
    );

    expect(input.NetworkInterfaces).toEqual([
      {
        DeviceIndex: 0,
        AssociatePublicIpAddress: true,
        DeleteOnTermination: true,
        SubnetId: 'subnet-1',
        Groups: ['sg-1'],
      },
    ]);
  });

  it('leaves out empty user data', () => {
    expect(runInstancesInput({ ...BASE, userData: '' }, { rootDeviceName: '/dev/xvda' }).UserData).toBeUndefined();
  });

  it('is byte-identical for the same request (so the ClientToken replays)', () => {
    expect(JSON.stringify(runInstancesInput(BASE, { rootDeviceName: '/dev/xvda' }))).toBe(
      JSON.stringify(runInstancesInput({ ...BASE }, { rootDeviceName: '/dev/xvda' })),
    );
  });
});

describe('dataDevices', () => {
  it.each([
    [2, [], ['/dev/sdf', '/dev/sdg']],
    [2, ['/dev/sdf'], ['/dev/sdg', '/dev/sdh']],
    [0, ['/dev/sdf'], []],
  ])('%i volumes avoiding %j get %j', (count, reserved, expected) => {
    expect(dataDevices(count, reserved)).toEqual(expected);
  });

  it('refuses more volumes than device names', () => {
    expect(() => dataDevices(12)).toThrow(RangeError);
  });
});

describe('copyImageInput', () => {
  it('copies encrypted, with the token, tagging the new AMI and its new snapshots', () => {
    const input = copyImageInput({
      sourceRegion: 'us-east-1',
      sourceImageId: 'ami-1',
      region: 'eu-west-1',
      name: 'env-1',
      clientToken: 'copy-1',
      tags: { 'labops:repo': 'lab/neuro' },
    });

    expect(input).toEqual({
      SourceRegion: 'us-east-1',
      SourceImageId: 'ami-1',
      Name: 'env-1',
      ClientToken: 'copy-1',
      Encrypted: true,
      TagSpecifications: [
        { ResourceType: 'image', Tags: [{ Key: 'labops:repo', Value: 'lab/neuro' }] },
        { ResourceType: 'snapshot', Tags: [{ Key: 'labops:repo', Value: 'lab/neuro' }] },
      ],
    });
  });
});
