/**
 * Finds and loads a lab repository's spec files: `labops.yaml` at the root, then every
 * `*.yaml` / `*.yml` under the Lab's `spec.paths` (default: the five conventional folders).
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Problem } from '../model/problem.js';
import { compareText } from '../model/problem.js';
import { isRecord, loadFile, loadText } from './load.js';
import type { LoadedDocument } from './load.js';

/** Folders read when labops.yaml does not list `spec.paths`. */
export const DEFAULT_PATHS = ['workstations', 'budgets', 'snapshots', 'jobs', 'environments'] as const;

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
  /** The text of a line of a file that was read, for showing problems in context. */
  sourceLine(file: string, line: number): string;
}

/**
 * Files read in place of the working tree's (relative path → text, or `null` for "absent"): the
 * last approved version of a change that was merged without its approval (a hold, see
 * model/record.ts). A path with text is read even where the tree has no such file.
 */
export type LabOverlay = ReadonlyMap<string, string | null>;

/** Reads a lab repository. Never throws for anything the repository contains. */
export function loadLabFiles(root: string, overlay: LabOverlay = new Map()): LabFiles {
  const readers = new Map<string, (line: number) => string>();
  const result: LabFiles = { root, lab: undefined, documents: [], files: [], problems: [], sourceLine: (file, line) => readers.get(file)?.(line) ?? '' };
  const present = (name: string): boolean => (overlay.has(name) ? overlay.get(name) !== null : existsSync(join(root, name)));
  const read = (file: string) => {
    const text = overlay.get(file);
    return typeof text === 'string' ? loadText(text, file) : loadFile(join(root, file), file);
  };
  const labName = ['labops.yaml', 'labops.yml'].find(present);
  if (!labName) {
    result.problems.push(fileProblem('labops.yaml', `no labops.yaml in ${root}: a lab repository needs one at its root (kind: Lab)`));
    return result;
  }
  const labFile = read(labName);
  result.files.push(labName);
  readers.set(labName, labFile.sourceLine);
  result.problems.push(...labFile.problems);
  result.lab = labFile.documents[0];
  for (const extra of labFile.documents.slice(1)) {
    result.problems.push({ file: labName, ...extra.positionOf([]), path: '', message: 'labops.yaml must hold exactly one document, the Lab', severity: 'error' });
  }
  const { paths, explicit } = specPaths(result.lab);
  const seen = new Set<string>([labName]);
  for (const [i, path] of paths.entries()) {
    const listed = listSpecFiles(root, path, result.problems, explicit ? () => result.lab!.positionOf(['spec', 'paths', i], 'value') : undefined);
    const prefix = `${path.replace(/^\.\/?/, '').replace(/\/+$/, '')}/`;
    const restored = [...overlay].filter(([file, text]) => text !== null && file.startsWith(prefix) && /\.ya?ml$/i.test(file)).map(([file]) => file);
    const kept = listed.filter((file) => overlay.get(file) !== null);
    const files = restored.some((file) => !kept.includes(file)) ? [...new Set([...kept, ...restored])].sort(compareText) : kept;
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      if (seen.size > MAX_SPEC_FILES) {
        result.problems.push(fileProblem(file, `more than ${MAX_SPEC_FILES} spec files; labops stops reading here`));
        return result;
      }
      const loaded = read(file);
      result.files.push(file);
      readers.set(file, loaded.sourceLine);
      result.problems.push(...loaded.problems);
      result.documents.push(...loaded.documents);
    }
  }
  result.files.sort(compareText);
  return result;
}

function specPaths(lab: LoadedDocument | undefined): { paths: string[]; explicit: boolean } {
  const spec = isRecord(lab?.value) && isRecord(lab.value.spec) ? lab.value.spec : undefined;
  const paths = spec?.paths;
  if (Array.isArray(paths) && paths.every((p) => typeof p === 'string')) return { paths: paths as string[], explicit: true };
  return { paths: [...DEFAULT_PATHS], explicit: false };
}

/** Spec files under one configured path, relative to the root, sorted; symlinks are not followed. */
function listSpecFiles(root: string, path: string, problems: Problem[], where: (() => { line: number; column: number }) | undefined): string[] {
  const start = join(root, path);
  const rel = relative(root, start);
  if (rel.startsWith('..') || rel.startsWith(sep)) return [];
  if (!existsSync(start)) {
    if (where) problems.push({ file: 'labops.yaml', ...where(), path: 'spec.paths', message: `path "${path}" does not exist`, severity: 'warning' });
    return [];
  }
  const out: string[] = [];
  const visit = (abs: string, depth: number): void => {
    const stat = lstatSync(abs);
    const shown = relative(root, abs).split(sep).join('/');
    if (stat.isSymbolicLink()) {
      problems.push(fileProblem(shown, 'symbolic link skipped: spec files must be regular files inside the repository', 'warning'));
      return;
    }
    if (stat.isFile()) {
      if (/\.ya?ml$/i.test(abs)) out.push(shown);
      return;
    }
    if (!stat.isDirectory() || depth > 16) return;
    for (const entry of readdirSync(abs).sort(compareText)) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      visit(join(abs, entry), depth + 1);
    }
  };
  visit(start, 0);
  return out;
}

function fileProblem(file: string, message: string, severity: Problem['severity'] = 'error'): Problem {
  return { file, line: 1, column: 1, path: '', message, severity };
}
