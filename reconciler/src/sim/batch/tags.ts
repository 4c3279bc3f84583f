/**
 * Batch resource tags by ARN (`/v1/tags/{resourceArn}`): ListTagsForResource, TagResource and
 * UntagResource for jobs, job definitions, job queues and compute environments. Child jobs of an
 * array are not taggable, as in Batch. A job's tags never reach billing: its usage carries the
 * tags of the instance it runs on, its compute environment's `computeResources.tags`.
 */
import type { SimContext } from '../core/contract.js';
import { batchStateOf, clientError } from './model.js';
import { optionalList, requiredString, stringMap } from './input.js';

/** Most tags a Batch resource may carry. */
export const MAX_TAGS = 50;

function tagsOf(resourceArn: string, ctx: SimContext): Record<string, string> {
  const batch = batchStateOf(ctx.state);
  const match = /^arn:aws:batch:([a-z0-9-]+):\d{12}:(job|job-definition|job-queue|compute-environment)\/(.+)$/.exec(
    resourceArn,
  );
  const [, region, kind, name] = match ?? [];
  if (region === ctx.region && kind === 'job') {
    const job = name?.includes(':') ? undefined : batch.jobs[name ?? ''];
    if (job?.spec && job.region === region) return job.spec.tags;
  } else if (region === ctx.region && kind === 'job-definition') {
    const definition = batch.definitions.find((d) => d.jobDefinitionArn === resourceArn);
    if (definition) return definition.tags;
  } else if (region === ctx.region && kind === 'job-queue') {
    const queue = batch.queues.find((q) => q.jobQueueArn === resourceArn);
    if (queue) return queue.tags;
  } else if (region === ctx.region && kind === 'compute-environment') {
    const ce = batch.computeEnvironments.find((c) => c.computeEnvironmentArn === resourceArn);
    if (ce) return ce.tags;
  }
  throw clientError(`Resource ${resourceArn} does not exist or cannot be tagged.`);
}

/** ListTagsForResource: `{ tags }`. @throws ClientException for an unknown resource */
export function listTagsForResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  return { tags: { ...tagsOf(requiredString(input, 'resourceArn'), ctx) } };
}

/** TagResource: adds or replaces tags. @throws ClientException beyond 50 tags */
export function tagResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  const tags = tagsOf(requiredString(input, 'resourceArn'), ctx);
  const added = stringMap(input, 'tags');
  if (Object.keys({ ...tags, ...added }).length > MAX_TAGS)
    throw clientError(`A resource can have at most ${MAX_TAGS} tags.`);
  Object.assign(tags, added);
  return {};
}

/** UntagResource: removes the named tag keys. */
export function untagResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  const tags = tagsOf(requiredString(input, 'resourceArn'), ctx);
  for (const key of optionalList(input, 'tagKeys') ?? []) delete tags[String(key)];
  return {};
}
