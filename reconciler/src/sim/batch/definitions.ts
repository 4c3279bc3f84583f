/**
 * Batch job definitions: RegisterJobDefinition (a new revision per call),
 * DescribeJobDefinitions, DeregisterJobDefinition, and resolving a reference at submit time.
 */
import type { SimContext } from '../core/contract.js';
import { batchArn, batchStateOf, clientError } from './model.js';
import type { BatchJobDefinition, BatchState } from './model.js';
import {
  decodeToken,
  encodeToken,
  optionalInteger,
  optionalList,
  optionalObject,
  optionalString,
  requiredString,
  stringMap,
} from './input.js';
import { checkResourceRequirements, checkRetryStrategy, checkTimeout } from './checks.js';

/** RegisterJobDefinition: stores the next revision of the named definition. */
export function registerJobDefinition(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const name = requiredString(input, 'jobDefinitionName');
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(name)) {
    throw clientError('jobDefinitionName must be up to 128 letters, numbers, hyphens and underscores.');
  }
  const type = requiredString(input, 'type');
  if (type !== 'container') {
    throw clientError(`Job definition type ${type} is not supported by labops sim; use container.`);
  }
  const container = optionalObject(input, 'containerProperties');
  if (!container) throw clientError('containerProperties is required for a container job definition.');
  requiredString(container, 'image');
  checkResourceRequirements(container);
  const retryStrategy = optionalObject(input, 'retryStrategy');
  if (retryStrategy) checkRetryStrategy(retryStrategy);
  const timeout = checkTimeout(optionalObject(input, 'timeout'));
  const revision = 1 + Math.max(0, ...revisionsOf(batch, ctx.region, name).map((d) => d.revision));
  const definition: BatchJobDefinition = {
    jobDefinitionName: name,
    jobDefinitionArn: batchArn(ctx, 'job-definition', `${name}:${revision}`),
    revision,
    status: 'ACTIVE',
    type,
    region: ctx.region,
    parameters: stringMap(input, 'parameters'),
    containerProperties: container,
    ...(retryStrategy ? { retryStrategy } : {}),
    ...(timeout ? { timeout } : {}),
    tags: stringMap(input, 'tags'),
    propagateTags: input.propagateTags === true,
    platformCapabilities: (optionalList(input, 'platformCapabilities') as string[] | undefined) ?? ['EC2'],
  };
  batch.definitions.push(definition);
  return { jobDefinitionName: name, jobDefinitionArn: definition.jobDefinitionArn, revision };
}

function revisionsOf(batch: BatchState, region: string, name: string): BatchJobDefinition[] {
  return batch.definitions.filter((d) => d.region === region && d.jobDefinitionName === name);
}

/** The definitions a reference names: an ARN, `name:revision`, or a bare name (all revisions). */
function matching(batch: BatchState, region: string, ref: string): BatchJobDefinition[] {
  if (ref.startsWith('arn:')) {
    return batch.definitions.filter((d) => d.region === region && d.jobDefinitionArn === ref);
  }
  const match = /^(.+):(\d+)$/.exec(ref);
  if (match) {
    return revisionsOf(batch, region, match[1] ?? '').filter((d) => d.revision === Number(match[2]));
  }
  return revisionsOf(batch, region, ref);
}

/**
 * The definition SubmitJob runs: an exact revision, or the latest ACTIVE revision for a name.
 * @throws ClientException when it does not exist or is INACTIVE
 */
export function resolveJobDefinition(batch: BatchState, region: string, ref: string): BatchJobDefinition {
  const found = matching(batch, region, ref).filter((d) => d.status === 'ACTIVE');
  const latest = found.sort((a, b) => b.revision - a.revision)[0];
  if (!latest) throw clientError(`Job definition ${ref} does not exist or is not ACTIVE.`);
  return latest;
}

/** The output shape of one definition. */
export function definitionOutput(d: BatchJobDefinition): Record<string, unknown> {
  return {
    jobDefinitionName: d.jobDefinitionName,
    jobDefinitionArn: d.jobDefinitionArn,
    revision: d.revision,
    status: d.status,
    type: d.type,
    parameters: d.parameters,
    containerProperties: d.containerProperties,
    ...(d.retryStrategy ? { retryStrategy: d.retryStrategy } : {}),
    ...(d.timeout ? { timeout: d.timeout } : {}),
    tags: d.tags,
    propagateTags: d.propagateTags,
    platformCapabilities: d.platformCapabilities,
    containerOrchestrationType: 'ECS',
  };
}

/** DescribeJobDefinitions: by references, by name, by status; paginated. */
export function describeJobDefinitions(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const refs = optionalList(input, 'jobDefinitions') as string[] | undefined;
  if (refs && refs.length > 100) throw clientError('jobDefinitions can list at most 100 entries.');
  const name = optionalString(input, 'jobDefinitionName');
  const status = optionalString(input, 'status');
  const maxResults = optionalInteger(input, 'maxResults', 1, 100) ?? 100;
  const offset = decodeToken(optionalString(input, 'nextToken'));
  let found = refs
    ? refs.flatMap((ref) => matching(batch, ctx.region, ref))
    : batch.definitions.filter((d) => d.region === ctx.region);
  if (name) found = found.filter((d) => d.jobDefinitionName === name);
  if (status) found = found.filter((d) => d.status === status);
  const page = found.slice(offset, offset + maxResults);
  const next = offset + maxResults < found.length ? encodeToken(offset + maxResults) : undefined;
  return { jobDefinitions: page.map(definitionOutput), ...(next ? { nextToken: next } : {}) };
}

/** DeregisterJobDefinition: marks one revision INACTIVE. @throws ClientException when unknown */
export function deregisterJobDefinition(input: Record<string, unknown>, ctx: SimContext): unknown {
  const batch = batchStateOf(ctx.state);
  const ref = requiredString(input, 'jobDefinition');
  if (!ref.startsWith('arn:') && !/:\d+$/.test(ref)) {
    throw clientError('jobDefinition must be name:revision or an ARN.');
  }
  const [definition] = matching(batch, ctx.region, ref);
  if (!definition) throw clientError(`Job definition ${ref} does not exist.`);
  definition.status = 'INACTIVE';
  return {};
}
