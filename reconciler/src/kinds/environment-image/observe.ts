/**
 * What a run reads for EnvironmentImages, while the lab declares any (valid or not; with none, only
 * the builds when the Lab prunes, see {@link observeEnvironmentImages}): in every Region of the Lab, the Image Builder components, recipes and configurations named with this
 * repository's prefix (own, and same-named foreign ones, so the plan refuses them instead of using
 * them), and every build of its images — every build version of every image version, not only the
 * latest, so every AMI still retained keeps its provenance. A build is kept only when it is a build
 * of one of this repository's observed recipes (its ARN names the recipe, in its Region, tagged
 * `labops:repo` = this repository) and its `labops:environment` tag is that recipe's version: a
 * build's own tags, like its name prefix, are anyone's to set. Those builds' output AMIs are what
 * counts as built (model/image-provenance.ts). The AMIs themselves, and the base OS images recipes
 * start from, come from the EC2 observation (`images`: the workstation kind lists this repository's
 * own images in every Region and the base image of each EnvironmentImage's environment in its home Region).
 */
import type { ListedImageBuild } from '../../aws/ports.js';
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import { LabopsError } from '../../errors.js';
import type { Desired } from '../../model/desired.js';
import { imageNamePrefix, imageTaggedFor } from '../../model/environment-image.js';
import type { ObservedImageResource } from '../../model/environment-image.js';
import type { Observed, ObservedImageBuild } from '../../model/observed.js';
import { TAG } from '../../model/tags.js';

/** The EnvironmentImage slice of Observed. */
export type ObservedEnvironmentImages = Pick<Observed, 'imageBuilds' | 'imageResources'>;

/** Nothing read. */
export function noEnvironmentImages(): ObservedEnvironmentImages {
  return { imageBuilds: [], imageResources: [] };
}

/** The Regions whose Image Builder a run reads: every Region of the Lab while it declares an EnvironmentImage; none otherwise. */
export function imageBuilderRegions(desired: Desired): string[] {
  const declares = desired.environmentImages.length > 0 || desired.unknownEnvironmentImages.length > 0;
  if (!declares) return [];
  return [...new Set([...desired.lab.regions, ...desired.environmentImages.map((i) => i.homeRegion)])].sort();
}

/**
 * The builds of `listed` that are this repository's: each a build of one of its recipes in
 * `resources` (the build version ARN `…:image/NAME/VERSION/N` names the recipe NAME VERSION, which
 * must be listed in the build's Region, named with this repository's prefix and tagged for it), and
 * tagged with that recipe's environment version (`labops:environment` = `ENV@VERSION`, where NAME is
 * the prefix then ENV). Anything else — a look-alike name, forged build tags, a recipe of
 * another repository or none at all — is no build of this repository's: its AMIs never count.
 */
export function ownBuilds(
  listed: readonly ListedImageBuild[],
  resources: readonly ObservedImageResource[],
  repo: string,
): ObservedImageBuild[] {
  const prefix = imageNamePrefix(repo);
  const out: ObservedImageBuild[] = [];
  for (const b of listed) {
    // An image build version ARN: arn:aws:imagebuilder:REGION:ACCOUNT:image/NAME/VERSION/BUILD.
    const [, name, version, buildNumber] = b.arn.split('/');
    if (name === undefined || version === undefined || buildNumber === undefined || !name.startsWith(prefix)) continue;
    const recipe = resources.some(
      (r) =>
        r.type === 'recipe' &&
        r.region === b.region &&
        r.name === name &&
        r.version === version &&
        imageTaggedFor(r.tags, repo),
    );
    const environment = `${name.slice(prefix.length)}@${version}`;
    if (!recipe || !imageTaggedFor(b.tags, repo) || b.tags[TAG.environment] !== environment) continue;
    out.push({
      environment,
      arn: b.arn,
      region: b.region,
      status: b.status,
      ...(b.reason === undefined ? {} : { reason: b.reason }),
      dateCreated: b.dateCreated,
      amis: b.amis,
      ...(b.tags[TAG.name] === undefined ? {} : { image: b.tags[TAG.name] }),
    });
  }
  return out;
}

/**
 * This repository's Image Builder resources and builds in every Region of the Lab. With no
 * EnvironmentImage declared but the Lab's `prune` on, its builds are still read (one ListImages per
 * Region while there is none; the resources only where there is one), so the AMIs of a removed last
 * EnvironmentImage keep their provenance and are retired; with `prune` off nothing is read.
 */
export async function observeEnvironmentImages({
  desired,
  ports,
}: ObserveInputs): Promise<Observation<ObservedEnvironmentImages>> {
  const port = ports.imageBuilder;
  const declared = imageBuilderRegions(desired);
  const leftovers = declared.length === 0 && desired.lab.prune && port !== undefined;
  const regions = leftovers ? [...desired.lab.regions].sort() : declared;
  if (regions.length === 0) return { observed: noEnvironmentImages() };
  if (port === undefined)
    throw new LabopsError('invalid-action', 'the lab declares EnvironmentImages but no Image Builder port was given');
  const repo = desired.lab.repo;
  const prefix = imageNamePrefix(repo);
  const read = await Promise.all(
    regions.map(async (region) => {
      if (leftovers) {
        const builds = await port.listBuilds(region, prefix);
        return { resources: builds.length === 0 ? [] : await port.listResources(region, prefix), builds };
      }
      const [resources, builds] = await Promise.all([
        port.listResources(region, prefix),
        port.listBuilds(region, prefix),
      ]);
      return { resources, builds };
    }),
  );
  return {
    observed: {
      imageResources: read.flatMap((r) => r.resources),
      imageBuilds: read.flatMap((r) => ownBuilds(r.builds, r.resources, repo)),
    },
  };
}
