/**
 * A lab's specs at one tree, reduced to what authorization compares: each declaration by kind and
 * name with its owner, file and canonical content hash, the Lab's admins, and the files labops
 * cannot read (with the names they declare as far as can be told). Two spec sets — at a base
 * commit and at a head — give the semantic diff approvals are checked on, so moves, renames,
 * multi-document edits, files leaving `spec.paths` and deletions are all seen by construction.
 */
import { stableHash } from '../model/tags.js';
import { loadLabFiles } from '../specs/lab-files.js';
import type { LabTree } from '../specs/lab-tree.js';
import { isRecord } from '../specs/load.js';
import type { LoadedDocument } from '../specs/load.js';
import { SPEC_KINDS } from '../specs/types.js';
import { validateDocumentSchema } from '../specs/validate-schema.js';

/** The key of the one Lab. */
export const LAB_KEY = 'Lab';

/** One declaration of a spec. */
export interface SpecDeclaration {
  /** `Workstation/alice-neuro`, `Environment/fsl@1.2.0`, `Lab`. */
  key: string;
  kind: string;
  /** The name (`name@version` for an Environment). */
  name: string;
  /** `metadata.owner`, lower-case; undefined for kinds without one. */
  owner?: string;
  /** Path relative to the lab folder. */
  file: string;
  /** Canonical hash of the document's content (key order and formatting do not count). */
  hash: string;
  /** A Workstation's environment name (without the version range). */
  environment?: string;
  /** A Workstation's `metadata.project` and `metadata.labels`, which snapshot selectors read. */
  project?: string;
  labels?: Record<string, string>;
  /** A SnapshotSchedule with `budgetExempt: true`: its selector (it keeps snapshotting under a budget stop). */
  exemptSelector?: { project?: string; workstations?: string[]; labels?: Record<string, string> };
}

/** The specs of one tree. */
export interface SpecSet {
  /** Key → declarations in file order (more than one is a duplicate). */
  specs: Map<string, SpecDeclaration[]>;
  /** Files labops cannot read as specs → the keys they declare and the owners they name, as far as can be told, and a hash of what is there. */
  unreadable: Map<string, { keys: string[]; owners: string[]; hash: string }>;
  /** The Lab's admins (lower-case), when its Lab file is readable; undefined otherwise. */
  admins: string[] | undefined;
}

/** The key of a spec document's value; undefined when kind or name cannot be told. */
export function specKey(value: unknown): { key: string; kind: string; name: string } | undefined {
  if (!isRecord(value) || typeof value.kind !== 'string') return undefined;
  if (value.kind === 'Lab') return { key: LAB_KEY, kind: 'Lab', name: 'labops.yaml' };
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  if (typeof metadata.name !== 'string') return undefined;
  const name =
    value.kind === 'Environment' && typeof metadata.version === 'string'
      ? `${metadata.name}@${metadata.version}`
      : metadata.name;
  return { key: `${value.kind}/${name}`, kind: value.kind, name };
}

/** Reads the spec set of a tree. Never throws for anything the tree holds. */
export function loadSpecSet(tree: LabTree): SpecSet {
  const files = loadLabFiles(tree);
  const set: SpecSet = { specs: new Map(), unreadable: new Map(), admins: undefined };
  const docs = [...(files.lab ? [files.lab] : []), ...files.documents];
  const badFiles = new Set(files.problems.filter((p) => p.severity === 'error').map((p) => p.file));
  for (const doc of docs) if (validateDocumentSchema(doc).length) badFiles.add(doc.file);
  for (const file of badFiles) {
    const declared = docs.filter((d) => d.file === file);
    const keys = [
      ...new Set(
        declared.flatMap((d) => {
          const k = specKey(d.value);
          return k !== undefined && (SPEC_KINDS as readonly string[]).includes(k.kind) ? [k.key] : [];
        }),
      ),
    ].sort();
    const owners = [
      ...new Set(
        declared
          .map((d) =>
            isRecord(d.value) && isRecord(d.value.metadata) && typeof d.value.metadata.owner === 'string'
              ? d.value.metadata.owner.toLowerCase()
              : undefined,
          )
          .filter((o): o is string => o !== undefined),
      ),
    ].sort();
    set.unreadable.set(file, {
      keys,
      owners,
      hash: stableHash({
        docs: declared.map((d) => d.value),
        problems: files.problems.filter((p) => p.file === file).map((p) => p.message),
      }),
    });
  }
  for (const doc of docs) {
    if (badFiles.has(doc.file)) continue;
    const declaration = declare(doc);
    if (!declaration) continue;
    const list = set.specs.get(declaration.key) ?? [];
    list.push(declaration);
    set.specs.set(declaration.key, list);
  }
  const lab = set.specs.get(LAB_KEY)?.[0];
  if (lab && files.lab && isRecord(files.lab.value) && isRecord(files.lab.value.spec)) {
    const admins = files.lab.value.spec.admins;
    set.admins = Array.isArray(admins)
      ? admins.filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase())
      : [];
  }
  return set;
}

function declare(doc: LoadedDocument): SpecDeclaration | undefined {
  const id = specKey(doc.value);
  if (!id || !isRecord(doc.value)) return undefined;
  const metadata = isRecord(doc.value.metadata) ? doc.value.metadata : {};
  const spec = isRecord(doc.value.spec) ? doc.value.spec : {};
  const owner = typeof metadata.owner === 'string' ? metadata.owner.toLowerCase() : undefined;
  const environment =
    id.kind === 'Workstation' && typeof spec.environment === 'string' ? spec.environment.split('@')[0] : undefined;
  const selection =
    id.kind === 'Workstation'
      ? {
          ...(typeof metadata.project === 'string' ? { project: metadata.project } : {}),
          ...(isRecord(metadata.labels) ? { labels: stringValues(metadata.labels) } : {}),
        }
      : id.kind === 'SnapshotSchedule' && spec.budgetExempt === true && isRecord(spec.selector)
        ? { exemptSelector: exemptSelector(spec.selector) }
        : {};
  return {
    ...id,
    file: doc.file,
    hash: stableHash(doc.value, 64),
    ...(owner ? { owner } : {}),
    ...(environment ? { environment } : {}),
    ...selection,
  };
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** A schema-valid snapshot selector, as read for authorization. */
function exemptSelector(selector: Record<string, unknown>): NonNullable<SpecDeclaration['exemptSelector']> {
  const { project, workstations, labels } = selector;
  return {
    ...(typeof project === 'string' ? { project } : {}),
    ...(Array.isArray(workstations)
      ? { workstations: workstations.filter((w): w is string => typeof w === 'string') }
      : {}),
    ...(isRecord(labels) ? { labels: stringValues(labels) } : {}),
  };
}

/** Each key's file at this tree: where a name is declared (its first declaration), for telling a new declaration from the existing one. */
export function claims(set: SpecSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, list] of set.specs) {
    const [first] = list;
    if (first) out.set(key, first.file);
  }
  for (const [file, { keys }] of set.unreadable) for (const key of keys) if (!out.has(key)) out.set(key, file);
  return out;
}
