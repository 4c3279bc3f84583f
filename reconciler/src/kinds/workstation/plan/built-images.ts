/**
 * The AMIs an EnvironmentImage built (EC2 Image Builder) as a workstation sees them: the newest
 * available one of its exact environment version in its Region, what the newest build of that
 * version is doing when there is none, and how long a build takes (measured from this
 * repository's finished builds). An AMI counts only by provenance (model/image-provenance.ts): it
 * is an output AMI of one of this repository's observed Image Builder builds, of that version.
 * Tags are untrusted: an AMI someone tagged `labops:repo`, `labops:kind: EnvironmentImage` and
 * `labops:environment` (another lab, a look-alike, a forgery with a newer date) is never launched from.
 *
 * Built images are not copied across Regions here: the EnvironmentImage's `regions` says where
 * Image Builder distributes them, so a Region without one gets it by being listed there (a copy
 * made by a workstation launch would sit outside the EnvironmentImage's `keep` retention).
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import { IMAGE_BUILD_IN_PROGRESS } from '../../../model/observed.js';
import type { ImageBuildStatus, ObservedImage, ObservedImageBuild } from '../../../model/observed.js';
import { isBuiltImage, newestBuild } from '../../../model/image-provenance.js';
import { compareText } from '../../../model/problem.js';
import { medianOfNewest } from '../../../model/stats.js';

/**
 * The environment versions (`name@version`) the lab's EnvironmentImages build, each with the
 * Regions its images are distributed to. A version absent is built by no EnvironmentImage (or
 * not known to the caller).
 */
export type ImageTargets = Readonly<Record<string, readonly string[]>>;

/**
 * Minutes a build takes when this repository has no finished build to measure: EC2 Image Builder
 * builds, tests and distributes an AMI in roughly 30–60 minutes for a desktop-sized environment.
 */
export const DEFAULT_BUILD_MINUTES = 45;

/** How many of the latest finished builds the measured build duration is the median of. */
export const MEASURED_BUILDS = 5;

/** `name@version` of the workstation's environment, as the `labops:environment` tag says it. */
export function environmentKey(ws: DesiredWorkstation): string {
  return `${ws.environment.name}@${ws.environment.version}`;
}

/** Newest first by `creationDate`, ties by image id. */
function newestFirst(a: ObservedImage, b: ObservedImage): number {
  return compareText(b.creationDate, a.creationDate) || compareText(a.imageId, b.imageId);
}

/** The newest available image that `builds` (this repository's observed builds) output of `environment` in `region`. */
export function newestBuiltImage(
  images: readonly ObservedImage[],
  builds: readonly ObservedImageBuild[],
  environment: string,
  region: string,
): ObservedImage | undefined {
  return images
    .filter((i) => i.region === region && i.state === 'available' && isBuiltImage(i, builds, environment))
    .sort(newestFirst)[0];
}

/** Regions other than `region` with an available built image of `environment`, sorted. */
export function otherBuiltRegions(
  images: readonly ObservedImage[],
  builds: readonly ObservedImageBuild[],
  environment: string,
  region: string,
): string[] {
  const regions = images
    .filter((i) => i.region !== region && i.state === 'available' && isBuiltImage(i, builds, environment))
    .map((i) => i.region);
  return [...new Set(regions)].sort(compareText);
}

/** What the newest build of an environment version is doing, when no built image is available. */
export type BuildState =
  | { state: 'building'; status: ImageBuildStatus; readyInMinutes: number }
  | { state: 'failed'; reason: string }
  | { state: 'none' };

/**
 * The state of `environment`'s newest build: `building` with the minutes left (the measured build
 * duration minus the time it has run, at least 1), `failed` with Image Builder's reason, or `none`.
 */
export function buildState(
  builds: readonly ObservedImageBuild[],
  images: readonly ObservedImage[],
  environment: string,
  now: Date,
): BuildState {
  const build = newestBuild(builds, environment);
  if (build === undefined) return { state: 'none' };
  if (build.status === 'FAILED') return { state: 'failed', reason: build.reason ?? 'no reason given' };
  if (!IMAGE_BUILD_IN_PROGRESS.has(build.status)) return { state: 'none' };
  const ranMinutes = Math.max(0, (now.getTime() - Date.parse(build.dateCreated)) / 60_000);
  const total = expectedBuildMinutes(builds, images, environment);
  return { state: 'building', status: build.status, readyInMinutes: Math.max(1, Math.ceil(total - ranMinutes)) };
}

/** Minutes a build of `environment` (`name@version`) is expected to take: measured, else {@link DEFAULT_BUILD_MINUTES}. */
export function expectedBuildMinutes(
  builds: readonly ObservedImageBuild[],
  images: readonly ObservedImage[],
  environment: string,
): number {
  return measuredBuildMinutes(builds, images, environment.split('@')[0] ?? '') ?? DEFAULT_BUILD_MINUTES;
}

/**
 * Minutes a build takes, measured: for each finished (AVAILABLE) build, its output AMI's
 * `creationDate` minus the build's `dateCreated`; the median of the latest {@link MEASURED_BUILDS}.
 * Builds of the same environment name count first; without any, every build of this repository.
 * Undefined when nothing was measured.
 */
export function measuredBuildMinutes(
  builds: readonly ObservedImageBuild[],
  images: readonly ObservedImage[],
  environmentName: string,
): number | undefined {
  return measuredBuilds(builds, images, environmentName)?.minutes;
}

/** {@link measuredBuildMinutes} with how many builds the median is of. */
export function measuredBuilds(
  builds: readonly ObservedImageBuild[],
  images: readonly ObservedImage[],
  environmentName: string,
): { minutes: number; builds: number } | undefined {
  // Only the builds' output AMIs are timed (model/image-provenance.ts), never an AMI because of its tags.
  const byId = new Map(images.filter((i) => isBuiltImage(i, builds)).map((i) => [`${i.region} ${i.imageId}`, i]));
  const measured = builds
    .filter((b) => b.status === 'AVAILABLE')
    .map((b) => ({ build: b, minutes: buildMinutes(b, byId) }))
    .filter((m): m is { build: ObservedImageBuild; minutes: number } => m.minutes !== undefined)
    .sort((a, b) => compareText(b.build.dateCreated, a.build.dateCreated) || compareText(a.build.arn, b.build.arn));
  const same = measured.filter((m) => m.build.environment.split('@')[0] === environmentName);
  const minutes = medianOfNewest(
    same.map((m) => m.minutes),
    measured.map((m) => m.minutes),
    MEASURED_BUILDS,
  );
  return minutes === undefined ? undefined : { minutes: minutes.value, builds: minutes.samples };
}

/** A finished build's duration in minutes: its AMI in the build's own Region (else any) against `dateCreated`. */
function buildMinutes(build: ObservedImageBuild, byId: ReadonlyMap<string, ObservedImage>): number | undefined {
  const regions = Object.keys(build.amis).sort((a, b) =>
    a === build.region ? -1 : b === build.region ? 1 : compareText(a, b),
  );
  for (const region of regions) {
    const image = byId.get(`${region} ${build.amis[region] ?? ''}`);
    if (image === undefined || image.creationDate === '') continue;
    const minutes = (Date.parse(image.creationDate) - Date.parse(build.dateCreated)) / 60_000;
    if (Number.isFinite(minutes) && minutes > 0) return minutes;
  }
  return undefined;
}
