/**
 * The run record on a dedicated branch (default `labops-status`) of the lab repository:
 * `record.json` plus a rendered `STATUS.md`, written with simple-git in labops' own clone so the
 * lab's working tree is never touched. Concurrent writers: a push rejected as non-fast-forward
 * is retried on top of the new remote head with the records merged — never a force-push.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { emptyRecord } from '../model/record.js';
import type { RecordStore, RunRecord } from '../model/record.js';
import { mergeRecords } from './merge.js';
import { renderStatusMarkdown } from './status-md.js';

/** Where the status branch lives and where labops keeps its clone of it. */
export interface GitRecordOptions {
  /** The lab repository's URL (or path) to fetch from and push to. */
  remote: string;
  /** @default "labops-status" */
  branch?: string;
  /** labops' own clone for the branch (created when missing). */
  workdir: string;
  /** Pushes tried before giving up. @default 5 */
  attempts?: number;
}

async function clone(options: GitRecordOptions): Promise<SimpleGit> {
  if (!existsSync(join(options.workdir, '.git'))) {
    await mkdir(options.workdir, { recursive: true });
    const git = simpleGit({ baseDir: options.workdir });
    await git.init();
    await git.addRemote('origin', options.remote);
  }
  // Commits on the status branch are labops', whatever the machine's git identity is.
  return simpleGit({ baseDir: options.workdir, config: ['user.name=labops', 'user.email=labops@users.noreply.github.com'] });
}

/** Fetches the branch and checks it out; false when the remote has no such branch yet. */
async function checkoutRemote(git: SimpleGit, branch: string): Promise<boolean> {
  try {
    await git.fetch('origin', branch, ['--no-tags']);
  } catch {
    return false;
  }
  await git.checkout(['--force', '-B', branch, 'FETCH_HEAD']);
  return true;
}

async function readRecord(dir: string): Promise<RunRecord> {
  const path = join(dir, 'record.json');
  if (!existsSync(path)) return emptyRecord();
  return { ...emptyRecord(), ...(JSON.parse(await readFile(path, 'utf8')) as Partial<RunRecord>) } as RunRecord;
}

function rejected(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /non-fast-forward|fetch first|rejected|failed to push/i.test(text);
}

/** A RecordStore on the status branch. */
export function gitRecordStore(options: GitRecordOptions): RecordStore {
  const branch = options.branch ?? 'labops-status';
  return {
    async load() {
      const git = await clone(options);
      return (await checkoutRemote(git, branch)) ? readRecord(options.workdir) : emptyRecord();
    },
    async save(record) {
      const git = await clone(options);
      for (let attempt = 1; ; attempt++) {
        const exists = await checkoutRemote(git, branch);
        if (!exists) await git.raw(['checkout', '--orphan', branch]).catch(() => git.checkout(['--force', branch]));
        const merged = exists ? mergeRecords(record, await readRecord(options.workdir)) : record;
        await writeFile(join(options.workdir, 'record.json'), `${JSON.stringify(merged, null, 2)}\n`);
        await writeFile(join(options.workdir, 'STATUS.md'), `${renderStatusMarkdown(merged)}\n`);
        await git.add(['record.json', 'STATUS.md']);
        if ((await git.status()).staged.length === 0) return;
        await git.commit(`labops: record ${merged.updatedAt ?? ''}`.trim());
        try {
          await git.push('origin', `HEAD:refs/heads/${branch}`);
          return;
        } catch (err) {
          if (!rejected(err) || attempt >= (options.attempts ?? 5)) throw err;
        }
      }
    },
  };
}
