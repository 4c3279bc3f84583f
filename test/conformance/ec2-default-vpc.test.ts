/**
 * The default VPC `labops sim` gives every Region, each fact beside the AWS documentation it comes
 * from, checked with the real @aws-sdk/client-ec2: DescribeVpcs, DescribeSubnets and
 * DescribeSecurityGroups, the filters labops uses (`is-default`, `vpc-id`, `default-for-az`,
 * `group-name`), ids distinct per Region and stable across a restart, a launch without a subnet
 * landing in a default subnet, and a Region whose default VPC was deleted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { amazonImage, answer, conformanceSim } from '../support/conformance.js';
import { startTestSim } from '../support/sim.js';

const aws = conformanceSim();

/** The default VPC, its default subnets and its `default` group, as a client in one Region sees them. */
async function defaults(ec2: EC2Client): Promise<{ vpcId: string; subnets: string[]; groupId: string }> {
  const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs?.[0]?.VpcId ?? '';
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default-for-az', Values: ['true'] },
      ],
    }),
  );
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['default'] },
      ],
    }),
  );
  return {
    vpcId,
    subnets: (subnets.Subnets ?? []).map((s) => s.SubnetId ?? ''),
    groupId: groups.SecurityGroups?.[0]?.GroupId ?? '',
  };
}

async function removeDefaultVpc(region: string): Promise<void> {
  const res = await aws.sim.control.request('POST', 'default-vpc', { region, present: false });
  expect(res.status).toBe(200);
}

describe('the default VPC of a Region', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDefaultVpc.html
  // "Creates a default VPC with a size /16 IPv4 CIDR block and a default subnet in each Availability Zone."
  // https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html (default VPC components)
  // "Create a VPC with a size /16 IPv4 CIDR block (172.31.0.0/16)."
  it('is one available VPC of 172.31.0.0/16 marked IsDefault', async () => {
    const out = await aws.ec2.send(new DescribeVpcsCommand({}));

    expect(out.Vpcs).toEqual([
      expect.objectContaining({
        CidrBlock: '172.31.0.0/16',
        IsDefault: true,
        State: 'available',
        OwnerId: '123456789012',
        VpcId: expect.stringMatching(/^vpc-0[0-9a-f]{16}$/),
      }),
    ]);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDefaultSubnet.html
  // "Creates a default subnet with a size /20 IPv4 CIDR block in the specified Availability Zone in
  // your default VPC. You can have only one default subnet per Availability Zone."
  // default-vpc.html: "Create a size /20 default subnet in each Availability Zone." and
  // "Configure the default subnet to assign public IPv4 addresses to instances launched in it."
  it('has one /20 default subnet in each Availability Zone, public IPv4 on launch', async () => {
    const out = await aws.ec2.send(new DescribeSubnetsCommand({}));
    const subnets = out.Subnets ?? [];

    expect(subnets.map((s) => s.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(subnets.map((s) => s.CidrBlock)).toEqual(['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20']);
    for (const subnet of subnets) {
      expect(subnet).toEqual(
        expect.objectContaining({ DefaultForAz: true, MapPublicIpOnLaunch: true, State: 'available' }),
      );
    }
    expect(new Set(subnets.map((s) => s.VpcId)).size).toBe(1);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
  // "You have a default security group for use in your VPC. If you don't specify a security group
  // when you launch an instance, the instance is launched into the appropriate default security group."
  it('has a security group named default in the VPC', async () => {
    const vpcId = (await aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId;

    const out = await aws.ec2.send(new DescribeSecurityGroupsCommand({}));

    expect(out.SecurityGroups).toEqual([
      expect.objectContaining({
        GroupName: 'default',
        VpcId: vpcId,
        GroupId: expect.stringMatching(/^sg-0[0-9a-f]{16}$/),
      }),
    ]);
  });

  // RunInstances SubnetId: "If you don't specify a subnet ID, we choose a default subnet from your
  // default VPC for you." and the default security group (above).
  it('takes a launch without a subnet: a default subnet and the default group', async () => {
    const network = await defaults(aws.ec2);

    const out = await aws.ec2.send(
      new RunInstancesCommand({
        ImageId: await amazonImage(aws.ec2),
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
      }),
    );

    const instance = out.Instances?.[0];
    expect(network.subnets).toContain(instance?.SubnetId);
    expect(instance?.VpcId).toBe(network.vpcId);
    expect(instance?.SecurityGroups?.map((g) => g.GroupId)).toEqual([network.groupId]);
  });
});

describe('filters on the default network', () => {
  // DescribeVpcs filters: "is-default - Indicates whether the VPC is the default VPC."
  // DescribeSubnets filters: "default-for-az - Indicates whether this is the default subnet for the
  // Availability Zone (true | false). You can also use defaultForAz as the filter name."
  // "vpc-id - The ID of the VPC for the subnet." DescribeSecurityGroups filters:
  // "group-name - The name of the security group." "vpc-id - The ID of the VPC specified when the
  // security group was created."
  it.each([
    ['DescribeVpcs is-default=true', 'vpcs', 'is-default', ['true'], 1],
    ['DescribeVpcs is-default=false', 'vpcs', 'is-default', ['false'], 0],
    ['DescribeVpcs isDefault=true', 'vpcs', 'isDefault', ['true'], 1],
    ['DescribeVpcs vpc-id of another VPC', 'vpcs', 'vpc-id', ['vpc-0123456789abcdef0'], 0],
    ['DescribeSubnets default-for-az=true', 'subnets', 'default-for-az', ['true'], 3],
    ['DescribeSubnets defaultForAz=false', 'subnets', 'defaultForAz', ['false'], 0],
    ['DescribeSubnets availability-zone', 'subnets', 'availability-zone', ['us-east-1b'], 1],
    ['DescribeSubnets vpc-id of another VPC', 'subnets', 'vpc-id', ['vpc-0123456789abcdef0'], 0],
    ['DescribeSecurityGroups group-name=default', 'groups', 'group-name', ['default'], 1],
    ['DescribeSecurityGroups group-name=web', 'groups', 'group-name', ['web'], 0],
    ['DescribeSecurityGroups group-name wildcard', 'groups', 'group-name', ['def*'], 1],
  ] as const)('%s', async (_name, call, filter, values, count) => {
    const Filters = [{ Name: filter, Values: [...values] }];

    const found =
      call === 'vpcs'
        ? (await aws.ec2.send(new DescribeVpcsCommand({ Filters }))).Vpcs
        : call === 'subnets'
          ? (await aws.ec2.send(new DescribeSubnetsCommand({ Filters }))).Subnets
          : (await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters }))).SecurityGroups;

    expect(found ?? []).toHaveLength(count);
  });

  it('matches the subnets and the group of the default VPC by vpc-id', async () => {
    const network = await defaults(aws.ec2);

    expect(network.subnets).toHaveLength(3);
    expect(network.groupId).toMatch(/^sg-/);
  });

  // "If you specify a filter name that is not valid, you receive an error" (EC2 filtering): InvalidParameterValue.
  it.each([
    ['DescribeVpcs', () => aws.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'no-such', Values: ['x'] }] }))],
    [
      'DescribeSubnets',
      () => aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'no-such', Values: ['x'] }] })),
    ],
    [
      'DescribeSecurityGroups',
      () => aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'no-such', Values: ['x'] }] })),
    ],
  ])('%s refuses an unknown filter name', async (_name, call) => {
    expect((await answer(call())).name).toBe('InvalidParameterValue');
  });

  it.each([
    [
      'DescribeVpcs',
      () => aws.ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })),
      'InvalidVpcID.NotFound',
    ],
    [
      'DescribeSubnets',
      () => aws.ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })),
      'InvalidSubnetID.NotFound',
    ],
    [
      'DescribeSecurityGroups',
      () => aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })),
      'InvalidGroup.NotFound',
    ],
    [
      'DescribeSecurityGroups by name',
      () => aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['web'] })),
      'InvalidGroup.NotFound',
    ],
  ])('%s of an id that does not exist: %s', async (_name, call, code) => {
    expect((await answer(call())).name).toBe(code);
  });
});

describe('ids', () => {
  // "You cannot have more than one default VPC per Region": each Region has its own.
  it('differ per Region', async () => {
    const east = await defaults(aws.sim.ec2('us-east-1'));

    const west = await defaults(aws.sim.ec2('eu-west-1'));

    expect(west.vpcId).not.toBe(east.vpcId);
    expect(west.groupId).not.toBe(east.groupId);
    expect(west.subnets.filter((s) => east.subnets.includes(s))).toEqual([]);
    const zones = await aws.sim.ec2('eu-west-1').send(new DescribeSubnetsCommand({}));
    expect(zones.Subnets?.map((s) => s.AvailabilityZone)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('are the same after a restart of a persisted simulator, whatever its seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'labops-vpc-'));
    try {
      const first = await startTestSim({ state: join(dir, 'state.json'), log: () => {} });
      const before = await defaults(first.ec2('us-west-2'));
      await first.close();

      const second = await startTestSim({ state: join(dir, 'state.json'), seed: 7, log: () => {} });
      const after = await defaults(second.ec2('us-west-2'));
      await second.close();

      expect(after).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a Region whose default VPC was deleted', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDefaultVpc.html
  // "If you deleted your previous default VPC, you can create a default VPC."
  it('lists no default VPC, subnet or group there, and keeps the other Regions', async () => {
    await removeDefaultVpc('eu-west-1');

    const west = aws.sim.ec2('eu-west-1');
    const vpcs = await west.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const subnets = await west.send(new DescribeSubnetsCommand({}));
    const groups = await west.send(new DescribeSecurityGroupsCommand({}));

    expect(vpcs.Vpcs ?? []).toEqual([]);
    expect(subnets.Subnets ?? []).toEqual([]);
    expect(groups.SecurityGroups ?? []).toEqual([]);
    expect((await defaults(aws.ec2)).subnets).toHaveLength(3);
  });

  // RunInstances SubnetId: "If you don't have a default VPC, you must specify a subnet ID in the request."
  it('refuses a launch without a subnet there', async () => {
    await removeDefaultVpc('us-east-1');

    const result = await answer(
      aws.ec2.send(
        new RunInstancesCommand({
          ImageId: await amazonImage(aws.ec2),
          InstanceType: 'm6i.large',
          MinCount: 1,
          MaxCount: 1,
        }),
      ),
    );

    expect(result.name).toBe('VPCIdNotSpecified');
  });

  it('comes back with the same ids', async () => {
    const before = await defaults(aws.ec2);
    await removeDefaultVpc('us-east-1');

    await aws.sim.control.request('POST', 'default-vpc', { region: 'us-east-1', present: true });

    expect(await defaults(aws.ec2)).toEqual(before);
  });
});
