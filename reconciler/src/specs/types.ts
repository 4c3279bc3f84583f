/**
 * The spec vocabulary: generated types (from schemas/) plus the union of every kind.
 * Never hand-write a type a schema already states; regenerate with `npm run gen:types`.
 */
import type { Budget } from './generated/budget.js';
import type { Environment } from './generated/environment.js';
import type { EnvironmentImage } from './generated/environment-image.js';
import type { Job } from './generated/job.js';
import type { JobQueue } from './generated/job-queue.js';
import type { Lab } from './generated/lab.js';
import type { SnapshotSchedule } from './generated/snapshot-schedule.js';
import type { Workstation } from './generated/workstation.js';

export type { Budget, Environment, EnvironmentImage, Job, JobQueue, Lab, SnapshotSchedule, Workstation };
export type { EnvironmentImageSpec } from './generated/environment-image.js';
export type { WorkstationSpec, DataVolume } from './generated/workstation.js';
export type { EnvironmentSpec, EnvironmentService, EnvironmentPackages } from './generated/environment.js';
export type { JobSpec, InlineJobDefinition } from './generated/job.js';
export type { JobQueueSpec, JobQueueComputeEnvironment } from './generated/job-queue.js';
export type { BudgetSpec, BudgetAction } from './generated/budget.js';
export type { SnapshotScheduleSpec } from './generated/snapshot-schedule.js';
export type { LabSpec, LabPolicy, CalendarBreak } from './generated/lab.js';

/** Every spec kind, in the order specs are reported. */
export const SPEC_KINDS = [
  'Lab',
  'Workstation',
  'Budget',
  'SnapshotSchedule',
  'Job',
  'JobQueue',
  'Environment',
  'EnvironmentImage',
] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

/** Any labops spec document. */
export type AnySpec = Lab | Workstation | Budget | SnapshotSchedule | Job | JobQueue | Environment | EnvironmentImage;

/** Schema file (in schemas/) for each kind. */
export const SCHEMA_FILES: Record<SpecKind, string> = {
  Lab: 'lab.schema.json',
  Workstation: 'workstation.schema.json',
  Budget: 'budget.schema.json',
  SnapshotSchedule: 'snapshot-schedule.schema.json',
  Job: 'job.schema.json',
  JobQueue: 'job-queue.schema.json',
  Environment: 'environment.schema.json',
  EnvironmentImage: 'environment-image.schema.json',
};
