/**
 * CreateTags and DeleteTags on any EC2 resource id (instance, volume, snapshot, own image). A tag
 * change closes the resource's open billing segments and reopens them with the new tags, so
 * Cost Explorer attributes each hour to the tags it had then.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { checkTags, notFound, coercedStringList, requestTags } from './input.js';
import type { IdKind } from './input.js';
import { ec2Of } from './model.js';
import { retagSegments } from './usage.js';

interface Tagged {
  id: string;
  tags: Record<string, string>;
}

/** The kinds whose tags the sim keeps (VPCs, subnets and security groups carry none). */
type TaggableKind = Extract<IdKind, 'instance' | 'volume' | 'snapshot' | 'image'>;

const PREFIXES: [string, TaggableKind][] = [
  ['i-', 'instance'],
  ['vol-', 'volume'],
  ['snap-', 'snapshot'],
  ['ami-', 'image'],
];

function resource(id: string, ctx: SimContext): Tagged {
  const kind = PREFIXES.find(([prefix]) => id.startsWith(prefix))?.[1];
  if (kind === undefined) throw new SimError('InvalidID', `The ID '${id}' is not valid`);
  const ec2 = ec2Of(ctx.state);
  const found = { instance: ec2.instances, volume: ec2.volumes, snapshot: ec2.snapshots, image: ec2.images }[kind][id];
  if (found === undefined || found.region !== ctx.region) throw notFound(kind, [id]);
  return found;
}

function targets(input: Record<string, unknown>, ctx: SimContext): Tagged[] {
  const ids = coercedStringList(input, 'Resources');
  if (ids.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  return ids.map((id) => resource(id, ctx));
}

/** The CreateTags handler: adds or overwrites tags on every resource, or on none if one fails. */
export function createTags(input: Record<string, unknown>, ctx: SimContext): unknown {
  const resources = targets(input, ctx);
  const tags = requestTags(input.Tags);
  if (Object.keys(tags).length === 0)
    throw new SimError('MissingParameter', 'The request must contain the parameter Tags');
  for (const r of resources) checkTags({ ...r.tags, ...tags });
  for (const r of resources) {
    Object.assign(r.tags, tags);
    retagSegments(ctx.state, r.id, r.tags, ctx.now.toISOString());
  }
  return {};
}

/** The DeleteTags handler: without Tags deletes all; a tag with a Value is deleted only on a match. */
export function deleteTags(input: Record<string, unknown>, ctx: SimContext): unknown {
  const resources = targets(input, ctx);
  const wanted = Array.isArray(input.Tags) ? (input.Tags as { Key?: string; Value?: string }[]) : undefined;
  for (const r of resources) {
    if (wanted === undefined) {
      for (const key of Object.keys(r.tags)) delete r.tags[key];
    } else {
      for (const tag of wanted) {
        if (tag.Key === undefined) continue;
        if (tag.Value === undefined || r.tags[tag.Key] === tag.Value) delete r.tags[tag.Key];
      }
    }
    retagSegments(ctx.state, r.id, r.tags, ctx.now.toISOString());
  }
  return {};
}
