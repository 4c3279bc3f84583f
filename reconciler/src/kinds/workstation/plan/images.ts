/**
 * Choosing the image a workstation launches from, per `image.strategy`:
 * - a pinned `image.ami` always wins;
 * - `ami_preferred`: the environment's prebuilt image in the region, else a copy of its prebuilt
 *   image from another region, else the newest public base OS image plus cloud-init user data;
 * - `ami_required`: like `ami_preferred` without the base-image fallback (refused instead);
 * - `script`: always the newest base OS image plus user data.
 * An image counts as present only when observed `available`. A newer base image never changes
 * an existing instance: the AMI used is recorded in `labops:ami` and is not part of the launch hash.
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { CopyImageRequest } from '../../../model/launch.js';
import type { ObservedImage } from '../../../model/observed.js';
import type { PlanRefusal } from '../../../model/plan.js';
import { baseImageQuery, matchesImageName } from '../../../model/base-images.js';
import { TAG, stableHash } from '../../../model/tags.js';
import { compareText } from '../../../model/problem.js';

/** A resolved image. With `copyImage`, `imageId` is `''`: the executor launches from the copy's id. */
export interface ResolvedImage {
  imageId: string;
  /** `''` for prebuilt images (the environment is baked in); the rendered environment otherwise. */
  userData: string;
  source: 'pinned' | 'prebuilt' | 'copy' | 'base';
  copyImage?: CopyImageRequest;
}

/** An image, or the refusal that explains why there is none. */
export type ImageResolution = { ok: true; image: ResolvedImage } | { ok: false; refusal: PlanRefusal };

/** Resolves the launch image of `ws` from the observed images. */
export function resolveImage(ws: DesiredWorkstation, repo: string, images: readonly ObservedImage[]): ImageResolution {
  const env = ws.environment;
  if (ws.image.ami !== undefined) {
    // A pinned AMI that is one of the environment's prebuilt images needs no provisioning.
    const prebuilt = Object.values(env.images).includes(ws.image.ami);
    return { ok: true, image: { imageId: ws.image.ami, userData: prebuilt ? '' : env.userData, source: 'pinned' } };
  }
  if (ws.image.strategy !== 'script') {
    const prebuilt = prebuiltImage(ws, repo, images);
    if (prebuilt !== undefined) return { ok: true, image: prebuilt };
    if (ws.image.strategy === 'ami_required') {
      return refuse(
        ws,
        'ami-required',
        `workstation ${ws.name}: image.strategy ami_required, but environment ${env.name}@${env.version} has no prebuilt image available in ${ws.region} or any other region`,
      );
    }
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
  return { ok: true, image: { imageId: base.imageId, userData: env.userData, source: 'base' } };
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
