/** The built `labops` binary, run as a person would: exit codes and output, never a stack trace. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { makeLab } from '../support/lab-fixture.js';

const root = packageRoot();
const bin = join(root, 'dist/reconciler/src/cli/main.js');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function labops(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LABOPS_DEBUG: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('labops (built)', () => {
  it('validates the example lab: exit 0', () => {
    const result = labops(['validate', 'examples/lab']);

    expect(result).toEqual({ status: 0, stdout: '✓ 21 specs in 21 files valid\n', stderr: '' });
  });

  it.each([
    [
      'a binary spec file',
      { 'workstations/bin.yaml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) },
      'workstations/bin.yaml:1:5: error: binary file (contains a NUL byte); spec files must be UTF-8 text',
    ],
    [
      'a billion-laughs file',
      {
        'jobs/lol.yaml': `a: &a [${Array(9).fill('"lol"').join(',')}]\n${'bcdefghi'
          .split('')
          .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)
          .join('\n')}\n`,
      },
      'document expands to more than 100000 nodes',
    ],
    [
      'deep nesting',
      { 'jobs/deep.yaml': `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n` },
      'nesting deeper than 64 levels',
    ],
  ])('rejects %s with one line per problem and exit 1, no stack trace', (_name, files, message) => {
    const lab = makeLab(files);
    cleanups.push(lab.cleanup);

    const result = labops(['validate', lab.dir]);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain(message);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });

  it('prints usage for no command, exit 1', () => {
    const result = labops([]);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^Usage: labops <command> \[options\]/);
  });

  it('lists the environment catalog', () => {
    const result = labops(['env', 'list']);

    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.trim()).length).toBe(17);
  });
});
