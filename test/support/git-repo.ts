/**
 * Real git repositories for tests of approvals and gated runs: a lab repository on `main`, commits
 * made from file maps (text, or null to delete), branches for pull requests, merges as GitHub
 * makes them (a merge commit, or a squash), and symlinks. Everything runs `git` in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A repository and the commands tests need. */
export interface GitRepo {
  /** The repository's top folder (the Action's GITHUB_WORKSPACE). */
  dir: string;
  git(...args: string[]): string;
  /** Writes (text) or deletes (null) files, commits everything as `author`, returns the commit. */
  commit(files: Record<string, string | null>, message?: string, author?: string): string;
  /** A symlink at `path` pointing at `target`, committed. */
  symlink(path: string, target: string, message?: string): string;
  checkout(ref: string): void;
  /** A new branch from the current commit, checked out. */
  branch(name: string): void;
  /** Merges `branch` into main with a merge commit (first parent: main), as GitHub's merge button does. */
  merge(branch: string): string;
  /** Squashes `branch` onto main as one commit. */
  squash(branch: string): string;
  head(): string;
  cleanup: () => void;
}

/** A new repository on `main` with one commit holding `files`. */
export function makeGitRepo(files: Record<string, string | null>): GitRepo {
  const dir = mkdtempSync(join(tmpdir(), 'labops-git-'));
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: dir,
    GIT_AUTHOR_DATE: '2026-09-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-09-01T00:00:00Z',
  };
  let tick = 0;
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: { ...env, GIT_AUTHOR_DATE: `2026-09-01T00:00:${String(tick % 60).padStart(2, '0')}Z` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'lab@example.org');
  git('config', 'user.name', 'lab');
  git('config', 'commit.gpgsign', 'false');
  const write = (changes: Record<string, string | null>): void => {
    for (const [path, text] of Object.entries(changes)) {
      const full = join(dir, path);
      if (text === null) rmSync(full, { force: true, recursive: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
  };
  const repo: GitRepo = {
    dir,
    git,
    commit(changes, message = 'change', author = 'lab') {
      tick++;
      write(changes);
      git('add', '-A');
      git('-c', `user.name=${author}`, 'commit', '-q', '--allow-empty', '-m', message);
      return repo.head();
    },
    symlink(path, target, message = 'link') {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      symlinkSync(target, join(dir, path));
      return repo.commit({}, message);
    },
    checkout: (ref) => void git('checkout', '-q', ref),
    branch: (name) => void git('checkout', '-q', '-b', name),
    merge(branch) {
      tick++;
      git('checkout', '-q', 'main');
      git('merge', '-q', '--no-ff', '-m', `Merge ${branch}`, branch);
      return repo.head();
    },
    squash(branch) {
      tick++;
      git('checkout', '-q', 'main');
      git('merge', '-q', '--squash', branch);
      git('commit', '-q', '--allow-empty', '-m', `Squash ${branch}`);
      return repo.head();
    },
    head: () => git('rev-parse', 'HEAD').trim(),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  repo.commit(files, 'lab');
  return repo;
}
