/**
 * `--record`: where the run record lives. A path (default `DIR/.labops/record.json`) is a local
 * file; `git` or `git:BRANCH` (or `--record-branch BRANCH`) is the status branch (default
 * `labops-status`) of the lab repository — its `origin`, or the `--repo` git URL — written in
 * labops' own temporary clone (kept in `LABOPS_RECORD_WORKDIR` when that is set).
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import type { RecordStore } from '../model/record.js';
import { fileRecordStore } from '../record/file-store.js';
import { gitRecordStore } from '../record/git-store.js';
import { UsageError } from './io.js';

/** The store `--record` names, for the lab in `dir` (`remote`: the `--repo` git URL, if any). */
export async function recordStoreFor(
  option: string | undefined,
  dir: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  remote?: string,
): Promise<RecordStore> {
  const match = option === undefined ? null : /^git(?::([A-Za-z0-9._/-]{1,100}))?$/.exec(option);
  if (!match) return fileRecordStore(option === undefined ? join(dir, '.labops', 'record.json') : resolve(cwd, option));
  const url = remote ?? (await originOf(dir));
  if (!url)
    throw new UsageError(
      `--record ${option}: the lab folder has no git origin remote; pass --repo GIT-URL or a file path`,
    );
  // A kept clone only when asked for (LABOPS_RECORD_WORKDIR); otherwise a temporary one per load or save.
  const kept =
    env.LABOPS_RECORD_WORKDIR === undefined
      ? {}
      : {
          workdir: join(
            env.LABOPS_RECORD_WORKDIR,
            `labops-record-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`,
          ),
        };
  return gitRecordStore({ remote: url, ...kept, ...(match[1] ? { branch: match[1] } : {}) });
}

/** `--record` after `--record-branch NAME` (the same as `--record git:NAME`); both at once must agree. */
export function recordFlag(record: string | undefined, branch: string | undefined): string | undefined {
  if (branch === undefined) return record;
  if (!/^[A-Za-z0-9._/-]{1,100}$/.test(branch))
    throw new UsageError(`--record-branch must be a branch name (got ${branch})`);
  if (record !== undefined && record !== 'git' && record !== `git:${branch}`)
    throw new UsageError(`--record ${record} and --record-branch ${branch} name two different run records`);
  return `git:${branch}`;
}

async function originOf(dir: string): Promise<string | undefined> {
  try {
    const git = simpleGit({ baseDir: dir });
    if (!(await git.checkIsRepo())) return undefined;
    return (await git.getRemotes(true)).find((r) => r.name === 'origin')?.refs.push;
  } catch {
    return undefined;
  }
}
