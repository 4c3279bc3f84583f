/**
 * SubmitJob: validates the request like Batch, merges the job definition with the overrides,
 * and creates the job (and, for an array job, its children) in SUBMITTED.
 *
 * Simulation controls, read from the merged container environment (definition environment,
 * then `containerOverrides.environment`), so tests steer a job without any `/_sim` call:
 * - `LABOPS_SIM_DURATION`: running time of each attempt as a Go duration (`90s`, `90m`, `2h`);
 *   default a deterministic 2–6 minutes drawn from the seed and the job id.
 * - `LABOPS_SIM_EXIT_CODE`: container exit code; a comma list gives one per attempt
 *   (`1,1,0`: the third attempt succeeds), the last repeating. Default `0`.
 * - `LABOPS_SIM_FAILING_INDEXES`: comma list of array indexes whose children exit 1.
 */
import type { SimContext } from '../core/contract.js';
import { cheapestMatchingInstance } from '../../cost/prices/index.js';
import { parseDurationSeconds } from '../../model/duration.js';
import { batchArn, batchStateOf, clientError, newJobId } from './model.js';
import type { BatchContainer, BatchJob, BatchJobDefinition, BatchJobSpec, BatchKeyValue, BatchState } from './model.js';
import {
  keyValues,
  optionalInteger,
  optionalList,
  optionalObject,
  requiredString,
  checkedStringList,
  stringMap,
} from './input.js';
import { checkResourceRequirements, checkRetryStrategy, checkTimeout, legacyRequirements, needsOf } from './checks.js';
import { resolveJobDefinition } from './definitions.js';
import { findQueue } from './queues.js';
import { dependencyIds, resolveDependsOn } from './dependencies.js';

/** Seconds a job spends in SUBMITTED before the scheduler looks at it. */
export const SUBMITTED_SECONDS = 10;

function mergeByKey<T>(base: T[], overrides: T[], key: (item: T) => string): T[] {
  const merged = new Map(base.map((item) => [key(item), item]));
  for (const item of overrides) merged.set(key(item), item);
  return [...merged.values()];
}

function mergeContainer(definition: BatchJobDefinition, overrides: Record<string, unknown>): BatchContainer {
  const props = definition.containerProperties;
  const baseReqs = mergeByKey(legacyRequirements(props), checkResourceRequirements(props), (r) => r.type);
  const overReqs = mergeByKey(legacyRequirements(overrides), checkResourceRequirements(overrides), (r) => r.type);
  const command = checkedStringList(overrides, 'command');
  return {
    image: String(props.image),
    command: command.length > 0 ? command : checkedStringList(props, 'command'),
    environment: mergeByKey(keyValues(props, 'environment'), keyValues(overrides, 'environment'), (e) => e.name),
    resourceRequirements: mergeByKey(baseReqs, overReqs, (r) => r.type),
  };
}

function numberList(env: BatchKeyValue[], name: string): number[] | undefined {
  const raw = env.find((e) => e.name === name)?.value;
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v))) throw clientError(`${name} must be a comma list of integers.`);
  return values;
}

function simControls(env: BatchKeyValue[]): Pick<BatchJobSpec, 'durationSeconds' | 'exitCodes' | 'failingIndexes'> {
  const rawDuration = env.find((e) => e.name === 'LABOPS_SIM_DURATION')?.value;
  const durationSeconds = rawDuration === undefined ? undefined : parseDurationSeconds(rawDuration, 'go');
  if (rawDuration !== undefined && durationSeconds === undefined) {
    throw clientError('LABOPS_SIM_DURATION must be a duration such as 90s, 90m or 2h.');
  }
  return {
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    exitCodes: numberList(env, 'LABOPS_SIM_EXIT_CODE') ?? [0],
    failingIndexes: numberList(env, 'LABOPS_SIM_FAILING_INDEXES') ?? [],
  };
}

function buildSpec(input: Record<string, unknown>, batch: BatchState, ctx: SimContext): BatchJobSpec {
  const jobName = requiredString(input, 'jobName');
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(jobName)) {
    throw clientError('jobName must be up to 128 letters, numbers, hyphens and underscores, starting alphanumeric.');
  }
  const queue = findQueue(batch, ctx.region, requiredString(input, 'jobQueue'));
  if (!queue) throw clientError(`Job queue ${String(input.jobQueue)} does not exist.`);
  if (queue.state === 'DISABLED')
    throw clientError(`Job queue ${queue.jobQueueName} is DISABLED and accepts no new jobs.`);
  const definition = resolveJobDefinition(batch, ctx.region, requiredString(input, 'jobDefinition'));
  const container = mergeContainer(definition, optionalObject(input, 'containerOverrides') ?? {});
  const retryInput = optionalObject(input, 'retryStrategy') ?? definition.retryStrategy;
  const retry = retryInput ? checkRetryStrategy(retryInput) : { attempts: 1, evaluateOnExit: [] };
  const timeout = checkTimeout(optionalObject(input, 'timeout')) ?? definition.timeout;
  const tags = stringMap(input, 'tags');
  if (Object.keys(tags).length > 50) throw clientError('A job can have at most 50 tags.');
  const arraySize = optionalInteger(optionalObject(input, 'arrayProperties') ?? {}, 'size', 2, 10_000);
  const needs = { ...needsOf(container.resourceRequirements), architecture: 'x86_64' as const };
  // A Region without its own price figures is billed at us-east-1 prices, as EC2 does in the sim.
  const fit = cheapestMatchingInstance(needs, ctx.region) ?? cheapestMatchingInstance(needs, 'us-east-1');
  return {
    jobName,
    region: ctx.region,
    jobQueue: queue.jobQueueArn,
    jobDefinition: definition.jobDefinitionArn,
    container,
    tags,
    parameters: { ...definition.parameters, ...stringMap(input, 'parameters') },
    dependsOn: resolveDependsOn(optionalList(input, 'dependsOn') ?? [], batch, ctx.region, arraySize),
    propagateTags: typeof input.propagateTags === 'boolean' ? input.propagateTags : definition.propagateTags,
    maxAttempts: retry.attempts,
    evaluateOnExit: retry.evaluateOnExit,
    ...(timeout ? { timeoutSeconds: timeout.attemptDurationSeconds } : {}),
    ...simControls(container.environment),
    ...(arraySize !== undefined ? { arraySize } : {}),
    ...(fit ? { instanceType: fit.info.instanceType, hourlyUSD: fit.hourlyUSD } : {}),
  };
}

function newJob(jobId: string, ctx: SimContext, waitsFor: string[]): BatchJob {
  const createdAt = ctx.now.getTime();
  return {
    jobId,
    region: ctx.region,
    status: 'SUBMITTED',
    createdAt,
    nextAt: createdAt + SUBMITTED_SECONDS * 1000,
    waitsFor,
    attempts: [],
  };
}

/** SubmitJob: answers `{ jobArn, jobName, jobId }`. @throws ClientException on a bad request */
export function submitJob(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const spec = buildSpec(input, batch, ctx);
  const jobId = newJobId(ctx);
  const parent = { ...newJob(jobId, ctx, dependencyIds(spec.dependsOn, batch)), spec };
  batch.jobs[jobId] = parent;
  for (let index = 0; index < (spec.arraySize ?? 0); index++) {
    const childId = `${jobId}:${index}`;
    const child = newJob(childId, ctx, dependencyIds(spec.dependsOn, batch, jobId, index));
    batch.jobs[childId] = { ...child, arrayParentId: jobId, arrayIndex: index };
  }
  return { jobArn: batchArn(ctx, 'job', jobId), jobName: spec.jobName, jobId };
}
