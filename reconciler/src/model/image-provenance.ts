/**
 * Which AMIs this repository's EnvironmentImages built: by provenance, never by tags. An AMI is a
 * built image only when it is an output AMI (same id, same Region) of one of this repository's
 * observed Image Builder builds (`Observed.imageBuilds`: builds of this repository's own recipes,
 * kept so by the EnvironmentImage observation), and its environment version is the build's.
 *
 * EC2 tags are untrusted: anyone allowed ec2:CreateImage, RegisterImage and CreateTags in the
 * account (a workstation role, another tool) can make an AMI that carries `labops:repo`,
 * `labops:kind: EnvironmentImage` and `labops:environment`. Such an AMI is no build's output, so
 * it is never launched from, never counted against `keep`, never retired and never listed as an
 * image of the environment. Every planner that chooses or counts built images asks this module.
 */
import type { ObservedImage, ObservedImageBuild } from './observed.js';
import { compareText } from './problem.js';

/**
 * The build whose output `image` is (its `amis` name this id in this Region), if any, among
 * `builds` (this repository's observed Image Builder builds); `environment` narrows to the builds
 * of one `name@version`. The one test of provenance: everything else asks it.
 */
export function buildOfImage(
  image: Pick<ObservedImage, 'imageId' | 'region'>,
  builds: readonly ObservedImageBuild[],
  environment?: string,
): ObservedImageBuild | undefined {
  return builds.find(
    (b) => b.amis[image.region] === image.imageId && (environment === undefined || b.environment === environment),
  );
}

/** Whether `image` is an output AMI of one of `builds` (of `environment`, when given): {@link buildOfImage} found one. */
export function isBuiltImage(
  image: Pick<ObservedImage, 'imageId' | 'region'>,
  builds: readonly ObservedImageBuild[],
  environment?: string,
): boolean {
  return buildOfImage(image, builds, environment) !== undefined;
}

/** The newest of `builds` (by `dateCreated`, ties by ARN), of `environment` when given, if any. */
export function newestBuild(
  builds: readonly ObservedImageBuild[],
  environment?: string,
): ObservedImageBuild | undefined {
  return builds
    .filter((b) => environment === undefined || b.environment === environment)
    .sort((a, b) => compareText(b.dateCreated, a.dateCreated) || compareText(a.arn, b.arn))[0];
}
