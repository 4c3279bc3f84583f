/**
 * The Image Builder slice of the simulated account: components, image recipes, infrastructure and
 * distribution configurations, and image builds, with the helpers every Image Builder operation
 * shares (ARNs, semantic versions, errors, idempotency tokens, pages).
 */
import type { SimContext, SimState } from '../core/contract.js';
import { SimError } from '../core/contract.js';

/** Every status an image build passes through, in order, and the two ends it can reach. */
export type ImageStatus =
  | 'PENDING'
  | 'CREATING'
  | 'BUILDING'
  | 'TESTING'
  | 'DISTRIBUTING'
  | 'INTEGRATING'
  | 'AVAILABLE'
  | 'CANCELLED'
  | 'FAILED'
  | 'DELETED';

/** A build version of a component: immutable once created. */
export interface IbComponent {
  arn: string;
  region: string;
  name: string;
  version: string;
  description?: string;
  changeDescription?: string;
  platform: string;
  supportedOsVersions?: string[];
  /** The YAML document (phases build, validate, test). */
  data: string;
  kmsKeyId?: string;
  dateCreated: string;
  tags: Record<string, string>;
}

/** One component of a recipe, as given (ARN with a build version or an `x` wildcard version). */
export interface IbComponentConfiguration {
  componentArn: string;
  parameters?: { name: string; value: string[] }[];
}

/** An image recipe version: immutable once created. */
export interface IbImageRecipe {
  arn: string;
  region: string;
  name: string;
  version: string;
  description?: string;
  platform: string;
  parentImage: string;
  components: IbComponentConfiguration[];
  blockDeviceMappings: Record<string, unknown>[];
  workingDirectory?: string;
  additionalInstanceConfiguration?: Record<string, unknown>;
  /** Root volume of the parent image (GiB), for snapshot sizes when no mapping sets one. */
  parentRootGiB: number;
  parentRootDevice: string;
  dateCreated: string;
  tags: Record<string, string>;
}

/** An infrastructure configuration (mutable in AWS; the sim has no Update). */
export interface IbInfrastructureConfiguration {
  arn: string;
  region: string;
  name: string;
  description?: string;
  instanceTypes: string[];
  instanceProfileName: string;
  subnetId?: string;
  securityGroupIds?: string[];
  terminateInstanceOnFailure: boolean;
  keyPair?: string;
  snsTopicArn?: string;
  logging?: Record<string, unknown>;
  resourceTags?: Record<string, string>;
  instanceMetadataOptions?: Record<string, unknown>;
  dateCreated: string;
  tags: Record<string, string>;
}

/** One Region of a distribution configuration. */
export interface IbDistribution {
  region: string;
  amiDistributionConfiguration?: {
    name?: string;
    description?: string;
    amiTags?: Record<string, string>;
    kmsKeyId?: string;
    targetAccountIds?: string[];
    launchPermission?: Record<string, unknown>;
  };
  licenseConfigurationArns?: string[];
}

/** A distribution configuration. */
export interface IbDistributionConfiguration {
  arn: string;
  region: string;
  name: string;
  description?: string;
  distributions: IbDistribution[];
  timeoutMinutes: number;
  dateCreated: string;
  tags: Record<string, string>;
}

/** One scheduled step of a build: the status it enters and when (epoch ms). */
export interface IbStep {
  status: ImageStatus;
  at: number;
}

/** An AMI a build distributed. */
export interface IbAmi {
  region: string;
  image: string;
  name: string;
  description?: string;
  accountId: string;
}

/** An image build version (`image/NAME/VERSION/BUILD`). */
export interface IbImage {
  arn: string;
  region: string;
  name: string;
  version: string;
  buildVersion: number;
  platform: string;
  osVersion?: string;
  recipeArn: string;
  infrastructureConfigurationArn: string;
  distributionConfigurationArn?: string;
  imageTestsEnabled: boolean;
  timeoutMinutes: number;
  enhancedImageMetadataEnabled: boolean;
  status: ImageStatus;
  reason?: string;
  dateCreated: string;
  /** Transitions still to come, in time order; the first is due next. */
  steps: IbStep[];
  /** Set when a fault makes the build fail: the phase it fails in and the reason. */
  failure?: { at: 'BUILDING' | 'TESTING'; reason: string };
  /** Build instance id while it runs (billed BUILDING → end of TESTING). */
  instanceId?: string;
  instanceType: string;
  /** Snapshots started for the AMIs while DISTRIBUTING, by Region. */
  pendingAmis?: {
    region: string;
    name: string;
    description?: string;
    tags: Record<string, string>;
    snapshots: string[];
  }[];
  amis: IbAmi[];
  tags: Record<string, string>;
  /**
   * A component the build runs enables labops' marker unit (read when the build starts), so its
   * AMIs print the readiness marker at every boot. @default undefined (no)
   */
  bootMarker?: boolean;
}

/** A remembered client token: which operation, the request's fingerprint, and the answer. */
export interface IbToken {
  fingerprint: string;
  result: Record<string, unknown>;
}

/** The Image Builder slice of {@link SimState}. */
export interface ImageBuilderState {
  components: IbComponent[];
  recipes: IbImageRecipe[];
  infrastructure: IbInfrastructureConfiguration[];
  distributions: IbDistributionConfiguration[];
  images: IbImage[];
  /** Last build number of each recipe (`region|recipeArn`): never reused, even after DeleteImage. */
  buildCounters: Record<string, number>;
  /** Keyed `region|operation|clientToken`. */
  tokens: Record<string, IbToken>;
}

/** A fresh, empty slice. */
export function initialImageBuilderState(): ImageBuilderState {
  return {
    components: [],
    recipes: [],
    infrastructure: [],
    distributions: [],
    images: [],
    buildCounters: {},
    tokens: {},
  };
}

/** The slice of the state, created when missing (a state saved before Image Builder existed). */
export function imageBuilderStateOf(state: SimState): ImageBuilderState {
  const slices = state as unknown as Record<string, unknown>;
  const slice = slices.imagebuilder as Partial<ImageBuilderState> | undefined;
  if (slice?.components === undefined) slices.imagebuilder = { ...initialImageBuilderState(), ...(slice ?? {}) };
  return slices.imagebuilder as ImageBuilderState;
}

/** `InvalidParameterValueException`: a member's value is not allowed. */
export function invalidValue(message: string): SimError {
  return new SimError('InvalidParameterValueException', message, 400);
}

/** `InvalidRequestException`: the request as a whole is not valid. */
export function invalidRequest(message: string): SimError {
  return new SimError('InvalidRequestException', message, 400);
}

/** `ResourceNotFoundException` (404). */
export function arnNotFound(arn: string): SimError {
  return new SimError('ResourceNotFoundException', `The resource ARN '${arn}' does not exist.`, 404);
}

/** `ResourceDependencyException`: a delete refused while another resource (`userArn`) references `arn`. */
export function dependencyError(arn: string, userArn: string): SimError {
  return new SimError(
    'ResourceDependencyException',
    `Resource dependency error: The resource '${arn}' is referenced by the resource '${userArn}'.`,
    400,
  );
}

/** The name part of an ARN as Image Builder writes it: lower case, spaces as hyphens. */
export function arnName(name: string): string {
  return name.toLowerCase().replace(/ /g, '-');
}

/** `arn:aws:imagebuilder:REGION:ACCOUNT:TYPE/NAME[/VERSION[/BUILD]]`. */
export function ibArn(ctx: SimContext, type: string, name: string, version?: string, build?: number): string {
  const tail = [arnName(name), version, build === undefined ? undefined : String(build)].filter((p) => p !== undefined);
  return `arn:aws:imagebuilder:${ctx.region}:${ctx.config.accountId}:${type}/${tail.join('/')}`;
}

/** What an Image Builder ARN names. */
export interface ParsedArn {
  region: string;
  account: string;
  type: string;
  name: string;
  version?: string;
  build?: string;
}

/** Splits an Image Builder ARN; undefined when it is not one. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m =
    /^arn:aws[a-z-]*:imagebuilder:([a-z0-9-]+):(\d{12}|aws):([a-z-]+)\/([a-z0-9-_.]+)(?:\/([0-9x.]+))?(?:\/(\d+))?$/.exec(
      arn,
    );
  if (m === null) return undefined;
  const [, region = '', account = '', type = '', name = '', version, build] = m;
  return {
    region,
    account,
    type,
    name,
    ...(version === undefined ? {} : { version }),
    ...(build === undefined ? {} : { build }),
  };
}

const SEMVER = /^(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})$/;

/** Largest value of a version node: 2^30-1. */
export const MAX_VERSION_NODE = 1_073_741_823;

/**
 * Checks a semantic version `major.minor.patch` (each a whole number from 0 to 2^30-1).
 * @throws {SimError} `InvalidVersionNumberException`
 */
export function checkSemver(version: string, member: string): void {
  if (!SEMVER.test(version) || version.split('.').some((n) => Number(n) > MAX_VERSION_NODE))
    throw new SimError(
      'InvalidVersionNumberException',
      `The ${member} '${version}' is not valid. Use the semantic version format <major>.<minor>.<patch>.`,
      400,
    );
}

/** Orders semantic versions ascending (`1.2.10` after `1.2.9`). */
export function compareSemver(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether a version matches a filter with `x` wildcards (`1.x.x`, `x.x.x`). */
export function versionMatches(pattern: string, version: string): boolean {
  if (!validVersionPattern(pattern)) return false;
  const p = pattern.split('.');
  const v = version.split('.');
  return p.length === 3 && p.every((part, i) => part === 'x' || part === v[i]);
}

/**
 * Whether a version selector is valid: `major.minor.patch` where `x` stands for any node, and every
 * node to the right of the first `x` is an `x` too (`1.x.x`, not `x.2.x` or `1.x.8`).
 */
export function validVersionPattern(pattern: string): boolean {
  const parts = pattern.split('.');
  if (parts.length !== 3 || parts.some((p) => p !== 'x' && !/^(0|[1-9]\d{0,9})$/.test(p))) return false;
  const first = parts.indexOf('x');
  return first === -1 || parts.slice(first).every((p) => p === 'x');
}

/** The `latestVersionReferences` of a versioned resource: its ARN with `x` from each node on. */
export function latestVersionReferences(buildOrVersionArn: string): Record<string, string> {
  const m = /^(.*\/)(\d+)\.(\d+)\.(\d+)(?:\/\d+)?$/.exec(buildOrVersionArn);
  if (m === null) return {};
  const [, base = '', major = '', minor = '', patch = ''] = m;
  return {
    latestVersionArn: `${base}x.x.x`,
    latestMajorVersionArn: `${base}${major}.x.x`,
    latestMinorVersionArn: `${base}${major}.${minor}.x`,
    latestPatchVersionArn: `${base}${major}.${minor}.${patch}`,
  };
}

/** A required string member. @throws {SimError} InvalidRequestException when missing */
export function requiredMember(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '')
    throw invalidRequest(`The value supplied for parameter '${member}' is not valid. The ${member} is required.`);
  return value;
}

/** An optional string member. @throws {SimError} InvalidParameterValueException when not a string */
export function optionalMember(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidValue(`The value supplied for parameter '${member}' must be a string.`);
  return value;
}

/** A name member: 1–126 characters of letters, digits, hyphens, underscores, spaces and dots. */
export function checkName(name: string, member = 'name'): void {
  if (!/^[-_A-Za-z0-9][-_A-Za-z0-9 .]{0,125}$/.test(name))
    throw invalidValue(
      `The value supplied for parameter '${member}' is not valid. Names must match the pattern ^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$.`,
    );
}

/** A tags map (at most 50 string pairs). */
export function tagsMember(input: Record<string, unknown>, member = 'tags'): Record<string, string> {
  const raw = input[member];
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidValue(`The value supplied for parameter '${member}' must be a map.`);
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string' || k.length < 1 || k.length > 128 || v.length > 256 || k.startsWith('aws:'))
      throw invalidValue(`The value supplied for parameter '${member}' is not valid: tag '${k}'.`);
    tags[k] = v;
  }
  if (Object.keys(tags).length > 50)
    throw invalidValue(`The value supplied for parameter '${member}' has more than 50 tags.`);
  return tags;
}

/**
 * Runs a create under `clientToken` idempotency: the same token with the same request answers the
 * first result again; the same token with a different request is `IdempotentParameterMismatchException`.
 * Every answer carries the token back as `clientToken`.
 */
export function idempotent(
  operation: string,
  input: Record<string, unknown>,
  ctx: SimContext,
  create: () => Record<string, unknown>,
): Record<string, unknown> {
  const token = optionalMember(input, 'clientToken');
  if (token === undefined) return { requestId: requestIdOf(ctx), ...create() };
  if (token.length < 1 || token.length > 36)
    throw invalidValue("The value supplied for parameter 'clientToken' is longer than 36 characters.");
  const ib = imageBuilderStateOf(ctx.state);
  const key = `${ctx.region}|${operation}|${token}`;
  const { clientToken: _token, ...rest } = input;
  const fingerprint = canonical(rest);
  const previous = ib.tokens[key];
  if (previous !== undefined) {
    if (previous.fingerprint !== fingerprint)
      throw new SimError(
        'IdempotentParameterMismatchException',
        `The client token '${token}' was already used with a different request.`,
        400,
      );
    return { ...previous.result };
  }
  const result = { requestId: requestIdOf(ctx), clientToken: token, ...create() };
  ib.tokens[key] = { fingerprint, result };
  return result;
}

/** JSON with object keys sorted at every level, so member order does not change a fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** A request id for the body of a reply (Image Builder answers echo one). */
export function requestIdOf(ctx: SimContext): string {
  const hex = Math.floor(ctx.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return `${hex}-0000-4000-8000-${ctx.state.nextId.toString(16).padStart(12, '0')}`;
}

/** One page of `items`: `maxResults` (1–25, default 25) from the `nextToken` offset. */
export function page<T>(input: Record<string, unknown>, items: readonly T[]): { items: T[]; nextToken?: string } {
  const max = input.maxResults === undefined || input.maxResults === null ? 25 : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > 25)
    throw invalidValue("The value supplied for parameter 'maxResults' must be between 1 and 25.");
  let offset = 0;
  const token = input.nextToken;
  if (token !== undefined && token !== null) {
    const m = typeof token === 'string' ? /^ib-page-(\d+)$/.exec(token) : null;
    if (m === null) throw new SimError('InvalidPaginationTokenException', 'The nextToken is not valid.', 400);
    offset = Number(m[1]);
  }
  const slice = items.slice(offset, offset + max);
  return offset + max < items.length ? { items: slice, nextToken: `ib-page-${offset + max}` } : { items: slice };
}

/** The `filters` of a List call as `name → values`, refusing names the operation does not document. */
export function listFilters(input: Record<string, unknown>, allowed: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const raw = input.filters;
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 10)
    throw invalidValue("The value supplied for parameter 'filters' must be a list of 1 to 10 filters.");
  for (const f of raw as { name?: unknown; values?: unknown }[]) {
    if (typeof f.name !== 'string' || !allowed.includes(f.name))
      throw invalidValue(
        `The filter name '${String(f.name)}' is not valid. Valid filter names are: ${allowed.join(', ')}.`,
      );
    if (!Array.isArray(f.values) || f.values.length === 0 || f.values.some((v) => typeof v !== 'string'))
      throw invalidValue(`The filter '${f.name}' needs at least one string value.`);
    out.set(f.name, f.values as string[]);
  }
  return out;
}

/** Whether an item passes every filter (values of one filter are alternatives). */
export function passes(filters: Map<string, string[]>, value: (name: string) => string | undefined): boolean {
  for (const [name, values] of filters) {
    const v = value(name);
    if (v === undefined || !values.includes(v)) return false;
  }
  return true;
}

/** The `owner` of a List call: `Self` (default), `Shared`, `Amazon`, `ThirdParty`, `AWSMarketplace`. */
export function ownerOf(input: Record<string, unknown>): string {
  const owner = input.owner ?? 'Self';
  if (typeof owner !== 'string' || !['Self', 'Shared', 'Amazon', 'ThirdParty', 'AWSMarketplace'].includes(owner))
    throw invalidValue("The value supplied for parameter 'owner' is not valid.");
  return owner;
}
