/**
 * Image Builder resource tags by ARN (`/tags/{resourceArn}`): ListTagsForResource, TagResource and
 * UntagResource for components, image recipes, infrastructure and distribution configurations and
 * images. Tags added to an image after its build started do not reach its build instance's billing.
 */
import type { SimContext } from '../core/contract.js';
import { imageBuilderStateOf, invalidValue, arnNotFound, requiredMember, tagsMember } from './model.js';

function tagsOf(ctx: SimContext, arn: string): Record<string, string> {
  const ib = imageBuilderStateOf(ctx.state);
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
    throw arnNotFound(arn);
  }
  return found.tags;
}

/** ListTagsForResource: `{ tags }`. */
export function listImageBuilderTags(input: Record<string, unknown>, ctx: SimContext): unknown {
  return { tags: { ...tagsOf(ctx, requiredMember(input, 'resourceArn')) } };
}

/** TagResource: adds or replaces tags (at most 50 on a resource). */
export function tagImageBuilderResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  const tags = tagsOf(ctx, requiredMember(input, 'resourceArn'));
  const added = tagsMember(input);
  if (Object.keys({ ...tags, ...added }).length > 50) throw invalidValue('A resource can have at most 50 tags.');
  Object.assign(tags, added);
  return {};
}

/** UntagResource: removes the named keys. */
export function untagImageBuilderResource(input: Record<string, unknown>, ctx: SimContext): unknown {
  const tags = tagsOf(ctx, requiredMember(input, 'resourceArn'));
  const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as unknown[]) : [];
  if (keys.length === 0) throw invalidValue("The value supplied for parameter 'tagKeys' must name at least one key.");
  for (const key of keys) delete tags[String(key)];
  return {};
}
