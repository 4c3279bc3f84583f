/**
 * What a run reads for EnvironmentImages, while the lab declares any (valid or not): in every
 * Region of the Lab, the Image Builder components, recipes and configurations named with this
 * repository's prefix (own, and same-named foreign ones, so the plan refuses them instead of using
 * them), and every build of its images, kept to those tagged `labops:repo` = this repository. The
 * AMIs themselves, and the base OS images recipes start from, come from the EC2 observation
 * (`images`: the workstation kind lists this repository's own images in every Region and the base
 * image of each EnvironmentImage's environment in its home Region).
 */
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import { LabopsError } from '../../errors.js';
import type { Desired } from '../../model/desired.js';
import { imageNamePrefix, imageTaggedFor } from '../../model/environment-image.js';
import type { Observed } from '../../model/observed.js';
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

/** This repository's Image Builder resources and builds in every Region of the Lab. */
export async function observeEnvironmentImages({
  desired,
  ports,
}: ObserveInputs): Promise<Observation<ObservedEnvironmentImages>> {
  const regions = imageBuilderRegions(desired);
  if (regions.length === 0) return { observed: noEnvironmentImages() };
  const port = ports.imageBuilder;
  if (port === undefined)
    throw new LabopsError('invalid-action', 'the lab declares EnvironmentImages but no Image Builder port was given');
  const repo = desired.lab.repo;
  const prefix = imageNamePrefix(repo);
  const read = await Promise.all(
    regions.map(async (region) => {
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
      imageBuilds: read.flatMap((r) =>
        r.builds
          .filter((b) => imageTaggedFor(b.tags, repo) && b.tags[TAG.environment] !== undefined)
          .map((b) => ({
            environment: b.tags[TAG.environment] ?? '',
            arn: b.arn,
            region: b.region,
            status: b.status,
            ...(b.reason === undefined ? {} : { reason: b.reason }),
            dateCreated: b.dateCreated,
            amis: b.amis,
          })),
      ),
    },
  };
}
