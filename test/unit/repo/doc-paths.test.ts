/** Every source, test or schema file the README and docs name in backticks exists, so a move cannot leave a reader at a dead path. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const trackedSet = new Set(tracked);
const basenames = new Set(tracked.map((f) => basename(f)));

/** Docs name source files from the repo root, from `reconciler/src/`, or from `test/`. */
const BASES = ['', 'reconciler/src/', 'test/'];

/** Files that exist only at run time (a lab's repo, the record branch, a runner), not in this repository. */
const RUNTIME = new Set(['record.json', 'lease.json', 'STATUS.md', 'labops.yaml', 'labops.yml']);

const DOCS = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

function refs(doc: string): { ref: string; line: number }[] {
  const out: { ref: string; line: number }[] = [];
  readFileSync(join(root, doc), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/`([\w./-]+\.(?:ts|mjs|json|md|ya?ml))`/g))
        out.push({ ref: m[1] ?? '', line: i + 1 });
    });
  return out;
}

function exists(ref: string): boolean {
  if (RUNTIME.has(ref) || ref.startsWith('DIR/')) return true;
  if (!ref.includes('/')) return basenames.has(ref);
  return BASES.some((b) => trackedSet.has(b + ref)) || tracked.some((f) => f.endsWith(`/${ref}`));
}

describe('paths named in README and docs', () => {
  it.each(DOCS)('%s names only files that exist', (doc) => {
    const dead = refs(doc)
      .filter(({ ref }) => !exists(ref))
      .map(({ ref, line }) => `${doc}:${line} ${ref}`);
    expect(dead).toEqual([]);
  });
});
