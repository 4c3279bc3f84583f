/**
 * docs/troubleshooting.md lists every error and refusal code labops emits: the codes are read from
 * the source (errors raised with a literal code, `code:` fields of refusals and action errors, the
 * code unions of the error classes and of PlanRefusal, the AWS codes labops names or hints at), so
 * a code added without a line in the doc fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HINTED_AWS_CODES } from '../../../reconciler/src/aws/errors.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const SRC = join(root, 'reconciler/src');
/** The simulator answers as AWS does (its codes are AWS's, not labops'); generated types hold no codes. */
const SKIP = ['sim', 'specs/generated'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (SKIP.includes(relative(SRC, path))) return [];
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Members of a `'a' | 'b'` union. */
function unionMembers(text: string): string[] {
  return [...text.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** Every code the source emits, with the file it was found in. */
function sourceCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  const add = (code: string, file: string) => codes.set(code, relative(root, file));
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const patterns = [
      /new LabopsError\(\s*'([^']+)'/g,
      /new (?:ApplyError|RecordError)\(\s*'([^']+)'/g,
      /\bcode: '([^']+)'/g,
      /'(github-[a-z]+)'/g,
    ];
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) add(m[1]!, file);
    if (/extends LabopsError/.test(text)) for (const m of text.matchAll(/super\(\s*'([^']+)'/g)) add(m[1]!, file);
    for (const m of text.matchAll(/export type (?:\w+ErrorCode|KnownAwsCode) =([^;]+);/g))
      for (const code of unionMembers(m[1]!)) add(code, file);
    for (const m of text.matchAll(/export interface PlanRefusal \{[\s\S]*?\bcode:([^;]+);/g))
      for (const code of unionMembers(m[1]!)) add(code, file);
  }
  for (const code of HINTED_AWS_CODES) add(code, 'reconciler/src/aws/errors.ts');
  return codes;
}

describe('docs/troubleshooting.md', () => {
  const doc = readFileSync(join(root, 'docs/troubleshooting.md'), 'utf8');
  const codes = sourceCodes();

  it('finds the codes it is meant to check (the scan itself works)', () => {
    expect([...codes.keys()]).toEqual(
      expect.arrayContaining([
        'usage',
        'lease-busy',
        'invalid-record',
        'wait-timeout',
        'destroys-everything',
        'budget-blocked',
        'gate-refused',
        'github-unreachable',
        'session-tool-missing',
        'not-owned',
        'VcpuLimitExceeded',
        'UnauthorizedOperation',
      ]),
    );
  });

  it.each([...codes.entries()].sort())('lists `%s` (emitted in %s) with what it means and what to do', (code) => {
    const row = doc.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${code}\``));

    expect(row, `add a table row for \`${code}\` to docs/troubleshooting.md`).toBeDefined();
    expect(row!.split('|').filter((cell) => cell.trim() !== '').length).toBe(3);
  });
});
