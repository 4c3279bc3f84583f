/**
 * Package identity per package manager: the name a pin applies to, so that a child's
 * `numpy==2.0.1` replaces a parent's `numpy==1.26.4` instead of installing both.
 */

/** The lists in `spec.packages` (and `conda.*`) whose entries are merged by identity. */
export type PackageListKind = 'apt' | 'conda' | 'pip' | 'spack' | 'containers' | 'channels';

/** A package's identity and whether the entry constrains its version. */
export interface PackageKey {
  /** Identity within its list, e.g. `numpy`, `docker.io/nipreps/fmriprep`. */
  key: string;
  /** True when the entry pins or constrains a version (or tag/digest, or spack variants). */
  constrained: boolean;
}

/** Identity of one entry of a list of the given kind. */
export function packageKey(kind: PackageListKind, entry: string): PackageKey {
  switch (kind) {
    case 'apt':
      return splitAt(entry, entry.indexOf('='));
    case 'conda':
      return splitAt(entry, entry.search(/[=<>!]/));
    case 'pip':
      return pipKey(entry);
    case 'spack':
      return spackKey(entry);
    case 'containers':
      return containerKey(entry);
    case 'channels':
      return { key: entry, constrained: false };
  }
}

function splitAt(entry: string, index: number): PackageKey {
  return index === -1 ? { key: entry, constrained: false } : { key: entry.slice(0, index), constrained: true };
}

/** PEP 503 normalisation: case-insensitive, runs of `-_.` are equal; extras do not change identity. */
function pipKey(entry: string): PackageKey {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?(.*)$/.exec(entry);
  const name = match?.[1] ?? entry;
  const rest = match?.[3] ?? '';
  return { key: name.toLowerCase().replace(/[-_.]+/g, '-'), constrained: rest !== '' || match?.[2] !== undefined };
}

function spackKey(entry: string): PackageKey {
  const name = /^[a-z0-9][a-z0-9_-]*/.exec(entry)?.[0] ?? entry;
  return { key: name, constrained: entry.length > name.length };
}

/** `registry:5000/repo:tag@digest` → `registry:5000/repo`; a tag or digest counts as a pin. */
function containerKey(entry: string): PackageKey {
  const at = entry.indexOf('@');
  const withoutDigest = at === -1 ? entry : entry.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
  return { key: repository, constrained: repository !== entry };
}

/**
 * Appends `child` to `parent`, order stable (parent first). An entry whose identity is
 * already present replaces it in place when it constrains a version; an unconstrained
 * entry (`numpy`) leaves an existing pin (`numpy==1.26.4`) alone, since the pin already
 * satisfies it. Later entries of one list behave the same way against earlier ones.
 */
export function mergePackageList(kind: PackageListKind, parent: readonly string[], child: readonly string[]): string[] {
  const result: string[] = [];
  const indexByKey = new Map<string, number>();
  for (const entry of [...parent, ...child]) {
    const { key, constrained } = packageKey(kind, entry);
    const existing = indexByKey.get(key);
    if (existing === undefined) {
      indexByKey.set(key, result.length);
      result.push(entry);
    } else if (constrained) {
      result[existing] = entry;
    }
  }
  return result;
}
