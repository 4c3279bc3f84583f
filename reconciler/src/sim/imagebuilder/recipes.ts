/**
 * Image recipes: CreateImageRecipe (an immutable `image-recipe/NAME/VERSION` over a parent AMI
 * that exists in the sim's EC2 in the Region, and at least one component), GetImageRecipe,
 * ListImageRecipes and DeleteImageRecipe (refused while an image build uses it).
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { ec2Of } from '../ec2/model.js';
import { findImage } from '../ec2/run.js';
import { resolveComponent } from './components.js';
import {
  checkName,
  checkSemver,
  ibArn,
  idempotent,
  imageBuilderStateOf,
  invalidValue,
  listFilters,
  arnNotFound,
  optionalMember,
  ownerOf,
  page,
  passes,
  requestIdOf,
  requiredMember,
  tagsMember,
  latestVersionReferences,
  dependencyError,
} from './model.js';
import type { IbComponentConfiguration, IbImageRecipe } from './model.js';

/** The recipe an ARN names in the caller's Region. */
export function recipeByArn(ctx: SimContext, arn: string): IbImageRecipe {
  const recipe = imageBuilderStateOf(ctx.state).recipes.find((r) => r.arn === arn && r.region === ctx.region);
  if (recipe === undefined) throw arnNotFound(arn);
  return recipe;
}

function componentsMember(input: Record<string, unknown>, ctx: SimContext): IbComponentConfiguration[] {
  const raw = input.components;
  if (!Array.isArray(raw) || raw.length === 0)
    throw invalidValue(
      "The value supplied for parameter 'components' is not valid. A recipe needs at least one component.",
    );
  return (raw as { componentArn?: unknown; parameters?: unknown }[]).map((c) => {
    if (typeof c.componentArn !== 'string')
      throw invalidValue("The value supplied for parameter 'componentArn' is not valid.");
    resolveComponent(ctx, c.componentArn);
    return {
      componentArn: c.componentArn,
      ...(Array.isArray(c.parameters) ? { parameters: c.parameters as { name: string; value: string[] }[] } : {}),
    };
  });
}

function blockDevicesMember(input: Record<string, unknown>): Record<string, unknown>[] {
  const raw = input.blockDeviceMappings;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidValue("The value supplied for parameter 'blockDeviceMappings' must be a list.");
  for (const m of raw as { deviceName?: unknown; ebs?: { volumeSize?: unknown; volumeType?: unknown } }[]) {
    if (typeof m.deviceName !== 'string' || m.deviceName === '')
      throw invalidValue("The value supplied for parameter 'blockDeviceMappings.deviceName' is not valid.");
    const size = m.ebs?.volumeSize;
    if (size !== undefined && (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 16_000))
      throw invalidValue(
        "The value supplied for parameter 'blockDeviceMappings.ebs.volumeSize' must be 1 to 16000 GiB.",
      );
  }
  return raw as Record<string, unknown>[];
}

/** Root device size (GiB) the recipe's AMI gets: its mapping for the parent's root device, else the parent's. */
export function recipeDevices(recipe: IbImageRecipe): { deviceName: string; sizeGiB: number; volumeType: string }[] {
  const devices = new Map<string, { sizeGiB: number; volumeType: string }>();
  devices.set(recipe.parentRootDevice, { sizeGiB: recipe.parentRootGiB, volumeType: 'gp3' });
  for (const m of recipe.blockDeviceMappings as {
    deviceName: string;
    noDevice?: string;
    ebs?: { volumeSize?: number; volumeType?: string };
  }[]) {
    if (m.noDevice !== undefined) {
      devices.delete(m.deviceName);
      continue;
    }
    if (m.ebs === undefined) continue;
    const before = devices.get(m.deviceName);
    devices.set(m.deviceName, {
      sizeGiB: m.ebs.volumeSize ?? before?.sizeGiB ?? 8,
      volumeType: m.ebs.volumeType ?? before?.volumeType ?? 'gp3',
    });
  }
  return [...devices].map(([deviceName, d]) => ({ deviceName, ...d }));
}

/** The recipe as GetImageRecipe and GetImage write it. */
export function recipeOutput(r: IbImageRecipe): Record<string, unknown> {
  return {
    arn: r.arn,
    type: 'AMI',
    name: r.name,
    description: r.description,
    platform: r.platform,
    owner: r.arn.split(':')[4],
    version: r.version,
    components: r.components,
    parentImage: r.parentImage,
    blockDeviceMappings: r.blockDeviceMappings,
    dateCreated: r.dateCreated,
    tags: { ...r.tags },
    workingDirectory: r.workingDirectory,
    additionalInstanceConfiguration: r.additionalInstanceConfiguration,
  };
}

/** CreateImageRecipe. */
export function createImageRecipe(input: Record<string, unknown>, ctx: SimContext): unknown {
  return idempotent('CreateImageRecipe', input, ctx, () => {
    const name = requiredMember(input, 'name');
    checkName(name);
    const version = requiredMember(input, 'semanticVersion');
    checkSemver(version, 'semanticVersion');
    const parentImage = requiredMember(input, 'parentImage');
    // The parent must be an AMI this Region's EC2 shows (an own image or a public one).
    const parent = /^ami-[0-9a-f]{8,17}$/.test(parentImage)
      ? findImage(ec2Of(ctx.state), ctx.region, parentImage)
      : undefined;
    if (parent === undefined)
      throw invalidValue(
        `The value supplied for parameter 'parentImage' is not valid. The image '${parentImage}' does not exist in ${ctx.region} or is not accessible.`,
      );
    const components = componentsMember(input, ctx);
    const blockDeviceMappings = blockDevicesMember(input);
    const tags = tagsMember(input);
    const ib = imageBuilderStateOf(ctx.state);
    const arn = ibArn(ctx, 'image-recipe', name, version);
    if (ib.recipes.some((r) => r.arn === arn))
      throw new SimError('ResourceAlreadyExistsException', `The following resource '${arn}' already exists.`, 400);
    const root = parent.devices.find((d) => d.deviceName === parent.rootDeviceName) ?? parent.devices[0];
    ib.recipes.push({
      arn,
      region: ctx.region,
      name,
      version,
      description: optionalMember(input, 'description'),
      platform: /windows/i.test(`${parent.name} ${parent.description ?? ''}`) ? 'Windows' : 'Linux',
      parentImage,
      components,
      blockDeviceMappings,
      workingDirectory: optionalMember(input, 'workingDirectory'),
      additionalInstanceConfiguration: input.additionalInstanceConfiguration as Record<string, unknown> | undefined,
      parentRootGiB: root?.volumeSize ?? 8,
      parentRootDevice: parent.rootDeviceName,
      dateCreated: ctx.now.toISOString(),
      tags,
    });
    return { imageRecipeArn: arn, latestVersionReferences: latestVersionReferences(arn) };
  });
}

/** GetImageRecipe. */
export function getImageRecipe(input: Record<string, unknown>, ctx: SimContext): unknown {
  return {
    requestId: requestIdOf(ctx),
    imageRecipe: recipeOutput(recipeByArn(ctx, requiredMember(input, 'imageRecipeArn'))),
  };
}

/** ListImageRecipes (`owner` Self), filtered by name, parentImage, platform. */
export function listImageRecipes(input: Record<string, unknown>, ctx: SimContext): unknown {
  const owner = ownerOf(input);
  const filters = listFilters(input, ['name', 'parentImage', 'platform']);
  const mine = owner === 'Self' ? imageBuilderStateOf(ctx.state).recipes.filter((r) => r.region === ctx.region) : [];
  const matching = mine.filter((r) => passes(filters, (f) => (r as unknown as Record<string, string | undefined>)[f]));
  const result = page(input, matching);
  return {
    requestId: requestIdOf(ctx),
    imageRecipeSummaryList: result.items.map((r) => ({
      arn: r.arn,
      name: r.name,
      platform: r.platform,
      owner: r.arn.split(':')[4],
      parentImage: r.parentImage,
      dateCreated: r.dateCreated,
      tags: { ...r.tags },
    })),
    nextToken: result.nextToken,
  };
}

/** DeleteImageRecipe: refused while an image build that is not deleted uses it. */
export function deleteImageRecipe(input: Record<string, unknown>, ctx: SimContext): unknown {
  const arn = requiredMember(input, 'imageRecipeArn');
  const recipe = recipeByArn(ctx, arn);
  const ib = imageBuilderStateOf(ctx.state);
  const user = ib.images.find((i) => i.recipeArn === arn && i.region === ctx.region);
  if (user !== undefined) throw dependencyError(arn, user.arn);
  ib.recipes = ib.recipes.filter((r) => r !== recipe);
  return { requestId: requestIdOf(ctx), imageRecipeArn: arn };
}
