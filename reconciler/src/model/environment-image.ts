/**
 * The EnvironmentImage vocabulary: an environment version baked into AMIs through EC2 Image
 * Builder. Image Builder's components and recipes are immutable and versioned: the environment's
 * semver is the component and recipe version (`neuroimaging@1.3.0` → `1.3.0`), so a new
 * environment version is a new component and recipe, never an update in place. Infrastructure and
 * distribution configurations can change without a version (instance types, Regions): their names
 * carry a hash of their content, so a change is a new configuration, never an update. Every name
 * starts `labops-REPO6-` (a hash of the repository), and every resource carries this repository's
 * `labops:repo` tag: a same-named resource without it is refused, never used or deleted.
 */
import type { DesiredEnvironment } from './desired.js';
import { TAG, stableHash } from './tags.js';

/** Images kept per environment version and Region. */
export const DEFAULT_KEEP = 2;

/** The build instance's profile when the spec names none. */
export const DEFAULT_IMAGE_INSTANCE_PROFILE = 'labops-imagebuilder';

/**
 * Image Builder's limit on a component's inline `data`, in characters ("Length Constraints:
 * Maximum length of 16000", CreateComponent). A longer build script is split over ordered components.
 */
export const COMPONENT_DATA_LIMIT = 16_000;

/** Image Builder's limit on a client token (1..36 characters). */
const CLIENT_TOKEN_LENGTH = 32;

/** The Image Builder resource types labops creates. */
export type ImageResourceType = 'component' | 'recipe' | 'infrastructure' | 'distribution';

/** One component version to create: a YAML document with build, validate and test phases. */
export interface ComponentRequest {
  type: 'component';
  name: string;
  version: string;
  /** The YAML document (at most {@link COMPONENT_DATA_LIMIT} characters). */
  data: string;
  description: string;
  tags: Record<string, string>;
  clientToken: string;
}

/** The image recipe: parent AMI, components in order, root volume. */
export interface RecipeRequest {
  type: 'recipe';
  name: string;
  version: string;
  parentImage: string;
  /** Component names, in build order, all of `version`. */
  components: string[];
  rootGiB: number;
  /** Device name of the parent's root volume. */
  rootDevice: string;
  description: string;
  tags: Record<string, string>;
  clientToken: string;
}

/** The infrastructure configuration: build instance types and profile, default VPC, no inbound ports. */
export interface InfrastructureRequest {
  type: 'infrastructure';
  name: string;
  instanceTypes: string[];
  instanceProfile: string;
  description: string;
  tags: Record<string, string>;
  /** Tags on the build and test instances (so their cost lands on the project). */
  resourceTags: Record<string, string>;
  clientToken: string;
}

/** The distribution configuration: every Region, the AMI name and tags. */
export interface DistributionRequest {
  type: 'distribution';
  name: string;
  regions: string[];
  /** `labops-ENV-VERSION-{{ imagebuilder:buildDate }}`. */
  amiName: string;
  amiTags: Record<string, string>;
  description: string;
  tags: Record<string, string>;
  clientToken: string;
}

/** Any Image Builder resource request. */
export type ImageResourceRequest = ComponentRequest | RecipeRequest | InfrastructureRequest | DistributionRequest;

/** The Image Builder resources of one environment version, named. */
export interface ImagePipelineParts {
  components: ComponentRequest[];
  recipe: RecipeRequest;
  infrastructure: InfrastructureRequest;
  distribution: DistributionRequest;
}

/** One EnvironmentImage, every default settled. */
export interface DesiredEnvironmentImage {
  name: string;
  owner: string;
  project: string;
  labels: Record<string, string>;
  /** The resolved environment: `name`, exact `version`, OS and architecture. */
  environment: Pick<DesiredEnvironment, 'name' | 'version' | 'os' | 'architecture'>;
  /** `name@version`: the `labops:environment` tag of everything built. */
  environmentRef: string;
  /** Distribution Regions, sorted; the build runs in {@link homeRegion}. */
  regions: string[];
  /** Where Image Builder runs: the first Region the spec lists (else the Lab's default, else the first). */
  homeRegion: string;
  instanceTypes: string[];
  instanceProfile: string;
  keep: number;
  /** `rebuild.every` in ms, and as written. @default undefined (no timed rebuilds) */
  rebuild?: { everyMs: number; every: string };
  /** Root volume of the build (the environment's minimum root). */
  rootGiB: number;
  /** The rendered build script (environments/user-data.ts renderImageBuildScript). */
  buildScript: string;
  /** The component documents, in build order (one, or several when the script is long). */
  componentData: string[];
  /** Hash of the component documents: what a version promises to contain. */
  contentHash: string;
}

/** An Image Builder resource as listed (components, recipes, configurations). */
export interface ObservedImageResource {
  type: ImageResourceType;
  region: string;
  name: string;
  /** Semantic version (components, recipes); undefined for configurations. */
  version?: string;
  arn: string;
  tags: Record<string, string>;
}

/** Tag naming the content hash of a component or recipe version. */
export const CONTENT_HASH_TAG = TAG.specHash;

/** `labops-REPO6-`: the prefix of every Image Builder name this repository uses. */
export function imageNamePrefix(repo: string): string {
  return `labops-${stableHash(['EnvironmentImage', repo], 6)}-`;
}

/** The names of an image's Image Builder resources (configurations carry their content hash). */
export function imageResourceNames(
  repo: string,
  image: DesiredEnvironmentImage,
  componentCount: number,
): { components: string[]; recipe: string; infrastructure: string; distribution: string } {
  const base = `${imageNamePrefix(repo)}${image.environment.name}`;
  // Everything a configuration carries, the environment version included (its tags and AMI name name it).
  const infraHash = stableHash(
    [image.instanceTypes, image.instanceProfile, image.project, image.owner, image.labels, image.environmentRef],
    8,
  );
  const distHash = stableHash(
    [image.regions, image.name, image.project, image.owner, image.labels, image.environmentRef],
    8,
  );
  return {
    components:
      componentCount === 1
        ? [base]
        : Array.from({ length: componentCount }, (_, i) => `${base}-part${i + 1}of${componentCount}`),
    recipe: base,
    infrastructure: `${imageNamePrefix(repo)}${image.name}-infra-${infraHash}`,
    distribution: `${imageNamePrefix(repo)}${image.name}-dist-${distHash}`,
  };
}

/** Image Builder client token (≤ 36 characters) from stable inputs: a retry or a crash never creates twice. */
export function imageClientToken(parts: unknown[]): string {
  return stableHash(parts, CLIENT_TOKEN_LENGTH);
}

/** The tags every Image Builder resource and AMI of an image carries. */
export function environmentImageTags(repo: string, image: DesiredEnvironmentImage): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG.repo]: repo,
    [TAG.kind]: 'EnvironmentImage',
    [TAG.name]: image.name,
    [TAG.project]: image.project,
    [TAG.owner]: image.owner,
    [TAG.environment]: image.environmentRef,
  };
  for (const [key, value] of Object.entries(image.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    tags[`${TAG.labelPrefix}${key}`] = value;
  return tags;
}

/** True when tags say the resource is this repository's EnvironmentImage (by `labops:repo` and kind). */
export function imageTaggedFor(tags: Record<string, string>, repo: string): boolean {
  return tags[TAG.repo] === repo && tags[TAG.kind] === 'EnvironmentImage';
}

/** Create an Image Builder resource (component, recipe, infrastructure or distribution configuration). */
export interface CreateImageResourceDetails {
  kind: 'create-image-resource';
  image: string;
  request: ImageResourceRequest;
}

/** Start an image build (CreateImage) of a recipe version on an infrastructure and distribution. */
export interface BuildImageDetails {
  kind: 'build-image';
  image: string;
  environment: string;
  recipe: { name: string; version: string };
  infrastructure: string;
  distribution: string;
  tags: Record<string, string>;
  clientToken: string;
  /** Why: `spec` (none yet), `rebuild` (the newest is older than rebuild.every), `requested` (`labops env build`). */
  why: 'spec' | 'rebuild' | 'requested';
}

/** Retire one AMI: deregister it and delete its snapshots (and the build's Image Builder image when it is the last). */
export interface RetireImageDetails {
  kind: 'retire-image';
  image: string;
  repo: string;
  imageId: string;
  snapshotIds: string[];
  /** The build version ARN to delete from Image Builder once this AMI is gone. @default undefined */
  deleteBuild?: { region: string; arn: string };
}

/** Details of every EnvironmentImage action kind. */
export type EnvironmentImageDetails = CreateImageResourceDetails | BuildImageDetails | RetireImageDetails;
