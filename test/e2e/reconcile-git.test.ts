/** `labops reconcile --repo GIT-URL`, the scheduled container's entry: clone, reconcile, fetch new commits next time. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { startSim } from '../../reconciler/src/sim/index.js';
import { simEnv } from '../support/sim.js';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

function workstation(name: string): string {
  return `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${name}, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: t3.large\n`;
}

/** A bare "origin" holding a lab, and a clone to push new commits from. */
function labRemote(): { url: string; author: string } {
  const root = mkdtempSync(join(tmpdir(), 'labops-git-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const bare = join(root, 'lab.git');
  const author = join(root, 'author');
  execFileSync('git', ['init', '--bare', '--initial-branch=main', bare]);
  execFileSync('git', ['clone', bare, author], { stdio: 'ignore' });
  writeFileSync(
    join(author, 'labops.yaml'),
    'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: git-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  paths: [workstations]\n  policy: { requireBudget: false }\n',
  );
  execFileSync('mkdir', ['-p', join(author, 'workstations')]);
  writeFileSync(join(author, 'workstations', 'ann.yaml'), workstation('ann'));
  git(author, 'add', '-A');
  git(author, 'commit', '-m', 'lab');
  git(author, 'push', 'origin', 'main');
  return { url: `file://${bare}`, author };
}

function labops(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(packageRoot(), 'dist/reconciler/src/cli/main.js'), ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('labops reconcile --repo GIT-URL (built)', () => {
  it('clones the lab, reconciles it, and picks up a new commit on the next run', async () => {
    const sim = await startSim({
      port: 0,
      clock: { speed: 120 },
      start: '2026-11-23T15:00:00Z',
      accountId: '123456789012',
      log: () => {},
    });
    cleanups.push(() => sim.close());
    const { url, author } = labRemote();
    const workdir = mkdtempSync(join(tmpdir(), 'labops-work-'));
    cleanups.push(() => rmSync(workdir, { recursive: true, force: true }));
    const env = { ...process.env, ...simEnv(sim.url), NO_COLOR: '1', LABOPS_WORKDIR: join(workdir, 'lab') };

    const first = await labops(['reconcile', '--repo', url, '--trust-main'], env);
    writeFileSync(join(author, 'workstations', 'ben.yaml'), workstation('ben'));
    git(author, 'add', '-A');
    git(author, 'commit', '-m', 'ben');
    git(author, 'push', 'origin', 'main');
    const second = await labops(['reconcile', '--repo', url, '--trust-main'], env);

    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(new RegExp(`labops reconcile: ${url} at [0-9a-f]{12}`));
    expect(first.stdout).toContain('Workstation/ann');
    expect(first.stdout).toContain('Apply: 1 done, 0 failed, 0 skipped');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Workstation/ben');
    expect(second.stdout).toContain('Apply: 1 done, 0 failed, 0 skipped');
  }, 60_000);
});
