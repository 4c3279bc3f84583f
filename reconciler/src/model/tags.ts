/**
 * The tag vocabulary: tags are labops' inventory. Every resource it creates carries
 * `labops:repo` and friends; nothing without this repository's `labops:repo` is ever touched.
 */
import { createHash } from 'node:crypto';

export const TAG = {
  repo: 'labops:repo',
  kind: 'labops:kind',
  name: 'labops:name',
  project: 'labops:project',
  owner: 'labops:owner',
  /** Launch hash of the spec the instance was launched from (environment, image, region, root, restore). */
  specHash: 'labops:spec-hash',
  /** `name@version` of the environment at launch. */
  environment: 'labops:environment',
  /** The AMI resolved at launch, so it is never re-resolved. */
  ami: 'labops:ami',
  /** Replacement counter: 0 for the first launch, +1 per replacement. */
  generation: 'labops:generation',
  /** The power state labops last put the instance in; a different observed state is drift. */
  desiredState: 'labops:desired-state',
  /** On volumes: the spec's volume name, or `root`. */
  volume: 'labops:volume',
  /** Prefix of tags copied from `metadata.labels`. */
  labelPrefix: 'labops:label:',
  /** EC2 console name. */
  display: 'Name',
  /** The spec's `deletionPolicy`, so a pruned instance (spec gone) is still destroyed per its policy. */
  deletionPolicy: 'labops:deletion-policy',
  /** The instance type labops last set; an observed type that differs was changed outside labops (drift). */
  instanceType: 'labops:instance-type',
  /**
   * Present while labops holds an instance off because it was idle: the spec's `running` does not
   * start it again until a schedule or budget turns it off (the hold ends) or its owner starts it.
   */
  idleHold: 'labops:idle-hold',
  /**
   * Set when a hibernate labops asked for ended as a plain stop (AWS's state reason
   * `Client.UserInitiatedShutdown`): its value says when and why. While present, labops stops the
   * workstation instead of hibernating it; remove the tag to let labops try hibernating again.
   */
  hibernationFailed: 'labops:hibernation-failed',
} as const;

/** Tags every labops resource of a spec carries: repo, kind, name, project, owner and labels. */
export function ownershipTags(
  repo: string,
  spec: { name: string; project: string; owner: string; labels: Record<string, string> },
  kind: 'Workstation' | 'Job' | 'JobQueue' = 'Workstation',
): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG.repo]: repo,
    [TAG.kind]: kind,
    [TAG.name]: spec.name,
    [TAG.project]: spec.project,
    [TAG.owner]: spec.owner,
  };
  for (const [key, value] of Object.entries(sortKeys(spec.labels))) tags[`${TAG.labelPrefix}${key}`] = value;
  return tags;
}

/** A copy of `record` with keys in code-unit order, so serialised plans, hashes and reports are byte-identical. */
export function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Stable hash of a JSON value (object keys sorted), hex, `length` characters. */
export function stableHash(value: unknown, length = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * EC2 `ClientToken` for launching a workstation: derived from repo, kind, name, launch hash and
 * generation, so a retry or a crash after RunInstances can never launch a second instance.
 * At most 64 ASCII characters, as EC2 requires.
 */
export function clientToken(repo: string, kind: string, name: string, launchHash: string, generation: number): string {
  return `labops-${stableHash([repo, kind, name, launchHash, generation], 48)}`;
}
