/**
 * What a Job will cost, for the plan: vCPUs and memory of its inline definition, on the cheapest
 * instance type that fits in its Region, for its timeout (the longest an attempt may run) or an
 * hour when it has none, times its array size, on x86_64 (as Batch's default compute environments). Priced by the costs module's `estimateJobUSD`.
 */
import type { DesiredJob } from '../model/job.js';
import { formatDuration } from '../model/duration.js';
import { estimateJobUSD } from './estimates.js';

/** Assumed run time of one attempt when a Job sets no timeout. */
export const DEFAULT_JOB_SECONDS = 3600;

/** The estimate of a job with an inline definition; undefined for a registered one or no fitting type. */
export function jobEstimate(job: DesiredJob): { usd: number; basis: string } | undefined {
  if (!('inline' in job.definition)) return undefined;
  const def = job.definition.inline;
  const durationSeconds = job.timeoutSeconds ?? DEFAULT_JOB_SECONDS;
  // Batch compute environments run x86_64 unless built for Graviton; container images follow suit.
  const estimate = estimateJobUSD(
    {
      vcpus: def.vcpus,
      memoryMiB: def.memoryMiB,
      gpus: def.gpus,
      array: job.array ?? 1,
      durationSeconds,
      architecture: 'x86_64',
    },
    job.region,
  );
  if (estimate === undefined) return undefined;
  const count = job.array === undefined ? '' : `${job.array} × `;
  const how =
    job.timeoutSeconds === undefined
      ? `${formatDuration(durationSeconds)} (no timeout: default)`
      : `${formatDuration(durationSeconds)} (timeout)`;
  const usd = Math.round(estimate.usd * 100) / 100;
  return {
    usd,
    basis: `$${usd.toFixed(2)}: ${count}${def.vcpus} vCPU/${def.memoryMiB} MiB × ${how} on ${estimate.instanceType} at $${estimate.hourlyUSD.toFixed(4)}/h`,
  };
}
