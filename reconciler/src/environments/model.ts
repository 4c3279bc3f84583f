/**
 * The vocabulary of environment resolution: candidates (catalog and lab-local Environment
 * documents), references, and the resolved, merged environment that renders to user data.
 */
import type { Environment, EnvironmentSpec } from '../specs/types.js';

/** Where a candidate environment came from. */
export type EnvironmentOrigin = 'catalog' | 'lab';

/** Operating systems an environment can name (the schema's `spec.os` enum). */
export type EnvironmentOs = NonNullable<EnvironmentSpec['os']>;

/** CPU architectures an environment can name (the schema's `spec.architecture` enum). */
export type EnvironmentArchitecture = NonNullable<EnvironmentSpec['architecture']>;

/** One Environment document that a reference may resolve to. */
export interface EnvironmentCandidate {
  /** The validated Environment document. */
  environment: Environment;
  /** `catalog` for the built-in catalog, `lab` for the lab repository's own environments. */
  origin: EnvironmentOrigin;
  /** File it was read from, for messages. @default undefined (built in memory) */
  file?: string;
}

/** A parsed `name@range` reference. */
export interface EnvironmentRef {
  /** Environment name, e.g. `neuroimaging`. */
  name: string;
  /** Semver range as written, e.g. `^1.2`; undefined when the reference has no `@`. */
  range: string | undefined;
}

/**
 * An environment with its inheritance chain merged in: every field a renderer or planner
 * needs, with `os` and `architecture` settled.
 */
export interface ResolvedEnvironment {
  /** Name of the environment the reference named. */
  name: string;
  /** Its exact version. */
  version: string;
  /** Its own description (metadata is never inherited). @default undefined */
  description?: string;
  /** Its own labels (metadata is never inherited). */
  labels: Record<string, string>;
  /** Where the selected document came from. */
  origin: EnvironmentOrigin;
  /** Settled base OS (from the environment or its nearest ancestor that names one). */
  os: EnvironmentOs;
  /** Settled architecture. @default x86_64 */
  architecture: EnvironmentArchitecture;
  /** The merged spec, without `inherits` (see `lineage`). */
  spec: EnvironmentSpec;
  /** `name@version` from the root ancestor down to this environment. */
  lineage: string[];
}

/** Outcome of resolving a reference: a value, never a throw. */
export type ResolveResult = { ok: true; env: ResolvedEnvironment } | { ok: false; message: string };
