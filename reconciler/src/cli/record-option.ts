/**
 * `--record`: where the run record lives. A path (default `DIR/.labops/record.json`) is a local
 * file; `git` or `git:BRANCH` is the status branch (default `labops-status`) of the lab
 * repository — its `origin`, or the `--repo` git URL — kept in labops' own clone.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import type { RecordStore } from '../model/record.js';
import { fileRecordStore } from '../record/file-store.js';
import { gitRecordStore } from '../record/git-store.js';
import { UsageError } from './io.js';

/** The store `--record` names, for the lab in `dir` (`remote`: the `--repo` git URL, if any). */
export async function recordStoreFor(option: string | undefined, dir: string, cwd: string, env: NodeJS.ProcessEnv, remote?: string): Promise<RecordStore> {
  const match = option === undefined ? null : /^git(?::([A-Za-z0-9._/-]{1,100}))?$/.exec(option);
  if (!match) return fileRecordStore(option === undefined ? join(dir, '.labops', 'record.json') : resolve(cwd, option));
  const url = remote ?? (await originOf(dir));
  if (!url) throw new UsageError(`--record ${option}: the lab folder has no git origin remote; pass --repo GIT-URL or a file path`);
  const workdir = join(env.LABOPS_RECORD_WORKDIR ?? tmpdir(), `labops-record-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`);
  return gitRecordStore({ remote: url, workdir, ...(match[1] ? { branch: match[1] } : {}) });
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
