/**
 * Reading a Region's default network (model/network.ts): DescribeVpcs filtered on `is-default`,
 * then, only when there is a default VPC, DescribeSubnets (`vpc-id`, `default-for-az`) and
 * DescribeSecurityGroups (`vpc-id`, `group-name` = `default`) side by side — at most one call
 * per operation. A Region has a few Availability Zones, so one page of each answers in full; a
 * NextToken is still followed rather than dropping subnets.
 */
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, Subnet } from '@aws-sdk/client-ec2';
import type { DefaultNetwork } from '../model/network.js';
import { compareText } from '../model/problem.js';
import { awsCall } from './errors.js';

async function defaultSubnets(client: EC2Client, region: string, vpcId: string): Promise<Subnet[]> {
  const out: Subnet[] = [];
  let token: string | undefined;
  do {
    const command = new DescribeSubnetsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default-for-az', Values: ['true'] },
      ],
      ...(token === undefined ? {} : { NextToken: token }),
    });
    const page = await awsCall('DescribeSubnets', `${region}/${vpcId}`, () => client.send(command));
    out.push(...(page.Subnets ?? []));
    token = page.NextToken === '' ? undefined : page.NextToken;
  } while (token !== undefined);
  return out;
}

/**
 * The default network of `region`, or null when the Region has no default VPC (its owner deleted it).
 * @throws {AwsError} when a call fails
 */
export async function readDefaultNetwork(client: EC2Client, region: string): Promise<DefaultNetwork | null> {
  const vpcs = await awsCall('DescribeVpcs', region, () =>
    client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
  );
  const vpcId = vpcs.Vpcs?.find((v) => v.IsDefault === true && v.VpcId !== undefined)?.VpcId;
  if (vpcId === undefined) return null;
  const [subnets, groups] = await Promise.all([
    defaultSubnets(client, region, vpcId),
    awsCall('DescribeSecurityGroups', `${region}/${vpcId}`, () =>
      client.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'group-name', Values: ['default'] },
          ],
        }),
      ),
    ),
  ]);
  const securityGroupId = groups.SecurityGroups?.find((g) => g.GroupName === 'default')?.GroupId;
  return {
    region,
    vpcId,
    subnets: subnets
      .flatMap((s) =>
        s.SubnetId === undefined ? [] : [{ subnetId: s.SubnetId, availabilityZone: s.AvailabilityZone ?? '' }],
      )
      .sort((a, b) => compareText(a.availabilityZone, b.availabilityZone) || compareText(a.subnetId, b.subnetId)),
    ...(securityGroupId === undefined ? {} : { securityGroupId }),
  };
}
