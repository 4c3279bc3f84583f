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
  replacementHash,
} from '../../model/job-queue.js';
import type { DesiredComputeEnvironment, DesiredJobQueue } from '../../model/job-queue.js';
import type { JobQueue, JobQueueComputeEnvironment } from '../../specs/types.js';
import type { LabValidation } from '../../specs/validate.js';

function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** One compute environment, defaults settled. */
export function desiredComputeEnvironment(
  queue: string,
  region: string,
  ce: JobQueueComputeEnvironment,
): DesiredComputeEnvironment {
  const immutable = {
    key: ce.name,
    capacity: ce.capacity,
    instanceTypes: [...ce.instanceTypes],
    allocationStrategy: ce.allocationStrategy ?? DEFAULT_ALLOCATION[ce.capacity],
    ...(ce.capacity === 'spot' && ce.bidPercentage !== undefined ? { bidPercentage: ce.bidPercentage } : {}),
    subnets: [...ce.subnets],
    securityGroupIds: [...(ce.securityGroupIds ?? [])],
    instanceRole: ce.instanceRole ?? DEFAULT_INSTANCE_ROLE,
    ...(anyGpu(ce.instanceTypes) ? { imageType: GPU_IMAGE_TYPE } : {}),
  };
  const priciest = priciestPerVcpuHour(ce.instanceTypes, region);
  const bid = ce.capacity === 'spot' ? (ce.bidPercentage ?? 100) / 100 : 1;
  return {
    ...immutable,
    batchName: `${queue}-${ce.name}-${replacementHash(immutable)}`,
    maxVcpus: ce.maxVcpus,
    minVcpus: ce.minVcpus ?? 0,
    ...(priciest === undefined ? {} : { ceilingUSDPerHour: ce.maxVcpus * priciest.usdPerVcpuHour * bid }),
  };
}

/** One JobQueue, defaults settled. */
export function desiredJobQueue(spec: JobQueue, defaultRegion: string): DesiredJobQueue {
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
    computeEnvironments: (s.computeEnvironments ?? []).map((ce) =>
      desiredComputeEnvironment(spec.metadata.name, region, ce),
    ),
  };
}

/** Every valid JobQueue of a validated lab, and the names of invalid ones. */
export function desiredJobQueues(
  validation: LabValidation,
  lab: DesiredLab,
): Pick<Desired, 'jobQueues' | 'unknownJobQueues'> {
  return {
    jobQueues: validation.specs.queues.map((q) => desiredJobQueue(q.spec, lab.defaultRegion)),
    unknownJobQueues: validation.invalid.flatMap((i) => (i.kind === 'JobQueue' && i.name ? [i.name] : [])),
  };
}
