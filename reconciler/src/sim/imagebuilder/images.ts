/**
 * Image builds: CreateImage (a new build version `image/NAME/VERSION/N` of the recipe, scheduled
 * through PENDING → CREATING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE on the simulated
 * clock, see lifecycle.ts), GetImage, ListImages (image versions), ListImageBuildVersions and
 * DeleteImage (the Image Builder resource only: its AMIs and snapshots stay in EC2).
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import {
  distributionByArn,
  distributionOutput,
  infrastructureByArn,
  infrastructureOutput,
  DEFAULT_BUILD_INSTANCE_TYPE,
} from './configs.js';
import { buildSchedule, cancelBuild } from './lifecycle.js';
import {
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
} from './model.js';
import type { IbImage, ImageStatus } from './model.js';
import { recipeByArn, recipeOutput } from './recipes.js';
import { findImage } from '../ec2/run.js';
import { ec2Of } from '../ec2/model.js';

/** Statuses a build can no longer leave. */
export const FINAL_STATUSES: readonly ImageStatus[] = ['AVAILABLE', 'CANCELLED', 'FAILED', 'DELETED'];

/** The OS version Image Builder reports for a parent image, read from its AMI name. */
function osVersionOf(ctx: SimContext, parentImage: string, platform: string): string {
  const name = findImage(ec2Of(ctx.state), ctx.region, parentImage)?.name ?? '';
  const ubuntu = /ubuntu-[a-z]+-(\d+)\.\d+/.exec(name);
  if (ubuntu) return `Ubuntu ${ubuntu[1] ?? ''}`;
  if (name.startsWith('al2023')) return 'Amazon Linux 2023';
  if (name.startsWith('amzn2')) return 'Amazon Linux 2';
  const rocky = /^Rocky-(\d+)/.exec(name);
  if (rocky) return `Rocky Linux ${rocky[1] ?? ''}`;
  return platform;
}

/** The build an ARN names in the caller's Region. */
export function imageByArn(ctx: SimContext, arn: string): IbImage {
  const parsed = parseArn(arn);
  if (parsed?.type !== 'image' || parsed.build === undefined)
    throw invalidValue(
      `The value supplied for parameter 'imageBuildVersionArn' is not valid: '${arn}'. Give an image build version ARN.`,
    );
  const image = imageBuilderStateOf(ctx.state).images.find((i) => i.arn === arn && i.region === ctx.region);
  if (image === undefined) throw arnNotFound(arn);
  return image;
}

/** CreateImage: starts a build of the recipe on the infrastructure configuration. */
export function createImageBuild(input: Record<string, unknown>, ctx: SimContext): unknown {
  return idempotent('CreateImage', input, ctx, () => {
    if (input.containerRecipeArn !== undefined)
      throw invalidRequest('The simulator builds AMIs only: give imageRecipeArn, not containerRecipeArn.');
    const recipe = recipeByArn(ctx, requiredMember(input, 'imageRecipeArn'));
    const infra = infrastructureByArn(ctx, requiredMember(input, 'infrastructureConfigurationArn'));
    const distributionArn = optionalMember(input, 'distributionConfigurationArn');
    const distribution = distributionArn === undefined ? undefined : distributionByArn(ctx, distributionArn);
    const tests = (input.imageTestsConfiguration ?? {}) as { imageTestsEnabled?: unknown; timeoutMinutes?: unknown };
    const timeoutMinutes = tests.timeoutMinutes === undefined ? 720 : Number(tests.timeoutMinutes);
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 60 || timeoutMinutes > 1440)
      throw invalidValue("The value supplied for parameter 'timeoutMinutes' must be between 60 and 1440.");
    const tags = tagsMember(input);
    const ib = imageBuilderStateOf(ctx.state);
    const key = `${ctx.region}|${recipe.arn}`;
    const build = (ib.buildCounters[key] ?? 0) + 1;
    ib.buildCounters[key] = build;
    const image: IbImage = {
      arn: ibArn(ctx, 'image', recipe.name, recipe.version, build),
      region: ctx.region,
      name: recipe.name,
      version: recipe.version,
      buildVersion: build,
      platform: recipe.platform,
      osVersion: osVersionOf(ctx, recipe.parentImage, recipe.platform),
      recipeArn: recipe.arn,
      infrastructureConfigurationArn: infra.arn,
      ...(distribution === undefined ? {} : { distributionConfigurationArn: distribution.arn }),
      imageTestsEnabled: tests.imageTestsEnabled !== false,
      timeoutMinutes,
      enhancedImageMetadataEnabled: input.enhancedImageMetadataEnabled !== false,
      status: 'PENDING',
      dateCreated: ctx.now.toISOString(),
      steps: [],
      instanceType: infra.instanceTypes[0] ?? DEFAULT_BUILD_INSTANCE_TYPE,
      amis: [],
      tags,
    };
    const fault = ctx.imageBuildFault?.(recipe.name);
    image.steps = buildSchedule(ctx, image, fault);
    ib.images.push(image);
    return { imageBuildVersionArn: image.arn, latestVersionReferences: latestVersionReferences(image.arn) };
  });
}

function outputResources(image: IbImage): Record<string, unknown> | undefined {
  if (image.status !== 'AVAILABLE') return undefined;
  return { amis: image.amis.map((a) => ({ ...a })) };
}

/** GetImage: the build, with its recipe and configurations as they are now. */
export function getImage(input: Record<string, unknown>, ctx: SimContext): unknown {
  const image = imageByArn(ctx, requiredMember(input, 'imageBuildVersionArn'));
  const ib = imageBuilderStateOf(ctx.state);
  const recipe = ib.recipes.find((r) => r.arn === image.recipeArn);
  const infra = ib.infrastructure.find((c) => c.arn === image.infrastructureConfigurationArn);
  const dist = ib.distributions.find((c) => c.arn === image.distributionConfigurationArn);
  return {
    requestId: requestIdOf(ctx),
    image: {
      arn: image.arn,
      type: 'AMI',
      name: image.name,
      version: image.version,
      platform: image.platform,
      enhancedImageMetadataEnabled: image.enhancedImageMetadataEnabled,
      osVersion: image.osVersion,
      state: { status: image.status, ...(image.reason === undefined ? {} : { reason: image.reason }) },
      imageRecipe: recipe === undefined ? undefined : recipeOutput(recipe),
      infrastructureConfiguration: infra === undefined ? undefined : infrastructureOutput(infra),
      distributionConfiguration: dist === undefined ? undefined : distributionOutput(dist),
      imageTestsConfiguration: { imageTestsEnabled: image.imageTestsEnabled, timeoutMinutes: image.timeoutMinutes },
      dateCreated: image.dateCreated,
      outputResources: outputResources(image),
      tags: { ...image.tags },
      buildType: 'USER_INITIATED',
      imageSource: 'CUSTOM',
    },
    latestVersionReferences: latestVersionReferences(image.arn),
  };
}

const IMAGE_FILTERS = ['name', 'osVersion', 'platform', 'type', 'version'];

function imageValue(image: IbImage, filter: string): string | undefined {
  if (filter === 'type') return 'AMI';
  return (image as unknown as Record<string, string | undefined>)[filter];
}

/** ListImages: one entry per image version (name and semantic version) the account built. */
export function listImages(input: Record<string, unknown>, ctx: SimContext): unknown {
  const owner = ownerOf(input);
  const filters = listFilters(input, IMAGE_FILTERS);
  if (input.byName === true && filters.has('version'))
    throw invalidRequest("You can't combine 'byName' with the 'version' filter.");
  const mine = owner === 'Self' ? imageBuilderStateOf(ctx.state).images.filter((i) => i.region === ctx.region) : [];
  const versions = new Map<string, IbImage>();
  for (const image of mine) {
    if (!passes(filters, (f) => imageValue(image, f))) continue;
    const arn = image.arn.replace(/\/\d+$/, '');
    if (!versions.has(arn)) versions.set(arn, image);
  }
  let listed = [...versions].sort(([, a], [, b]) =>
    a.name === b.name ? compareSemver(a.version, b.version) : a.name < b.name ? -1 : 1,
  );
  if (input.byName === true) listed = listed.filter(([, image], i) => listed[i + 1]?.[1].name !== image.name);
  const result = page(input, listed);
  return {
    requestId: requestIdOf(ctx),
    imageVersionList: result.items.map(([arn, image]) => ({
      arn,
      name: image.name,
      type: 'AMI',
      version: image.version,
      platform: image.platform,
      osVersion: image.osVersion,
      owner: ctx.config.accountId,
      dateCreated: image.dateCreated,
      buildType: 'USER_INITIATED',
      imageSource: 'CUSTOM',
    })),
    nextToken: result.nextToken,
  };
}

/** ListImageBuildVersions: every build of one image version, oldest first. */
export function listImageBuildVersions(input: Record<string, unknown>, ctx: SimContext): unknown {
  const versionArn = optionalMember(input, 'imageVersionArn');
  const parsed = versionArn === undefined ? undefined : parseArn(versionArn);
  if (
    versionArn !== undefined &&
    (parsed?.type !== 'image' || parsed.version === undefined || parsed.build !== undefined)
  )
    throw invalidValue(
      `The value supplied for parameter 'imageVersionArn' is not valid: '${versionArn}'. Give an image version ARN.`,
    );
  const filters = listFilters(input, IMAGE_FILTERS);
  const builds = imageBuilderStateOf(ctx.state)
    .images.filter((i) => i.region === ctx.region && (versionArn === undefined || i.arn.startsWith(`${versionArn}/`)))
    .filter((i) => passes(filters, (f) => imageValue(i, f)))
    .sort((a, b) => a.buildVersion - b.buildVersion);
  const result = page(input, builds);
  return {
    requestId: requestIdOf(ctx),
    imageSummaryList: result.items.map((image) => ({
      arn: image.arn,
      name: image.name,
      type: 'AMI',
      version: image.version,
      platform: image.platform,
      osVersion: image.osVersion,
      state: { status: image.status, ...(image.reason === undefined ? {} : { reason: image.reason }) },
      owner: ctx.config.accountId,
      dateCreated: image.dateCreated,
      outputResources: outputResources(image),
      tags: { ...image.tags },
      buildType: 'USER_INITIATED',
      imageSource: 'CUSTOM',
    })),
    nextToken: result.nextToken,
  };
}

/** CancelImageCreation: ends a build that is not in a terminal state as CANCELLED. */
export function cancelImageCreation(input: Record<string, unknown>, ctx: SimContext): unknown {
  return idempotent('CancelImageCreation', input, ctx, () => {
    const arn = requiredMember(input, 'imageBuildVersionArn');
    const image = imageByArn(ctx, arn);
    if (FINAL_STATUSES.includes(image.status))
      throw new SimError(
        'ResourceInUseException',
        `The image '${arn}' is in the terminal status ${image.status}; only images in a non-terminal state can be canceled.`,
        400,
      );
    cancelBuild(ctx, image);
    return { imageBuildVersionArn: arn };
  });
}

/**
 * DeleteImage: removes the Image Builder image resource only. The AMIs it distributed and their
 * snapshots stay in EC2 (deregister them there). Refused while the build is still in progress.
 */
export function deleteImage(input: Record<string, unknown>, ctx: SimContext): unknown {
  const arn = requiredMember(input, 'imageBuildVersionArn');
  const image = imageByArn(ctx, arn);
  if (!FINAL_STATUSES.includes(image.status))
    throw new SimError(
      'ResourceDependencyException',
      `Resource dependency error: The image '${arn}' is in status ${image.status}; wait until the build ends before you delete it.`,
      400,
    );
  const ib = imageBuilderStateOf(ctx.state);
  ib.images = ib.images.filter((i) => i !== image);
  return { requestId: requestIdOf(ctx), imageBuildVersionArn: arn };
}
