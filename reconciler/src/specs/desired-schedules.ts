/**
 * SnapshotSchedules and Jobs as the planners see them: defaults settled (time zone from the Lab
 * calendar, Region from the Lab default, N_TO_N between arrays of one size), selectors resolved to workstation
 * names, and each Job's spec hash and deterministic Batch job name computed.
 */
import type { DesiredJob, InlineDefinition } from '../model/job.js';
import { parseDurationSeconds } from '../model/duration.js';
import type { DesiredSchedule } from '../model/schedule.js';
import { stableHash } from '../model/tags.js';
import { selects } from './check-references.js';
import type { Job, SnapshotSchedule, Workstation } from './types.js';
import type { LabValidation } from './validate.js';

/** Defaults a schedule or job takes from the Lab. */
export interface LabDefaults {
  timezone: string;
  defaultRegion: string;
}

/** One schedule with defaults settled and its selector resolved against the valid workstations. */
export function desiredSchedule(
  spec: SnapshotSchedule,
  workstations: readonly Workstation[],
  lab: LabDefaults,
): DesiredSchedule {
  const s = spec.spec;
  const retain = s.retain ?? {};
  return {
    name: spec.metadata.name,
    cron: s.cron,
    timezone: s.timezone ?? lab.timezone,
    type: s.type ?? 'volumes',
    retain: {
      ...(retain.count === undefined ? {} : { count: retain.count }),
      ...(retain.maxAgeDays === undefined ? {} : { maxAgeDays: retain.maxAgeDays }),
    },
    copyTo: [...(s.copyTo ?? [])].sort(),
    workstations: workstations
      .filter((w) => selects(s.selector, w))
      .map((w) => w.metadata.name)
      .sort(),
  };
}

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
  const timeout = s.timeout === undefined ? undefined : parseDurationSeconds(s.timeout);
  if (timeout !== undefined) job.timeoutSeconds = timeout;
  return job;
}

/** Every valid schedule and job of a validated lab, and the names of invalid Jobs. */
export function buildSchedulesAndJobs(
  validation: LabValidation,
  lab: LabDefaults,
): { schedules: DesiredSchedule[]; jobs: DesiredJob[]; unknownJobs: string[] } {
  const workstations = validation.specs.workstations.map((w) => w.spec);
  const schedules = validation.specs.schedules.map((s) => desiredSchedule(s.spec, workstations, lab));
  const arrays = new Map(validation.specs.jobs.map((j) => [j.spec.metadata.name, j.spec.spec.array]));
  const jobs = validation.specs.jobs.map((j) => {
    const at = j.doc.positionOf(['spec', 'queue'], 'value');
    return { ...desiredJob(j.spec, arrays, lab), queueAt: `${j.doc.file}:${at.line}:${at.column}` };
  });
  const unknownJobs = validation.invalid.filter((i) => i.kind === 'Job' && i.name).map((i) => i.name!);
  return { schedules, jobs, unknownJobs };
}
