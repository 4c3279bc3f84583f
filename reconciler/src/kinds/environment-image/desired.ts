/**
 * EnvironmentImages as the planner sees them: the environment resolved (validation did it), the
 * Regions settled (the spec's, else every Region the lab's Workstations use, else the Lab's
 * default), the build instance types (the spec's, else the environment's first recommended type),
 * `keep` and the instance profile defaulted, the build script and its component documents rendered.
 */
import { renderImageBuildScript } from '../../environments/user-data.js';
import type { Desired, DesiredLab } from '../../model/desired.js';
import { parseDurationMs } from '../../model/duration.js';
import { DEFAULT_IMAGE_INSTANCE_PROFILE, DEFAULT_KEEP } from '../../model/environment-image.js';
import type { DesiredEnvironmentImage } from '../../model/environment-image.js';
import { stableHash } from '../../model/tags.js';
import type { LabValidation } from '../../specs/validate.js';
import { renderComponents } from './component.js';

/** Root volume of a build when the environment names no minimum (the workstation default). */
const DEFAULT_BUILD_ROOT_GIB = 50;

/** Every valid EnvironmentImage of a validated lab, and the names of invalid ones. */
export function desiredEnvironmentImages(
  validation: LabValidation,
  lab: DesiredLab,
): Pick<Desired, 'environmentImages' | 'unknownEnvironmentImages'> {
  const workstationRegions = [
    ...new Set(validation.specs.workstations.map((w) => w.spec.spec.region ?? lab.defaultRegion)),
  ].sort();
  const images: DesiredEnvironmentImage[] = [];
  for (const { spec } of validation.specs.images) {
    const env = validation.imageEnvironments.get(spec.metadata.name);
    if (env === undefined) continue;
    const s = spec.spec;
    const regions = s.regions ?? (workstationRegions.length ? workstationRegions : [lab.defaultRegion]);
    const homeRegion =
      s.regions?.[0] ?? (regions.includes(lab.defaultRegion) ? lab.defaultRegion : (regions[0] ?? lab.defaultRegion));
    const buildScript = renderImageBuildScript(env);
    const componentData = renderComponents(env, buildScript);
    const every = s.rebuild?.every;
    const everyMs = every === undefined ? undefined : parseDurationMs(every);
    images.push({
      name: spec.metadata.name,
      owner: spec.metadata.owner,
      project: spec.metadata.project,
      labels: Object.fromEntries(
        Object.entries(spec.metadata.labels ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      environment: { name: env.name, version: env.version, os: env.os, architecture: env.architecture },
      environmentRef: `${env.name}@${env.version}`,
      regions: [...regions].sort(),
      homeRegion,
      instanceTypes: [...(s.instanceTypes ?? env.spec.recommended?.instanceTypes?.slice(0, 1) ?? [])],
      instanceProfile: s.instanceProfile ?? DEFAULT_IMAGE_INSTANCE_PROFILE,
      keep: s.keep ?? DEFAULT_KEEP,
      ...(every !== undefined && everyMs !== undefined ? { rebuild: { every, everyMs } } : {}),
      rootGiB: env.spec.recommended?.minRootGiB ?? DEFAULT_BUILD_ROOT_GIB,
      buildScript,
      componentData,
      contentHash: stableHash(componentData, 16),
    });
  }
  return {
    environmentImages: images,
    unknownEnvironmentImages: validation.invalid.flatMap((i) =>
      i.kind === 'EnvironmentImage' && i.name ? [i.name] : [],
    ),
  };
}
