/**
 * Reads commits, trees and blobs from a local git repository by object id — never the working
 * tree — so that what is checked for approval, and what a gated run applies, is exactly what a
 * commit holds. Blobs are cached by id: walking many commits of one lab reads each file version
 * once. Commits a shallow clone lacks are fetched from `origin` once, by id.
 */
import { execFileSync } from 'node:child_process';
import { gitTree } from '../specs/lab-tree.js';
import type { GitTreeEntries, LabTree } from '../specs/lab-tree.js';
import { redact } from '../record/redact.js';
import { LabopsError } from '../errors.js';

/** A git command failed, or the repository lacks what was asked for. */
export class GitObjectError extends LabopsError {
  override readonly name = 'GitObjectError';
  constructor(message: string) {
    super('git-failed', message);
  }
}

/** `git` with output as text; throws {@link GitObjectError} with git's own first line. */
function git(dir: string, args: string[], input?: string): string {
  try {
    return execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(input !== undefined ? { input } : {}),
    });
  } catch (err) {
    const stderr =
      String((err as { stderr?: Buffer | string }).stderr ?? '')
        .trim()
        .split('\n')[0] ?? '';
    throw new GitObjectError(redact(`git ${args[0]} failed${stderr ? `: ${stderr}` : ''}`));
  }
}

const SHA = /^[0-9a-f]{40}$/;

/** A repository's objects. */
export class GitObjects {
  private readonly blobs = new Map<string, Buffer>();
  private fetched = false;

  /** `dir` is any folder inside the repository. */
  constructor(readonly dir: string) {}

  /** The repository's top folder. */
  topLevel(): string {
    return git(this.dir, ['rev-parse', '--show-toplevel']).trim();
  }

  /** The commit a revision names, or undefined. */
  resolve(rev: string): string | undefined {
    try {
      const sha = git(this.dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
      return SHA.test(sha) ? sha : undefined;
    } catch {
      return undefined;
    }
  }

  /** True when the commit's object is here. */
  has(sha: string): boolean {
    return SHA.test(sha) && this.resolve(sha) === sha;
  }

  /** Makes sure the commits are here (fetching them by id from origin, with their history, once). */
  ensure(shas: readonly string[]): void {
    const missing = shas.filter((sha) => !this.has(sha));
    if (!missing.length && !this.isShallow()) return;
    if (this.fetched) return;
    this.fetched = true;
    const shallow = this.isShallow();
    try {
      git(this.dir, [
        'fetch',
        '--no-tags',
        '--quiet',
        ...(shallow ? ['--unshallow'] : []),
        'origin',
        ...missing.filter((sha) => SHA.test(sha)),
      ]);
    } catch (err) {
      if (missing.some((sha) => !this.has(sha)))
        throw new GitObjectError(
          `${(err as Error).message} (commits ${missing.map((sha) => sha.slice(0, 12)).join(', ')} are not in the checkout: check out with fetch-depth: 0)`,
        );
    }
  }

  private isShallow(): boolean {
    return git(this.dir, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
  }

  /** True when `ancestor` is `descendant` or one of its ancestors. */
  isAncestor(ancestor: string, descendant: string): boolean {
    if (!this.has(ancestor) || !this.has(descendant)) return false;
    try {
      git(this.dir, ['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The first-parent chain after `from` up to and including `to`, oldest first (all of `to`'s
   * first-parent history when `from` is undefined), limited to commits touching `paths` when given.
   */
  firstParentChain(from: string | undefined, to: string, paths: readonly string[] = []): string[] {
    const range = from ? `${from}..${to}` : to;
    return git(this.dir, ['rev-list', '--first-parent', '--reverse', range, ...(paths.length ? ['--', ...paths] : [])])
      .split('\n')
      .filter((line) => SHA.test(line));
  }

  /** A commit's first parent, or undefined for a root commit. */
  firstParent(sha: string): string | undefined {
    return this.resolve(`${sha}^1`);
  }

  /** The tree id of a folder in a commit (undefined when absent): equal ids mean identical content. */
  treeId(commit: string, prefix: string): string | undefined {
    try {
      return git(this.dir, ['rev-parse', '--verify', '--quiet', `${commit}:${prefix}`]).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Every entry under `prefix` in a commit, relative to `prefix` (files, symlinks, submodules). */
  entries(commit: string, prefix: string): Map<string, { mode: string; id: string }> {
    const out = new Map<string, { mode: string; id: string }>();
    if (commit === EMPTY) return out;
    const listing = git(this.dir, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix || '.']);
    const strip = prefix ? `${prefix}/` : '';
    for (const record of listing.split('\0')) {
      const [, mode, id, path] = /^(\d{6}) \w+ ([0-9a-f]{40})\t([\s\S]+)$/.exec(record) ?? [];
      if (mode === undefined || id === undefined || path === undefined || !path.startsWith(strip)) continue;
      out.set(path.slice(strip.length), { mode, id });
    }
    return out;
  }

  /** The bytes of blobs, read in one `git cat-file --batch`, cached by id. */
  readBlobs(ids: readonly string[]): void {
    const wanted = [...new Set(ids)].filter((id) => SHA.test(id) && !this.blobs.has(id));
    if (!wanted.length) return;
    let out: Buffer;
    try {
      out = execFileSync('git', ['-C', this.dir, 'cat-file', '--batch'], {
        input: `${wanted.join('\n')}\n`,
        maxBuffer: 1 << 30,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch {
      throw new GitObjectError('git cat-file failed');
    }
    let at = 0;
    while (at < out.length) {
      const eol = out.indexOf(0x0a, at);
      const header = out.subarray(at, eol).toString('utf8');
      const [, id, , length] = /^([0-9a-f]{40}) (\w+) (\d+)$/.exec(header) ?? [];
      if (id === undefined || length === undefined) {
        at = eol + 1;
        continue;
      }
      const size = Number(length);
      this.blobs.set(id, out.subarray(eol + 1, eol + 1 + size));
      at = eol + 1 + size + 1;
    }
  }

  /** One blob's bytes. */
  blob(id: string): Buffer {
    if (!this.blobs.has(id)) this.readBlobs([id]);
    const found = this.blobs.get(id);
    if (!found) throw new GitObjectError(`git object ${id} is not in the repository`);
    return found;
  }

  /** The lab folder `prefix` of a commit as a {@link LabTree}, its YAML blobs read up front. */
  labTree(commit: string, prefix: string): LabTree {
    return gitTree(this.treeEntries(commit, prefix));
  }

  /** The entries and blob reader behind {@link labTree}. */
  treeEntries(commit: string, prefix: string): GitTreeEntries {
    const entries = this.entries(commit, prefix);
    this.readBlobs(
      [...entries].filter(([path, e]) => e.mode.startsWith('100') && /\.ya?ml$/i.test(path)).map(([, e]) => e.id),
    );
    return { where: `${commit.slice(0, 12)}:${prefix || '.'}`, entries, blob: (id) => this.blob(id) };
  }
}

/** Stands for "no commit": the empty tree before a repository's first commit. */
export const EMPTY = 'empty';
