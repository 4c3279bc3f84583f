/**
 * `--record` on the command line: where the run record lives (runtime/record-option.ts parses it).
 * The default is the file `DIR/.labops/record.json`; a relative path is from the working folder;
 * `git` or `git:BRANCH` is the status branch of the lab repository — its `origin`, or the `--git`
 * URL — written in labops' own temporary clone (kept in `LABOPS_RECORD_WORKDIR` when that is set);
 * `off` keeps no record.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseRecordOption } from '../runtime/record-option.js';
import type { RecordPlace } from '../runtime/record-option.js';
import type { Io } from './io.js';

/**
 * Where `--record` (already merged with `--record-branch`) puts the record of the lab in `dir`
 * (`remote`: the `--git` URL, if any).
 * @throws {UsageError} for a bad `--record` value
 */
export function recordPlace(option: string | undefined, dir: string, io: Io, remote?: string): RecordPlace {
  const kept = io.env.LABOPS_RECORD_WORKDIR;
  return {
    choice: parseRecordOption(option, { kind: 'file', path: join(dir, '.labops', 'record.json') }),
    base: io.cwd,
    remote: remote === undefined ? { originOf: dir } : { url: remote },
    // A kept clone only when asked for (LABOPS_RECORD_WORKDIR); otherwise a temporary one per load or save.
    workdir: (url) =>
      kept === undefined
        ? undefined
        : join(kept, `labops-record-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`),
  };
}
