/**
 * The default VPC of every simulated Region, as AWS documents one: a /16 VPC (172.31.0.0/16)
 * marked default, a default subnet (/20, public IPv4 on launch) in each Availability Zone, and the
 * VPC's `default` security group. It is computed, not stored: its ids derive from the account id
 * and the Region (stable across a restart with any seed, distinct per Region). A test may remove it
 * (`POST /_sim/default-vpc {"region": R, "present": false}`), as an account owner may delete it;
 * that choice is the only part kept in the state.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { hexFrom } from '../core/random.js';
import { ec2Of } from './model.js';

/** The Availability Zone letters of every simulated Region (`us-east-1a` … `us-east-1c`). */
export const AZ_LETTERS = ['a', 'b', 'c'] as const;

/** The default VPC's IPv4 block: "a size /16 IPv4 CIDR block (172.31.0.0/16)". */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** One default subnet. */
export interface SimSubnet {
  id: string;
  /** Its place in DescribeSubnets' order (and page tokens). */
  seq: number;
  vpcId: string;
  az: string;
  cidr: string;
}

/** A Region's default VPC with its default subnets and its `default` security group. */
export interface SimDefaultVpc {
  region: string;
  ownerId: string;
  vpcId: string;
  subnets: SimSubnet[];
  securityGroupId: string;
}

/** FNV-1a of a string: the salt that makes ids differ per account and Region. */
function saltOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

function idOf(prefix: 'vpc' | 'subnet' | 'sg', salt: number, role: number): string {
  return `${prefix}-0${hexFrom(salt, role, 16)}`;
}

/** The Regions whose default VPC a test removed (absent in state saved before this existed: none). */
function removedRegions(ctx: SimContext): string[] {
  return ec2Of(ctx.state).withoutDefaultVpc ?? [];
}

/** The default VPC of `region`, or undefined when it was removed. */
export function defaultVpcOf(ctx: SimContext, region: string): SimDefaultVpc | undefined {
  if (removedRegions(ctx).includes(region)) return undefined;
  const salt = saltOf(`${ctx.config.accountId}|${region}`);
  const vpcId = idOf('vpc', salt, 0);
  const subnets = AZ_LETTERS.map((letter, i) => ({
    id: idOf('subnet', salt, 16 + i),
    seq: i,
    vpcId,
    az: `${region}${letter}`,
    cidr: `172.31.${i * 16}.0/20`,
  }));
  return { region, ownerId: ctx.config.accountId, vpcId, subnets, securityGroupId: idOf('sg', salt, 1) };
}

/** The default subnet of an Availability Zone of the request's Region, or undefined without a default VPC. */
export function defaultSubnetOf(ctx: SimContext, az: string): SimSubnet | undefined {
  return defaultVpcOf(ctx, ctx.region)?.subnets.find((s) => s.az === az);
}

/**
 * Control `default-vpc`: `{"region": "eu-west-1", "present": false}` removes that Region's default
 * VPC (DescribeVpcs with `is-default` then finds none; a launch without a subnet fails), `true`
 * brings it back with the same ids.
 * @throws {SimError} `InvalidParameterValue` for a body without a Region or a boolean `present`
 */
export function setDefaultVpc(body: unknown, ctx: SimContext): unknown {
  const { region, present } = (body ?? {}) as Record<string, unknown>;
  if (typeof region !== 'string' || region === '' || typeof present !== 'boolean')
    throw new SimError('InvalidParameterValue', 'default-vpc: expected {"region": "us-east-1", "present": false}');
  const ec2 = ec2Of(ctx.state);
  const others = (ec2.withoutDefaultVpc ?? []).filter((r) => r !== region);
  ec2.withoutDefaultVpc = present ? others : [...others, region].sort();
  return { region, present };
}
