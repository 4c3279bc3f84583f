/**
 * No two exports with one name doing different things (issue 15 item 4): scripts/duplicate-exports.mjs
 * lists every name exported under reconciler/src with the files exporting it, and reports a name two
 * files export unless the second is the same declaration re-exported by a folder's index.ts, or a type
 * re-exported (or generated word for word alike). The detector is checked on small folders first, then
 * run on reconciler/src, which must have none.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const SCRIPT = join(root, 'scripts/duplicate-exports.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'labops-duplicate-exports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GENERATED = '/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */';

/** The script on DIR (with ARGS): exit status and stdout. */
function run(dir: string, ...args: string[]): { status: number; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, [SCRIPT, ...args, dir], { encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, stdout };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { status: e.status, stdout: e.stdout };
  }
}

/** A folder of source files (path → text) under the temporary folder. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, 'case-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('scripts/duplicate-exports.mjs', () => {
  it.each([
    [
      'one name declared by two files',
      {
        'a/parse.ts': 'export function parse(text: string): number { return text.length; }\n',
        'b/parse.ts': 'export function parse(text: string): string { return text.trim(); }\n',
      },
      'parse: 2 different declarations: a/parse.ts, b/parse.ts',
    ],
    [
      'a value re-exported outside an index.ts',
      {
        'a/money.ts': 'export const CENTS = 100;\n',
        'b/report.ts': "export { CENTS } from '../a/money.js';\n",
      },
      'CENTS: a value re-exported outside an index.ts: a/money.ts, b/report.ts (re-exports a/money.ts)',
    ],
    [
      'a value re-exported by export * outside an index.ts',
      {
        'a/money.ts': 'export const CENTS = 100;\n',
        'b/report.ts': "export * from '../a/money.js';\n",
      },
      'CENTS: a value re-exported outside an index.ts: a/money.ts, b/report.ts (re-exports a/money.ts)',
    ],
    [
      'two types of one name written differently',
      {
        'a/point.ts': 'export interface Point { at: number; value: number }\n',
        'b/point.ts': 'export interface Point { x: number; y: number }\n',
      },
      'Point: 2 different declarations: a/point.ts, b/point.ts',
    ],
    [
      'one type copied by hand into two files',
      {
        'a/point.ts': 'export interface Point { at: number; value: number }\n',
        'b/point.ts': 'export interface Point { at: number; value: number }\n',
      },
      'Point: 2 different declarations: a/point.ts, b/point.ts',
    ],
  ])('reports %s', (_case, files, line) => {
    const dir = folder(files);

    const { status, stdout } = run(dir);

    expect(status).toBe(1);
    expect(stdout).toContain(`${line}\n`);
    expect(stdout).toContain('1 name(s) exported by two files as different things');
  });

  it.each([
    [
      'a value re-exported by its folder index.ts',
      {
        'a/money.ts': 'export const CENTS = 100;\n',
        'a/index.ts': "export { CENTS } from './money.js';\n",
      },
    ],
    [
      'export * in an index.ts',
      {
        'a/money.ts': 'export const CENTS = 100;\nexport function cents(usd: number): number { return usd * CENTS; }\n',
        'a/index.ts': "export * from './money.js';\n",
      },
    ],
    [
      'a type re-exported with export type',
      {
        'a/record.ts': 'export interface Lease { holder: string }\n',
        'b/lease.ts': "export type { Lease } from '../a/record.js';\n",
      },
    ],
    [
      'a type re-exported without the type keyword',
      {
        'a/record.ts': 'export type Lease = { holder: string };\n',
        'b/lease.ts': "export { Lease } from '../a/record.js';\n",
      },
    ],
    [
      'one type generated word for word alike into two files',
      {
        'generated/lab.ts': `${GENERATED}\nexport interface Labels {\n  [k: string]: string;\n}\n`,
        'generated/job.ts': `${GENERATED}\n/** Labels. */\nexport interface Labels {\n  [k: string]:   string;\n}\n`,
      },
    ],
    [
      'different names',
      {
        'a/parse.ts': 'export function parseSeconds(text: string): number { return Number(text); }\n',
        'b/parse.ts': 'export function parseMs(text: string): number { return Number(text) * 1000; }\n',
      },
    ],
  ])('allows %s', (_case, files) => {
    const dir = folder(files);

    const { status, stdout } = run(dir);

    expect(stdout).toBe('0 name(s) exported by two files as different things\n');
    expect(status).toBe(0);
  });

  it('lists every exported name with the files exporting it (--json)', () => {
    const dir = folder({
      'a/money.ts': 'export const CENTS = 100;\nexport type Usd = number;\n',
      'a/index.ts': "export { CENTS } from './money.js';\n",
    });

    const { status, stdout } = run(dir, '--json');

    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      CENTS: [
        expect.objectContaining({ file: 'a/index.ts', declaredIn: 'a/money.ts', reexport: true, type: false }),
        expect.objectContaining({ file: 'a/money.ts', declaredIn: 'a/money.ts', reexport: false, type: false }),
      ],
      Usd: [expect.objectContaining({ file: 'a/money.ts', reexport: false, type: true })],
    });
  });
});

describe('reconciler/src', () => {
  it('exports no name from two files as different things', { timeout: 60_000 }, () => {
    const { status, stdout } = run(join(root, 'reconciler/src'));

    expect(stdout).toBe('0 name(s) exported by two files as different things\n');
    expect(status).toBe(0);
  });
});
