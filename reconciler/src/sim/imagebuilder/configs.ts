/**
 * Infrastructure configurations (where a build runs: instance types, instance profile, optional
 * subnet and security groups) and distribution configurations (the Regions the output AMI goes to,
 * with its name and tags): Create, Get, List and Delete of each, deletes refused while an image
 * build uses the configuration.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import {
  checkName,
  ibArn,
  idempotent,
  imageBuilderStateOf,
  invalidRequest,
  invalidValue,
  listFilters,
  arnNotFound,
  optionalMember,
  page,
  passes,
  requestIdOf,
  requiredMember,
  tagsMember,
  dependencyError,
} from './model.js';
import type { IbDistribution, IbDistributionConfiguration, IbInfrastructureConfiguration } from './model.js';

/** Instance type a build uses when the configuration names none (AWS picks by architecture). */
export const DEFAULT_BUILD_INSTANCE_TYPE = 'm5.large';

function stringList(input: Record<string, unknown>, member: string): string[] | undefined {
  const raw = input[member];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string'))
    throw invalidValue(`The value supplied for parameter '${member}' must be a list of strings.`);
  return raw as string[];
}

/** The infrastructure configuration an ARN names in the caller's Region. */
export function infrastructureByArn(ctx: SimContext, arn: string): IbInfrastructureConfiguration {
  const found = imageBuilderStateOf(ctx.state).infrastructure.find((c) => c.arn === arn && c.region === ctx.region);
  if (found === undefined) throw arnNotFound(arn);
  return found;
}

/** The distribution configuration an ARN names in the caller's Region. */
export function distributionByArn(ctx: SimContext, arn: string): IbDistributionConfiguration {
  const found = imageBuilderStateOf(ctx.state).distributions.find((c) => c.arn === arn && c.region === ctx.region);
  if (found === undefined) throw arnNotFound(arn);
  return found;
}

/** The infrastructure configuration as GetInfrastructureConfiguration and GetImage write it. */
export function infrastructureOutput(c: IbInfrastructureConfiguration): Record<string, unknown> {
  const { region: _region, tags, ...rest } = c;
  return { ...rest, tags: { ...tags } };
}

/** The distribution configuration as GetDistributionConfiguration and GetImage write it. */
export function distributionOutput(c: IbDistributionConfiguration): Record<string, unknown> {
  const { region: _region, tags, ...rest } = c;
  return { ...rest, tags: { ...tags } };
}

/** CreateInfrastructureConfiguration. */
export function createInfrastructureConfiguration(input: Record<string, unknown>, ctx: SimContext): unknown {
  return idempotent('CreateInfrastructureConfiguration', input, ctx, () => {
    const name = requiredMember(input, 'name');
    checkName(name);
    const instanceProfileName = requiredMember(input, 'instanceProfileName');
    const instanceTypes = stringList(input, 'instanceTypes') ?? [];
    for (const t of instanceTypes)
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t))
        throw invalidValue(`The value supplied for parameter 'instanceTypes' is not valid: '${t}'.`);
    const subnetId = optionalMember(input, 'subnetId');
    const securityGroupIds = stringList(input, 'securityGroupIds');
    if (securityGroupIds !== undefined && subnetId === undefined)
      throw invalidRequest("You must specify 'subnetId' when you specify 'securityGroupIds'.");
    const terminate = input.terminateInstanceOnFailure;
    if (terminate !== undefined && typeof terminate !== 'boolean')
      throw invalidValue("The value supplied for parameter 'terminateInstanceOnFailure' must be a boolean.");
    const tags = tagsMember(input);
    const resourceTags = tagsMember(input, 'resourceTags');
    const ib = imageBuilderStateOf(ctx.state);
    const arn = ibArn(ctx, 'infrastructure-configuration', name);
    if (ib.infrastructure.some((c) => c.arn === arn))
      throw new SimError('ResourceAlreadyExistsException', `The following resource '${arn}' already exists.`, 400);
    ib.infrastructure.push({
      arn,
      region: ctx.region,
      name,
      description: optionalMember(input, 'description'),
      instanceTypes,
      instanceProfileName,
      ...(subnetId === undefined ? {} : { subnetId }),
      ...(securityGroupIds === undefined ? {} : { securityGroupIds }),
      terminateInstanceOnFailure: terminate ?? true,
      keyPair: optionalMember(input, 'keyPair'),
      snsTopicArn: optionalMember(input, 'snsTopicArn'),
      logging: input.logging as Record<string, unknown> | undefined,
      ...(Object.keys(resourceTags).length === 0 ? {} : { resourceTags }),
      instanceMetadataOptions: input.instanceMetadataOptions as Record<string, unknown> | undefined,
      dateCreated: ctx.now.toISOString(),
      tags,
    });
    return { infrastructureConfigurationArn: arn };
  });
}

/** GetInfrastructureConfiguration. */
export function getInfrastructureConfiguration(input: Record<string, unknown>, ctx: SimContext): unknown {
  const config = infrastructureByArn(ctx, requiredMember(input, 'infrastructureConfigurationArn'));
  return { requestId: requestIdOf(ctx), infrastructureConfiguration: infrastructureOutput(config) };
}

/** ListInfrastructureConfigurations, filtered by name. */
export function listInfrastructureConfigurations(input: Record<string, unknown>, ctx: SimContext): unknown {
  const filters = listFilters(input, ['name']);
  const mine = imageBuilderStateOf(ctx.state).infrastructure.filter((c) => c.region === ctx.region);
  const result = page(
    input,
    mine.filter((c) => passes(filters, () => c.name)),
  );
  return {
    requestId: requestIdOf(ctx),
    infrastructureConfigurationSummaryList: result.items.map((c) => ({
      arn: c.arn,
      name: c.name,
      description: c.description,
      dateCreated: c.dateCreated,
      resourceTags: c.resourceTags,
      tags: { ...c.tags },
      instanceTypes: c.instanceTypes,
      instanceProfileName: c.instanceProfileName,
    })),
    nextToken: result.nextToken,
  };
}

/** DeleteInfrastructureConfiguration: refused while an image build uses it. */
export function deleteInfrastructureConfiguration(input: Record<string, unknown>, ctx: SimContext): unknown {
  const arn = requiredMember(input, 'infrastructureConfigurationArn');
  const config = infrastructureByArn(ctx, arn);
  const ib = imageBuilderStateOf(ctx.state);
  const user = ib.images.find((i) => i.infrastructureConfigurationArn === arn);
  if (user !== undefined) throw dependencyError(arn, user.arn);
  ib.infrastructure = ib.infrastructure.filter((c) => c !== config);
  return { requestId: requestIdOf(ctx), infrastructureConfigurationArn: arn };
}

/** AMI names: 1–127 characters of letters, digits, spaces and `-_.:{}` (for `{{ imagebuilder:buildDate }}`). */
const AMI_NAME = /^[-_A-Za-z0-9{][-_A-Za-z0-9\s:{}.]+[-_A-Za-z0-9}]$/;

function distributionsMember(input: Record<string, unknown>): IbDistribution[] {
  const raw = input.distributions;
  if (!Array.isArray(raw) || raw.length === 0)
    throw invalidValue(
      "The value supplied for parameter 'distributions' is not valid. Give at least one distribution.",
    );
  const seen = new Set<string>();
  return (raw as Record<string, unknown>[]).map((d) => {
    const region = d.region;
    if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw invalidValue(`The value supplied for parameter 'region' is not valid: '${String(region)}'.`);
    if (seen.has(region)) throw invalidRequest(`The Region '${region}' appears in more than one distribution.`);
    seen.add(region);
    const raw = d.amiDistributionConfiguration as Record<string, unknown> | undefined;
    const amiName: unknown = raw?.name;
    if (amiName !== undefined && (typeof amiName !== 'string' || amiName.length > 127 || !AMI_NAME.test(amiName)))
      throw invalidValue(
        `The value supplied for parameter 'amiDistributionConfiguration.name' is not valid: ${JSON.stringify(amiName)}.`,
      );
    if (raw !== undefined) tagsMember(raw, 'amiTags');
    const ami = raw as IbDistribution['amiDistributionConfiguration'];
    return {
      region,
      ...(ami === undefined ? {} : { amiDistributionConfiguration: ami }),
      ...(Array.isArray(d.licenseConfigurationArns)
        ? { licenseConfigurationArns: d.licenseConfigurationArns as string[] }
        : {}),
    };
  });
}

/** CreateDistributionConfiguration. */
export function createDistributionConfiguration(input: Record<string, unknown>, ctx: SimContext): unknown {
  return idempotent('CreateDistributionConfiguration', input, ctx, () => {
    const name = requiredMember(input, 'name');
    checkName(name);
    const distributions = distributionsMember(input);
    const tags = tagsMember(input);
    const ib = imageBuilderStateOf(ctx.state);
    const arn = ibArn(ctx, 'distribution-configuration', name);
    if (ib.distributions.some((c) => c.arn === arn))
      throw new SimError('ResourceAlreadyExistsException', `The following resource '${arn}' already exists.`, 400);
    ib.distributions.push({
      arn,
      region: ctx.region,
      name,
      description: optionalMember(input, 'description'),
      distributions,
      timeoutMinutes: 720,
      dateCreated: ctx.now.toISOString(),
      tags,
    });
    return { distributionConfigurationArn: arn };
  });
}

/** GetDistributionConfiguration. */
export function getDistributionConfiguration(input: Record<string, unknown>, ctx: SimContext): unknown {
  const config = distributionByArn(ctx, requiredMember(input, 'distributionConfigurationArn'));
  return { requestId: requestIdOf(ctx), distributionConfiguration: distributionOutput(config) };
}

/** ListDistributionConfigurations, filtered by name. */
export function listDistributionConfigurations(input: Record<string, unknown>, ctx: SimContext): unknown {
  const filters = listFilters(input, ['name']);
  const mine = imageBuilderStateOf(ctx.state).distributions.filter((c) => c.region === ctx.region);
  const result = page(
    input,
    mine.filter((c) => passes(filters, () => c.name)),
  );
  return {
    requestId: requestIdOf(ctx),
    distributionConfigurationSummaryList: result.items.map((c) => ({
      arn: c.arn,
      name: c.name,
      description: c.description,
      dateCreated: c.dateCreated,
      tags: { ...c.tags },
      regions: c.distributions.map((d) => d.region),
    })),
    nextToken: result.nextToken,
  };
}

/** DeleteDistributionConfiguration: refused while an image build uses it. */
export function deleteDistributionConfiguration(input: Record<string, unknown>, ctx: SimContext): unknown {
  const arn = requiredMember(input, 'distributionConfigurationArn');
  const config = distributionByArn(ctx, arn);
  const ib = imageBuilderStateOf(ctx.state);
  const user = ib.images.find((i) => i.distributionConfigurationArn === arn);
  if (user !== undefined) throw dependencyError(arn, user.arn);
  ib.distributions = ib.distributions.filter((c) => c !== config);
  return { requestId: requestIdOf(ctx), distributionConfigurationArn: arn };
}
