/**
 * Jobs as the planner sees them: defaults settled (Region from the Lab default, N_TO_N between
 * arrays of one size), and each Job's spec hash and deterministic Batch job name computed.
 */
import type { Desired, DesiredLab, LabDefaults } from '../../model/desired.js';
import type { DesiredJob, InlineDefinition } from '../../model/job.js';
import { parseDurationSeconds } from '../../model/duration.js';
import { stableHash } from '../../model/tags.js';
import type { Job } from '../../specs/types.js';
import type { LabValidation } from '../../specs/validate.js';

/** The deterministic Batch job name of one submission: `labops-NAME-HASH8-rRERUN`. */
export function batchJobName(name: string, specHash: string, rerun: number): string {
  return `labops-${name}-${specHash.slice(0, 8)}-r${rerun}`;
}

function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** One job with defaults settled; `arrays` gives each job's array size for dependency types. */
export function desiredJob(spec: Job, arrays: ReadonlyMap<string, number | undefined>, lab: LabDefaults): DesiredJob {
  const s = spec.spec;
  const { rerun: _rerun, ...hashed } = s;
  const specHash = stableHash(hashed);
  const rerun = s.rerun ?? 0;
  const definition: DesiredJob['definition'] =
    typeof s.definition === 'string'
      ? { registered: s.definition }
      : {
          inline: {
            image: s.definition.image,
            vcpus: s.definition.vcpus,
            memoryMiB: s.definition.memoryMiB,
            gpus: s.definition.gpus ?? 0,
            command: [...(s.definition.command ?? [])],
            environment: defined(s.definition.environment),
          } satisfies InlineDefinition,
        };
  const job: DesiredJob = {
    name: spec.metadata.name,
    owner: spec.metadata.owner,
    project: spec.metadata.project,
    labels: defined(spec.metadata.labels),
    region: s.region ?? lab.defaultRegion,
    queue: s.queue,
    definition,
    parameters: defined(s.parameters),
    dependsOn: (s.dependsOn ?? []).map((d) => {
      const other = arrays.get(d.job);
      const nToN = d.type === 'N_TO_N' || (s.array !== undefined && other === s.array);
      return nToN ? { job: d.job, type: 'N_TO_N' as const } : { job: d.job };
    }),
    rerun,
    specHash,
    jobName: batchJobName(spec.metadata.name, specHash, rerun),
  };
  if (s.array !== undefined) job.array = s.array;
  if (s.retry !== undefined) job.retryAttempts = s.retry.attempts;
  if (s.retry?.evaluateOnExit !== undefined) job.evaluateOnExit = s.retry.evaluateOnExit.map((r) => ({ ...r }));
  const timeout = s.timeout === undefined ? undefined : parseDurationSeconds(s.timeout);
  if (timeout !== undefined) job.timeoutSeconds = timeout;
  return job;
}

/** Every valid Job of a validated lab, and the names of invalid Jobs. */
export function desiredJobs(validation: LabValidation, lab: DesiredLab): Pick<Desired, 'jobs' | 'unknownJobs'> {
  const defaults = { timezone: lab.calendar.timezone, defaultRegion: lab.defaultRegion };
  const arrays = new Map(validation.specs.jobs.map((j) => [j.spec.metadata.name, j.spec.spec.array]));
  const jobs = validation.specs.jobs.map((j) => {
    const at = j.doc.positionOf(['spec', 'queue'], 'value');
    return { ...desiredJob(j.spec, arrays, defaults), queueAt: `${j.doc.file}:${at.line}:${at.column}` };
  });
  const unknownJobs = validation.invalid.flatMap((i) => (i.kind === 'Job' && i.name ? [i.name] : []));
  return { jobs, unknownJobs };
}
