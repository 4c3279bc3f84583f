/**
 * Finds and loads a lab repository's spec files: `labops.yaml` at the root, then every
 * `*.yaml` / `*.yml` under the Lab's `spec.paths` (default: the five conventional folders).
 */
import { posix } from 'node:path';
import type { Problem } from '../model/problem.js';
import { compareText } from '../model/problem.js';
import { isRecord } from './load.js';
import type { BrokenDocument, LoadedDocument } from './load.js';
import { fsTree, overlaid } from './lab-tree.js';
import type { LabOverlay, LabTree } from './lab-tree.js';

/** Folders read when labops.yaml does not list `spec.paths`. */
export const DEFAULT_PATHS = [
  'workstations',
  'budgets',
  'snapshots',
  'jobs',
  'queues',
  'environments',
  'images',
] as const;

/** Most spec files one lab may hold. */
export const MAX_SPEC_FILES = 20_000;

/** Everything read from a lab repository, before validation. */
export interface LabFiles {
  /** Absolute path of the lab repository root. */
  root: string;
  /** The labops.yaml document, when it parsed. */
  lab: LoadedDocument | undefined;
  /** Every other spec document, in file order. */
  documents: LoadedDocument[];
  /** Files that were read (relative, forward slashes), sorted. */
  files: string[];
  /** Problems found while reading and parsing. */
  problems: Problem[];
  /** Documents that did not load, by what they seem to declare (for references to them). */
  broken: BrokenDocument[];
  /** Files that hold a labops spec (or are named like one) but are not read, each with a warning, sorted. */
  unread: string[];
  /** The text of a line of a file that was read, for showing problems in context. */
  sourceLine: (file: string, line: number) => string;
}

export type { LabOverlay } from './lab-tree.js';

/** The one message for a symlink anywhere labops reads (files, labops.yaml, folders and their parents). */
export const SYMLINK_MESSAGE = 'symlinks are not allowed';

/**
 * Reads a lab repository: the working tree at `source` (a folder), or a {@link LabTree} (a
 * commit's git objects). Never throws for anything the repository contains. A symlink is never
 * followed: it is an error on its path, so a link cannot pull in files from outside the
 * repository nor hide a file from approval checks.
 */
export function loadLabFiles(source: string | LabTree, overlay: LabOverlay = new Map()): LabFiles {
  const base = typeof source === 'string' ? fsTree(source) : source;
  const tree = overlaid(base, overlay);
  const readers = new Map<string, (line: number) => string>();
  const root = base.where;
  const result: LabFiles = {
    root,
    lab: undefined,
    documents: [],
    files: [],
    problems: [],
    broken: [],
    unread: [],
    sourceLine: (file, line) => readers.get(file)?.(line) ?? '',
  };
  if (base.entry('') === 'symlink') {
    result.problems.push(fileProblem('labops.yaml', `${root} is a symlink: ${SYMLINK_MESSAGE}`));
    return result;
  }
  const labNames = LAB_FILES.filter((name) => tree.entry(name) !== undefined);
  const [labName] = labNames;
  if (labName === undefined) {
    result.problems.push(
      fileProblem('labops.yaml', `no labops.yaml in ${root}: a lab repository needs one at its root (kind: Lab)`),
    );
    return result;
  }
  if (labNames.length > 1) {
    // Which one counts must never depend on a name: a pull request adding the other could make its author an admin.
    for (const name of labNames)
      result.problems.push(fileProblem(name, 'both labops.yaml and labops.yml exist: keep exactly one Lab file'));
    return result;
  }
  if (tree.entry(labName) !== 'file') {
    result.problems.push(
      fileProblem(labName, tree.entry(labName) === 'symlink' ? SYMLINK_MESSAGE : 'not a regular file'),
    );
    return result;
  }
  const labFile = tree.read(labName);
  result.files.push(labName);
  readers.set(labName, labFile.sourceLine);
  result.problems.push(...labFile.problems);
  const lab = labFile.documents[0];
  result.lab = lab;
  for (const extra of labFile.documents.slice(1)) {
    result.problems.push({
      file: labName,
      ...extra.positionOf([]),
      path: '',
      message: `${labName} must hold exactly one document, the Lab`,
      severity: 'error',
    });
  }
  const { paths, explicit } = specPaths(lab);
  const seen = new Set<string>([labName]);
  const notYaml: string[] = [];
  for (const [i, path] of paths.entries()) {
    const files = listSpecFiles(
      tree,
      path,
      result.problems,
      explicit && lab ? () => ({ file: labName, ...lab.positionOf(['spec', 'paths', i], 'value') }) : undefined,
      notYaml,
    );
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      if (seen.size > MAX_SPEC_FILES) {
        result.problems.push(fileProblem(file, `more than ${MAX_SPEC_FILES} spec files; labops stops reading here`));
        return result;
      }
      const loaded = tree.read(file);
      result.files.push(file);
      readers.set(file, loaded.sourceLine);
      result.problems.push(...loaded.problems);
      result.documents.push(...loaded.documents);
      result.broken.push(...(loaded.broken ?? []));
    }
  }
  const unread = unreadSpecs(tree, { paths, explicit, labName, read: seen, notYaml });
  result.problems.push(...unread);
  result.unread = [...new Set(unread.map((p) => p.file).filter((f) => f !== labName))].sort(compareText);
  result.files.sort(compareText);
  return result;
}

/** The Lab file's two accepted names; exactly one may exist. */
export const LAB_FILES = ['labops.yaml', 'labops.yml'] as const;

/** Deepest folder level read under a spec path; deeper files are an error, never silently skipped. */
export const MAX_SPEC_DEPTH = 16;

function specPaths(lab: LoadedDocument | undefined): { paths: string[]; explicit: boolean } {
  const spec = isRecord(lab?.value) && isRecord(lab.value.spec) ? lab.value.spec : undefined;
  const paths = spec?.paths;
  if (Array.isArray(paths) && paths.every((p) => typeof p === 'string')) return { paths, explicit: true };
  return { paths: [...DEFAULT_PATHS], explicit: false };
}

/** `a/b` for `./a//b/`; undefined for a path that leaves the lab folder. */
function normalPath(path: string): string | undefined {
  const normal = posix
    .normalize(path.replace(/\\/g, '/'))
    .replace(/^\.\/?/, '')
    .replace(/\/+$/, '');
  if (normal === '.' || normal === '') return '';
  if (normal.startsWith('/') || normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

/**
 * Spec files under one configured path, relative to the lab folder, sorted. A symlink on the way
 * (the path itself, a parent folder, a file) is an error. YAML in a hidden folder or deeper than
 * {@link MAX_SPEC_DEPTH} is not read and gets a warning; approvals see a spec moved there as
 * removed (they compare the loaded specs of two commits), so moving a file is never a quiet delete.
 * Files found that do not end in `.yaml`/`.yml` go to `notYaml` (see {@link unreadSpecs}).
 */
function listSpecFiles(
  tree: LabTree,
  path: string,
  problems: Problem[],
  where: (() => { file: string; line: number; column: number }) | undefined,
  notYaml: string[],
): string[] {
  const start = normalPath(path);
  if (start === undefined) {
    if (where)
      problems.push({
        ...where(),
        path: 'spec.paths',
        message: `path "${path}" leaves the lab folder`,
        severity: 'error',
      });
    return [];
  }
  const parts = start ? start.split('/') : [];
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    if (tree.entry(parent) === 'symlink') {
      problems.push(fileProblem(parent, SYMLINK_MESSAGE));
      return [];
    }
  }
  if (tree.entry(start) === undefined) {
    if (where)
      problems.push({ ...where(), path: 'spec.paths', message: `path "${path}" does not exist`, severity: 'warning' });
    return [];
  }
  const out: string[] = [];
  const visit = (rel: string, depth: number): void => {
    const kind = tree.entry(rel);
    const yaml = /\.ya?ml$/i.test(rel);
    if (kind === 'symlink') {
      problems.push(fileProblem(rel, SYMLINK_MESSAGE));
      return;
    }
    if (kind === 'file') {
      if (yaml) out.push(rel);
      else notYaml.push(rel);
      return;
    }
    if (kind !== 'dir') return;
    const entries = tree.list(rel).sort(compareText);
    for (const name of entries) {
      const child = rel ? `${rel}/${name}` : name;
      if (name.startsWith('.') || name === 'node_modules') {
        if (hasYaml(tree, child))
          problems.push(
            fileProblem(
              child,
              `${name.startsWith('.') ? 'hidden' : 'node_modules'} folders and files are not read: move spec files out of ${child}`,
              'warning',
            ),
          );
        continue;
      }
      if (depth + 1 > MAX_SPEC_DEPTH && tree.entry(child) === 'dir') {
        if (hasYaml(tree, child))
          problems.push(
            fileProblem(
              child,
              `folders deeper than ${MAX_SPEC_DEPTH} levels are not read: move spec files up`,
              'warning',
            ),
          );
        continue;
      }
      visit(child, depth + 1);
    }
  };
  visit(start, 0);
  return out;
}

/** True when a path is, or a folder holds (up to {@link MAX_SPEC_DEPTH} levels down), a YAML file. */
function hasYaml(tree: LabTree, path: string, depth = 0): boolean {
  const kind = tree.entry(path);
  if (kind === 'file' || kind === 'symlink') return /\.ya?ml$/i.test(path);
  if (kind !== 'dir' || depth > MAX_SPEC_DEPTH) return false;
  return tree.list(path).some((name) => hasYaml(tree, `${path}/${name}`, depth + 1));
}

/** Folder each kind conventionally lives in (the default spec.paths). */
const KIND_FOLDERS: Readonly<Record<string, string>> = {
  Workstation: 'workstations',
  Budget: 'budgets',
  SnapshotSchedule: 'snapshots',
  Job: 'jobs',
  JobQueue: 'queues',
  Environment: 'environments',
  EnvironmentImage: 'images',
};

/** Most files and folders looked at for specs outside spec.paths. */
export const UNREAD_SCAN_LIMIT = 50_000;

/** A name that was meant to be YAML: `bob.yaml~`, `bob.yml.txt`, `bob.yaml.bak`. */
const NEAR_YAML = /\.ya?ml(?![a-z0-9])/i;
/** Names outside spec.paths worth opening: YAML, near misses, and text or JSON a spec may have been saved as. */
const SPEC_LIKE = /\.(ya?ml|txt|json)$/i;
/** A labops apiVersion as a top-level YAML key, or as a JSON member. */
const LABOPS_API_LINE = /^["']?apiVersion["']?\s*:\s*["']?labops\//m;
const LABOPS_API_JSON = /"apiVersion"\s*:\s*"labops\//;

/**
 * True when text is a labops spec. `loose` (a `.yaml`/`.yml` file): any top-level
 * `apiVersion: labops/…`. Otherwise the file must start as one (after blank lines, comments and
 * `---`): a top-level `key:` line or a `{`, with a labops apiVersion in that first document — so a
 * README quoting a spec in a code block is not taken for one.
 */
export function holdsLabopsSpec(text: string, loose: boolean): boolean {
  if (loose) return LABOPS_API_LINE.test(text) || LABOPS_API_JSON.test(text);
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() !== '' && !/^\s*#/.test(l) && !/^(---|%)/.test(l));
  const first = lines[start];
  if (first === undefined) return false;
  if (first.startsWith('{')) return LABOPS_API_JSON.test(text);
  if (!/^["']?[A-Za-z_][\w-]*["']?\s*:(\s|$)/.test(first)) return false;
  const end = lines.findIndex((l, i) => i > start && /^(---|\.\.\.)(\s|$)/.test(l));
  return LABOPS_API_LINE.test(lines.slice(start, end < 0 ? undefined : end).join('\n'));
}

/** The `kind` a spec's text names, when it names one. */
function kindIn(text: string): string | undefined {
  return (/^kind\s*:\s*["']?([A-Za-z]+)/m.exec(text) ?? /"kind"\s*:\s*"([A-Za-z]+)"/.exec(text))?.[1];
}

/**
 * Warnings for specs labops does not read, so nothing is skipped without a word: files in spec
 * folders whose names do not end in `.yaml`/`.yml` (a near-miss name like `bob.yml.txt` or
 * `bob.yaml~`, or any file holding a labops spec), and files outside spec.paths holding a labops
 * spec (`workstation/` for `workstations/`, the repository root, a folder not listed). Each says
 * which paths are read and how to include the file. Walks like the spec folders' walker: never
 * through a symlink, not into hidden folders, node_modules or another lab (a folder with its own
 * labops.yaml), at most {@link MAX_SPEC_DEPTH} levels and {@link UNREAD_SCAN_LIMIT} entries.
 */
function unreadSpecs(
  tree: LabTree,
  lab: { paths: string[]; explicit: boolean; labName: string; read: ReadonlySet<string>; notYaml: string[] },
): Problem[] {
  const problems: Problem[] = [];
  const roots = lab.paths.map(normalPath).filter((p): p is string => p !== undefined);
  const listed = lab.paths.map((p) => normalPath(p) ?? p).join(', ');
  const readWhere = lab.explicit
    ? `the folders in spec.paths (${listed})`
    : `the folders in spec.paths, by default ${listed}`;
  const rename = (file: string): string => {
    const near = NEAR_YAML.exec(file);
    return near ? file.slice(0, near.index + near[0].length) : `${file.replace(/\.[^./]*$/, '')}.yaml`;
  };
  for (const file of [...new Set(lab.notYaml)].sort(compareText)) {
    const text = tree.peek(file);
    const spec = text !== undefined && holdsLabopsSpec(text, false);
    if (!spec && !NEAR_YAML.test(posix.basename(file))) continue;
    const kind = spec ? kindIn(text) : undefined;
    const target = rename(file);
    const advice = lab.read.has(target)
      ? `delete it if it is an old copy of ${target}`
      : `rename it to ${target}${spec ? '' : ' if it is a spec'}`;
    const what = spec ? `this file holds a labops ${kind ?? 'spec'} but is not read` : 'not read';
    problems.push(fileProblem(file, `${what}: only files ending in .yaml or .yml are read; ${advice}`, 'warning'));
  }
  if (roots.includes('')) return problems;
  const under = (path: string): boolean => roots.some((r) => path === r || path.startsWith(`${r}/`));
  let budget = UNREAD_SCAN_LIMIT;
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const name of tree.list(dir).sort(compareText)) {
      const path = dir ? `${dir}/${name}` : name;
      if (--budget < 0) return;
      if (name.startsWith('.') || name === 'node_modules' || under(path)) continue;
      const kind = tree.entry(path);
      if (kind === 'dir') {
        const nestedLab = LAB_FILES.some((f) => tree.entry(`${path}/${f}`) !== undefined);
        if (!nestedLab && depth < MAX_SPEC_DEPTH) visit(path, depth + 1);
      } else if (kind === 'file' && path !== lab.labName && (SPEC_LIKE.test(name) || NEAR_YAML.test(name))) {
        found.push(path);
      }
    }
  };
  visit('', 0);
  if (budget < 0)
    problems.push(
      fileProblem(
        lab.labName,
        `the lab folder holds more than ${UNREAD_SCAN_LIMIT} files: labops stopped looking for specs outside spec.paths there`,
        'warning',
      ),
    );
  for (const file of found) {
    const text = tree.peek(file);
    const yaml = /\.ya?ml$/i.test(file);
    if (text === undefined || !holdsLabopsSpec(text, yaml)) continue;
    const kind = kindIn(text);
    const folder = posix.dirname(file);
    const home = kind === undefined ? undefined : KIND_FOLDERS[kind];
    const moveTo = home !== undefined && roots.includes(home) ? home : undefined;
    const include = lab.explicit
      ? `add "${folder}" to spec.paths in labops.yaml`
      : `set spec.paths in labops.yaml to [${[...lab.paths, folder].join(', ')}]`;
    let advice: string;
    if (kind === 'Lab') advice = `a lab has one Lab file, ${lab.labName} at its root`;
    else if (folder === '.')
      advice = moveTo
        ? `move it to ${moveTo}/`
        : 'move it into a folder and list that folder in spec.paths in labops.yaml';
    else advice = moveTo ? `${include}, or move it to ${moveTo}/` : include;
    if (!yaml && kind !== 'Lab') advice += `, and name it ${rename(posix.basename(file))}`;
    problems.push(
      fileProblem(
        file,
        `this file holds a labops ${kind ?? 'spec'} but is not read: labops reads only ${readWhere}; ${advice}`,
        'warning',
      ),
    );
  }
  return problems;
}

function fileProblem(file: string, message: string, severity: Problem['severity'] = 'error'): Problem {
  return { file, line: 1, column: 1, path: '', message, severity };
}
