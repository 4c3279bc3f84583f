/**
 * Environment references: `name`, `name@^1.2`, `name@~1.0.3`, `name@1.x`, `name@1.0.3`.
 */
import semver from 'semver';

import type { EnvironmentRef } from './model.js';

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Outcome of parsing a reference. */
export type ParseRefResult = ({ ok: true } & EnvironmentRef) | { ok: false; message: string };

/** Splits `name@range` and checks both halves; the range must be a valid semver range. */
export function parseEnvironmentRef(ref: string): ParseRefResult {
  const text = ref.trim();
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const rawRange = at === -1 ? undefined : text.slice(at + 1).trim();
  if (!NAME_PATTERN.test(name)) {
    return { ok: false, message: `invalid environment reference "${ref}": "${name}" is not a valid environment name` };
  }
  if (rawRange === undefined) {
    return { ok: true, name, range: undefined };
  }
  if (rawRange === '' || semver.validRange(rawRange) === null) {
    return { ok: false, message: `invalid environment reference "${ref}": "${rawRange}" is not a semver range` };
  }
  return { ok: true, name, range: rawRange };
}

/** Formats a reference back to text: `name` or `name@range`. */
export function formatEnvironmentRef(ref: EnvironmentRef): string {
  return ref.range === undefined ? ref.name : `${ref.name}@${ref.range}`;
}

/**
 * Picks the highest version satisfying `range` (any release version when undefined).
 * Prerelease versions are only chosen when the range itself names a prerelease.
 */
export function pickVersion(versions: readonly string[], range: string | undefined): string | undefined {
  return semver.maxSatisfying([...versions], range ?? '*') ?? undefined;
}

/** Versions sorted ascending by semver precedence. */
export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(semver.compare);
}
