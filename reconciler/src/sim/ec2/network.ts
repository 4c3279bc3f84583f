/**
 * DescribeVpcs, DescribeSubnets and DescribeSecurityGroups over the Region's default VPC
 * (default-vpc.ts): ids, the filters AWS documents for what a default network is
 * (`is-default`, `vpc-id`, `default-for-az`, `availability-zone`, `group-name` …, with their
 * camel-case aliases), `MaxResults`/`NextToken`, and EC2's NotFound errors for unknown ids.
 */
import type { SimContext } from '../core/contract.js';
import { defaultVpcOf, DEFAULT_VPC_CIDR } from './default-vpc.js';
import type { SimDefaultVpc, SimSubnet } from './default-vpc.js';
import { checkFilterNames, compileFilters, filterPredicate, tagFilterValues } from './filters.js';
import { checkId, coercedStringList, idsWithoutMaxResults, notFound, pageRequest, takePage } from './input.js';
import type { IdKind } from './input.js';

/** Addresses of a /20 AWS leaves free: 4,096 less the 5 it reserves in every subnet. */
const SUBNET_FREE_ADDRESSES = 4091;

function flag(value: boolean): string[] {
  return [String(value)];
}

function vpcValues(vpc: SimDefaultVpc, name: string): readonly (string | undefined)[] | undefined {
  switch (name) {
    case 'is-default':
    case 'isDefault':
      return flag(true);
    case 'vpc-id':
      return [vpc.vpcId];
    case 'cidr':
    case 'cidr-block':
    case 'cidrBlock':
    case 'cidr-block-association.cidr-block':
      return [DEFAULT_VPC_CIDR];
    case 'state':
      return ['available'];
    case 'owner-id':
      return [vpc.ownerId];
  }
  return tagFilterValues({}, name);
}

function subnetValues(
  vpc: SimDefaultVpc,
  subnet: SimSubnet,
  name: string,
): readonly (string | undefined)[] | undefined {
  switch (name) {
    case 'default-for-az':
    case 'defaultForAz':
    case 'map-public-ip-on-launch':
      return flag(true);
    case 'vpc-id':
      return [subnet.vpcId];
    case 'subnet-id':
      return [subnet.id];
    case 'availability-zone':
    case 'availabilityZone':
      return [subnet.az];
    case 'cidr':
    case 'cidr-block':
    case 'cidrBlock':
      return [subnet.cidr];
    case 'state':
      return ['available'];
    case 'owner-id':
      return [vpc.ownerId];
  }
  return tagFilterValues({}, name);
}

function groupValues(vpc: SimDefaultVpc, name: string): readonly (string | undefined)[] | undefined {
  switch (name) {
    case 'group-name':
      return ['default'];
    case 'group-id':
      return [vpc.securityGroupId];
    case 'vpc-id':
      return [vpc.vpcId];
    case 'description':
      return ['default VPC security group'];
    case 'owner-id':
      return [vpc.ownerId];
  }
  return tagFilterValues({}, name);
}

const VPC_FILTERS = new Set([
  'is-default',
  'isDefault',
  'vpc-id',
  'cidr',
  'cidr-block',
  'cidrBlock',
  'cidr-block-association.cidr-block',
  'state',
  'owner-id',
]);
const SUBNET_FILTERS = new Set([
  'default-for-az',
  'defaultForAz',
  'map-public-ip-on-launch',
  'vpc-id',
  'subnet-id',
  'availability-zone',
  'availabilityZone',
  'cidr',
  'cidr-block',
  'cidrBlock',
  'state',
  'owner-id',
]);
const GROUP_FILTERS = new Set(['group-name', 'group-id', 'vpc-id', 'description', 'owner-id']);

/**
 * The resources a describe call shows: those its ids name (every id checked and found, else
 * EC2's Malformed / NotFound error), or all of them, then filtered and paged.
 */
function describe<T extends { seq: number; id: string }>(
  input: Record<string, unknown>,
  request: { ids: string; kind: IdKind; set: string; known: ReadonlySet<string> },
  all: T[],
  values: (item: T, name: string) => readonly (string | undefined)[] | undefined,
): { items: T[]; nextToken?: string } {
  const ids = coercedStringList(input, request.ids);
  idsWithoutMaxResults(input, ids, request.set);
  const page = pageRequest(input, 5, 1000);
  const filters = compileFilters(input);
  checkFilterNames(filters, request.known);
  let source = all;
  if (ids.length > 0) {
    for (const id of ids) checkId(request.kind, id);
    const missing = ids.filter((id) => !all.some((item) => item.id === id));
    if (missing.length > 0) throw notFound(request.kind, missing);
    source = all.filter((item) => ids.includes(item.id));
  }
  return takePage(source, page, filterPredicate(filters, values));
}

/** The DescribeVpcs handler: the Region's default VPC, when it has one (no other VPC exists in the sim). */
export function describeVpcs(input: Record<string, unknown>, ctx: SimContext): unknown {
  const vpc = defaultVpcOf(ctx, ctx.region);
  const all = vpc === undefined ? [] : [{ seq: 0, id: vpc.vpcId, vpc }];
  const page = describe(input, { ids: 'VpcIds', kind: 'vpc', set: 'vpcSet', known: VPC_FILTERS }, all, (item, name) =>
    vpcValues(item.vpc, name),
  );
  return {
    Vpcs: page.items.map(({ vpc: v }) => ({
      VpcId: v.vpcId,
      OwnerId: v.ownerId,
      CidrBlock: DEFAULT_VPC_CIDR,
      CidrBlockAssociationSet: [
        {
          AssociationId: `vpc-cidr-assoc-0${v.vpcId.slice(5)}`,
          CidrBlock: DEFAULT_VPC_CIDR,
          CidrBlockState: { State: 'associated' },
        },
      ],
      State: 'available',
      InstanceTenancy: 'default',
      IsDefault: true,
    })),
    NextToken: page.nextToken,
  };
}

/** The DescribeSubnets handler: the default VPC's default subnets, one per Availability Zone. */
export function describeSubnets(input: Record<string, unknown>, ctx: SimContext): unknown {
  const vpc = defaultVpcOf(ctx, ctx.region);
  const all = vpc?.subnets ?? [];
  const page = describe(
    input,
    { ids: 'SubnetIds', kind: 'subnet', set: 'subnetSet', known: SUBNET_FILTERS },
    all,
    (subnet, name) => (vpc === undefined ? undefined : subnetValues(vpc, subnet, name)),
  );
  return {
    Subnets: page.items.map((s) => ({
      SubnetId: s.id,
      SubnetArn: `arn:aws:ec2:${ctx.region}:${ctx.config.accountId}:subnet/${s.id}`,
      VpcId: s.vpcId,
      OwnerId: ctx.config.accountId,
      AvailabilityZone: s.az,
      AvailabilityZoneId: `${ctx.region.replace(/-/g, '').slice(0, 4)}-az${s.seq + 1}`,
      CidrBlock: s.cidr,
      AvailableIpAddressCount: SUBNET_FREE_ADDRESSES,
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      State: 'available',
    })),
    NextToken: page.nextToken,
  };
}

/** The DescribeSecurityGroups handler: the default VPC's `default` group. */
export function describeSecurityGroups(input: Record<string, unknown>, ctx: SimContext): unknown {
  const vpc = defaultVpcOf(ctx, ctx.region);
  const all = vpc === undefined ? [] : [{ seq: 0, id: vpc.securityGroupId, vpc }];
  // GroupNames name groups of the default VPC; its only one here is `default`.
  const missing = coercedStringList(input, 'GroupNames').filter((n) => n !== 'default' || all.length === 0);
  if (missing.length > 0) throw notFound('securityGroup', missing);
  const page = describe(
    input,
    { ids: 'GroupIds', kind: 'securityGroup', set: 'groupIdSet', known: GROUP_FILTERS },
    all,
    (item, name) => groupValues(item.vpc, name),
  );
  return {
    SecurityGroups: page.items.map(({ vpc: v }) => ({
      GroupId: v.securityGroupId,
      GroupName: 'default',
      Description: 'default VPC security group',
      VpcId: v.vpcId,
      OwnerId: v.ownerId,
      SecurityGroupArn: `arn:aws:ec2:${ctx.region}:${v.ownerId}:security-group/${v.securityGroupId}`,
    })),
    NextToken: page.nextToken,
  };
}
