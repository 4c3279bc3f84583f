/**
 * Where Batch places a RUNNABLE job: on the first compute environment of its queue, in the
 * queue's order, that is ENABLED and VALID, allows an instance type that holds the job, and has
 * room for the job's vCPUs under its `maxvCpus`; nowhere while the queue is not ENABLED and VALID.
 * "Jobs in this state are started as soon as sufficient resources are available in one of the
 * compute environments that are mapped to the job's queue. However, jobs can remain in this state
 * indefinitely when sufficient resources are unavailable." (job_states.html, RUNNABLE)
 */
import type { PricedInstance } from '../../cost/prices/index.js';
import { batchInstanceFor, cheapestMatchingInstance, jobShareHourlyUSD } from '../../cost/prices/index.js';
import { wireText } from '../core/contract.js';
import { hashHex, isFinal } from './model.js';
import type {
  BatchComputeEnvironment,
  BatchJob,
  BatchJobQueue,
  BatchJobSpec,
  BatchPlacement,
  BatchState,
} from './model.js';
import { needsOf } from './checks.js';
import type { BatchNeeds } from './checks.js';
import { environmentsOf, statusOf } from './compute.js';

/** A job's needs from an instance (x86_64, as the sim's job definitions are). */
export function jobNeeds(spec: BatchJobSpec): BatchNeeds & { architecture: 'x86_64' } {
  return { ...needsOf(spec.container.resourceRequirements), architecture: 'x86_64' };
}

/** Whether a compute environment or queue takes work: VALID, or UPDATING (an update keeps it working). */
export function isWorking(status: string): boolean {
  return status === 'VALID' || status === 'UPDATING';
}

function instanceTypesOf(ce: BatchComputeEnvironment): string[] | undefined {
  const raw = ce.computeResources?.instanceTypes;
  return Array.isArray(raw) ? raw.map((t) => wireText(t)) : undefined;
}

/**
 * The instance a compute environment launches for a job: the cheapest of its allowed types that
 * holds it (`optimal` when it names none). Fargate and UNMANAGED environments name no types: the
 * cheapest type in the price table that holds the job stands in for their price.
 */
export function instanceOn(ce: BatchComputeEnvironment, spec: BatchJobSpec): PricedInstance | undefined {
  const needs = jobNeeds(spec);
  const kind = wireText(ce.computeResources?.type);
  if (ce.computeResources === undefined || kind.startsWith('FARGATE'))
    return cheapestMatchingInstance(needs, spec.region) ?? cheapestMatchingInstance(needs, 'us-east-1');
  return batchInstanceFor(needs, instanceTypesOf(ce), spec.region);
}

/** The vCPUs a compute environment may run at once: `maxvCpus` (an UNMANAGED one: no limit here). */
export function maxVcpusOf(ce: BatchComputeEnvironment): number {
  const max = ce.computeResources?.maxvCpus;
  return typeof max === 'number' ? max : Number.POSITIVE_INFINITY;
}

/** Whether some compute environment of the queue could ever hold the job (a type fits, within `maxvCpus`). */
export function everFits(batch: BatchState, queue: BatchJobQueue, spec: BatchJobSpec): 'yes' | 'type' | 'vcpus' {
  const environments = environmentsOf(batch, queue);
  const typed = environments.filter((ce) => instanceOn(ce, spec) !== undefined);
  if (typed.length === 0) return 'type';
  return typed.some((ce) => jobNeeds(spec).vcpus <= maxVcpusOf(ce)) ? 'yes' : 'vcpus';
}

/** vCPUs each compute environment runs now: those of its STARTING and RUNNING jobs. */
export function usedVcpus(batch: BatchState): Map<string, number> {
  const used = new Map<string, number>();
  for (const job of Object.values(batch.jobs)) {
    const placement = job.placement;
    if (placement === undefined || isFinal(job.status)) continue;
    used.set(placement.computeEnvironment, (used.get(placement.computeEnvironment) ?? 0) + placement.vcpus);
  }
  return used;
}

/** `i-` and 17 hex digits for the instance of a job's attempt, drawn from the seed. */
export function instanceIdFor(seed: number, job: BatchJob): string {
  const key = `${seed}:instance:${job.jobId}:${job.attempts.length + 1}`;
  return `i-${(hashHex(`${key}:1`) + hashHex(`${key}:2`) + hashHex(`${key}:3`)).slice(0, 17)}`;
}

/**
 * Places a job at `at`: the first compute environment of its queue (in order) that is ENABLED
 * and VALID, has a type that holds the job and room under its `maxvCpus`; `used` is updated.
 * Undefined when none does now (or the queue is not ENABLED and VALID).
 */
export function placeJob(
  batch: BatchState,
  queue: BatchJobQueue | undefined,
  job: BatchJob,
  spec: BatchJobSpec,
  at: number,
  used: Map<string, number>,
  seed: number,
): BatchPlacement | undefined {
  if (queue === undefined || queue.state !== 'ENABLED' || !isWorking(statusOf(queue, at))) return undefined;
  const vcpus = jobNeeds(spec).vcpus;
  for (const ce of environmentsOf(batch, queue)) {
    if (ce.state !== 'ENABLED' || !isWorking(statusOf(ce, at))) continue;
    const instance = instanceOn(ce, spec);
    if (instance === undefined) continue;
    const running = used.get(ce.computeEnvironmentArn) ?? 0;
    if (running + vcpus > maxVcpusOf(ce)) continue;
    used.set(ce.computeEnvironmentArn, running + vcpus);
    return {
      computeEnvironment: ce.computeEnvironmentArn,
      instanceType: instance.info.instanceType,
      instanceId: instanceIdFor(seed, job),
      vcpus,
      hourlyUSD: jobShareHourlyUSD(vcpus, instance),
    };
  }
  return undefined;
}
