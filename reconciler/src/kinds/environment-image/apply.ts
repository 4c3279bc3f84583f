/**
 * The EnvironmentImage actions. Creates carry the planner's client tokens, so a retry or a rerun
 * after a crash returns the first create's resource. A recipe finds its components, and a build its
 * recipe and configurations, by listing them again and refusing any without this repository's
 * tags (names in a plan file are untrusted). A build is started, not waited for: later runs see
 * how it ended. A retirement reads the AMI again and refuses unless its
 * EC2 tags say this repository's EnvironmentImage made it; it deregisters the AMI, then deletes its
 * snapshots, then (with the build's last AMI) the build's Image Builder record.
 */
import { hasAwsCode } from '../../aws/errors.js';
import type { ImageBuilderPort } from '../../aws/ports.js';
import { imageBuilderOf } from '../../engine/apply/context.js';
import type { ActionContext } from '../../engine/apply/context.js';
import { ApplyError } from '../../engine/apply/errors.js';
import type { StepResult } from '../../engine/apply/steps.js';
import { imageNamePrefix, imageTaggedFor } from '../../model/environment-image.js';
import type {
  BuildImageDetails,
  CreateImageResourceDetails,
  ImageResourceType,
  ObservedImageResource,
  RetireImageDetails,
} from '../../model/environment-image.js';
import { TAG } from '../../model/tags.js';

function repoOf(tags: Record<string, string>): string {
  return tags[TAG.repo] ?? '';
}

/** This repository's resource of a type, name (and version), read again; refused when foreign. */
async function ownResource(
  port: ImageBuilderPort,
  region: string,
  repo: string,
  type: ImageResourceType,
  name: string,
  version?: string,
): Promise<ObservedImageResource | undefined> {
  const all = await port.listResources(region, imageNamePrefix(repo));
  const found = all.find((r) => r.type === type && r.name === name && (version === undefined || r.version === version));
  if (found !== undefined && !imageTaggedFor(found.tags, repo))
    throw new ApplyError(
      'unexpected-state',
      `Image Builder ${type} ${name} not used: it is tagged labops:repo=${found.tags[TAG.repo] ?? '(none)'}, not ${repo}`,
      { resource: name },
    );
  return found;
}

/** Runs a `create-image-resource` action. */
export async function runCreateImageResource(
  ctx: ActionContext,
  details: CreateImageResourceDetails,
): Promise<StepResult> {
  const port = imageBuilderOf(ctx);
  const r = details.request;
  const repo = repoOf(r.tags);
  const version = r.type === 'component' || r.type === 'recipe' ? r.version : undefined;
  const existing = await ownResource(port, ctx.region, repo, r.type, r.name, version);
  if (existing !== undefined) return { detail: `${r.type} ${r.name} already exists (${existing.arn})` };
  let arn: string;
  switch (r.type) {
    case 'component':
      arn = await port.createComponent(ctx.region, r);
      break;
    case 'recipe': {
      const arns: string[] = [];
      for (const name of r.components) {
        const component = await ownResource(port, ctx.region, repo, 'component', name, r.version);
        if (component === undefined)
          throw new ApplyError('unexpected-state', `component ${name} ${r.version} does not exist in ${ctx.region}`, {
            resource: name,
          });
        arns.push(component.arn);
      }
      arn = await port.createRecipe(ctx.region, r, arns);
      break;
    }
    case 'infrastructure':
      arn = await port.createInfrastructure(ctx.region, r);
      break;
    case 'distribution':
      arn = await port.createDistribution(ctx.region, r);
      break;
  }
  return { detail: `created ${r.type} ${r.name}${version === undefined ? '' : ` ${version}`}: ${arn}` };
}

/**
 * Runs a `build-image` action: CreateImage, and one GetImage to report where it stands. It does not
 * wait for the build (30 to 90 minutes on AWS, under the run's lease): later runs observe it, and a
 * FAILED build becomes the plan's `image-build-failed` refusal with Image Builder's reason.
 */
export async function runBuildImage(ctx: ActionContext, details: BuildImageDetails): Promise<StepResult> {
  const port = imageBuilderOf(ctx);
  const repo = repoOf(details.tags);
  const need = async (type: ImageResourceType, name: string, version?: string): Promise<string> => {
    const found = await ownResource(port, ctx.region, repo, type, name, version);
    if (found === undefined)
      throw new ApplyError('unexpected-state', `Image Builder ${type} ${name} does not exist in ${ctx.region}`, {
        resource: name,
      });
    return found.arn;
  };
  const arn = await port.createImage(ctx.region, {
    recipeArn: await need('recipe', details.recipe.name, details.recipe.version),
    infrastructureArn: await need('infrastructure', details.infrastructure),
    distributionArn: await need('distribution', details.distribution),
    tags: details.tags,
    clientToken: details.clientToken,
  });
  const build = await port.getBuild(ctx.region, arn);
  return { detail: `started the image build of ${details.environment}: ${build.version || arn} ${build.status}` };
}

/** Runs a `retire-image` action. */
export async function runRetireImage(ctx: ActionContext, details: RetireImageDetails): Promise<StepResult> {
  let gone = false;
  try {
    const image = await ctx.ec2.describeImage(ctx.region, details.imageId);
    if (!imageTaggedFor(image.tags, details.repo) || image.tags[TAG.name] !== details.image)
      throw new ApplyError(
        'unexpected-state',
        `${details.imageId} not deregistered: its tags do not say EnvironmentImage ${details.image} of ${details.repo} made it`,
        { resource: details.imageId },
      );
    await ctx.ec2.deregisterImage(ctx.region, details.imageId);
  } catch (err: unknown) {
    if (!hasAwsCode(err, 'InvalidAMIID.NotFound')) throw err;
    gone = true;
  }
  const deleted: string[] = [];
  for (const snapshotId of details.snapshotIds) {
    try {
      await ctx.ec2.deleteSnapshot(ctx.region, snapshotId);
      deleted.push(snapshotId);
    } catch (err: unknown) {
      if (!hasAwsCode(err, 'InvalidSnapshot.NotFound')) throw err;
    }
  }
  const notes = [
    gone ? `${details.imageId} already gone` : `deregistered ${details.imageId}`,
    `deleted ${deleted.length} snapshot(s)`,
  ];
  if (details.deleteBuild !== undefined) {
    const port = imageBuilderOf(ctx);
    const build = await port.getBuild(details.deleteBuild.region, details.deleteBuild.arn);
    if (!imageTaggedFor(build.tags, details.repo))
      throw new ApplyError(
        'unexpected-state',
        `build ${details.deleteBuild.arn} is not this repository's: not deleted`,
        {
          resource: details.deleteBuild.arn,
        },
      );
    await port.deleteImage(details.deleteBuild.region, details.deleteBuild.arn);
    notes.push(`deleted build ${details.deleteBuild.arn}`);
  }
  return { snapshotIds: deleted, detail: notes.join('; ') };
}
