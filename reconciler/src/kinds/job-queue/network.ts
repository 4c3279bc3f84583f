/**
 * Filling in the network a compute environment's spec leaves out, from the Region's default
 * network as observed (model/network.ts): no `subnets` → the default VPC's default subnets (one
 * per Availability Zone, sorted by zone), no `securityGroupIds` → its `default` group. The Batch
 * name is computed again over the filled-in network, so the same default VPC always gives the same
 * name (a second run plans nothing) and a new default VPC gives a new one (blue/green).
 *
 * Pure: observe (for the Batch names it reads), the planner and the status all resolve the same way.
 */
import type { Desired } from '../../model/desired.js';
import { computeEnvironmentName } from '../../model/job-queue.js';
import type { DesiredComputeEnvironment, DesiredJobQueue } from '../../model/job-queue.js';
import type { DefaultNetwork } from '../../model/network.js';
import type { Observed } from '../../model/observed.js';

/** A queue with its network filled in, or why it cannot be. */
export type NetworkResolution =
  { queue: DesiredJobQueue; refusal?: undefined } | { queue?: undefined; refusal: string };

/** Whether a queue has a compute environment that leaves (part of) its network to the Region's default. */
export function needsDefaultNetwork(queue: DesiredJobQueue): boolean {
  return !queue.external && queue.computeEnvironments.some((ce) => ce.networkDefaults !== undefined);
}

/** The Regions whose default network a run must read: those of a queue that needs it, sorted. */
export function defaultNetworkRegions(desired: Desired): string[] {
  return [...new Set(desired.jobQueues.filter(needsDefaultNetwork).map((q) => q.region))].sort();
}

function field(ce: DesiredComputeEnvironment, index: number, name: string): string {
  const at = ce.source === undefined ? '' : `${ce.source}: `;
  return `${at}spec.computeEnvironments[${index}].${name}`;
}

function fill(
  queue: DesiredJobQueue,
  ce: DesiredComputeEnvironment,
  index: number,
  network: DefaultNetwork | null,
): DesiredComputeEnvironment | string {
  const wants = ce.networkDefaults;
  if (wants === undefined) return ce;
  if (network === null)
    return `${field(ce, index, wants.subnets ? 'subnets' : 'securityGroupIds')}: ${queue.region} has no default VPC to take it from; give the subnets and securityGroupIds to use`;
  const defaultSubnets = network.subnets.map((s) => s.subnetId);
  if (wants.subnets && defaultSubnets.length === 0)
    return `${field(ce, index, 'subnets')}: the default VPC ${network.vpcId} of ${queue.region} has no default subnet; give the subnets to use`;
  const subnets = wants.subnets ? defaultSubnets : ce.subnets;
  if (wants.securityGroupIds) {
    // The default group belongs to the default VPC: it cannot go with subnets of another VPC.
    const outside = subnets.filter((s) => !defaultSubnets.includes(s));
    if (outside.length > 0)
      return `${field(ce, index, 'securityGroupIds')}: required, since subnets ${outside.join(', ')} are not default subnets of the default VPC ${network.vpcId} of ${queue.region} (its default security group only fits those)`;
    if (network.securityGroupId === undefined)
      return `${field(ce, index, 'securityGroupIds')}: the default VPC ${network.vpcId} of ${queue.region} shows no default security group; give the security groups to use`;
  }
  const { networkDefaults: _wanted, ...rest } = ce;
  const filled = {
    ...rest,
    subnets,
    securityGroupIds:
      wants.securityGroupIds && network.securityGroupId !== undefined ? [network.securityGroupId] : ce.securityGroupIds,
    defaultVpcId: network.vpcId,
  };
  return { ...filled, batchName: computeEnvironmentName(queue.name, filled) };
}

/**
 * The queue with its network filled in from its Region's default network: unchanged when it needs
 * none, or when the network was not read (a desired-only run: the environments keep the Batch names
 * of their unresolved network); a refusal naming the spec field when the Region cannot provide it.
 */
export function resolveQueueNetwork(
  queue: DesiredJobQueue,
  network: DefaultNetwork | null | undefined,
): NetworkResolution {
  if (!needsDefaultNetwork(queue) || network === undefined) return { queue };
  const environments: DesiredComputeEnvironment[] = [];
  for (const [i, ce] of queue.computeEnvironments.entries()) {
    const filled = fill(queue, ce, i, network);
    if (typeof filled === 'string') return { refusal: filled };
    environments.push(filled);
  }
  return { queue: { ...queue, computeEnvironments: environments } };
}

/** Every declared queue resolved against the observed default networks, and the refusals by queue name. */
export function resolveQueues(
  desired: Desired,
  observed: Pick<Observed, 'defaultNetworks'>,
): { queues: DesiredJobQueue[]; refused: Map<string, string> } {
  const queues: DesiredJobQueue[] = [];
  const refused = new Map<string, string>();
  for (const queue of desired.jobQueues) {
    const resolved = resolveQueueNetwork(queue, observed.defaultNetworks?.[queue.region]);
    if (resolved.refusal === undefined) queues.push(resolved.queue);
    else refused.set(queue.name, resolved.refusal);
  }
  return { queues, refused };
}
