/**
 * Batch job dependencies: checking `dependsOn` at submit time and turning it into the ids each
 * job (or array child) waits for. A plain dependency waits for the whole job; `N_TO_N` makes
 * child i wait for child i of the other array job; `SEQUENTIAL` without a job id makes child i
 * wait for child i-1 of its own array.
 */
import { clientError } from './model.js';
import type { BatchState } from './model.js';

/** Most dependencies a job may have. */
export const MAX_DEPENDENCIES = 20;

/**
 * Checks a `dependsOn` list against the jobs of the region.
 * @throws ClientException on too many entries, an unknown job, an unknown type, SEQUENTIAL with a
 *   job id or outside an array job, or N_TO_N between jobs that are not arrays of one size
 */
export function resolveDependsOn(
  list: unknown[],
  batch: BatchState,
  region: string,
  arraySize: number | undefined,
): { jobId: string; type?: string }[] {
  if (list.length > MAX_DEPENDENCIES) throw clientError(`A job can depend on at most ${MAX_DEPENDENCIES} jobs.`);
  return list.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw clientError('dependsOn[] entries must be objects.');
    const entry = item as Record<string, unknown>;
    if (entry.type !== undefined && typeof entry.type !== 'string')
      throw clientError('dependsOn[].type must be a string.');
    if (entry.jobId !== undefined && typeof entry.jobId !== 'string')
      throw clientError('dependsOn[].jobId must be a string.');
    const type = entry.type;
    const jobId = entry.jobId ?? '';
    if (type !== undefined && type !== 'N_TO_N' && type !== 'SEQUENTIAL') {
      throw clientError(`Dependency type ${type} is not valid; use N_TO_N or SEQUENTIAL.`);
    }
    // SEQUENTIAL orders an array job's own children and is given without a job id.
    if (type === 'SEQUENTIAL') {
      if (jobId !== '')
        throw clientError(
          'A SEQUENTIAL dependency is given without a jobId; it orders the children of this array job.',
        );
      if (arraySize === undefined) throw clientError('A SEQUENTIAL dependency needs an array job.');
      return { jobId, type };
    }
    if (jobId === '') throw clientError('dependsOn[].jobId is required except for a SEQUENTIAL array job.');
    const target = batch.jobs[jobId];
    if (!target || target.region !== region) throw clientError(`Dependent job ${jobId} does not exist.`);
    if (type === 'N_TO_N') {
      const size = target.spec?.arraySize;
      if (arraySize === undefined || size === undefined || size !== arraySize) {
        throw clientError('An N_TO_N dependency needs two array jobs of the same size.');
      }
    }
    return { jobId, ...(type ? { type } : {}) };
  });
}

/** The ids a job waits for: the parent or plain job when `index` is absent, else child `index`. */
export function dependencyIds(
  dependsOn: { jobId: string; type?: string }[],
  batch: BatchState,
  parentId?: string,
  index?: number,
): string[] {
  const ids: string[] = [];
  for (const dep of dependsOn) {
    if (index === undefined || parentId === undefined) {
      if (dep.jobId !== '') ids.push(dep.jobId);
    } else if (dep.type === 'SEQUENTIAL' && dep.jobId === '') {
      if (index > 0) ids.push(`${parentId}:${index - 1}`);
    } else if (dep.type === 'N_TO_N' && batch.jobs[`${dep.jobId}:${index}`]) {
      ids.push(`${dep.jobId}:${index}`);
    } else {
      ids.push(dep.jobId);
    }
  }
  return ids;
}
