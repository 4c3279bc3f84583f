/**
 * Resolving a reference against the candidates (built-in catalog plus the lab's own
 * Environments) and merging its inheritance chain.
 *
 * Selection: among the candidates with the referenced name, the highest version that
 * satisfies the range wins. A lab-local environment with the same name AND version as a
 * catalog one shadows the catalog one (the lab's copy is used; see `indexCandidates`); a
 * lab-local environment with a new version simply joins the catalog's versions.
 */
import type { EnvironmentSpec } from '../specs/types.js';
import { mergeEnvironments } from './merge.js';
import type { EnvironmentCandidate, ResolveResult, ResolvedEnvironment } from './model.js';
import { closest } from '../model/suggest.js';
import { serviceUnit } from './services.js';
import { parseEnvironmentRef, pickVersion, sortVersions } from './ref.js';

/** Candidates by name, then by version, after shadowing. */
export type CandidateIndex = Map<string, Map<string, EnvironmentCandidate>>;

/** Indexes candidates; `lab` entries replace `catalog` entries of the same name and version. */
export function indexCandidates(candidates: readonly EnvironmentCandidate[]): CandidateIndex {
  const index: CandidateIndex = new Map();
  for (const candidate of candidates) {
    const { name, version } = candidate.environment.metadata;
    const versions = index.get(name) ?? new Map<string, EnvironmentCandidate>();
    const existing = versions.get(version);
    if (existing === undefined || (existing.origin === 'catalog' && candidate.origin === 'lab')) {
      versions.set(version, candidate);
    }
    index.set(name, versions);
  }
  return index;
}

type SelectResult = { ok: true; candidate: EnvironmentCandidate } | { ok: false; message: string };

/** Selects the candidate a reference names, with "did you mean" and "available" hints. */
export function selectCandidate(ref: string, index: CandidateIndex): SelectResult {
  const parsed = parseEnvironmentRef(ref);
  if (!parsed.ok) {
    return parsed;
  }
  const versions = index.get(parsed.name);
  if (versions === undefined || versions.size === 0) {
    const suggestion = closest(parsed.name, [...index.keys()].sort());
    const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
    return { ok: false, message: `no environment named ${parsed.name}${hint}` };
  }
  const version = pickVersion([...versions.keys()], parsed.range);
  const candidate = version === undefined ? undefined : versions.get(version);
  if (candidate === undefined) {
    const available = sortVersions([...versions.keys()]).join(', ');
    return {
      ok: false,
      message: `no version of ${parsed.name} satisfies ${parsed.range ?? '*'} (available: ${available})`,
    };
  }
  return { ok: true, candidate };
}

/** Resolves `ref` (e.g. `neuroimaging@^1.2`) to a merged environment, or a one-line message. */
export function resolveEnvironment(
  ref: string,
  candidates: readonly EnvironmentCandidate[] | CandidateIndex,
): ResolveResult {
  const index = candidates instanceof Map ? candidates : indexCandidates(candidates);
  const selected = selectCandidate(ref, index);
  if (!selected.ok) {
    return selected;
  }
  const chain = collectChain(selected.candidate, index);
  if (!chain.ok) {
    return chain;
  }
  return settle(chain.chain);
}

type ChainResult = { ok: true; chain: EnvironmentCandidate[] } | { ok: false; message: string };

/** The candidate and its ancestors, root ancestor first; reports cycles and missing parents. */
function collectChain(start: EnvironmentCandidate, index: CandidateIndex): ChainResult {
  const chain: EnvironmentCandidate[] = [start];
  let current = start;
  while (current.environment.spec.inherits !== undefined) {
    const parentRef = current.environment.spec.inherits;
    const parent = selectCandidate(parentRef, index);
    if (!parent.ok) {
      return { ok: false, message: `${label(current)} inherits ${parentRef}: ${parent.message}` };
    }
    const seen = chain.findIndex((entry) => label(entry) === label(parent.candidate));
    if (seen !== -1) {
      const cycle = [...chain.slice(seen), parent.candidate].map(label).join(' → ');
      return { ok: false, message: `inheritance cycle: ${cycle}` };
    }
    chain.push(parent.candidate);
    current = parent.candidate;
  }
  return { ok: true, chain: chain.reverse() };
}

function settle(chain: EnvironmentCandidate[]): ResolveResult {
  let spec: EnvironmentSpec = {};
  for (const candidate of chain) {
    spec = mergeEnvironments(spec, candidate.environment.spec);
  }
  const self = chain[chain.length - 1];
  if (self === undefined) {
    return { ok: false, message: 'empty inheritance chain' };
  }
  const lineage = chain.map(label);
  const os = spec.os;
  if (os === undefined) {
    return {
      ok: false,
      message: `${label(self)} names no os, and neither does any environment it inherits (${lineage.join(' → ')})`,
    };
  }
  const serviceProblem = (spec.services ?? [])
    .map((service) => serviceUnit(service, os))
    .find((unit) => typeof unit === 'string');
  if (serviceProblem !== undefined) {
    return { ok: false, message: `${label(self)}: ${serviceProblem}` };
  }
  const duplicatePort = findDuplicatePort(spec);
  if (duplicatePort !== undefined) {
    return { ok: false, message: `${label(self)}: ${duplicatePort}` };
  }
  const { metadata } = self.environment;
  const env: ResolvedEnvironment = {
    name: metadata.name,
    version: metadata.version,
    labels: definedEntries(metadata.labels),
    origin: self.origin,
    os,
    architecture: spec.architecture ?? 'x86_64',
    spec: { ...spec, architecture: spec.architecture ?? 'x86_64' },
    lineage,
  };
  if (metadata.description !== undefined) {
    env.description = metadata.description;
  }
  return { ok: true, env };
}

function findDuplicatePort(spec: EnvironmentSpec): string | undefined {
  const byPort = new Map<number, string>();
  for (const service of spec.services ?? []) {
    const other = byPort.get(service.port);
    if (other !== undefined) {
      return `services ${other} and ${service.name} both listen on port ${service.port}`;
    }
    byPort.set(service.port, service.name);
  }
  return undefined;
}

function definedEntries(labels: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value !== undefined) {
      result[key] = value;
    }
  }
  return result;
}

function label(candidate: EnvironmentCandidate): string {
  return `${candidate.environment.metadata.name}@${candidate.environment.metadata.version}`;
}
