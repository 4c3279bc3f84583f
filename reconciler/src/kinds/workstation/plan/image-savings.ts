/**
 * What a launch from a built image saves and what the image costs, for the plan: the script path
 * provisions the environment on every launch, which takes about as long as Image Builder's build of
 * it (measured from this repository's finished builds, built-images.ts), while the image boots with
 * nothing to install. The image costs its build instance's time (measured duration × the build
 * instance type's hourly price) once per build, and its EBS snapshots every month in each Region
 * the version's image is distributed to.
 */
import type { ObservedImage, ObservedImageBuild } from '../../../model/observed.js';
import type { Action, ImageSavings } from '../../../model/plan.js';
import type { ResolvedImage } from './images.js';
import { hourlyPriceUSD } from '../../../cost/prices/index.js';
import { snapshotMonthlyUSD } from '../../../cost/monthly.js';
import { roundUSD } from '../../../engine/actions.js';
import { measuredBuildMinutes, newestBuiltImage, otherBuiltRegions } from './built-images.js';
import { buildOfImage } from '../../../model/image-provenance.js';
import { compareText } from '../../../model/problem.js';

/**
 * The instance type an EnvironmentImage build is priced at when its build does not say: Image
 * Builder builds on the infrastructure configuration's types, and labops' EnvironmentImage uses
 * this one unless its spec names others.
 */
export const BUILD_INSTANCE_TYPE = 'm6i.large';

/**
 * The figures of a launch from `image`, or undefined when it is no output of `builds` (this
 * repository's observed builds) or no finished build of the environment has been measured (the
 * plan then says only that it launches from the built image).
 */
export function imageSavings(
  image: ObservedImage,
  builds: readonly ObservedImageBuild[],
  images: readonly ObservedImage[],
  environmentName: string,
  buildInstanceType: string = BUILD_INSTANCE_TYPE,
): ImageSavings | undefined {
  const build = buildOfImage(image, builds);
  const minutes = measuredBuildMinutes(builds, images, environmentName);
  if (build === undefined || minutes === undefined) return undefined;
  const hourly = hourlyPriceUSD(buildInstanceType, image.region) ?? 0;
  // The version its build made, never the AMI's labops:environment tag (untrusted).
  const environment = build.environment;
  const regions = [...new Set([image.region, ...otherBuiltRegions(images, builds, environment, image.region)])].sort(
    compareText,
  );
  const snapshots: Record<string, number> = {};
  for (const region of regions) {
    const held = region === image.region ? image : newestBuiltImage(images, builds, environment, region);
    snapshots[region] = roundUSD(snapshotMonthlyUSD(region, held?.snapshotGiB ?? 0));
  }
  return {
    imageId: image.imageId,
    scriptMinutes: Math.round(minutes),
    imageMinutes: 0,
    buildUSD: roundUSD((minutes / 60) * hourly),
    snapshotMonthlyUSDByRegion: snapshots,
  };
}

/**
 * The plan's one line: `saves ~38 min per launch (script path ~38 min, image 0); image $0.12 to
 * build + snapshots $1.50/month in us-east-1, $1.60/month in us-west-2`.
 */
export function imageSavingsText(savings: ImageSavings): string {
  const saved = savings.scriptMinutes - savings.imageMinutes;
  const snapshots = Object.entries(savings.snapshotMonthlyUSDByRegion)
    .map(([region, usd]) => `$${usd.toFixed(2)}/month in ${region}`)
    .join(', ');
  return (
    `saves ~${saved} min per launch (script path ~${savings.scriptMinutes} min, image ${savings.imageMinutes}); ` +
    `image $${savings.buildUSD.toFixed(2)} to build + snapshots ${snapshots}`
  );
}

/**
 * `action` with the figures of its launch from `image` when that is a built image: `imageSavings`
 * set and the one line appended to its reason. Any other launch is returned as it is.
 */
export function withImageSavings<A extends Action>(
  action: A,
  image: ResolvedImage,
  builds: readonly ObservedImageBuild[],
  images: readonly ObservedImage[],
  environmentName: string,
): A {
  if (image.source !== 'built') return action;
  const built = images.find((i) => i.imageId === image.imageId && i.region === action.region);
  const savings = built === undefined ? undefined : imageSavings(built, builds, images, environmentName);
  if (savings === undefined) return action;
  return { ...action, reason: `${action.reason}; ${imageSavingsText(savings)}`, imageSavings: savings };
}
