/**
 * Bulk observation of one repository's workstations: per Region one paginated, tag-filtered
 * DescribeInstances, one paginated DescribeVolumes with the same filter, and one DescribeImages
 * per image query. Never a read per resource; only resources tagged with this repo appear.
 */
import { paginateDescribeImages, paginateDescribeInstances, paginateDescribeVolumes } from '@aws-sdk/client-ec2';
import type { EC2Client, Filter } from '@aws-sdk/client-ec2';
import { TAG } from '../model/tags.js';
import type { ObservedImage, ObservedInstance, ObservedVolume } from '../model/observed.js';
import { toAwsError } from './errors.js';
import { observeImage, observeInstance, observeVolume, withVolumes } from './ec2-normalise.js';
import type { Ec2Observation, ImageQuery, ObserveOptions } from './ports.js';

/** Largest DescribeInstances page. */
const INSTANCE_PAGE = 1000;
/** Largest DescribeVolumes page. */
const VOLUME_PAGE = 500;
/** Largest DescribeImages page. */
const IMAGE_PAGE = 1000;

/** The tag filter that scopes every listing to this repository's workstations. */
export function ownershipFilters(repo: string): Filter[] {
  return [
    { Name: `tag:${TAG.repo}`, Values: [repo] },
    { Name: `tag:${TAG.kind}`, Values: ['Workstation'] },
  ];
}

/** The Region's instances, each page normalised as it arrives (attachments completed later). */
async function listInstances(client: EC2Client, repo: string, region: string): Promise<ObservedInstance[]> {
  const out: ObservedInstance[] = [];
  try {
    for await (const page of paginateDescribeInstances(
      { client, pageSize: INSTANCE_PAGE },
      { Filters: ownershipFilters(repo) },
    )) {
      for (const reservation of page.Reservations ?? [])
        for (const instance of reservation.Instances ?? []) out.push(observeInstance(instance, region));
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeInstances', repo);
  }
  return out;
}

/** The Region's volumes, each page normalised as it arrives. */
async function listVolumes(client: EC2Client, repo: string, region: string): Promise<ObservedVolume[]> {
  const out: ObservedVolume[] = [];
  try {
    for await (const page of paginateDescribeVolumes(
      { client, pageSize: VOLUME_PAGE },
      { Filters: ownershipFilters(repo) },
    )) {
      for (const volume of page.Volumes ?? []) out.push(observeVolume(volume, region));
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeVolumes', repo);
  }
  return out;
}

async function listImages(
  client: EC2Client,
  repo: string,
  region: string,
  query: ImageQuery['query'],
): Promise<ObservedImage[]> {
  const input =
    query === 'self'
      ? { Owners: ['self'], Filters: [{ Name: `tag:${TAG.repo}`, Values: [repo] }] }
      : {
          Owners: [query.owner],
          Filters: [
            { Name: 'name', Values: [query.namePattern] },
            { Name: 'state', Values: ['available'] },
          ],
        };
  const out: ObservedImage[] = [];
  try {
    for await (const page of paginateDescribeImages({ client, pageSize: IMAGE_PAGE }, input))
      for (const image of page.Images ?? []) out.push(observeImage(image, region));
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeImages', query === 'self' ? 'self' : query.namePattern);
  }
  return out;
}

/** The distinct image queries of one Region. */
function queriesFor(region: string, images: ImageQuery[]): ImageQuery['query'][] {
  const seen = new Map<string, ImageQuery['query']>();
  for (const q of images) {
    if (q.region !== region) continue;
    seen.set(q.query === 'self' ? 'self' : `${q.query.owner}|${q.query.namePattern}`, q.query);
  }
  return [...seen.values()];
}

interface RegionObservation {
  instances: ObservedInstance[];
  volumes: ObservedVolume[];
  images: ObservedImage[];
}

async function observeRegion(
  client: EC2Client,
  region: string,
  repo: string,
  options: ObserveOptions,
): Promise<RegionObservation> {
  const [instances, volumes, imageLists] = await Promise.all([
    listInstances(client, repo, region),
    listVolumes(client, repo, region),
    Promise.all(queriesFor(region, options.images).map((q) => listImages(client, repo, region, q))),
  ]);
  const volumeById = new Map(volumes.map((v) => [v.volumeId, v]));
  const observedInstances = instances.map((i) => withVolumes(i, volumeById));
  const attached = new Set(observedInstances.flatMap((i) => i.attachments.map((a) => a.volumeId)));
  const images = new Map<string, ObservedImage>();
  for (const image of imageLists.flat()) images.set(image.imageId, image);
  return {
    instances: observedInstances,
    volumes: volumes.filter((v) => !attached.has(v.volumeId)),
    images: [...images.values()],
  };
}

/**
 * Observes every Region in parallel. Volumes attached to an observed instance appear in its
 * `attachments`; every other labops volume (detached, or attached elsewhere) in `volumes`.
 * @throws {AwsError} from the first listing that fails (a partial view is never returned)
 */
export async function observeRegions(
  clientFor: (region: string) => EC2Client,
  regions: string[],
  repo: string,
  options: ObserveOptions,
): Promise<Ec2Observation> {
  const parts = await Promise.all(
    [...new Set(regions)].map((region) => observeRegion(clientFor(region), region, repo, options)),
  );
  return {
    instances: parts.flatMap((p) => p.instances),
    volumes: parts.flatMap((p) => p.volumes),
    images: parts.flatMap((p) => p.images),
  };
}
