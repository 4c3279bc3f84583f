/**
 * Image Builder components: CreateComponent (an immutable build version `component/NAME/VERSION/1`
 * holding an AWSTOE YAML document with build, validate and test phases), GetComponent,
 * ListComponents and DeleteComponent (refused while a recipe uses the version).
 */
import { parse } from 'yaml';
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import {
  checkName,
  checkSemver,
  compareSemver,
  ibArn,
  idempotent,
  imageBuilderStateOf,
  invalidRequest,
  invalidValue,
  listFilters,
  arnNotFound,
  optionalMember,
  ownerOf,
  page,
  parseArn,
  passes,
  requestIdOf,
  requiredMember,
  tagsMember,
  latestVersionReferences,
  validVersionPattern,
  versionMatches,
  dependencyError,
} from './model.js';
import type { IbComponent } from './model.js';

const PLATFORMS = ['Linux', 'Windows', 'macOS'];
const PHASES = ['build', 'validate', 'test'];
/** Most characters of an inline component document (AWS: 16,000). */
const MAX_DATA = 16_000;

/** One step of a component document. */
export interface DocumentStep {
  name: string;
  action: string;
}

/** The steps of each phase of an AWSTOE document. @throws {SimError} InvalidParameterValueException when it is not one */
export function documentPhases(data: string): Map<string, DocumentStep[]> {
  let doc: unknown;
  try {
    doc = parse(data);
  } catch (err: unknown) {
    throw invalidValue(
      `The value supplied for parameter 'data' is not a valid YAML document: ${(err as Error).message.split('\n')[0] ?? ''}`,
    );
  }
  const phases = (doc as { phases?: unknown } | null)?.phases;
  if (!Array.isArray(phases) || phases.length === 0)
    throw invalidValue("The value supplied for parameter 'data' is not valid: the document has no 'phases' list.");
  const out = new Map<string, DocumentStep[]>();
  for (const phase of phases as { name?: unknown; steps?: unknown }[]) {
    if (typeof phase.name !== 'string' || !PHASES.includes(phase.name))
      throw invalidValue(`The value supplied for parameter 'data' is not valid: phase names are ${PHASES.join(', ')}.`);
    if (!Array.isArray(phase.steps) || phase.steps.length === 0)
      throw invalidValue(`The value supplied for parameter 'data' is not valid: phase '${phase.name}' has no steps.`);
    const steps = (phase.steps as { name?: unknown; action?: unknown }[]).map((step) => {
      if (typeof step.name !== 'string' || typeof step.action !== 'string')
        throw invalidValue(
          `The value supplied for parameter 'data' is not valid: every step of phase '${String(phase.name)}' needs a name and an action.`,
        );
      return { name: step.name, action: step.action };
    });
    out.set(phase.name, steps);
  }
  return out;
}

/** The component build version an ARN names, in the caller's Region and account. */
export function componentByArn(ctx: SimContext, arn: string): IbComponent {
  const component = imageBuilderStateOf(ctx.state).components.find((c) => c.arn === arn && c.region === ctx.region);
  if (component === undefined) throw arnNotFound(arn);
  return component;
}

/**
 * The component a recipe's `componentArn` resolves to: an exact build version, or the newest
 * version matching a `major.minor.patch` with `x` wildcards (`component/name/1.x.x`, `x.x.x`).
 */
export function resolveComponent(ctx: SimContext, arn: string): IbComponent {
  const parsed = parseArn(arn);
  if (parsed?.type !== 'component' || parsed.version === undefined || !validVersionPattern(parsed.version))
    throw invalidValue(`The value supplied for parameter 'componentArn' is not valid: ${arn}.`);
  const candidates = imageBuilderStateOf(ctx.state)
    .components.filter(
      (c) =>
        c.region === parsed.region &&
        parsed.region === ctx.region &&
        parsed.account === ctx.config.accountId &&
        c.arn.split('/')[1] === parsed.name &&
        versionMatches(parsed.version ?? '', c.version) &&
        (parsed.build === undefined || c.arn.endsWith(`/${parsed.build}`)),
    )
    .sort((a, b) => compareSemver(b.version, a.version));
  const found = candidates[0];
  if (found === undefined) throw arnNotFound(arn);
  return found;
}

function componentOutput(c: IbComponent): Record<string, unknown> {
  return {
    arn: c.arn,
    name: c.name,
    version: c.version,
    description: c.description,
    changeDescription: c.changeDescription,
    type: documentPhases(c.data).has('test') && !documentPhases(c.data).has('build') ? 'TEST' : 'BUILD',
    platform: c.platform,
    supportedOsVersions: c.supportedOsVersions,
    state: { status: 'ACTIVE' },
    owner: c.arn.split(':')[4],
    data: c.data,
    kmsKeyId: c.kmsKeyId,
    encrypted: true,
    dateCreated: c.dateCreated,
    tags: { ...c.tags },
  };
}

/** CreateComponent: a new immutable build version. */
export function createComponent(input: Record<string, unknown>, ctx: SimContext): unknown {
  return idempotent('CreateComponent', input, ctx, () => {
    const name = requiredMember(input, 'name');
    checkName(name);
    const version = requiredMember(input, 'semanticVersion');
    checkSemver(version, 'semanticVersion');
    const platform = requiredMember(input, 'platform');
    if (!PLATFORMS.includes(platform))
      throw invalidValue(
        `The value supplied for parameter 'platform' is not valid. Valid values are ${PLATFORMS.join(', ')}.`,
      );
    const data = optionalMember(input, 'data');
    const uri = optionalMember(input, 'uri');
    if ((data === undefined) === (uri === undefined))
      throw invalidRequest("You must specify exactly one of the parameters 'data' and 'uri'.");
    if (data === undefined)
      throw invalidRequest("The simulator cannot read S3: give the component document inline in 'data'.");
    if (data.length > MAX_DATA)
      throw invalidValue(`The value supplied for parameter 'data' is longer than ${MAX_DATA} characters.`);
    documentPhases(data);
    const os = input.supportedOsVersions;
    if (os !== undefined && (!Array.isArray(os) || os.length === 0 || os.some((v) => typeof v !== 'string')))
      throw invalidValue("The value supplied for parameter 'supportedOsVersions' must be a non-empty list of strings.");
    const tags = tagsMember(input);
    const ib = imageBuilderStateOf(ctx.state);
    const arn = ibArn(ctx, 'component', name, version, 1);
    if (ib.components.some((c) => c.arn === arn))
      throw new SimError('ResourceAlreadyExistsException', `The following resource '${arn}' already exists.`, 400);
    if (input.dryRun === true) throw new SimError('DryRunOperationException', 'The request would have succeeded.', 412);
    ib.components.push({
      arn,
      region: ctx.region,
      name,
      version,
      description: optionalMember(input, 'description'),
      changeDescription: optionalMember(input, 'changeDescription'),
      platform,
      supportedOsVersions: os as string[] | undefined,
      data,
      kmsKeyId: optionalMember(input, 'kmsKeyId'),
      dateCreated: ctx.now.toISOString(),
      tags,
    });
    return { componentBuildVersionArn: arn, latestVersionReferences: latestVersionReferences(arn) };
  });
}

/** GetComponent by build version ARN. */
export function getComponent(input: Record<string, unknown>, ctx: SimContext): unknown {
  // "Version ARNs resolve to the latest available matching component build version" (GetComponent).
  const component = resolveComponent(ctx, requiredMember(input, 'componentBuildVersionArn'));
  return {
    requestId: requestIdOf(ctx),
    component: componentOutput(component),
    latestVersionReferences: latestVersionReferences(component.arn),
  };
}

/** ListComponents: the newest build of each version (`owner` Self), filtered by name, platform, version, type, supportedOsVersion. */
export function listComponents(input: Record<string, unknown>, ctx: SimContext): unknown {
  const owner = ownerOf(input);
  const filters = listFilters(input, ['description', 'name', 'platform', 'supportedOsVersion', 'type', 'version']);
  const byName = input.byName === true;
  const mine = owner === 'Self' ? imageBuilderStateOf(ctx.state).components.filter((c) => c.region === ctx.region) : [];
  const matching = mine.filter((c) =>
    passes(filters, (f) => {
      if (f === 'supportedOsVersion') return c.supportedOsVersions?.find((v) => filters.get(f)?.includes(v));
      if (f === 'type') return componentOutput(c).type as string;
      return (c as unknown as Record<string, string | undefined>)[f];
    }),
  );
  const sorted = [...matching].sort((a, b) =>
    a.name === b.name ? compareSemver(a.version, b.version) : a.name < b.name ? -1 : 1,
  );
  const listed = byName ? sorted.filter((c, i) => sorted[i + 1]?.name !== c.name) : sorted;
  const result = page(input, listed);
  return {
    requestId: requestIdOf(ctx),
    componentVersionList: result.items.map((c) => {
      const out = componentOutput(c);
      return {
        arn: c.arn.replace(/\/\d+$/, ''),
        name: c.name,
        version: c.version,
        description: c.description,
        platform: c.platform,
        supportedOsVersions: c.supportedOsVersions,
        type: out.type,
        owner: out.owner,
        dateCreated: c.dateCreated,
        status: 'ACTIVE',
      };
    }),
    nextToken: result.nextToken,
  };
}

/** DeleteComponent: refused while an image recipe uses the build version. */
export function deleteComponent(input: Record<string, unknown>, ctx: SimContext): unknown {
  const arn = requiredMember(input, 'componentBuildVersionArn');
  const component = componentByArn(ctx, arn);
  const ib = imageBuilderStateOf(ctx.state);
  const user = ib.recipes.find(
    (r) => r.region === ctx.region && r.components.some((c) => resolvesTo(ctx, c.componentArn, component)),
  );
  if (user !== undefined) throw dependencyError(arn, user.arn);
  ib.components = ib.components.filter((c) => c !== component);
  return { requestId: requestIdOf(ctx), componentBuildVersionArn: arn };
}

function resolvesTo(ctx: SimContext, reference: string, component: IbComponent): boolean {
  const parsed = parseArn(reference);
  return (
    parsed !== undefined &&
    parsed.region === ctx.region &&
    component.arn.split('/')[1] === parsed.name &&
    versionMatches(parsed.version ?? '', component.version)
  );
}
