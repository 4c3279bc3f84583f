/**
 * JobQueues as the planner sees them: Region from the Lab default, each compute environment's
 * allocation strategy, minimum, instance role and GPU image settled, its Batch name
 * (`QUEUE-KEY-HASH8`, the hash over what Batch cannot update in place) and its ceiling computed.
 */
import type { Desired, DesiredLab } from '../../model/desired.js';
import {
  DEFAULT_ALLOCATION,
  DEFAULT_INSTANCE_ROLE,
  GPU_IMAGE_TYPE,
  anyGpu,
  priciestPerVcpuHour,
  computeEnvironmentName,
} from '../../model/job-queue.js';
import type { DesiredComputeEnvironment, DesiredJobQueue } from '../../model/job-queue.js';
import type { JobQueue, JobQueueComputeEnvironment } from '../../specs/types.js';
import type { LabValidation } from '../../specs/validate.js';

function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * One compute environment, defaults settled; a network the spec leaves out is marked in
 * `networkDefaults`, filled in once the Region's default network is read (network.ts).
 */
export function desiredComputeEnvironment(
  queue: string,
  region: string,
  ce: JobQueueComputeEnvironment,
  source?: string,
): DesiredComputeEnvironment {
  const networkDefaults = { subnets: ce.subnets === undefined, securityGroupIds: ce.securityGroupIds === undefined };
  const immutable = {
    key: ce.name,
    capacity: ce.capacity,
    instanceTypes: [...ce.instanceTypes],
    allocationStrategy: ce.allocationStrategy ?? DEFAULT_ALLOCATION[ce.capacity],
    ...(ce.capacity === 'spot' && ce.bidPercentage !== undefined ? { bidPercentage: ce.bidPercentage } : {}),
    subnets: [...(ce.subnets ?? [])],
    securityGroupIds: [...(ce.securityGroupIds ?? [])],
    instanceRole: ce.instanceRole ?? DEFAULT_INSTANCE_ROLE,
    ...(anyGpu(ce.instanceTypes) ? { imageType: GPU_IMAGE_TYPE } : {}),
    ...(networkDefaults.subnets || networkDefaults.securityGroupIds ? { networkDefaults } : {}),
  };
  const priciest = priciestPerVcpuHour(ce.instanceTypes, region);
  const bid = ce.capacity === 'spot' ? (ce.bidPercentage ?? 100) / 100 : 1;
  return {
    ...immutable,
    batchName: computeEnvironmentName(queue, immutable),
    maxVcpus: ce.maxVcpus,
    minVcpus: ce.minVcpus ?? 0,
    ...(priciest === undefined ? {} : { ceilingUSDPerHour: ce.maxVcpus * priciest.usdPerVcpuHour * bid }),
    ...(source === undefined ? {} : { source }),
  };
}

/** Where a document's field is, `FILE:LINE:COL`. */
export type SpecPlace = (path: (string | number)[]) => string;

/** One JobQueue, defaults settled; `place` locates its fields for refusals. */
export function desiredJobQueue(spec: JobQueue, defaultRegion: string, place?: SpecPlace): DesiredJobQueue {
  const s = spec.spec;
  const region = s.region ?? defaultRegion;
  return {
    name: spec.metadata.name,
    owner: spec.metadata.owner,
    project: spec.metadata.project,
    labels: defined(spec.metadata.labels),
    region,
    external: s.external ?? false,
    priority: s.priority ?? 0,
    state: s.state ?? 'ENABLED',
    gpu: s.gpu ?? false,
    computeEnvironments: (s.computeEnvironments ?? []).map((ce, i) =>
      desiredComputeEnvironment(spec.metadata.name, region, ce, place?.(['spec', 'computeEnvironments', i])),
    ),
  };
}

/** Every valid JobQueue of a validated lab, and the names of invalid ones. */
export function desiredJobQueues(
  validation: LabValidation,
  lab: DesiredLab,
): Pick<Desired, 'jobQueues' | 'unknownJobQueues'> {
  return {
    jobQueues: validation.specs.queues.map((q) =>
      desiredJobQueue(q.spec, lab.defaultRegion, (path) => {
        const at = q.doc.positionOf(path);
        return `${q.doc.file}:${at.line}:${at.column}`;
      }),
    ),
    unknownJobQueues: validation.invalid.flatMap((i) => (i.kind === 'JobQueue' && i.name ? [i.name] : [])),
  };
}
