/**
 * docs/action.md's inputs and outputs tables are generated from action.yml
 * (`npm run gen:action-docs`, scripts/gen-action-docs.mjs) and must not drift from it: the check
 * passes on the committed files and fails on a copy whose page or action.yml was changed alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const root = packageRoot();
const SCRIPT = join(root, 'scripts/gen-action-docs.mjs');
const ACTION = readFileSync(join(root, 'action.yml'), 'utf8');
const PAGE = readFileSync(join(root, 'docs/action.md'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'labops-action-docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `gen-action-docs --check` on the given texts: exit status and stderr. */
function check(action: string, page: string): { status: number; stderr: string } {
  const dir = mkdtempSync(join(tmp, 'case-'));
  writeFileSync(join(dir, 'action.yml'), action);
  writeFileSync(join(dir, 'action.md'), page);
  try {
    execFileSync(
      process.execPath,
      [SCRIPT, '--check', '--action', join(dir, 'action.yml'), '--doc', join(dir, 'action.md')],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    return { status: 0, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { status: e.status, stderr: e.stderr };
  }
}

/** The generated rows of a page: first cell (`name` in backticks) to the row's cells. */
function rows(page: string): Map<string, string[]> {
  const region = page.slice(page.indexOf('<!-- BEGIN action.yml tables'), page.indexOf('<!-- END action.yml tables'));
  const out = new Map<string, string[]>();
  for (const line of region.split('\n').filter((l) => /^\| `/.test(l))) {
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    out.set(cells[0]!.replace(/`/g, ''), cells.slice(1));
  }
  return out;
}

describe('docs/action.md', () => {
  it('holds exactly the tables action.yml yields', () => {
    const run = (): string => execFileSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8', stdio: 'pipe' });

    expect(run).not.toThrow();
  });

  it('has one row per input and output of action.yml, in order, with its default', () => {
    const action = parse(ACTION) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> };

    const table = rows(PAGE);

    expect([...table.keys()]).toEqual([...Object.keys(action.inputs), ...Object.keys(action.outputs)]);
    for (const [name, input] of Object.entries(action.inputs))
      expect(table.get(name)![1]).toBe(input.default ? `\`${input.default}\`` : '—');
  });

  it.each([
    [
      'a description edited on the page',
      ACTION,
      PAGE.replace('The lab folder (holding labops.yaml)', 'The lab folder'),
    ],
    [
      'an input added to action.yml only',
      ACTION.replace(
        'outputs:\n',
        "  dry-run:\n    description: Plan only.\n    required: false\n    default: 'false'\noutputs:\n",
      ),
      PAGE,
    ],
    ['an output removed from action.yml only', ACTION.replace(/ {2}monthly-delta-usd:\n.*\n/, ''), PAGE],
  ])('fails the check for %s, naming the command that fixes it', (_name, action, page) => {
    expect(action !== ACTION || page !== PAGE).toBe(true);

    const result = check(action, page);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run npm run gen:action-docs');
  });

  it('passes the check for the committed files copied as they are', () => {
    expect(check(ACTION, PAGE)).toEqual({ status: 0, stderr: '' });
  });
});
