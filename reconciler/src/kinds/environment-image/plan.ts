/**
 * The pure EnvironmentImage planner: Desired + Image Builder's resources and builds + the AMIs EC2
 * shows → actions.
 *
 * - Each environment version's components and recipe (version = the environment's version), the
 *   infrastructure and distribution configurations (content-hashed names) are created once, then
 *   a build. Nothing is ever updated in place.
 * - A component or recipe of this version whose content hash differs from the rendered one means the
 *   environment changed without a version bump: refused (`image-changed`), never rebuilt under the
 *   old version (Image Builder refuses it, and workstations would read a version that lies).
 * - Builds: none yet → build (`spec`); one under way → wait; the newest FAILED with nothing newer
 *   AVAILABLE → refused with Image Builder's reason (`image-build-failed`; workstations stay on the
 *   script path) until `labops env build` asks again; the newest AVAILABLE older than
 *   `rebuild.every` → a fresh build of the same recipe; `labops env build` → a build now, unless
 *   one is under way: that build satisfies the request, and the plan says so (`image-building`).
 * - Retention: per environment version and Region, the newest `keep` AMIs stay; older ones are
 *   retired (deregistered, snapshots deleted, the build's Image Builder record deleted with its last
 *   AMI) unless an instance runs from one (ImageId or `labops:ami`) or a Workstation pins it. Only
 *   AMIs this repository's builds output count (model/image-provenance.ts), grouped by their build's
 *   environment version: an AMI that merely carries the tags is never kept, counted or retired.
 * - A removed EnvironmentImage: its AMIs are retired the same way with prune on, else reported.
 * - A same-named resource without this repository's `labops:repo` tag is refused (`image-foreign`).
 * No I/O, no clock reads.
 */
import { orderActions } from '../../engine/actions.js';
import { resourceAction } from '../../engine/clock-actions.js';
import { baseImageQuery, matchesImageName } from '../../model/base-images.js';
import type { Desired } from '../../model/desired.js';
import { formatDuration } from '../../model/duration.js';
import {
  CONTENT_HASH_TAG,
  environmentImageTags,
  imageClientToken,
  imageResourceNames,
  imageTaggedFor,
} from '../../model/environment-image.js';
import type {
  BuildImageDetails,
  DesiredEnvironmentImage,
  ImageResourceRequest,
  ObservedImageResource,
} from '../../model/environment-image.js';
import { buildOfImage, newestBuild } from '../../model/image-provenance.js';
import type { Observed, ObservedImage, ObservedImageBuild } from '../../model/observed.js';
import { IMAGE_BUILD_IN_PROGRESS } from '../../model/observed.js';
import type { Action, PlanPart, PlanRefusal } from '../../model/plan.js';
import { compareText } from '../../model/problem.js';
import { TAG, stableHash } from '../../model/tags.js';
import { ENVIRONMENT_IMAGE_PLAN_ACTIONS } from './actions.js';

const D = ENVIRONMENT_IMAGE_PLAN_ACTIONS;

/** What the planner reads besides Desired and Observed. */
export interface ImagePlanInputs {
  desired: Desired;
  observed: Observed;
  now: Date;
  /** `name@version`s `labops env build` asked to build now. @default none */
  requests?: readonly string[];
}

interface Out {
  actions: Action[];
  refusals: PlanRefusal[];
}

function refusal(image: string, code: PlanRefusal['code'], message: string): PlanRefusal {
  return { code, message, resource: { kind: 'EnvironmentImage', name: image } };
}

/** The newest available base OS image for the environment in `region`. */
export function newestBase(
  image: DesiredEnvironmentImage,
  images: readonly ObservedImage[],
): ObservedImage | undefined {
  const { os, architecture } = image.environment;
  const query = baseImageQuery(os, architecture);
  return images
    .filter(
      (i) =>
        i.region === image.homeRegion &&
        i.state === 'available' &&
        i.ownerId === query.owner &&
        i.architecture === architecture &&
        matchesImageName(query.namePattern, i.name),
    )
    .sort((a, b) => compareText(b.creationDate, a.creationDate) || compareText(a.imageId, b.imageId))[0];
}

/** Root device of a base OS image when EC2 did not say: Ubuntu's and Rocky's `/dev/sda1`, Amazon Linux's `/dev/xvda`. */
function rootDeviceFor(image: DesiredEnvironmentImage, base: ObservedImage): string {
  return base.rootDeviceName ?? (image.environment.os === 'amazonlinux-2023' ? '/dev/xvda' : '/dev/sda1');
}

/** The requests for an image's Image Builder resources (the recipe's parent left to the caller). */
export function imageRequests(
  repo: string,
  image: DesiredEnvironmentImage,
  base: ObservedImage | undefined,
): { components: ImageResourceRequest[]; recipe: ImageResourceRequest | undefined; configs: ImageResourceRequest[] } {
  const names = imageResourceNames(repo, image, image.componentData.length);
  const tags = environmentImageTags(repo, image);
  const version = image.environment.version;
  const what = `labops ${image.environmentRef} for ${repo}`;
  const components = image.componentData.map((data, i): ImageResourceRequest => ({
    type: 'component',
    name: names.components[i] ?? '',
    version,
    data,
    description: image.componentData.length === 1 ? what : `${what}, part ${i + 1} of ${image.componentData.length}`,
    tags: { ...tags, [CONTENT_HASH_TAG]: stableHash([image.contentHash, i], 16) },
    clientToken: imageClientToken([repo, 'component', names.components[i], version, image.contentHash]),
  }));
  const recipeHash = stableHash([image.contentHash, image.rootGiB, names.components], 16);
  const recipe: ImageResourceRequest | undefined =
    base === undefined
      ? undefined
      : {
          type: 'recipe',
          name: names.recipe,
          version,
          parentImage: base.imageId,
          components: names.components,
          rootGiB: image.rootGiB,
          rootDevice: rootDeviceFor(image, base),
          description: what,
          tags: { ...tags, [CONTENT_HASH_TAG]: recipeHash },
          clientToken: imageClientToken([repo, 'recipe', names.recipe, version, recipeHash]),
        };
  const configs: ImageResourceRequest[] = [
    {
      type: 'infrastructure',
      name: names.infrastructure,
      instanceTypes: image.instanceTypes,
      instanceProfile: image.instanceProfile,
      description: `labops EnvironmentImage ${image.name}: build instances (default VPC, no inbound ports, terminated on failure)`,
      tags,
      resourceTags: tags,
      clientToken: imageClientToken([repo, 'infrastructure', names.infrastructure]),
    },
    {
      type: 'distribution',
      name: names.distribution,
      regions: image.regions,
      amiName: `labops-${image.environment.name}-${version}-{{ imagebuilder:buildDate }}`,
      amiTags: tags,
      description: `labops EnvironmentImage ${image.name}: AMIs in ${image.regions.join(', ')}`,
      tags,
      clientToken: imageClientToken([repo, 'distribution', names.distribution]),
    },
  ];
  return { components, recipe, configs };
}

function versionOf(request: ImageResourceRequest): string | undefined {
  return request.type === 'component' || request.type === 'recipe' ? request.version : undefined;
}

function find(
  seen: readonly ObservedImageResource[],
  request: ImageResourceRequest,
): ObservedImageResource | undefined {
  const version = versionOf(request);
  return seen.find(
    (r) => r.type === request.type && r.name === request.name && (version === undefined || r.version === version),
  );
}

const TYPE_TEXT: Record<ImageResourceRequest['type'], string> = {
  component: 'component',
  recipe: 'image recipe',
  infrastructure: 'infrastructure configuration',
  distribution: 'distribution configuration',
};

/** The build decision for one image, from its builds: why to build now, a refusal, or nothing. */
function buildDecision(
  image: DesiredEnvironmentImage,
  builds: readonly ObservedImageBuild[],
  now: Date,
  requested: boolean,
): { why: BuildImageDetails['why']; text: string } | { refuse: string } | { wait: string } | undefined {
  const sorted = [...builds].sort((a, b) => compareText(b.dateCreated, a.dateCreated) || compareText(b.arn, a.arn));
  const running = sorted.find((b) => IMAGE_BUILD_IN_PROGRESS.has(b.status));
  // A build under way satisfies a request too: a second one would only race it to the same recipe.
  if (running !== undefined)
    return requested
      ? {
          wait: `build image ${image.environmentRef} (requested): build ${running.arn.split('/').slice(-2).join('/')} is already ${running.status} (started ${running.dateCreated}); it satisfies the request, none started`,
        }
      : undefined;
  if (requested) return { why: 'requested', text: `build image ${image.environmentRef} (requested)` };
  const available = sorted.filter((b) => b.status === 'AVAILABLE');
  const newest = available[0];
  const latest = sorted[0];
  if (latest?.status === 'FAILED' && (newest === undefined || compareText(latest.dateCreated, newest.dateCreated) > 0))
    return {
      refuse: `image build of ${image.environmentRef} FAILED${latest.reason === undefined ? '' : `: ${latest.reason}`}; ${newest === undefined ? 'workstations keep the script path' : `workstations keep the image of ${newest.dateCreated}`}. Fix the environment and bump its version, or retry with \`labops env build ${image.environmentRef}\``,
    };
  if (newest === undefined) return { why: 'spec', text: `build image ${image.environmentRef}: none built yet` };
  if (image.rebuild === undefined) return undefined;
  const age = now.getTime() - Date.parse(newest.dateCreated);
  if (age < image.rebuild.everyMs) return undefined;
  return {
    why: 'rebuild',
    text: `build image ${image.environmentRef} (rebuild: the newest is ${formatDuration(Math.floor(age / 1000))} old, every ${image.rebuild.every})`,
  };
}

function planImage(
  desired: Desired,
  image: DesiredEnvironmentImage,
  observed: Observed,
  now: Date,
  requests: readonly string[],
  out: Out,
): void {
  const repo = desired.lab.repo;
  const region = image.homeRegion;
  const seen = observed.imageResources.filter((r) => r.region === region);
  const base = newestBase(image, observed.images);
  const { components, recipe, configs } = imageRequests(repo, image, base);
  const wanted = [...components, ...(recipe === undefined ? [] : [recipe]), ...configs];
  for (const request of wanted) {
    const have = find(seen, request);
    if (have === undefined) continue;
    if (!imageTaggedFor(have.tags, repo)) {
      out.refusals.push(
        refusal(
          image.name,
          'image-foreign',
          `an Image Builder ${TYPE_TEXT[request.type]} named ${request.name}${versionOf(request) === undefined ? '' : ` ${versionOf(request)}`} exists in ${region} that this repository did not create (no labops:repo=${repo}): it is never used; delete or rename it`,
        ),
      );
      return;
    }
    if (
      (request.type === 'component' || request.type === 'recipe') &&
      have.tags[CONTENT_HASH_TAG] !== request.tags[CONTENT_HASH_TAG]
    ) {
      out.refusals.push(
        refusal(
          image.name,
          'image-changed',
          `environment ${image.environmentRef} (or the build labops renders from it) changed since its ${TYPE_TEXT[request.type]} was created (Image Builder versions are immutable): bump the environment's metadata.version to build the change`,
        ),
      );
      return;
    }
  }
  const creates: string[] = [];
  const componentIds: string[] = [];
  const add = (request: ImageResourceRequest, after: string[]): void => {
    if (find(seen, request) !== undefined) return;
    const action = resourceAction(
      D,
      'EnvironmentImage',
      image.name,
      'create-image-resource',
      `${request.type}/${request.name}`,
      {
        region,
        rule: 'spec',
        reason: `create ${TYPE_TEXT[request.type]} ${request.name}${versionOf(request) === undefined ? '' : ` ${versionOf(request)}`}`,
        monthlyDeltaUSD: 0,
        details: { kind: 'create-image-resource', image: image.name, request },
        after,
      },
    );
    out.actions.push(action);
    creates.push(action.id);
    if (request.type === 'component') componentIds.push(action.id);
  };
  for (const c of components) add(c, []);
  for (const c of configs) add(c, []);
  if (recipe === undefined) {
    const query = baseImageQuery(image.environment.os, image.environment.architecture);
    out.refusals.push(
      refusal(
        image.name,
        'no-base-image',
        `EnvironmentImage ${image.name}: no available ${image.environment.os} ${image.environment.architecture} base image (owner ${query.owner}, name ${query.namePattern}) observed in ${region}`,
      ),
    );
  } else add(recipe, componentIds);
  const builds = observed.imageBuilds.filter((b) => b.environment === image.environmentRef && b.region === region);
  const decision = buildDecision(image, builds, now, requests.includes(image.environmentRef));
  if (decision !== undefined && 'refuse' in decision) {
    out.refusals.push(refusal(image.name, 'image-build-failed', decision.refuse));
  } else if (decision !== undefined && 'wait' in decision) {
    out.refusals.push(refusal(image.name, 'image-building', decision.wait));
  } else if (decision !== undefined && recipe !== undefined && recipe.type === 'recipe') {
    const infrastructure = configs.find((c) => c.type === 'infrastructure')?.name ?? '';
    const distribution = configs.find((c) => c.type === 'distribution')?.name ?? '';
    const follows = newestBuild(builds);
    out.actions.push(
      resourceAction(D, 'EnvironmentImage', image.name, 'build-image', undefined, {
        region,
        rule:
          decision.why === 'rebuild'
            ? `schedule: rebuild every ${image.rebuild?.every ?? ''}`
            : decision.why === 'requested'
              ? 'requested: labops env build'
              : 'spec',
        reason: `${decision.text}; on ${image.instanceTypes.join(', ')}, to ${image.regions.join(', ')}`,
        monthlyDeltaUSD: 0,
        details: {
          kind: 'build-image',
          image: image.name,
          environment: image.environmentRef,
          recipe: { name: recipe.name, version: recipe.version },
          infrastructure,
          distribution,
          tags: environmentImageTags(repo, image),
          // Unique per intended build, the same for a retry of it: the newest build it follows
          // (a count of builds would repeat once retention deletes old ones, and Image Builder would
          // answer a repeated token with the old build instead of starting one).
          clientToken: imageClientToken([
            repo,
            'build',
            image.name,
            image.environmentRef,
            image.contentHash,
            follows?.arn ?? 'first',
            follows?.dateCreated ?? '',
          ]),
          why: decision.why,
        },
        after: creates,
      }),
    );
  }
}

/** AMIs an instance runs from, or a Workstation pins: never retired. */
function amisInUse(desired: Desired, observed: Observed): Set<string> {
  const used = new Set<string>();
  for (const i of observed.instances) {
    used.add(i.imageId);
    const tagged = i.tags[TAG.ami];
    if (tagged !== undefined) used.add(tagged);
  }
  for (const ws of desired.workstations) if (ws.image.ami !== undefined) used.add(ws.image.ami);
  return used;
}

/** An AMI one of this repository's builds output, with that build's environment version. */
interface BuiltAmi {
  ami: ObservedImage;
  environment: string;
  /** The EnvironmentImage its build says started it (`ObservedImageBuild.image`), '' when none. */
  image: string;
}

/**
 * Retirement of one EnvironmentImage's AMIs (`keep` undefined: a removed one, every AMI goes):
 * per environment version and Region the newest `keep` stay, and any in use.
 */
function retire(
  desired: Desired,
  name: string,
  keep: number | undefined,
  amis: readonly BuiltAmi[],
  observed: Observed,
  used: ReadonlySet<string>,
  out: Out,
): void {
  const repo = desired.lab.repo;
  const groups = new Map<string, BuiltAmi[]>();
  for (const built of amis) {
    const key = `${built.environment} ${built.ami.region}`;
    groups.set(key, [...(groups.get(key) ?? []), built]);
  }
  const retired: { ami: ObservedImage; id: string; action: Action }[] = [];
  for (const key of [...groups.keys()].sort()) {
    const list = [...(groups.get(key) ?? [])].sort(
      (a, b) => compareText(b.ami.creationDate, a.ami.creationDate) || compareText(a.ami.imageId, b.ami.imageId),
    );
    for (const { ami, environment: env } of list.slice(keep ?? 0)) {
      if (ami.state !== 'available' && ami.state !== 'failed') continue;
      if (used.has(ami.imageId)) {
        out.refusals.push(
          refusal(
            name,
            'image-in-use',
            `image ${ami.imageId} (${env}, ${ami.region}) is past ${keep === undefined ? 'its removed EnvironmentImage' : `keep: ${keep}`} but a workstation runs from it: kept`,
          ),
        );
        continue;
      }
      const action = resourceAction(D, 'EnvironmentImage', name, 'retire-image', `${ami.region}/${ami.imageId}`, {
        region: ami.region,
        rule: keep === undefined ? 'prune' : `retention: keep ${keep}`,
        reason: `deregister ${ami.imageId} (${env}, built ${ami.creationDate.slice(0, 10)}) and delete its ${ami.snapshotIds?.length ?? 0} snapshot(s)${keep === undefined ? ': EnvironmentImage file removed' : `: ${keep} newer kept`}`,
        monthlyDeltaUSD: 0,
        details: {
          kind: 'retire-image',
          image: name,
          repo,
          imageId: ami.imageId,
          snapshotIds: [...(ami.snapshotIds ?? [])],
        },
      });
      retired.push({ ami, id: action.id, action });
    }
  }
  // A build whose every AMI goes in this plan: its Image Builder record goes with the last one.
  const gone = new Set(retired.map((r) => r.ami.imageId));
  for (const build of observed.imageBuilds) {
    const ids = Object.values(build.amis);
    if (ids.length === 0 || IMAGE_BUILD_IN_PROGRESS.has(build.status) || !ids.every((id) => gone.has(id))) continue;
    const mine = retired.filter((r) => ids.includes(r.ami.imageId)).sort((a, b) => compareText(a.id, b.id));
    const last = mine.at(-1);
    if (last === undefined || last.action.kind !== 'retire-image') continue;
    last.action.details.deleteBuild = { region: build.region, arn: build.arn };
    last.action.after = mine
      .slice(0, -1)
      .map((r) => r.id)
      .sort();
  }
  out.actions.push(...retired.map((r) => r.action));
}

/**
 * The AMIs this repository's observed builds output (by provenance: model/image-provenance.ts),
 * each with its build's environment version and EnvironmentImage (the build's own `labops:name`
 * tag, never the AMI's: a workstation role may retag AMIs, and a retagged AMI of ours must not read
 * as a removed image's and be retired).
 */
function builtAmis(observed: Observed): BuiltAmi[] {
  const out: BuiltAmi[] = [];
  for (const ami of observed.images) {
    const build = buildOfImage(ami, observed.imageBuilds);
    if (build !== undefined) out.push({ ami, environment: build.environment, image: build.image ?? '' });
  }
  return out;
}

/** Plans every EnvironmentImage: resources, builds, retention, removed images. */
export function planEnvironmentImages({ desired, observed, now, requests = [] }: ImagePlanInputs): PlanPart {
  const out: Out = { actions: [], refusals: [] };
  const used = amisInUse(desired, observed);
  const own = builtAmis(observed);
  for (const image of [...desired.environmentImages].sort((a, b) => compareText(a.name, b.name))) {
    planImage(desired, image, observed, now, requests, out);
    retire(
      desired,
      image.name,
      image.keep,
      own.filter((b) => b.image === image.name),
      observed,
      used,
      out,
    );
  }
  const declared = new Set([...desired.environmentImages.map((i) => i.name), ...desired.unknownEnvironmentImages]);
  const removed = [...new Set(own.map((b) => b.image))].filter((n) => n !== '' && !declared.has(n)).sort();
  for (const name of removed) {
    const amis = own.filter((b) => b.image === name);
    if (desired.lab.prune) {
      retire(desired, name, undefined, amis, observed, used, out);
      continue;
    }
    out.actions.push(
      resourceAction(D, 'EnvironmentImage', name, 'orphan', undefined, {
        region: amis[0]?.ami.region ?? desired.lab.defaultRegion,
        rule: 'orphan',
        reason: `EnvironmentImage file removed; its ${amis.length} image(s) left in place (prune is off)`,
        monthlyDeltaUSD: 0,
        details: { kind: 'orphan' },
      }),
    );
  }
  return { actions: orderActions(out.actions, D), refusals: out.refusals };
}
