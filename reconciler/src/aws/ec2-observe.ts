/**
 * Bulk observation of one repository's workstations: per Region one paginated, tag-filtered
 * DescribeInstances, one paginated DescribeVolumes with the same filter, and one DescribeImages
 * per image query. Never a read per resource; only resources tagged with this repo appear.
 */
import { paginateDescribeImages, paginateDescribeInstances, paginateDescribeVolumes } from '@aws-sdk/client-ec2';
import type { EC2Client, Filter, Image, Instance, Volume } from '@aws-sdk/client-ec2';
import { TAG } from '../model/tags.js';
import type { ObservedImage, ObservedInstance, ObservedVolume } from '../model/observed.js';
import { toAwsError } from './errors.js';
import { observeImage, observeInstance, observeVolume } from './ec2-normalise.js';
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

async function listInstances(client: EC2Client, repo: string): Promise<Instance[]> {
  const out: Instance[] = [];
  try {
    for await (const page of paginateDescribeInstances({ client, pageSize: INSTANCE_PAGE }, { Filters: ownershipFilters(repo) })) {
      for (const reservation of page.Reservations ?? []) out.push(...(reservation.Instances ?? []));
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeInstances', repo);
  }
  return out;
}

async function listVolumes(client: EC2Client, repo: string): Promise<Volume[]> {
  const out: Volume[] = [];
  try {
    for await (const page of paginateDescribeVolumes({ client, pageSize: VOLUME_PAGE }, { Filters: ownershipFilters(repo) })) out.push(...(page.Volumes ?? []));
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeVolumes', repo);
  }
  return out;
}

async function listImages(client: EC2Client, repo: string, query: ImageQuery['query']): Promise<Image[]> {
  const input = query === 'self'
    ? { Owners: ['self'], Filters: [{ Name: `tag:${TAG.repo}`, Values: [repo] }] }
    : { Owners: [query.owner], Filters: [{ Name: 'name', Values: [query.namePattern] }, { Name: 'state', Values: ['available'] }] };
  const out: Image[] = [];
  try {
    for await (const page of paginateDescribeImages({ client, pageSize: IMAGE_PAGE }, input)) out.push(...(page.Images ?? []));
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

async function observeRegion(client: EC2Client, region: string, repo: string, options: ObserveOptions): Promise<RegionObservation> {
  const [instances, volumes, imageLists] = await Promise.all([
    listInstances(client, repo),
    listVolumes(client, repo),
    Promise.all(queriesFor(region, options.images).map((q) => listImages(client, repo, q))),
  ]);
  const volumeById = new Map(volumes.map((v) => [v.VolumeId ?? '', v]));
  const observedInstances = instances.map((i) => observeInstance(i, region, volumeById));
  const attached = new Set(observedInstances.flatMap((i) => i.attachments.map((a) => a.volumeId)));
  const images = new Map<string, ObservedImage>();
  for (const image of imageLists.flat()) images.set(image.ImageId ?? '', observeImage(image, region));
  return {
    instances: observedInstances,
    volumes: volumes.filter((v) => !attached.has(v.VolumeId ?? '')).map((v) => observeVolume(v, region)),
    images: [...images.values()],
  };
}

/**
 * Observes every Region in parallel. Volumes attached to an observed instance appear in its
 * `attachments`; every other labops volume (detached, or attached elsewhere) in `volumes`.
 * @throws {AwsError} from the first listing that fails (a partial view is never returned)
 */
export async function observeRegions(clientFor: (region: string) => EC2Client, regions: string[], repo: string, options: ObserveOptions): Promise<Ec2Observation> {
  const parts = await Promise.all([...new Set(regions)].map((region) => observeRegion(clientFor(region), region, repo, options)));
  return {
    instances: parts.flatMap((p) => p.instances),
    volumes: parts.flatMap((p) => p.volumes),
    images: parts.flatMap((p) => p.images),
  };
}
