/**
 * Image Builder resource tags by ARN (`/tags/{resourceArn}`): ListTagsForResource, TagResource and
 * UntagResource for components, image recipes, infrastructure and distribution configurations and
 * images. Tags added to an image after its build started do not reach its build instance's billing.
 */
import type { SimContext } from '../core/contract.js';
import { imageBuilderOf, invalidValue, notFound, requiredString, tagsMember } from './model.js';

function tagsOf(ctx: SimContext, arn: string): Record<string, string> {
  const ib = imageBuilderOf(ctx.state);
  const all: { arn: string; region: string; tags: Record<string, string> }[] = [
    ...ib.components,
    ...ib.recipes,
    ...ib.infrastructure,
    ...ib.distributions,
    ...ib.images,
  ];
  const found = all.find((r) => r.arn === arn && r.region === ctx.region);
  if (found === undefined) {
    if (!arn.startsWith('arn:aws:imagebuilder:'))
      throw invalidValue(`The value supplied for parameter 'resourceArn' is not valid: '${arn}'.`);
    throw notFound(arn);
  }
  return found.tags;
}

/** ListTagsForResource: `{ tags }`. */
export function listTagsForResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  return { tags: { ...tagsOf(ctx, requiredString(input, 'resourceArn')) } };
}

/** TagResource: adds or replaces tags (at most 50 on a resource). */
export function tagResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  const tags = tagsOf(ctx, requiredString(input, 'resourceArn'));
  const added = tagsMember(input);
  if (Object.keys({ ...tags, ...added }).length > 50) throw invalidValue('A resource can have at most 50 tags.');
  Object.assign(tags, added);
  return {};
}

/** UntagResource: removes the named keys. */
export function untagResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  const tags = tagsOf(ctx, requiredString(input, 'resourceArn'));
  const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as unknown[]) : [];
  if (keys.length === 0) throw invalidValue("The value supplied for parameter 'tagKeys' must name at least one key.");
  for (const key of keys) delete tags[String(key)];
  return {};
}
