/**
 * The run record in a local JSON file (default `.labops/record.json` in the lab folder):
 * written atomically (temp file, then rename), so a crash never leaves half a record. Writers on
 * one machine take a lock file (proper-lockfile) around read-merge-write, so two runs sharing the
 * file never lose each other's update; the lease lives in `record.json.lease` beside it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import type { LeaseRecord, LeaseRegister } from '../model/lease.js';
import { emptyRecord } from '../model/record.js';
import type { RecordStore, RunRecord } from '../model/record.js';
import { mergeRecords } from './merge.js';

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
  const release = await lockfile.lock(path, { realpath: false, stale: 10_000, retries: { retries: 50, minTimeout: 20, maxTimeout: 500, randomize: true } });
  try {
    return await work();
  } finally {
    await release();
  }
}

function parse(path: string, text: string | undefined): RunRecord {
  if (text === undefined) return emptyRecord();
  const parsed = JSON.parse(text) as Partial<RunRecord>;
  if (parsed.version !== 1) throw new Error(`${path}: unsupported run record version ${String(parsed.version)}`);
  return { ...emptyRecord(), ...parsed } as RunRecord;
}

/** The lease in a file, read and written under its lock; the version is the file's text. */
export function fileLeaseRegister(path: string): LeaseRegister {
  return {
    where: path,
    async read() {
      const text = await readText(path);
      return { version: text, lease: text === undefined ? undefined : (JSON.parse(text) as LeaseRecord) };
    },
    write: (version, lease) =>
      locked(path, async () => {
        if ((await readText(path)) !== version) return false;
        await writeAtomically(path, `${JSON.stringify(lease, null, 2)}\n`);
        return true;
      }),
  };
}

/** A store backed by one file. A missing file reads as an empty record; a corrupt one is an error. */
export function fileRecordStore(path: string): RecordStore {
  // The record this writer started from: the other writers' Cost Explorer calls are added to ours.
  let base: RunRecord | undefined;
  return {
    lease: () => fileLeaseRegister(`${path}.lease`),
    async load() {
      const record = parse(path, await readText(path));
      base = structuredClone(record);
      return record;
    },
    async save(record) {
      await locked(path, async () => {
        const text = await readText(path);
        const merged = text === undefined || base === undefined ? record : mergeRecords(record, parse(path, text), base);
        await writeAtomically(path, `${JSON.stringify(merged, null, 2)}\n`);
        base = structuredClone(merged);
      });
    },
  };
}
