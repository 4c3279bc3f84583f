/**
 * Where a lab's files are read from: the working tree (the CLI, a pull request's checkout) or a
 * commit's git objects (approvals and gated applies, which must read exactly what was reviewed).
 * Both answer the same four questions, so one loader (lab-files.ts) reads either, and a symlink
 * is seen as a symlink in both — never followed.
 */
import { closeSync, constants, lstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBytes, loadFile, loadText } from './load.js';
import type { LoadResult } from './load.js';

/** What a path holds. */
export type TreeEntry = 'file' | 'dir' | 'symlink' | 'other';

/** A lab folder's files, by path relative to the lab folder (forward slashes; `''` is the folder itself). */
export interface LabTree {
  /** Shown in messages: the folder, or `commit:path`. */
  where: string;
  /** What is at `path`; undefined when nothing is. Never follows a symlink. */
  entry(path: string): TreeEntry | undefined;
  /** Names in a folder (not sorted). */
  list(path: string): string[];
  /** Reads and parses a file (`entry(path) === 'file'`). */
  read(path: string): LoadResult;
  /**
   * The start of a file (`entry(path) === 'file'`), at most {@link PEEK_BYTES} bytes, as text; undefined
   * when it cannot be read or is not text. Enough to tell whether a file not read as a spec holds one.
   */
  peek(path: string): string | undefined;
}

/** Bytes {@link LabTree.peek} reads from the start of a file. */
export const PEEK_BYTES = 16 * 1024;

/** The first {@link PEEK_BYTES} of `bytes` as text, or undefined for a binary file (a NUL byte). */
function peekText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, PEEK_BYTES);
  if (head.includes(0)) return undefined;
  return new TextDecoder('utf-8', { fatal: false }).decode(head);
}

/**
 * Files read in place of a tree's (relative path → text, or `null` for "absent"): the last
 * approved version of a change that was merged without its approval (a hold). A path with text is
 * read even where the tree has no such file.
 */
export type LabOverlay = ReadonlyMap<string, string | null>;

/** The working tree under `root`. */
export function fsTree(root: string): LabTree {
  return {
    where: root,
    entry(path) {
      try {
        const stat = lstatSync(path ? join(root, path) : root);
        if (stat.isSymbolicLink()) return 'symlink';
        if (stat.isFile()) return 'file';
        return stat.isDirectory() ? 'dir' : 'other';
      } catch {
        return undefined;
      }
    },
    list: (path) => readdirSync(join(root, path)),
    read: (path) => loadFile(join(root, path), path),
    peek(path) {
      let fd: number | undefined;
      try {
        // Never through a symlink swapped in since entry(), and never waiting on a FIFO.
        fd = openSync(join(root, path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
        const buffer = new Uint8Array(PEEK_BYTES);
        return peekText(buffer.subarray(0, readSync(fd, buffer, 0, PEEK_BYTES, 0)));
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
  };
}

/** A git tree's entries (path relative to the lab folder → mode and object id), as `git ls-tree -r` lists them. */
export interface GitTreeEntries {
  where: string;
  entries: ReadonlyMap<string, { mode: string; id: string }>;
  /** Reads blobs by id. */
  blob(id: string): Uint8Array;
}

/** A commit's lab folder, from git objects. */
export function gitTree(tree: GitTreeEntries): LabTree {
  const dirs = new Map<string, Set<string>>([['', new Set()]]);
  for (const path of tree.entries.keys()) {
    const parts = path.split('/');
    for (const [i, part] of parts.entries()) {
      const parent = parts.slice(0, i).join('/');
      const names = dirs.get(parent) ?? new Set<string>();
      dirs.set(parent, names);
      names.add(part);
    }
  }
  return {
    where: tree.where,
    entry(path) {
      const found = tree.entries.get(path);
      if (found) return found.mode === '120000' ? 'symlink' : found.mode.startsWith('100') ? 'file' : 'other';
      return dirs.has(path) ? 'dir' : undefined;
    },
    list: (path) => [...(dirs.get(path) ?? [])],
    read: (path) => {
      const found = tree.entries.get(path);
      if (!found) throw new Error(`${tree.where}: no file ${path}`);
      return loadBytes(tree.blob(found.id), path);
    },
    peek: (path) => {
      const found = tree.entries.get(path);
      if (!found) return undefined;
      try {
        return peekText(tree.blob(found.id));
      } catch {
        return undefined;
      }
    },
  };
}

/** `tree` with `overlay`'s files in place of its own: text is a regular file, `null` is absent. */
export function overlaid(tree: LabTree, overlay: LabOverlay): LabTree {
  if (!overlay.size) return tree;
  const present = [...overlay].filter(([, text]) => text !== null).map(([path]) => path);
  const isParent = (path: string): boolean => present.some((file) => path === '' || file.startsWith(`${path}/`));
  return {
    where: tree.where,
    entry(path) {
      if (overlay.has(path)) return overlay.get(path) === null ? undefined : 'file';
      const own = tree.entry(path);
      return own ?? (isParent(path) ? 'dir' : undefined);
    },
    list(path) {
      const names = new Set(tree.entry(path) === 'dir' ? tree.list(path) : []);
      const prefix = path ? `${path}/` : '';
      for (const [file, text] of overlay) {
        if (!file.startsWith(prefix)) continue;
        const [name = ''] = file.slice(prefix.length).split('/');
        if (text !== null) names.add(name);
        else if (!file.slice(prefix.length).includes('/')) names.delete(name);
      }
      return [...names];
    },
    read(path) {
      const text = overlay.get(path);
      return typeof text === 'string' ? loadText(text, path) : tree.read(path);
    },
    peek(path) {
      const text = overlay.get(path);
      return typeof text === 'string' ? text.slice(0, PEEK_BYTES) : tree.peek(path);
    },
  };
}
