/**
 * The bad-input corpus: every file in test/corpus/cases is dropped into a small valid lab and
 * must produce exactly the problems its `# expect:` lines name (file, line, column, severity,
 * field path and message), and nothing else.
 * Expect line: `# expect: FILE:LINE:COL SEVERITY PATH | MESSAGE-FRAGMENT` (PATH `-` for none).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';
import { makeLab } from '../../support/lab-fixture.js';

const CASES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'corpus', 'cases');
const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

interface Expectation {
  file: string;
  line: number;
  column: number;
  severity: string;
  path: string;
  message: string;
}

function parseCase(text: string): { target: string; expectations: Expectation[] } {
  const target = /^# target: (\S+)$/m.exec(text)?.[1] ?? 'workstations/case.yaml';
  const expectations = [...text.matchAll(/^# expect: (\S+):(\d+):(\d+) (error|warning) (\S+) \| (.+)$/gm)].map((m) => ({
    file: m[1]!,
    line: Number(m[2]),
    column: Number(m[3]),
    severity: m[4]!,
    path: m[5] === '-' ? '' : m[5]!,
    message: m[6]!,
  }));
  return { target, expectations };
}

const files = readdirSync(CASES)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('bad-input corpus', () => {
  it('has at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s', (name) => {
    const text = readFileSync(join(CASES, name), 'utf8');
    const { target, expectations } = parseCase(text);
    const lab = makeLab({ [target]: text });
    cleanups.push(lab.cleanup);

    const result = validateLab(lab.dir, { catalog });

    const actual = result.problems.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      severity: p.severity,
      path: p.path,
      message: p.message,
    }));
    if (process.env.CORPUS_PRINT) {
      writeFileSync(
        join(process.env.CORPUS_PRINT, name),
        actual
          .map((p) => `# expect: ${p.file}:${p.line}:${p.column} ${p.severity} ${p.path || '-'} | ${p.message}\n`)
          .join(''),
      );
    }
    expect(expectations.length).toBeGreaterThan(0);
    expect(actual).toHaveLength(expectations.length);
    for (const [i, want] of expectations.entries()) {
      const got = actual[i]!;
      expect({ ...got, message: got.message.includes(want.message) ? want.message : got.message }).toEqual(want);
    }
    expect(result.valid).toBe(!expectations.some((e) => e.severity === 'error'));
  });
});
