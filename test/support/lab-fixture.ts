/** Builds throwaway lab repositories on disk for tests: a base lab plus files to add or replace. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The small valid lab every corpus case starts from. */
export const BASE_LAB = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'base-lab');

/** A temporary lab: the base lab (unless `base: null`) plus `files` (path → text or bytes). */
export function makeLab(
  files: Record<string, string | Uint8Array>,
  base: string | null = BASE_LAB,
): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'labops-lab-'));
  if (base) cpSync(base, dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
