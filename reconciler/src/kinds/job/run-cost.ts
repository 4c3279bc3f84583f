/**
 * What a finished Batch job cost, estimated after the fact (Batch reports no cost, nor which
 * instance type ran a job): its attempts' running time (`startedAt` to `stoppedAt`) × its vCPUs over
 * the instance type's × that type's on-demand hourly price, the type being the cheapest its queue's
 * compute environments allow (`optimal`, families or types) that holds the job.
 */
import { batchInstanceFor, jobShareHourlyUSD } from '../../cost/prices/index.js';
import type { PricedInstance } from '../../cost/prices/index.js';
import { FINAL_JOB_STATES } from '../../model/job.js';
import type { ObservedJob } from '../../model/job.js';
import type { JobRecord } from '../../model/record.js';

/** The recorded estimate of one job's run-time cost. */
export type JobRunCost = NonNullable<JobRecord['cost']>;

/** Whether a job has ended and can be priced: a single job (not an array parent) with its running time and needs. */
export function priceable(job: ObservedJob): boolean {
  return (
    FINAL_JOB_STATES.includes(job.status) &&
    job.children === undefined &&
    job.runMs !== undefined &&
    job.needs !== undefined &&
    job.queue !== undefined
  );
}

/**
 * The instance a single job (any status) is priced on, on a queue allowing `instanceTypes`, and its
 * share of that instance's hourly price; undefined for an array parent, unknown needs or no fit.
 */
export function jobShare(
  job: ObservedJob,
  instanceTypes: readonly string[],
): { instance: PricedInstance; hourlyUSD: number } | undefined {
  if (job.children !== undefined || job.needs === undefined || instanceTypes.length === 0) return undefined;
  const needs = { vcpus: job.needs.vcpus, memoryGiB: job.needs.memoryMiB / 1024, gpus: job.needs.gpus };
  const instance = batchInstanceFor({ ...needs, architecture: 'x86_64' }, instanceTypes, job.region);
  if (instance === undefined) return undefined;
  return { instance, hourlyUSD: jobShareHourlyUSD(job.needs.vcpus, instance) };
}

/** The estimate for a finished job on a queue allowing `instanceTypes`; undefined when no allowed type holds it. */
export function jobRunCost(job: ObservedJob, instanceTypes: readonly string[]): JobRunCost | undefined {
  if (!priceable(job) || job.needs === undefined) return undefined;
  const share = jobShare(job, instanceTypes);
  if (share === undefined) return undefined;
  const { instance } = share;
  const runSeconds = Math.max(0, job.runMs ?? 0) / 1000;
  const usd = (runSeconds / 3600) * share.hourlyUSD;
  return {
    usd: Math.round(usd * 1e6) / 1e6,
    instanceType: instance.info.instanceType,
    vcpus: job.needs.vcpus,
    instanceVcpus: instance.info.vcpus,
    runSeconds,
  };
}
