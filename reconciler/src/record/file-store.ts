/**
 * The run record in a local JSON file (default `.labops/record.json` in the lab folder):
 * written atomically (temp file, then rename), so a crash never leaves half a record.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { emptyRecord } from '../model/record.js';
import type { RecordStore, RunRecord } from '../model/record.js';

/** A store backed by one file. A missing file reads as an empty record; a corrupt one is an error. */
export function fileRecordStore(path: string): RecordStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyRecord();
        throw err;
      }
      const parsed = JSON.parse(text) as Partial<RunRecord>;
      if (parsed.version !== 1) throw new Error(`${path}: unsupported run record version ${String(parsed.version)}`);
      return { ...emptyRecord(), ...parsed } as RunRecord;
    },
    async save(record) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
      await rename(temp, path);
    },
  };
}
