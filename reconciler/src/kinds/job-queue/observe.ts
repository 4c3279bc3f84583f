/**
 * What a run reads about JobQueues, while the lab declares any (valid or not): in each Region where
 * a compute environment leaves its network out, the default network (one DescribeVpcs,
 * DescribeSubnets and DescribeSecurityGroups: network.ts fills it in); in every Region of
 * the Lab, one paginated DescribeJobQueues and one DescribeComputeEnvironments, kept to this
 * repository's (by `labops:repo`), the external queues the lab declares and any of a declared name
 * (to refuse, never adopt, someone else's); and, only for queues
 * with something to delete (removed, or with a compute environment replaced), how many jobs wait
 * for or use capacity (ListJobs per active status).
 */
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import type { DesiredJobQueue } from '../../model/job-queue.js';
import type { DefaultNetwork } from '../../model/network.js';
import type { Observed } from '../../model/observed.js';
import type { RunRecord } from '../../model/record.js';
import { TAG } from '../../model/tags.js';
import { defaultNetworkRegions, resolveQueueNetwork } from './network.js';

/** The JobQueue slice of Observed. */
export type ObservedJobQueues = Pick<
  Observed,
  'batchQueues' | 'computeEnvironments' | 'activeJobs' | 'defaultNetworks'
>;

/** Nothing read. */
export function noJobQueues(): ObservedJobQueues {
  return { batchQueues: {}, computeEnvironments: {}, activeJobs: {}, defaultNetworks: {} };
}

/**
 * The Regions a run reads Batch queues in: every Region of the Lab while it declares a JobQueue
 * (an invalid one too), plus those where labops created one (the record's `jobQueueRegions`), so a
 * queue whose file was removed is still found. None for a lab that never had a JobQueue.
 */
export function queueRegions(desired: Desired, record: RunRecord): string[] {
  const declares = desired.jobQueues.length > 0 || desired.unknownJobQueues.length > 0;
  return [
    ...new Set([
      ...(declares ? desired.lab.regions : []),
      ...desired.jobQueues.map((q) => q.region),
      ...(record.jobQueueRegions ?? []).filter((r) => desired.lab.regions.includes(r)),
    ]),
  ].sort();
}

/**
 * Queues of this repository in `region` that have something to delete: not declared, or owning an
 * environment no longer declared (`declared`: the lab's queues, networks filled in). @default desired.jobQueues
 */
export function queuesToDrain(
  desired: Desired,
  region: string,
  queues: Observed['batchQueues'][string],
  environments: Observed['computeEnvironments'][string],
  declared: readonly DesiredJobQueue[] = desired.jobQueues,
): string[] {
  const repo = desired.lab.repo;
  const out = new Set<string>();
  for (const q of queues) {
    if (q.tags[TAG.repo] !== repo) continue;
    const spec = declared.find((d) => d.name === q.name && d.region === region && !d.external);
    if (spec === undefined && !desired.unknownJobQueues.includes(q.name)) out.add(q.name);
  }
  for (const ce of environments) {
    if (ce.tags[TAG.repo] !== repo) continue;
    const queue = ce.tags[TAG.name] ?? '';
    const spec = declared.find((d) => d.name === queue && d.region === region);
    if (spec !== undefined && !spec.computeEnvironments.some((c) => c.batchName === ce.name)) out.add(queue);
  }
  return [...out].filter((name) => queues.some((q) => q.name === name)).sort();
}

/** This repository's queues and compute environments in every Region of the Lab, and the active jobs of those to drain. */
export async function observeJobQueues({
  desired,
  ports,
  record,
}: ObserveInputs): Promise<Observation<ObservedJobQueues>> {
  const regions = queueRegions(desired, record);
  if (regions.length === 0) return { observed: noJobQueues() };
  const repo = desired.lab.repo;
  const external = new Set(desired.jobQueues.filter((q) => q.external).map((q) => `${q.region}/${q.name}`));
  const networks = Promise.all(
    defaultNetworkRegions(desired).map(async (region) => [region, await ports.ec2.defaultNetwork(region)] as const),
  ).then((entries): Record<string, DefaultNetwork | null> => Object.fromEntries(entries));
  const read = await Promise.all(
    regions.map(async (region) => {
      const [queues, environments, defaultNetworks] = await Promise.all([
        ports.batch.describeBatchQueues(region),
        ports.batch.describeComputeEnvironments(region),
        networks,
      ]);
      // Each queue under the Batch names its filled-in network gives (as declared when it cannot be filled in).
      const specs = desired.jobQueues.map((q) => resolveQueueNetwork(q, defaultNetworks[q.region]).queue ?? q);
      // Same-named ones of someone else are kept too, so the plan refuses them instead of adopting them.
      const declared = new Set(specs.filter((q) => q.region === region).map((q) => q.name));
      const batchNames = new Set(
        specs.flatMap((q) => (q.region === region ? q.computeEnvironments.map((c) => c.batchName) : [])),
      );
      const ownQueues = queues.filter(
        (q) => q.tags[TAG.repo] === repo || external.has(`${region}/${q.name}`) || declared.has(q.name),
      );
      const ownEnvironments = environments.filter(
        (ce) => (ce.tags[TAG.repo] === repo && ce.tags[TAG.kind] === 'JobQueue') || batchNames.has(ce.name),
      );
      const drain = queuesToDrain(desired, region, ownQueues, ownEnvironments, specs);
      const counts = await Promise.all(
        drain.map(async (q) => [`${region}/${q}`, await ports.batch.countActiveJobs(region, q)] as const),
      );
      return { region, ownQueues, ownEnvironments, counts };
    }),
  );
  return {
    observed: {
      batchQueues: Object.fromEntries(read.map((r) => [r.region, r.ownQueues])),
      computeEnvironments: Object.fromEntries(read.map((r) => [r.region, r.ownEnvironments])),
      activeJobs: Object.fromEntries(read.flatMap((r) => r.counts)),
      defaultNetworks: await networks,
    },
  };
}
