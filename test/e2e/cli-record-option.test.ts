/**
 * `--record` through the built CLI against `labops sim`: `off` keeps no record (it used to write a
 * file named `off`), and `git` whose remote cannot be reached fails in one line with exit 1.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML } from '../integration/run-harness.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
let sim: TestSim | undefined;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z' });
});
afterAll(async () => {
  await sim?.close();
  cleanups.forEach((c) => c());
});

/** The built CLI, spawned without blocking (the simulator answers from this process). */
async function labops(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, ...sim?.env(), NO_COLOR: '1', LABOPS_DEBUG: '' },
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('--record (built CLI)', { timeout: 60_000 }, () => {
  it('--record off keeps no record: no file named off, no DIR/.labops/record.json', async () => {
    // Arrange
    const lab = makeLab({ 'labops.yaml': LAB_YAML.replace('PRUNE', 'false') }, null);
    cleanups.push(lab.cleanup);

    // Act
    const result = await labops(['plan', '.', '--record', 'off', '--repo', 'lab-org/lab'], lab.dir);

    // Assert
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(lab.dir, 'off'))).toBe(false);
    expect(existsSync(join(lab.dir, '.labops', 'record.json'))).toBe(false);
  });

  it('--record git with an origin that cannot be reached: one line, exit 1, no stack trace', async () => {
    // Arrange: the lab folder is a git repository whose origin does not exist.
    const lab = makeLab({ 'labops.yaml': LAB_YAML.replace('PRUNE', 'false') }, null);
    cleanups.push(lab.cleanup);
    const missing = join(mkdtempSync(join(tmpdir(), 'labops-gone-')), 'nowhere.git');
    cleanups.push(() => rmSync(join(missing, '..'), { recursive: true, force: true }));
    const git = simpleGit({ baseDir: lab.dir });
    await git.init();
    await git.addRemote('origin', `file://${missing}`);

    // Act
    const result = await labops(['apply', '.', '--record', 'git', '--repo', 'lab-org/lab'], lab.dir);

    // Assert
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^labops apply: /);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
