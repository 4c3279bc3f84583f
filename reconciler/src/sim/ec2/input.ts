/**
 * Input checks shared by the EC2 handlers: required members, id formats, tag specifications,
 * tag limits and `MaxResults`/`NextToken` pagination, each failing with EC2's own error codes.
 */
import { SimError, wireText } from '../core/contract.js';

/** Id prefixes and the error codes EC2 uses for each resource kind. */
export const ID_KINDS = {
  instance: {
    re: /^i-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidInstanceID.Malformed',
    notFound: 'InvalidInstanceID.NotFound',
    label: 'instance ID',
  },
  volume: {
    re: /^vol-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidVolumeID.Malformed',
    notFound: 'InvalidVolume.NotFound',
    label: 'volume',
  },
  snapshot: {
    re: /^snap-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidSnapshotID.Malformed',
    notFound: 'InvalidSnapshot.NotFound',
    label: 'snapshot',
  },
  image: {
    re: /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidAMIID.Malformed',
    notFound: 'InvalidAMIID.NotFound',
    label: 'image id',
  },
  vpc: {
    re: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidVpcID.Malformed',
    notFound: 'InvalidVpcID.NotFound',
    label: 'vpc ID',
  },
  subnet: {
    re: /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidSubnetID.Malformed',
    notFound: 'InvalidSubnetID.NotFound',
    label: 'subnet ID',
  },
  securityGroup: {
    re: /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/,
    malformed: 'InvalidGroupId.Malformed',
    notFound: 'InvalidGroup.NotFound',
    label: 'security group',
  },
} as const;

/** A kind of EC2 resource with its own id prefix. */
export type IdKind = keyof typeof ID_KINDS;

/** The required string member `name`. @throws {SimError} `MissingParameter` */
export function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new SimError('MissingParameter', `The request must contain the parameter ${name}`);
  }
  return value;
}

/** A string list member, its items coerced with `String`, or [] when absent. */
export function coercedStringList(input: Record<string, unknown>, name: string): string[] {
  const value = input[name];
  return Array.isArray(value) ? value.map(String) : [];
}

/** Checks an id's format. @throws {SimError} the kind's `.Malformed` code */
export function checkId(kind: IdKind, id: string): void {
  const k = ID_KINDS[kind];
  if (!k.re.test(id)) throw new SimError(k.malformed, `Invalid id: "${id}"`);
}

/** The NotFound error for one or more ids, worded as EC2 words it. */
export function notFound(kind: IdKind, ids: string[]): SimError {
  const k = ID_KINDS[kind];
  if (ids.length === 1) return new SimError(k.notFound, `The ${k.label} '${ids[0]}' does not exist`);
  return new SimError(k.notFound, `The ${k.label}s '${ids.join(', ')}' do not exist`);
}

/** Checks tag limits: ≤50 per resource, key ≤128, value ≤256, no `aws:` prefix. */
export function checkTags(tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length > 50) throw new SimError('TagLimitExceeded', 'The maximum number of tags per resource is 50.');
  for (const key of keys) {
    if (key.length === 0 || key.length > 128)
      throw new SimError('InvalidParameterValue', `Tag key must be 1 to 128 characters: '${key}'`);
    if (key.toLowerCase().startsWith('aws:'))
      throw new SimError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use");
    if ((tags[key] ?? '').length > 256)
      throw new SimError('InvalidParameterValue', `Tag value for '${key}' exceeds 256 characters`);
  }
}

/** `[{Key, Value}]` into a record, checked. */
export function requestTags(list: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!Array.isArray(list)) return tags;
  for (const tag of list as ({ Key?: string; Value?: string } | null)[]) {
    if (typeof tag?.Key !== 'string')
      throw new SimError('MissingParameter', 'The request must contain the parameter Tag.Key');
    tags[tag.Key] = tag.Value ?? '';
  }
  checkTags(tags);
  return tags;
}

/** The tags of `TagSpecifications` for one resource type (`instance`, `volume`, `snapshot`, `image`). */
export function tagsFor(
  input: Record<string, unknown>,
  resourceType: string,
  allowed: string[],
): Record<string, string> {
  const specs = input.TagSpecifications;
  let tags: Record<string, string> = {};
  if (!Array.isArray(specs)) return tags;
  for (const spec of specs as { ResourceType?: string; Tags?: unknown }[]) {
    if (spec.ResourceType === undefined || !allowed.includes(spec.ResourceType)) {
      throw new SimError(
        'InvalidParameterValue',
        `'${String(spec.ResourceType)}' is not a valid taggable resource type for this operation.`,
      );
    }
    if (spec.ResourceType === resourceType) tags = { ...tags, ...requestTags(spec.Tags) };
  }
  return tags;
}

/** `[{Key, Value}]` as EC2 returns tags, or undefined when there are none. */
export function responseTags(tags: Record<string, string>): { Key: string; Value: string }[] | undefined {
  const keys = Object.keys(tags);
  return keys.length === 0 ? undefined : keys.map((Key) => ({ Key, Value: tags[Key] ?? '' }));
}

/** A page request: where to start and how many. */
export interface PageRequest {
  /** Resume after this creation sequence number. */
  after: number;
  limit: number;
}

/**
 * Reads `MaxResults`/`NextToken`; no `MaxResults` means everything. With `capped`, a value above
 * `max` asks for `max` items (DescribeVolumes, DescribeSnapshots: "if this value is larger than …,
 * only … results are returned"); otherwise it is out of range.
 * @throws {SimError} `InvalidParameterValue` out of range, `InvalidPaginationToken` for a bad token
 */
export function pageRequest(input: Record<string, unknown>, min: number, max: number, capped = false): PageRequest {
  const maxResults = input.MaxResults;
  let limit = Number.POSITIVE_INFINITY;
  if (maxResults !== undefined) {
    const n = Number(maxResults);
    if (!Number.isInteger(n) || n < min || (n > max && !capped)) {
      throw new SimError(
        'InvalidParameterValue',
        `Value ( ${wireText(maxResults)} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
      );
    }
    limit = Math.min(n, max);
  }
  const token = input.NextToken;
  if (token === undefined || token === '') return { after: Number.NEGATIVE_INFINITY, limit };
  const decoded = /^seq:(-?\d+)$/.exec(Buffer.from(wireText(token), 'base64url').toString('utf8'));
  if (decoded === null) throw new SimError('InvalidPaginationToken', `Invalid pagination token: ${wireText(token)}`);
  return { after: Number(decoded[1]), limit };
}

/**
 * Refuses a list of ids together with `MaxResults`, as the describe calls that take ids do
 * (`set` is EC2's name for the list in its message, e.g. `volumeSet`).
 * @throws {SimError} `InvalidParameterCombination`
 */
export function idsWithoutMaxResults(input: Record<string, unknown>, ids: readonly string[], set: string): void {
  if (ids.length > 0 && input.MaxResults !== undefined) {
    throw new SimError(
      'InvalidParameterCombination',
      `The parameter ${set} cannot be used with the parameter maxResults`,
    );
  }
}

/** The items of one page from a list in creation order, with the token for the next page. */
export function takePage<T extends { seq: number }>(
  items: Iterable<T>,
  page: PageRequest,
  keep: (item: T) => boolean,
): { items: T[]; nextToken?: string } {
  const out: T[] = [];
  for (const item of items) {
    if (item.seq <= page.after || !keep(item)) continue;
    if (out.length === page.limit) {
      const last = out[out.length - 1];
      return { items: out, nextToken: Buffer.from(`seq:${last?.seq ?? 0}`).toString('base64url') };
    }
    out.push(item);
  }
  return { items: out };
}
