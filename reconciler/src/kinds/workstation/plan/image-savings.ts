/**
 * What a launch from a built image saves and what the image costs, for the plan. Both times are
 * measured on this lab's launches (the run record's `provisionTimes`, kinds/workstation/
 * provision-times.ts): the script path's boot to ready, and the image's. Before a script-path
 * launch of the environment was measured, the script path is taken as long as Image Builder's build
 * of it (which runs the same script; measured from this repository's finished builds,
 * built-images.ts), and said so; before a launch from the image was measured, the plan says so
 * rather than guessing. The image costs its build instance's time (measured duration × the build
 * instance type's hourly price) once per build, and its EBS snapshots every month in each Region
 * the version's image is distributed to.
 */
import type { ObservedImage, ObservedImageBuild } from '../../../model/observed.js';
import type { Action, ImageSavings } from '../../../model/plan.js';
import type { ResolvedImage } from './images.js';
import { hourlyPriceUSD } from '../../../cost/prices/index.js';
import { snapshotMonthlyUSD } from '../../../cost/monthly.js';
import { roundUSD } from '../../../engine/actions.js';
import { measuredBuilds, newestBuiltImage, otherBuiltRegions } from './built-images.js';
import { buildOfImage } from '../../../model/image-provenance.js';
import { compareText } from '../../../model/problem.js';
import { formatDuration } from '../../../model/duration.js';
import { measuredSeconds } from '../provision-times.js';
import type { ProvisionTimes } from '../../../record/provision-times.js';

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
  times: ProvisionTimes,
  environmentName: string,
  buildInstanceType: string = BUILD_INSTANCE_TYPE,
): ImageSavings | undefined {
  const build = buildOfImage(image, builds);
  const measured = measuredBuilds(builds, images, environmentName);
  if (build === undefined || measured === undefined) return undefined;
  const { minutes } = measured;
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
  const script = measuredSeconds(times, environment, 'script');
  const boot = measuredSeconds(times, environment, 'image');
  return {
    imageId: image.imageId,
    scriptSeconds: script?.seconds ?? Math.round(minutes * 60),
    scriptFrom: script === undefined ? 'builds' : 'launches',
    scriptSamples: script?.launches ?? measured.builds,
    imageSeconds: boot?.seconds ?? null,
    imageSamples: boot?.launches ?? 0,
    buildUSD: roundUSD((minutes / 60) * hourly),
    snapshotMonthlyUSDByRegion: snapshots,
  };
}

function samples(n: number, what: 'launch' | 'build'): string {
  return n === 1 ? `1 ${what}` : `median of ${n} ${what === 'launch' ? 'launches' : 'builds'}`;
}

/**
 * The plan's one line, e.g. `saves ~3m15s per launch (script path 4m, 3 launches measured; image
 * boot 45s, 1 launch measured); image $0.12 to build + snapshots $1.50/month in us-east-1`; before
 * the launches are measured: `saves up to ~23m30s per launch (script path ~23m30s, the image
 * build's duration (median of 3 builds): no script-path launch measured yet; image boot not
 * measured yet); …`.
 */
export function imageSavingsText(savings: ImageSavings): string {
  const snapshots = Object.entries(savings.snapshotMonthlyUSDByRegion)
    .map(([region, usd]) => `$${usd.toFixed(2)}/month in ${region}`)
    .join(', ');
  const script =
    savings.scriptFrom === 'launches'
      ? `script path ${formatDuration(savings.scriptSeconds)}, ${samples(savings.scriptSamples, 'launch')}`
      : `script path ~${formatDuration(savings.scriptSeconds)}, the image build's duration (${samples(savings.scriptSamples, 'build')}): no script-path launch measured yet`;
  const boot =
    savings.imageSeconds === null
      ? 'image boot not measured yet'
      : `image boot ${formatDuration(savings.imageSeconds)}, ${samples(savings.imageSamples, 'launch')}`;
  const saved = Math.max(0, savings.scriptSeconds - (savings.imageSeconds ?? 0));
  const upTo = savings.imageSeconds === null ? 'up to ' : '';
  return (
    `saves ${upTo}~${formatDuration(saved)} per launch (${script}; ${boot}); ` +
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
  times: ProvisionTimes,
  environmentName: string,
): A {
  if (image.source !== 'built') return action;
  const built = images.find((i) => i.imageId === image.imageId && i.region === action.region);
  const savings = built === undefined ? undefined : imageSavings(built, builds, images, times, environmentName);
  if (savings === undefined) return action;
  return { ...action, reason: `${action.reason}; ${imageSavingsText(savings)}`, imageSavings: savings };
}
