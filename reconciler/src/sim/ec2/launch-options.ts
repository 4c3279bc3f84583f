/**
 * The parts of a RunInstances request that say where an instance sits on the network and how it
 * is bought: `NetworkInterfaces` (or the top-level `SubnetId`/`SecurityGroupIds`) and
 * `InstanceMarketOptions`, checked the way EC2 checks them.
 *
 * Public IPv4 follows AWS's documented default-VPC behaviour: a default subnet has
 * `MapPublicIpOnLaunch` on and any other subnet has it off, so an instance gets a public address
 * when its primary interface asks for one (`AssociatePublicIpAddress: true`), or when the request
 * leaves the choice to the subnet (no `AssociatePublicIpAddress`, or no `NetworkInterfaces` at
 * all) and the subnet is the default one: no subnet named, or the simulator's default subnet id.
 * `AssociatePublicIpAddress: false` never gets one.
 */
import { SimError } from '../core/contract.js';

/** Where the instance's primary interface goes, and whether it gets a public IPv4 address. */
export interface LaunchNetwork {
  /** The subnet named by the request; undefined means the default subnet. */
  subnetId?: string;
  /** Security groups named by the request; undefined means the VPC's default group. */
  securityGroupIds?: string[];
  mapPublicIp: boolean;
}

/** How the instance is bought: On-Demand (undefined) or Spot with its request options. */
export interface LaunchMarket {
  lifecycle: 'spot';
  spotInstanceType: 'one-time' | 'persistent';
  interruptionBehavior: 'hibernate' | 'stop' | 'terminate';
}

interface InterfaceRequest {
  DeviceIndex?: number;
  SubnetId?: string;
  Groups?: string[];
  AssociatePublicIpAddress?: boolean;
  NetworkInterfaceId?: string;
}

function combination(what: string): SimError {
  return new SimError(
    'InvalidParameterCombination',
    `Network interfaces and ${what} may not be specified on the same request`,
  );
}

/**
 * The network placement of a RunInstances request.
 * @throws {SimError} `InvalidParameterCombination` when interfaces and instance-level subnet or
 *   groups are both given, or a public IP is asked for with several interfaces;
 *   `InvalidParameterValue` when no interface has DeviceIndex 0.
 */
export function launchNetwork(
  input: Record<string, unknown>,
  isDefaultSubnet: (subnetId: string) => boolean,
): LaunchNetwork {
  const topSubnet = typeof input.SubnetId === 'string' && input.SubnetId !== '' ? input.SubnetId : undefined;
  const topGroups =
    Array.isArray(input.SecurityGroupIds) && input.SecurityGroupIds.length > 0
      ? input.SecurityGroupIds.map(String)
      : undefined;
  const interfaces = Array.isArray(input.NetworkInterfaces) ? (input.NetworkInterfaces as InterfaceRequest[]) : [];
  if (interfaces.length === 0) {
    return {
      subnetId: topSubnet,
      securityGroupIds: topGroups,
      mapPublicIp: topSubnet === undefined || isDefaultSubnet(topSubnet),
    };
  }
  if (topSubnet !== undefined) throw combination('an instance-level subnet ID');
  if (topGroups !== undefined) throw combination('instance-level security groups');
  const primary = interfaces.find((i) => i.DeviceIndex === 0);
  if (primary === undefined)
    throw new SimError('InvalidParameterValue', 'The primary network interface (DeviceIndex 0) must be specified');
  if (primary.AssociatePublicIpAddress === true && interfaces.length > 1) {
    throw new SimError(
      'InvalidParameterCombination',
      'The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.',
    );
  }
  const subnetId = typeof primary.SubnetId === 'string' && primary.SubnetId !== '' ? primary.SubnetId : undefined;
  const groups = Array.isArray(primary.Groups) && primary.Groups.length > 0 ? primary.Groups.map(String) : undefined;
  const subnetDefault = subnetId === undefined || isDefaultSubnet(subnetId);
  return { subnetId, securityGroupIds: groups, mapPublicIp: primary.AssociatePublicIpAddress ?? subnetDefault };
}

/**
 * The purchase option of a RunInstances request; undefined for On-Demand.
 * @throws {SimError} `InvalidParameterValue` for an unknown market type;
 *   `InvalidParameterCombination` for stop/hibernate interruption on a one-time request.
 */
export function launchMarket(input: Record<string, unknown>): LaunchMarket | undefined {
  const options = input.InstanceMarketOptions as
    | { MarketType?: string; SpotOptions?: { SpotInstanceType?: string; InstanceInterruptionBehavior?: string } }
    | undefined;
  if (options?.MarketType === undefined) return undefined;
  if (options.MarketType !== 'spot')
    throw new SimError('InvalidParameterValue', `Value (${options.MarketType}) for parameter MarketType is invalid.`);
  const type = options.SpotOptions?.SpotInstanceType ?? 'one-time';
  const behavior = options.SpotOptions?.InstanceInterruptionBehavior ?? 'terminate';
  if (type !== 'one-time' && type !== 'persistent')
    throw new SimError('InvalidParameterValue', `Value (${type}) for parameter SpotInstanceType is invalid.`);
  if (behavior !== 'hibernate' && behavior !== 'stop' && behavior !== 'terminate') {
    throw new SimError(
      'InvalidParameterValue',
      `Value (${behavior}) for parameter InstanceInterruptionBehavior is invalid.`,
    );
  }
  if (behavior !== 'terminate' && type === 'one-time') {
    throw new SimError(
      'InvalidParameterCombination',
      `The interruption behavior '${behavior}' is supported only for persistent Spot Instance requests.`,
    );
  }
  return { lifecycle: 'spot', spotInstanceType: type, interruptionBehavior: behavior };
}
