/** Builders for EnvironmentImage planner tests: a desired image, its resources as Image Builder lists them, builds and AMIs. */
import type {
  DesiredEnvironmentImage,
  ObservedImageResource,
} from '../../../../reconciler/src/model/environment-image.js';
import { environmentImageTags, imageResourceNames } from '../../../../reconciler/src/model/environment-image.js';
import type { ObservedImage, ObservedImageBuild } from '../../../../reconciler/src/model/observed.js';
import { imageRequests } from '../../../../reconciler/src/kinds/environment-image/plan.js';
import { REPO, baseImage } from '../workstation/plan-fixtures.js';

/** neuroimaging@1.2.0 baked to us-east-1 and us-west-2 on m6i.xlarge, keep 2. */
export function desiredImage(overrides: Partial<DesiredEnvironmentImage> = {}): DesiredEnvironmentImage {
  const version = overrides.environment?.version ?? '1.2.0';
  return {
    name: 'neuro',
    owner: 'pi-login',
    project: 'neuro-lab',
    labels: {},
    environment: { name: 'neuroimaging', version, os: 'ubuntu-22.04', architecture: 'x86_64' },
    environmentRef: `neuroimaging@${version}`,
    regions: ['us-east-1', 'us-west-2'],
    homeRegion: 'us-east-1',
    instanceTypes: ['m6i.xlarge'],
    instanceProfile: 'labops-imagebuilder',
    keep: 2,
    rootGiB: 120,
    buildScript: '#!/bin/bash\n',
    componentData: [`name: labops neuroimaging@${version}\n`],
    contentHash: `hash-${version}`,
    ...overrides,
  };
}

/** Every Image Builder resource of `image` as listed, this repository's (or `repo`'s). */
export function existingResources(image: DesiredEnvironmentImage, repo = REPO): ObservedImageResource[] {
  const { components, recipe, configs } = imageRequests(REPO, image, baseImage());
  return [...components, ...(recipe ? [recipe] : []), ...configs].map((r) => ({
    type: r.type,
    region: image.homeRegion,
    name: r.name,
    ...(r.type === 'component' || r.type === 'recipe' ? { version: r.version } : {}),
    arn: `arn:aws:imagebuilder:${image.homeRegion}:123456789012:${r.type}/${r.name}`,
    tags: repo === REPO ? r.tags : { ...r.tags, 'labops:repo': repo },
  }));
}

/** The recipe name of an image. */
export function recipeName(image: DesiredEnvironmentImage): string {
  return imageResourceNames(REPO, image, image.componentData.length).recipe;
}

/** A build of `image` created at `date`, AVAILABLE with an AMI per Region unless said otherwise. */
export function build(
  image: DesiredEnvironmentImage,
  n: number,
  date: string,
  status: ObservedImageBuild['status'] = 'AVAILABLE',
  reason?: string,
): ObservedImageBuild {
  return {
    environment: image.environmentRef,
    arn: `arn:aws:imagebuilder:us-east-1:123456789012:image/${recipeName(image)}/${image.environment.version}/${n}`,
    region: image.homeRegion,
    status,
    ...(reason === undefined ? {} : { reason }),
    dateCreated: date,
    amis: status === 'AVAILABLE' ? Object.fromEntries(image.regions.map((r) => [r, amiId(image, n, r)])) : {},
    image: image.name,
  };
}

/** The AMI id of build n in a Region. */
export function amiId(image: DesiredEnvironmentImage, n: number, region: string): string {
  const v = image.environment.version.replace(/\./g, '');
  return `ami-${region === 'us-east-1' ? 'e' : 'w'}${v}${String(n).padStart(13 - v.length, '0')}`.slice(0, 21);
}

/** An AMI of build n of `image` in `region`, as EC2 lists it. */
export function ami(
  image: DesiredEnvironmentImage,
  n: number,
  region: string,
  date: string,
  tags: Record<string, string> = environmentImageTags(REPO, image),
): ObservedImage {
  return {
    imageId: amiId(image, n, region),
    region,
    name: `labops-neuroimaging-${image.environment.version}-${date}`,
    architecture: 'x86_64',
    creationDate: date,
    state: 'available',
    ownerId: '123456789012',
    tags,
    snapshotIds: [`snap-${amiId(image, n, region).slice(4)}`],
  };
}
