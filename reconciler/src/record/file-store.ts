/**
 * The run record in a local JSON file (default `.labops/record.json` in the lab folder):
 * written atomically (temp file, then rename), so a crash never leaves half a record. Writers on
 * one machine take a lock file (proper-lockfile) around read-merge-write, so two runs sharing the
 * file never lose each other's update; the lease lives in `record.json.lease` beside it. What is
 * read is validated (record/parse.ts): a corrupt or forged record is an error, never an empty one.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import type { LeaseRegister } from '../model/lease.js';
import { emptyRecord } from '../model/record.js';
import type { RecordStore, RunRecord } from '../model/record.js';
import { parseLease } from './lease.js';
import { mergeRecords } from './merge.js';
import { checkRecordSize, parseRecord } from './parse.js';
import type { ParseRecordOptions } from './parse.js';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** Runs `work` holding `path`'s lock file; a lock left by a killed process goes stale after 10 s. */
async function locked<T>(path: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const release = await lockfile.lock(path, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 50, minTimeout: 20, maxTimeout: 500, randomize: true },
  });
  try {
    return await work();
  } finally {
    await release();
  }
}

/** The record file's text, its size checked before it is read; undefined when there is none. */
async function readRecordText(path: string): Promise<string | undefined> {
  try {
    checkRecordSize((await stat(path)).size, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return readText(path);
}

function parse(path: string, text: string | undefined, options: ParseRecordOptions): RunRecord {
  return text === undefined ? emptyRecord() : parseRecord(text, path, options);
}

/** The lease in a file, read and written under its lock; the version is the file's text. */
export function fileLeaseRegister(path: string): LeaseRegister {
  return {
    where: path,
    async read() {
      const text = await readText(path);
      return { version: text, lease: text === undefined ? undefined : parseLease(text) };
    },
    write: (version, lease) =>
      locked(path, async () => {
        if ((await readText(path)) !== version) return false;
        await writeAtomically(path, `${JSON.stringify(lease, null, 2)}\n`);
        return true;
      }),
  };
}

/**
 * A store backed by one file. A missing file reads as an empty record; a corrupt or invalid one is
 * a `RecordError` (record/parse.ts) naming the file and the first bad field.
 */
export function fileRecordStore(path: string, options: ParseRecordOptions = {}): RecordStore {
  // The record this writer started from: the other writers' Cost Explorer calls are added to ours.
  let base: RunRecord | undefined;
  return {
    lease: () => fileLeaseRegister(`${path}.lease`),
    async load() {
      const record = parse(path, await readRecordText(path), options);
      base = structuredClone(record);
      return record;
    },
    async save(record) {
      await locked(path, async () => {
        const text = await readRecordText(path);
        const merged =
          text === undefined || base === undefined ? record : mergeRecords(record, parse(path, text, options), base);
        await writeAtomically(path, `${JSON.stringify(merged, null, 2)}\n`);
        base = structuredClone(merged);
      });
    },
  };
}
