/**
 * Saving and loading the simulated account (`labops sim --state FILE`): JSON written to a
 * temporary file and renamed over the old one, so a kill mid-write never leaves half a file.
 * Saves are debounced after mutating requests and flushed on close.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SimState } from './contract.js';

/** Reads a saved account; undefined when the file does not exist yet. @throws {Error} on bad JSON. */
export async function loadState(file: string): Promise<SimState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as { version?: unknown; clock?: unknown } | null;
  if (parsed?.version !== 1 || typeof parsed.clock !== 'string') {
    throw new Error(`${file}: not a labops sim state file (version 1)`);
  }
  return parsed as SimState;
}

/** Writes `state` to `file` atomically (temp file + rename). */
export async function saveState(file: string, state: SimState): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state), 'utf8');
  await rename(temp, file);
}

/** Debounced saving of one account to one file. */
export interface Persister {
  /** Notes that the state changed; a save follows within `delayMs`. */
  markDirty(): void;
  /** Saves now if anything changed, and waits for any save under way. */
  flush(): Promise<void>;
}

/** A persister for `file`, or one that does nothing when there is no file. */
export function createPersister(file: string | undefined, current: () => SimState, delayMs = 50): Persister {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  function write(): Promise<void> {
    timer = undefined;
    if (file === undefined || !dirty) return writing;
    dirty = false;
    const snapshot = current();
    writing = writing
      .then(() => saveState(file, snapshot))
      .catch((err: unknown) => {
        dirty = true;
        process.emitWarning(`labops sim: could not save state to ${file}: ${String(err)}`);
      });
    return writing;
  }
  return {
    markDirty() {
      if (file === undefined) return;
      dirty = true;
      timer ??= setTimeout(() => void write(), delayMs);
    },
    async flush() {
      if (timer !== undefined) clearTimeout(timer);
      await write();
    },
  };
}
