/** `labops reconcile --watch` as the scheduled container runs it: keeps going, stops promptly on SIGTERM. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { startSim } from '../../reconciler/src/sim/index.js';
import { simEnv } from '../support/sim.js';
import { makeLab } from '../support/lab-fixture.js';

const LAB = {
  'labops.yaml':
    'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: watch-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  policy: { requireBudget: false }\n',
  'workstations/ann.yaml':
    'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ann, owner: ann, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: t3.large\n',
};
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('labops reconcile --watch (built)', () => {
  it('reconciles, waits for the next interval, and exits 0 promptly on SIGTERM', async () => {
    const sim = await startSim({
      port: 0,
      clock: { speed: 120 },
      start: '2026-11-23T15:00:00Z',
      accountId: '123456789012',
      log: () => {},
    });
    cleanups.push(() => sim.close());
    const lab = makeLab(LAB, null);
    cleanups.push(lab.cleanup);
    const env = { ...process.env, ...simEnv(sim.url), NO_COLOR: '1' };
    const child = spawn(
      process.execPath,
      [
        join(packageRoot(), 'dist/reconciler/src/cli/main.js'),
        'reconcile',
        lab.dir,
        '--watch',
        '--interval',
        '1m',
        '--repo',
        'lab/watch',
      ],
      { env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const waiting = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('next run in')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await waiting;
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;

    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(stdout).toContain('Apply: 1 done, 0 failed, 0 skipped');
    expect(stderr).toMatch(/labops reconcile: next run in \d+s/);
  }, 60_000);
});
