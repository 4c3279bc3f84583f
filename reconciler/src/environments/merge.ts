/**
 * Merging a child environment's spec onto its parent's.
 *
 * Rules (the `inherits` contract in specs.md):
 * - lists are appended, parent first, order stable, de-duplicated by package identity; a
 *   child entry that pins a package replaces the parent's entry in place (see package-keys.ts);
 * - maps are merged key by key; services are a map keyed by service name (field by field);
 * - on scalars (`os`, `architecture`, `recommended.minRootGiB`, `recommended.gpu`) the child wins.
 *
 * Two deliberate exceptions, both because the value describes one exact environment version:
 * - `recommended.instanceTypes` is taken whole from the nearest environment that sets it (a GPU
 *   child must not inherit its CPU parent's `t3.medium` as a recommendation);
 * - `images` are never inherited: a parent's prebuilt AMI lacks the child's packages.
 * `inherits` itself is consumed by resolution and recorded as the resolved lineage.
 *
 * Every field of every spec object is listed in a mapped type below, so a field added to the
 * schema (and the generated types) fails to compile here until its merge rule is written.
 */
import type { EnvironmentPackages, EnvironmentService, EnvironmentSpec } from '../specs/types.js';
import type { CondaPackages, EnvironmentRecommendation } from '../specs/generated/environment.js';
import { mergePackageList, type PackageListKind } from './package-keys.js';

type Mergers<T> = { [K in keyof Required<T>]: (parent: T[K], child: T[K]) => T[K] | undefined };

const SPEC_MERGERS: Mergers<EnvironmentSpec> = {
  inherits: () => undefined,
  os: (parent, child) => child ?? parent,
  architecture: (parent, child) => child ?? parent,
  packages: (parent, child) => mergeObject(PACKAGE_MERGERS, parent, child),
  services: (parent, child) => mergeServices(parent, child),
  recommended: (parent, child) => mergeObject(RECOMMENDATION_MERGERS, parent, child),
  images: (_parent, child) => (child === undefined ? undefined : { ...child }),
};

const PACKAGE_MERGERS: Mergers<EnvironmentPackages> = {
  apt: (parent, child) => mergeList('apt', parent, child),
  conda: (parent, child) => mergeObject(CONDA_MERGERS, parent, child),
  spack: (parent, child) => mergeList('spack', parent, child),
  pip: (parent, child) => mergeList('pip', parent, child),
  containers: (parent, child) => mergeList('containers', parent, child),
};

const CONDA_MERGERS: Mergers<CondaPackages> = {
  channels: (parent, child) => mergeList('channels', parent, child),
  packages: (parent, child) => mergeList('conda', parent, child),
};

const RECOMMENDATION_MERGERS: Mergers<EnvironmentRecommendation> = {
  instanceTypes: (parent, child) => [...(child ?? parent ?? [])],
  minRootGiB: (parent, child) => child ?? parent,
  gpu: (parent, child) => child ?? parent,
};

/** Merges `child` onto `parent` (the parent's own parents already merged into it). */
export function mergeEnvironments(parent: EnvironmentSpec, child: EnvironmentSpec): EnvironmentSpec {
  return mergeObject(SPEC_MERGERS, parent, child) ?? {};
}

function mergeObject<T extends object>(
  mergers: Mergers<T>,
  parent: T | undefined,
  child: T | undefined,
): T | undefined {
  if (parent === undefined && child === undefined) {
    return undefined;
  }
  const result: Partial<T> = {};
  for (const key of Object.keys(mergers).sort() as (keyof T)[]) {
    const merge = mergers[key];
    const value = merge(parent?.[key] as T[keyof T], child?.[key] as T[keyof T]);
    if (value !== undefined) {
      result[key] = value;
    }
  }
  return result as T;
}

function mergeList(
  kind: PackageListKind,
  parent: string[] | undefined,
  child: string[] | undefined,
): string[] | undefined {
  if (parent === undefined && child === undefined) {
    return undefined;
  }
  return mergePackageList(kind, parent ?? [], child ?? []);
}

function mergeServices(
  parent: EnvironmentService[] | undefined,
  child: EnvironmentService[] | undefined,
): EnvironmentService[] | undefined {
  if (parent === undefined && child === undefined) {
    return undefined;
  }
  const result: EnvironmentService[] = [];
  for (const service of [...(parent ?? []), ...(child ?? [])]) {
    const index = result.findIndex((existing) => existing.name === service.name);
    if (index === -1) {
      result.push({ ...service });
    } else {
      result[index] = { ...result[index], ...service };
    }
  }
  return result;
}
