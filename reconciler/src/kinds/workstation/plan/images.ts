/**
 * Choosing the image a workstation launches from, per `image.strategy`:
 * - a pinned `image.ami` always wins;
 * - `ami_preferred`: the newest image this repository's EnvironmentImage built of the exact
 *   environment version in the region (an output AMI of one of its observed Image Builder builds,
 *   model/image-provenance.ts; never an AMI because of its tags), else the environment's hand-listed
 *   prebuilt image in the region, else a copy of a hand-listed one from another region, else the
 *   newest public base OS image plus cloud-init user data (the script path; the plan says why
 *   when a build is under way or failed);
 * - `ami_required`: like `ami_preferred` without the base-image fallback: it waits while a build of
 *   its version is under way (`image-building`, not a failure), else it is refused;
 * - `script`: always the newest base OS image plus user data.
 * An image counts as present only when observed `available`. A newer image never changes an
 * existing instance (the AMI used is recorded in `labops:ami` and is not part of the launch hash)
 * unless its spec says `image.follow: latest` ({@link followLatestChange}).
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { CopyImageRequest } from '../../../model/launch.js';
import type { ObservedImage, ObservedImageBuild, ObservedInstance } from '../../../model/observed.js';
import type { PlanRefusal } from '../../../model/plan.js';
import { baseImageQuery, matchesImageName } from '../../../model/base-images.js';
import { TAG, stableHash } from '../../../model/tags.js';
import { compareText } from '../../../model/problem.js';
import { isBuiltImage } from '../../../model/image-provenance.js';
import {
  buildState,
  environmentKey,
  expectedBuildMinutes,
  newestBuiltImage,
  otherBuiltRegions,
} from './built-images.js';
import type { ImageTargets } from './built-images.js';

/** A resolved image. With `copyImage`, `imageId` is `''`: the executor launches from the copy's id. */
export interface ResolvedImage {
  imageId: string;
  /** `''` for prebuilt images (the environment is baked in); the rendered environment otherwise. */
  userData: string;
  /** `built`: an AMI this repository's EnvironmentImage built; `prebuilt`: one the environment lists by hand. */
  source: 'pinned' | 'built' | 'prebuilt' | 'copy' | 'base';
  copyImage?: CopyImageRequest;
  /** Why a workstation that prefers an image takes the script path, for the plan. @default undefined */
  note?: string;
}

/** An image, or the refusal that explains why there is none. */
export type ImageResolution = { ok: true; image: ResolvedImage } | { ok: false; refusal: PlanRefusal };

/**
 * Resolves the launch image of `ws` from the observed images and this repository's image builds
 * (`builds`: `Observed.imageBuilds`), at `now` (for how long a build still takes); `targets` are
 * the environment versions the lab's EnvironmentImages build, with their Regions.
 */
export function resolveImage(
  ws: DesiredWorkstation,
  repo: string,
  images: readonly ObservedImage[],
  builds: readonly ObservedImageBuild[],
  now: Date,
  targets: ImageTargets = {},
): ImageResolution {
  const env = ws.environment;
  if (ws.image.ami !== undefined) {
    // A pinned AMI that is one of the environment's prebuilt (or built) images needs no provisioning.
    const prebuilt =
      Object.values(env.images).includes(ws.image.ami) ||
      images.some((i) => i.imageId === ws.image.ami && isBuiltImage(i, builds, environmentKey(ws)));
    return { ok: true, image: { imageId: ws.image.ami, userData: prebuilt ? '' : env.userData, source: 'pinned' } };
  }
  let note: string | undefined;
  if (ws.image.strategy !== 'script') {
    const built = newestBuiltImage(images, builds, environmentKey(ws), ws.region);
    if (built !== undefined) return { ok: true, image: { imageId: built.imageId, userData: '', source: 'built' } };
    const prebuilt = prebuiltImage(ws, repo, images);
    if (prebuilt !== undefined) return { ok: true, image: prebuilt };
    const waiting = withoutImage(ws, images, builds, now, targets);
    if (ws.image.strategy === 'ami_required')
      return refuse(ws, waiting.code, `workstation ${ws.name}: ${waiting.required}`);
    note = waiting.preferred;
  }
  const base = newestBaseImage(ws, images);
  if (base === undefined) {
    const query = baseImageQuery(env.os, env.architecture);
    return refuse(
      ws,
      'no-base-image',
      `workstation ${ws.name}: no available ${env.os} ${env.architecture} base image (owner ${query.owner}, name ${query.namePattern}) observed in ${ws.region}`,
    );
  }
  const image: ResolvedImage = { imageId: base.imageId, userData: env.userData, source: 'base' };
  if (note !== undefined) image.note = note;
  return { ok: true, image };
}

/** What the plan says when no image of the environment version is in reach: for `ami_required` and for `ami_preferred`. */
function withoutImage(
  ws: DesiredWorkstation,
  images: readonly ObservedImage[],
  builds: readonly ObservedImageBuild[],
  now: Date,
  targets: ImageTargets,
): { code: PlanRefusal['code']; required: string; preferred: string | undefined } {
  const key = environmentKey(ws);
  const regions = targets[key];
  if (regions !== undefined && !regions.includes(ws.region)) {
    // Built images are not copied: the EnvironmentImage's `regions` says where they are distributed.
    const missing = `the EnvironmentImage of ${key} does not build for ${ws.region} (its regions: ${regions.join(', ')}; add ${ws.region})`;
    return {
      code: 'ami-required',
      required: `image.strategy ami_required, but ${missing}`,
      preferred: `${missing}; the script path instead`,
    };
  }
  const build = buildState(builds, images, key, now);
  if (build.state === 'building') {
    const building = `image building, ready in ~${build.readyInMinutes} min (${key}, Image Builder ${build.status})`;
    return {
      code: 'image-building',
      required: `${building}; launched once it is available in ${ws.region}`,
      preferred: `${building}; the script path meanwhile`,
    };
  }
  if (build.state === 'failed') {
    const failed = `the image build of ${key} FAILED: ${build.reason}`;
    return {
      code: 'ami-required',
      required: `image.strategy ami_required, but ${failed}`,
      preferred: `${failed}; the script path instead`,
    };
  }
  if (regions !== undefined) {
    // Declared but no build yet: the EnvironmentImage starts one in this run's apply.
    const minutes = Math.ceil(expectedBuildMinutes(builds, images, key));
    const building = `image building, ready in ~${minutes} min (${key}, the EnvironmentImage's first build)`;
    return {
      code: 'image-building',
      required: `${building}; launched once it is available in ${ws.region}`,
      preferred: `${building}; the script path meanwhile`,
    };
  }
  const elsewhere = otherBuiltRegions(images, builds, key, ws.region);
  if (elsewhere.length > 0) {
    // Built images are not copied: the EnvironmentImage's `regions` says where they are distributed.
    const only = `${key} is built only in ${elsewhere.join(', ')} (add ${ws.region} to the EnvironmentImage's regions)`;
    return {
      code: 'ami-required',
      required: `image.strategy ami_required, but ${only}`,
      preferred: `${only}; the script path instead`,
    };
  }
  return {
    code: 'ami-required',
    required: `image.strategy ami_required, but environment ${key} has no prebuilt image available in ${ws.region} or any other region`,
    preferred: undefined,
  };
}

/**
 * With `image.follow: latest`, why `instance` is replaced: it runs an older built image of its
 * environment version than the newest available in its Region (built images: outputs of `builds`,
 * this repository's observed Image Builder builds). Undefined without `follow: latest`, when the
 * instance was not launched from a built image of this version, or when it runs the newest.
 */
export function followLatestChange(
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  images: readonly ObservedImage[],
  builds: readonly ObservedImageBuild[],
): string | undefined {
  if (ws.image.follow !== 'latest' || ws.image.ami !== undefined || ws.image.strategy === 'script') return undefined;
  const key = environmentKey(ws);
  if (instance.region !== ws.region || instance.tags[TAG.environment] !== key) return undefined;
  const current = instance.tags[TAG.ami];
  const running = images.find((i) => i.imageId === current && i.region === instance.region);
  // Only an instance known to run a built image of this version follows: a script-path instance is left alone.
  if (running === undefined || !isBuiltImage(running, builds, key)) return undefined;
  const newest = newestBuiltImage(images, builds, key, ws.region);
  if (newest === undefined || newest.imageId === running.imageId || newest.creationDate <= running.creationDate)
    return undefined;
  return `image ${running.imageId} → ${newest.imageId} (newer built image of ${key}, image.follow latest)`;
}

function refuse(ws: DesiredWorkstation, code: PlanRefusal['code'], message: string): ImageResolution {
  return { ok: false, refusal: { code, message, resource: { kind: 'Workstation', name: ws.name } } };
}

function isAvailable(images: readonly ObservedImage[], imageId: string, region: string): boolean {
  return images.some((i) => i.imageId === imageId && i.region === region && i.state === 'available');
}

/** The environment's image in the region, else a copy from the first other region (sorted) that has one. */
function prebuiltImage(
  ws: DesiredWorkstation,
  repo: string,
  images: readonly ObservedImage[],
): ResolvedImage | undefined {
  const env = ws.environment;
  const local = env.images[ws.region];
  if (local !== undefined && isAvailable(images, local, ws.region))
    return { imageId: local, userData: '', source: 'prebuilt' };
  const found = Object.entries(env.images)
    .filter(([r]) => r !== ws.region)
    .sort(([a], [b]) => compareText(a, b))
    .find(([r, imageId]) => isAvailable(images, imageId, r));
  if (found === undefined) return undefined;
  const [source, sourceImageId] = found;
  const copyImage: CopyImageRequest = {
    sourceRegion: source,
    sourceImageId,
    region: ws.region,
    name: `labops/${env.name}-${env.version}/${sourceImageId}`,
    // Shared by every workstation that needs this copy, so concurrent launches make one copy.
    clientToken: `labops-copy-${stableHash([repo, source, sourceImageId, ws.region], 40)}`,
    tags: {
      [TAG.repo]: repo,
      [TAG.environment]: `${env.name}@${env.version}`,
      [TAG.display]: `${env.name}-${env.version}`,
    },
  };
  return { imageId: '', userData: '', source: 'copy', copyImage };
}

/** The newest available public base image for the environment's OS and architecture in the region. */
export function newestBaseImage(ws: DesiredWorkstation, images: readonly ObservedImage[]): ObservedImage | undefined {
  const query = baseImageQuery(ws.environment.os, ws.environment.architecture);
  const matching = images.filter(
    (i) =>
      i.region === ws.region &&
      i.state === 'available' &&
      i.ownerId === query.owner &&
      i.architecture === ws.environment.architecture &&
      matchesImageName(query.namePattern, i.name),
  );
  matching.sort((a, b) => compareText(b.creationDate, a.creationDate) || compareText(a.imageId, b.imageId));
  return matching[0];
}
