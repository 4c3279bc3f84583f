/** The validated specs of a lab repository, grouped by kind, each with its source document. */
import { formatPath } from '../model/problem.js';
import type { FieldPath, Problem, Severity } from '../model/problem.js';
import type { LoadedDocument } from './load.js';
import type {
  Budget,
  Environment,
  EnvironmentImage,
  Job,
  JobQueue,
  Lab,
  SnapshotSchedule,
  Workstation,
} from './types.js';

/** A spec that passed its schema, with the document it came from (for positions). */
export interface SpecEntry<T> {
  doc: LoadedDocument;
  spec: T;
}

/** Schema-valid specs by kind. */
export interface LabSpecs {
  lab: SpecEntry<Lab> | undefined;
  workstations: SpecEntry<Workstation>[];
  budgets: SpecEntry<Budget>[];
  schedules: SpecEntry<SnapshotSchedule>[];
  jobs: SpecEntry<Job>[];
  queues: SpecEntry<JobQueue>[];
  environments: SpecEntry<Environment>[];
  /** EnvironmentImages (images/): AMIs baked through EC2 Image Builder. */
  images: SpecEntry<EnvironmentImage>[];
}

/** A problem at a field of a document: its key (`'key'`) or, by default, its value. */
export function problemAt(
  doc: LoadedDocument,
  path: FieldPath,
  message: string,
  severity: Severity = 'error',
  target: 'key' | 'value' = 'value',
): Problem {
  return { file: doc.file, ...doc.positionOf(path, target), path: formatPath(path), message, severity };
}

/** Where a document's source position is best described: `file:line`. */
export function whereDefined(doc: LoadedDocument): string {
  return `${doc.file}:${doc.positionOf(['metadata', 'name'], 'value').line}`;
}

/** The region a Workstation or Job runs in. */
export function regionOf(spec: { region?: string }, lab: Lab | undefined): string | undefined {
  return spec.region ?? lab?.spec.aws.defaultRegion;
}

/** Regions the lab allows: `aws.regions`, or just the default region. */
export function allowedRegions(lab: Lab): string[] {
  return lab.spec.aws.regions ?? [lab.spec.aws.defaultRegion];
}

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
