/**
 * Where the run record lives: the one parser of the CLI's `--record` (and `--record-branch`) and the
 * Action's `record` input, and the store each choice names. `off` is no record; `git` or
 * `git:BRANCH` the status branch (default `labops-status`) of the lab repository, written in
 * labops' own clone; anything else a file path.
 */
import { resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { UsageError } from '../errors.js';
import type { RecordStore } from '../model/record.js';
import { fileRecordStore } from '../record/file-store.js';
import { gitRecordStore } from '../record/git-store.js';

/** What `--record` / the `record` input asks for. */
export type RecordChoice =
  | { kind: 'off' }
  | { kind: 'file'; path: string }
  /** `branch` absent: the store's default, `labops-status`. */
  | { kind: 'git'; branch?: string };

const BRANCH = /^[A-Za-z0-9._/-]{1,100}$/;

/**
 * Parses the value of `--record` or the `record` input (`name` says which, for the message); an
 * empty or missing value is `fallback`.
 * @throws {UsageError} for `git:` followed by something that is not a branch name
 */
export function parseRecordOption(value: string | undefined, fallback: RecordChoice, name = '--record'): RecordChoice {
  if (value === undefined || value === '') return fallback;
  if (value === 'off') return { kind: 'off' };
  if (value === 'git') return { kind: 'git' };
  if (value.startsWith('git:')) {
    const branch = value.slice('git:'.length);
    if (!BRANCH.test(branch)) throw new UsageError(`${name} ${value}: ${JSON.stringify(branch)} is not a branch name`);
    return { kind: 'git', branch };
  }
  return { kind: 'file', path: value };
}

/** `--record` after `--record-branch NAME` (the same as `--record git:NAME`); both at once must agree. */
export function recordFlag(record: string | undefined, branch: string | undefined): string | undefined {
  if (branch === undefined) return record;
  if (!BRANCH.test(branch)) throw new UsageError(`--record-branch must be a branch name (got ${branch})`);
  if (record !== undefined && record !== 'git' && record !== `git:${branch}`)
    throw new UsageError(`--record ${record} and --record-branch ${branch} name two different run records`);
  return `git:${branch}`;
}

/** Where a choice's store is: how a relative path and `git` are resolved. */
export interface RecordPlace {
  choice: RecordChoice;
  /** The folder a relative file path is resolved against (the working folder, the Action's workspace). */
  base: string;
  /** The lab repository for `git`: a URL, or found as the `origin` remote of this folder. */
  remote: { url: string } | { originOf: string };
  /** labops' clone of the status branch, for the remote found. @default a temporary folder per load or save */
  workdir?: (remote: string) => string | undefined;
  /** How `--record git` is named in the message when no remote is found. @default "--record" */
  name?: string;
}

/**
 * The store a choice names; undefined for `off`.
 * @throws {UsageError} for `git` in a folder that has no `origin` remote
 */
export async function recordStoreAt(place: RecordPlace): Promise<RecordStore | undefined> {
  const { choice } = place;
  if (choice.kind === 'off') return undefined;
  if (choice.kind === 'file') return fileRecordStore(resolve(place.base, choice.path));
  const url = 'url' in place.remote ? place.remote.url : await originOf(place.remote.originOf);
  if (url === undefined) {
    const given = `${place.name ?? '--record'} git${choice.branch === undefined ? '' : `:${choice.branch}`}`;
    throw new UsageError(`${given}: the lab folder has no git origin remote; pass --repo GIT-URL or a file path`);
  }
  const workdir = place.workdir?.(url);
  return gitRecordStore({
    remote: url,
    ...(workdir === undefined ? {} : { workdir }),
    ...(choice.branch === undefined ? {} : { branch: choice.branch }),
  });
}

/** The push URL of `origin` of the repository holding `dir`; undefined when there is none. */
async function originOf(dir: string): Promise<string | undefined> {
  try {
    const git = simpleGit({ baseDir: dir });
    if (!(await git.checkIsRepo())) return undefined;
    return (await git.getRemotes(true)).find((r) => r.name === 'origin')?.refs.push;
  } catch {
    return undefined;
  }
}
