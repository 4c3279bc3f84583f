/**
 * A Region's default network as labops uses it: where a Batch compute environment goes when its
 * spec names no subnets or security groups (AWS's default VPC, one default subnet per
 * Availability Zone, the VPC's `default` security group).
 */

/** One default subnet of the default VPC. */
export interface DefaultSubnet {
  subnetId: string;
  availabilityZone: string;
}

/** The default VPC of a Region with its default subnets and its `default` security group. */
export interface DefaultNetwork {
  region: string;
  vpcId: string;
  /** Its default subnets (`DefaultForAz`), sorted by Availability Zone. */
  subnets: DefaultSubnet[];
  /** The VPC's security group named `default`; undefined if EC2 showed none. */
  securityGroupId?: string;
}
