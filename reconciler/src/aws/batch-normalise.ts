/**
 * Normalising Batch SDK shapes into labops' terms, and back: job details with array child counts,
 * container properties of a definition compared field by field with an inline definition.
 */
import type { ContainerProperties, JobDefinition, JobDetail, ResourceRequirement } from '@aws-sdk/client-batch';
import type { InlineDefinition, ObservedJob } from '../model/job.js';

/** A DescribeJobs detail as an observed job. */
export function observeJob(detail: JobDetail, region: string): ObservedJob {
  const job: ObservedJob = {
    jobId: detail.jobId ?? '',
    jobName: detail.jobName ?? '',
    region,
    status: detail.status ?? '',
    tags: { ...(detail.tags ?? {}) },
  };
  if (detail.statusReason !== undefined) job.statusReason = detail.statusReason;
  const summary = detail.arrayProperties?.statusSummary;
  if (summary !== undefined) job.children = Object.fromEntries(Object.entries(summary).filter(([, n]) => n > 0));
  if (detail.createdAt !== undefined) job.createdAt = detail.createdAt;
  if (detail.startedAt !== undefined) job.startedAt = detail.startedAt;
  if (detail.stoppedAt !== undefined) job.stoppedAt = detail.stoppedAt;
  if (detail.jobQueue !== undefined) job.queue = detail.jobQueue;
  const requirements = detail.container?.resourceRequirements ?? [];
  const need = (type: string): number | undefined => {
    const value = Number(requirements.find((r) => r.type === type)?.value);
    return Number.isFinite(value) ? value : undefined;
  };
  const vcpus = need('VCPU') ?? detail.container?.vcpus;
  if (vcpus !== undefined)
    job.needs = { vcpus, memoryMiB: need('MEMORY') ?? detail.container?.memory ?? 2048, gpus: need('GPU') ?? 0 };
  const ran = (detail.attempts ?? []).filter((a) => a.startedAt !== undefined && a.stoppedAt !== undefined);
  if (ran.length > 0) job.runMs = ran.reduce((sum, a) => sum + ((a.stoppedAt ?? 0) - (a.startedAt ?? 0)), 0);
  else if (detail.startedAt !== undefined && detail.stoppedAt !== undefined)
    job.runMs = detail.stoppedAt - detail.startedAt;
  const attempts = startedAttempts(detail);
  if (attempts.length > 0) job.attempts = attempts;
  return job;
}

/**
 * The attempts that started, the one running now open: Batch lists an attempt in `attempts` once
 * it has one, and the job's `startedAt` is when the current attempt began running.
 */
function startedAttempts(detail: JobDetail): { startedAt: number; stoppedAt?: number }[] {
  const out: { startedAt: number; stoppedAt?: number }[] = [];
  for (const a of detail.attempts ?? []) {
    if (a.startedAt === undefined) continue;
    out.push(
      a.stoppedAt === undefined ? { startedAt: a.startedAt } : { startedAt: a.startedAt, stoppedAt: a.stoppedAt },
    );
  }
  const current = detail.startedAt;
  if (detail.status === 'RUNNING' && current !== undefined && !out.some((a) => a.startedAt >= current))
    out.push({ startedAt: current });
  return out;
}

/** The resource requirements Batch expects for an inline definition (vCPU, memory, GPU). */
export function resourceRequirements(def: InlineDefinition): ResourceRequirement[] {
  const out: ResourceRequirement[] = [
    { type: 'VCPU', value: String(def.vcpus) },
    { type: 'MEMORY', value: String(def.memoryMiB) },
  ];
  if (def.gpus > 0) out.push({ type: 'GPU', value: String(def.gpus) });
  return out;
}

/** RegisterJobDefinition's `containerProperties` for an inline definition (environment sorted). */
export function containerProperties(def: InlineDefinition): ContainerProperties {
  const props: ContainerProperties = {
    image: def.image,
    resourceRequirements: resourceRequirements(def),
    environment: Object.keys(def.environment)
      .sort()
      .map((name) => ({ name, value: def.environment[name] })),
  };
  if (def.command.length > 0) props.command = [...def.command];
  return props;
}

function requirement(props: ContainerProperties, type: string): number {
  const value = props.resourceRequirements?.find((r) => r.type === type)?.value;
  if (value !== undefined) return Number(value);
  // Definitions registered before resourceRequirements existed still carry the legacy fields.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (type === 'VCPU') return props.vcpus ?? 0;
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (type === 'MEMORY') return props.memory ?? 0;
  return 0;
}

/** The container of a registered definition in labops' terms. */
export function inlineOf(definition: JobDefinition): InlineDefinition {
  const props = definition.containerProperties ?? {};
  const environment: Record<string, string> = {};
  for (const pair of props.environment ?? []) if (pair.name !== undefined) environment[pair.name] = pair.value ?? '';
  return {
    image: props.image ?? '',
    vcpus: requirement(props, 'VCPU'),
    memoryMiB: requirement(props, 'MEMORY'),
    gpus: requirement(props, 'GPU'),
    command: [...(props.command ?? [])],
    environment,
  };
}

/** True when a registered revision runs exactly the inline definition (so it can be reused). */
export function sameContainer(a: InlineDefinition, b: InlineDefinition): boolean {
  const env = (e: Record<string, string>): string =>
    JSON.stringify(
      Object.keys(e)
        .sort()
        .map((k) => [k, e[k]]),
    );
  return (
    a.image === b.image &&
    a.vcpus === b.vcpus &&
    a.memoryMiB === b.memoryMiB &&
    a.gpus === b.gpus &&
    JSON.stringify(a.command) === JSON.stringify(b.command) &&
    env(a.environment) === env(b.environment)
  );
}
