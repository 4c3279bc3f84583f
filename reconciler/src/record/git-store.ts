/**
 * The run record on a dedicated branch (default `labops-status`) of the lab repository: an
 * orphan branch holding only `record.json` and a rendered `STATUS.md`, written with simple-git
 * in labops' own clone (a temporary folder unless told otherwise), so the lab's working tree and
 * its other branches are never touched. Only the branch tip is fetched (`--depth 1`).
 *
 * Concurrent writers: a push the remote rejects because the branch moved is retried on top of
 * the new tip, with this writer's record merged into the one found there ({@link mergeRecords}).
 * Never a force-push: every update is a fast-forward, so the branch history is linear.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { emptyRecord } from '../model/record.js';
import type { RecordStore, RunRecord } from '../model/record.js';
import type { LeaseRegister } from '../model/lease.js';
import { parseLease } from './lease.js';
import { mergeRecords } from './merge.js';
import { RecordError, checkRecordSize, parseRecord } from './parse.js';
import type { ParseRecordOptions, RecordErrorCode } from './parse.js';
import { redact, redactError } from './redact.js';
import { renderStatusFile } from './status-md.js';

/** Where the status branch lives and how labops writes it. */
export interface GitRecordOptions {
  /** The lab repository's URL (or path) to fetch from and push to. */
  remote: string;
  /** @default "labops-status" */
  branch?: string;
  /** labops' own clone for the branch (created when missing). @default a temporary folder per load or save, removed after */
  workdir?: string;
  /** Pushes tried before giving up when other writers keep moving the branch. @default 5 */
  attempts?: number;
  /** Waits between attempts (injected in tests). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Spreads retries of writers racing each other. @default Math.random */
  random?: () => number;
  /** Where a warning about the record read goes. @default a line on stderr */
  warn?: (message: string) => void;
}

/** Why the record could not be read or written. */
export type GitRecordErrorCode = RecordErrorCode;

/** A status-branch failure with a code; git's own failures (auth, network) pass through as they are. */
export class GitRecordError extends RecordError {
  override readonly name: string = 'GitRecordError';
}

const IDENTITY = ['user.name=labops', 'user.email=labops@users.noreply.github.com', 'commit.gpgsign=false'];

/** Opens (creating when missing) labops' clone; commits are labops', whatever the machine's git identity is. */
async function open(dir: string, remote: string): Promise<SimpleGit> {
  if (!existsSync(join(dir, '.git'))) {
    await mkdir(dir, { recursive: true });
    const git = simpleGit({ baseDir: dir });
    await git.init();
    await git.addRemote('origin', remote);
  }
  return simpleGit({ baseDir: dir, config: IDENTITY });
}

/** The branch tip on the remote, or undefined when there is no such branch. Throws when the remote cannot be read. */
async function remoteTip(git: SimpleGit, branch: string): Promise<string | undefined> {
  const out = await git.raw(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`]);
  return out
    .split('\n')
    .map((line) => line.split('\t'))
    .find(([, ref]) => ref === `refs/heads/${branch}`)?.[0];
}

/** Fetches the branch tip; undefined when the branch does not exist yet (an unreachable remote throws). */
async function fetchTip(git: SimpleGit, branch: string): Promise<string | undefined> {
  const tracking = `refs/remotes/origin/${branch}`;
  try {
    await git.fetch(['--no-tags', '--depth=1', 'origin', `+refs/heads/${branch}:${tracking}`]);
  } catch (err) {
    if ((await remoteTip(git, branch)) === undefined) return undefined;
    throw err;
  }
  return (await git.revparse([tracking])).trim();
}

/** The record in a commit of the branch (empty when the commit has no record.json), size-checked and validated (record/parse.ts). */
async function readAt(git: SimpleGit, commit: string, where: string, options: ParseRecordOptions): Promise<RunRecord> {
  // `ls-tree -l`: `<mode> blob <id> <size>\trecord.json`, or nothing when there is no record yet.
  const entry = (await git.raw(['ls-tree', '-l', commit, 'record.json'])).trim();
  if (!entry) return emptyRecord();
  const file = `record.json on the ${where}`;
  try {
    const [meta = ''] = entry.split('\t');
    const [mode, type, , size] = meta.trim().split(/\s+/);
    if (type !== 'blob' || mode === '120000') throw new RecordError('invalid-record', `${file}: not a regular file`);
    checkRecordSize(Number(size), file);
    return parseRecord(await git.show([`${commit}:record.json`]), file, options);
  } catch (err) {
    if (err instanceof RecordError) throw new GitRecordError(err.code, err.message, { cause: err });
    throw err;
  }
}

/** Puts the work tree on `tip`, or on a new orphan branch with an empty index when there is none. */
async function startFrom(git: SimpleGit, branch: string, tip: string | undefined): Promise<void> {
  if (tip !== undefined) {
    await git.checkout(['--force', '-B', branch, tip]);
    return;
  }
  await git.raw(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  await git.raw(['update-ref', '-d', `refs/heads/${branch}`]);
  await git.raw(['read-tree', '--empty']);
}

/** Runs `work` in labops' clone: the kept workdir, or a temporary one removed after. */
async function withClone<T>(
  options: { remote: string; workdir?: string },
  work: (git: SimpleGit, dir: string) => Promise<T>,
): Promise<T> {
  // git quotes the remote in its errors: a token in the URL must not travel up with them.
  const dir = options.workdir ?? (await mkdtemp(join(tmpdir(), 'labops-record-')));
  try {
    return await work(await open(dir, options.remote), dir);
  } catch (err) {
    if (err instanceof RecordError) throw redactError(err);
    // git's own failure (auth, network, a missing remote): one line, git's last, credentials left out.
    const text = (err instanceof Error ? err.message : String(err)).trim();
    const detail = text.split('\n').filter(Boolean).at(-1) ?? 'git failed';
    throw new GitRecordError('git-failed', redact(`${options.remote}: git failed: ${detail}`), { cause: err });
  } finally {
    if (options.workdir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The lease register on its own branch (`BRANCH-lease` beside the status branch): `lease.json` at
 * the tip. A write commits on top of the tip the writer read and pushes without force, so of two
 * writers from one tip the git server accepts one; the version is the tip's commit id.
 */
export function gitLeaseRegister(options: { remote: string; branch: string; workdir?: string }): LeaseRegister {
  const where = `${options.branch} branch of ${redact(options.remote)}`;
  const clone = options.workdir === undefined ? options : { ...options, workdir: `${options.workdir}-lease` };
  return {
    where,
    read: () =>
      withClone(clone, async (git) => {
        const tip = await fetchTip(git, options.branch);
        if (tip === undefined) return { version: undefined, lease: undefined };
        const text = (await git.raw(['ls-tree', '--name-only', tip, 'lease.json'])).trim()
          ? await git.show([`${tip}:lease.json`])
          : undefined;
        return { version: tip, lease: text === undefined ? undefined : parseLease(text) };
      }),
    write: (version, lease) =>
      withClone(clone, async (git, dir) => {
        const tip = await fetchTip(git, options.branch);
        if (tip !== version) return false;
        await startFrom(git, options.branch, tip);
        await writeFile(join(dir, 'lease.json'), `${JSON.stringify(lease, null, 2)}\n`);
        await git.add(['lease.json']);
        await git.commit(
          `labops: lease ${lease.releasedAt ? 'released' : 'held'} by ${lease.holder} (${lease.kind}) until ${lease.expiresAt}`,
        );
        try {
          await git.push('origin', `HEAD:refs/heads/${options.branch}`);
          return true;
        } catch (err) {
          if ((await remoteTip(git, options.branch)) !== tip) return false;
          throw err;
        }
      }),
  };
}

/** A RecordStore on the status branch. */
export function gitRecordStore(options: GitRecordOptions): RecordStore {
  const branch = options.branch ?? 'labops-status';
  const where = `${branch} branch of ${redact(options.remote)}`;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const parseOptions: ParseRecordOptions = options.warn === undefined ? {} : { warn: options.warn };
  // The record this writer started from: the other writers' Cost Explorer calls are added to ours.
  let base: RunRecord | undefined;

  const inClone = <T>(work: (git: SimpleGit, dir: string) => Promise<T>): Promise<T> => withClone(options, work);

  /** One attempt: true when pushed (or nothing changed), false when another writer moved the branch first. */
  async function attempt(
    git: SimpleGit,
    dir: string,
    record: RunRecord,
  ): Promise<{ pushed: boolean; written: RunRecord }> {
    const tip = await fetchTip(git, branch);
    const merged = tip === undefined ? record : mergeRecords(record, await readAt(git, tip, where, parseOptions), base);
    await startFrom(git, branch, tip);
    await writeFile(join(dir, 'record.json'), `${JSON.stringify(merged, null, 2)}\n`);
    await writeFile(join(dir, 'STATUS.md'), renderStatusFile(merged));
    await git.add(['record.json', 'STATUS.md']);
    if (tip !== undefined && (await git.status()).staged.length === 0) return { pushed: true, written: merged };
    await git.commit(`labops: record ${merged.updatedAt ?? ''}`.trim());
    try {
      await git.push('origin', `HEAD:refs/heads/${branch}`);
      return { pushed: true, written: merged };
    } catch (err) {
      // Rejected because the branch moved (another writer landed first): try again on top.
      // Anything else (auth, network, a protected branch) is not ours to retry.
      if ((await remoteTip(git, branch)) !== tip) return { pushed: false, written: merged };
      throw err;
    }
  }

  return {
    lease: () =>
      gitLeaseRegister({
        remote: options.remote,
        branch: `${branch}-lease`,
        ...(options.workdir !== undefined ? { workdir: options.workdir } : {}),
      }),
    async load() {
      const record = await inClone(async (git) => {
        const tip = await fetchTip(git, branch);
        return tip === undefined ? emptyRecord() : readAt(git, tip, where, parseOptions);
      });
      base = structuredClone(record);
      return record;
    },
    async save(record) {
      const attempts = options.attempts ?? 5;
      await inClone(async (git, dir) => {
        for (let n = 1; ; n++) {
          const { pushed, written } = await attempt(git, dir, record);
          if (pushed) {
            base = structuredClone(written);
            return;
          }
          if (n >= attempts)
            throw new GitRecordError(
              'push-contended',
              `${where}: other writers moved the branch ${attempts} times in a row; record not saved`,
            );
          await sleep(Math.round((100 + random() * 400) * n));
        }
      });
    },
  };
}
