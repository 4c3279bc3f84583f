/**
 * The EC2 Image Builder adapter: {@link ImageBuilderPort} on SDK v3 `ImagebuilderClient`s, one
 * per Region. Every list paginates and keeps only names with the caller's prefix; each call's
 * failure is wrapped once into AwsError. Components are listed without tags (ListComponents says
 * nothing of them), so each version of a prefixed name is read once with GetComponent: a handful
 * per environment, never one per account resource. Creates carry client tokens derived from the
 * spec, so the SDK's retries (and a rerun after a crash) return the first create's resource;
 * DeleteImage has none and goes through the throttling-only client.
 */
import {
  CreateComponentCommand,
  CreateDistributionConfigurationCommand,
  CreateImageCommand,
  CreateImageRecipeCommand,
  CreateInfrastructureConfigurationCommand,
  DeleteImageCommand,
  GetComponentCommand,
  GetImageCommand,
  TagResourceCommand,
  paginateListComponents,
  paginateListDistributionConfigurations,
  paginateListImageBuildVersions,
  paginateListImageRecipes,
  paginateListImages,
  paginateListInfrastructureConfigurations,
} from '@aws-sdk/client-imagebuilder';
import type { Image, ImageSummary, ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import type { ObservedImageResource } from '../model/environment-image.js';
import { awsCall } from './errors.js';
import type { ImageBuilderPort, ListedImageBuild } from './ports.js';

/** Most results one Image Builder list page holds ("Valid Range: Minimum value of 1. Maximum value of 25."). */
export const IMAGE_BUILDER_PAGE = 25;

/** `1.2.0` from `arn:…:image-recipe/name/1.2.0` or `arn:…:component/name/1.2.0/1`. */
export function versionOfArn(arn: string): string | undefined {
  const parts = arn.split('/');
  return parts[2];
}

function definedTags(tags: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** A build as labops reads it, from a list entry or GetImage. */
export function listedBuild(region: string, image: ImageSummary | Image): ListedImageBuild {
  const amis: Record<string, string> = {};
  for (const ami of image.outputResources?.amis ?? [])
    if (ami.region !== undefined && ami.image !== undefined) amis[ami.region] = ami.image;
  const reason = image.state?.reason;
  return {
    arn: image.arn ?? '',
    name: image.name ?? '',
    version: image.version ?? '',
    region,
    status: image.state?.status ?? 'PENDING',
    ...(reason === undefined ? {} : { reason }),
    dateCreated: image.dateCreated ?? '',
    amis,
    tags: definedTags(image.tags),
  };
}

async function listResources(
  client: ImagebuilderClient,
  region: string,
  prefix: string,
): Promise<ObservedImageResource[]> {
  const out: ObservedImageResource[] = [];
  const page = { client, pageSize: IMAGE_BUILDER_PAGE };
  const mine = (name: string | undefined): name is string => name !== undefined && name.startsWith(prefix);
  await awsCall('ListComponents', region, async () => {
    for await (const p of paginateListComponents(page, { owner: 'Self' })) {
      for (const c of p.componentVersionList ?? []) {
        if (!mine(c.name) || c.arn === undefined) continue;
        // GetComponent: "You can specify a build version ARN, or a component version ARN. [...] Version
        // ARNs resolve to the latest available matching component build version."
        const got = await client.send(new GetComponentCommand({ componentBuildVersionArn: c.arn }));
        out.push({
          type: 'component',
          region,
          name: c.name,
          ...(c.version === undefined ? {} : { version: c.version }),
          arn: c.arn,
          tags: definedTags(got.component?.tags),
        });
      }
    }
  });
  await awsCall('ListImageRecipes', region, async () => {
    for await (const p of paginateListImageRecipes(page, { owner: 'Self' })) {
      for (const r of p.imageRecipeSummaryList ?? []) {
        if (!mine(r.name) || r.arn === undefined) continue;
        const version = versionOfArn(r.arn);
        out.push({
          type: 'recipe',
          region,
          name: r.name,
          ...(version === undefined ? {} : { version }),
          arn: r.arn,
          tags: definedTags(r.tags),
        });
      }
    }
  });
  await awsCall('ListInfrastructureConfigurations', region, async () => {
    for await (const p of paginateListInfrastructureConfigurations(page, {})) {
      for (const c of p.infrastructureConfigurationSummaryList ?? [])
        if (mine(c.name) && c.arn !== undefined)
          out.push({ type: 'infrastructure', region, name: c.name, arn: c.arn, tags: definedTags(c.tags) });
    }
  });
  await awsCall('ListDistributionConfigurations', region, async () => {
    for await (const p of paginateListDistributionConfigurations(page, {})) {
      for (const c of p.distributionConfigurationSummaryList ?? [])
        if (mine(c.name) && c.arn !== undefined)
          out.push({ type: 'distribution', region, name: c.name, arn: c.arn, tags: definedTags(c.tags) });
    }
  });
  return out;
}

async function listBuilds(client: ImagebuilderClient, region: string, prefix: string): Promise<ListedImageBuild[]> {
  const page = { client, pageSize: IMAGE_BUILDER_PAGE };
  const versions: string[] = [];
  await awsCall('ListImages', region, async () => {
    for await (const p of paginateListImages(page, { owner: 'Self' }))
      for (const v of p.imageVersionList ?? [])
        if (v.name?.startsWith(prefix) === true && v.arn !== undefined) versions.push(v.arn);
  });
  const out: ListedImageBuild[] = [];
  for (const arn of versions) {
    await awsCall('ListImageBuildVersions', arn, async () => {
      for await (const p of paginateListImageBuildVersions(page, { imageVersionArn: arn }))
        for (const b of p.imageSummaryList ?? []) out.push(listedBuild(region, b));
    });
  }
  return out;
}

/** The Image Builder port over one client per Region (`clientFor`) and its throttling-only twin (`onceFor`, for deletes). */
export function createImageBuilderAdapter(
  clientFor: (region: string) => ImagebuilderClient,
  onceFor: (region: string) => ImagebuilderClient = clientFor,
): ImageBuilderPort {
  return {
    listResources: (region, prefix) => listResources(clientFor(region), region, prefix),
    listBuilds: (region, prefix) => listBuilds(clientFor(region), region, prefix),
    async getBuild(region, arn) {
      const got = await awsCall('GetImage', arn, () =>
        clientFor(region).send(new GetImageCommand({ imageBuildVersionArn: arn })),
      );
      return listedBuild(region, got.image ?? { arn });
    },
    async createComponent(region, r) {
      const out = await awsCall('CreateComponent', r.name, () =>
        clientFor(region).send(
          new CreateComponentCommand({
            name: r.name,
            semanticVersion: r.version,
            description: r.description,
            platform: 'Linux',
            data: r.data,
            tags: r.tags,
            clientToken: r.clientToken,
          }),
        ),
      );
      return out.componentBuildVersionArn ?? '';
    },
    async createRecipe(region, r, componentArns) {
      const out = await awsCall('CreateImageRecipe', r.name, () =>
        clientFor(region).send(
          new CreateImageRecipeCommand({
            name: r.name,
            semanticVersion: r.version,
            description: r.description,
            parentImage: r.parentImage,
            components: componentArns.map((componentArn) => ({ componentArn })),
            blockDeviceMappings: [
              {
                deviceName: r.rootDevice,
                ebs: { volumeSize: r.rootGiB, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
              },
            ],
            tags: r.tags,
            clientToken: r.clientToken,
          }),
        ),
      );
      return out.imageRecipeArn ?? '';
    },
    async createInfrastructure(region, r) {
      const out = await awsCall('CreateInfrastructureConfiguration', r.name, () =>
        clientFor(region).send(
          new CreateInfrastructureConfigurationCommand({
            name: r.name,
            description: r.description,
            instanceTypes: r.instanceTypes,
            instanceProfileName: r.instanceProfile,
            // No subnet and no security group: the default VPC's default group, no inbound rule added.
            terminateInstanceOnFailure: true,
            instanceMetadataOptions: { httpTokens: 'required' },
            resourceTags: r.resourceTags,
            tags: r.tags,
            clientToken: r.clientToken,
          }),
        ),
      );
      return out.infrastructureConfigurationArn ?? '';
    },
    async createDistribution(region, r) {
      const out = await awsCall('CreateDistributionConfiguration', r.name, () =>
        clientFor(region).send(
          new CreateDistributionConfigurationCommand({
            name: r.name,
            description: r.description,
            distributions: r.regions.map((target) => ({
              region: target,
              amiDistributionConfiguration: { name: r.amiName, amiTags: r.amiTags },
            })),
            tags: r.tags,
            clientToken: r.clientToken,
          }),
        ),
      );
      return out.distributionConfigurationArn ?? '';
    },
    async createImage(region, r) {
      const out = await awsCall('CreateImage', r.recipeArn, () =>
        clientFor(region).send(
          new CreateImageCommand({
            imageRecipeArn: r.recipeArn,
            infrastructureConfigurationArn: r.infrastructureArn,
            distributionConfigurationArn: r.distributionArn,
            imageTestsConfiguration: { imageTestsEnabled: true },
            tags: r.tags,
            clientToken: r.clientToken,
          }),
        ),
      );
      return out.imageBuildVersionArn ?? '';
    },
    async deleteImage(region, arn) {
      await awsCall('DeleteImage', arn, () =>
        onceFor(region).send(new DeleteImageCommand({ imageBuildVersionArn: arn })),
      );
    },
    async tagResource(region, arn, tags) {
      await awsCall('TagResource', arn, () =>
        clientFor(region).send(new TagResourceCommand({ resourceArn: arn, tags })),
      );
    },
  };
}
