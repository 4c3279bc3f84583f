/**
 * The scheduled container's entry command, run directly (no Docker engine): the built CLI as a
 * child process with the Dockerfile's CMD (`reconcile --watch`, interval 1m, the lab from
 * LABOPS_GIT_URL = a file:// bare repository, `--record git`), against
 * `labops sim` in this process with a manual clock, so launches stay pending until the test moves
 * time. SIGTERM arrives once the first 5 launches are in flight (RunInstances' bucket of 5; the
 * other 5 actions wait for a token, 2 a second): those finish, the 5 not started (no call sent)
 * never start, the run record lands on the labops-status branch, and the process exits 0.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { startSim } from '../../reconciler/src/sim/index.js';
import { simEnv } from '../support/sim.js';
import type { SimHandle } from '../../reconciler/src/sim/index.js';

const NAMES = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon'];
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** A bare "origin" holding a lab of ten workstations. */
function labRemote(root: string): string {
  const bare = join(root, 'lab.git');
  const author = join(root, 'author');
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare]);
  execFileSync('git', ['clone', '-q', bare, author]);
  writeFileSync(
    join(author, 'labops.yaml'),
    'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: container-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  paths: [workstations]\n  policy: { requireBudget: false }\n',
  );
  mkdirSync(join(author, 'workstations'));
  for (const name of NAMES)
    writeFileSync(
      join(author, 'workstations', `${name}.yaml`),
      `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${name}, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: t3.large\n`,
    );
  git(author, 'add', '-A');
  git(author, 'commit', '-q', '-m', 'lab');
  git(author, 'push', '-q', 'origin', 'main');
  return bare;
}

/** The Dockerfile's CMD (exec form). */
function dockerCmd(): string[] {
  const line = readFileSync(join(packageRoot(), 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('CMD '))
    .at(-1)!;
  return JSON.parse(line.slice(4)) as string[];
}

async function control(sim: SimHandle, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}/_sim/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return response.json();
}

async function runInstancesCalls(sim: SimHandle): Promise<number> {
  return ((await control(sim, 'GET', 'calls')) as Record<string, number>)['EC2.RunInstances'] ?? 0;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [join(packageRoot(), 'dist/reconciler/src/cli/main.js'), ...args], {
    env,
    ...(cwd ? { cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))) };
}

describe('the container entry: labops reconcile --watch --git URL --interval 1m (built)', () => {
  it('clones the lab, reconciles, and on SIGTERM lets the actions in flight finish, starts no other, records, exits 0', async () => {
    const sim = await startSim({
      port: 0,
      clock: 'manual',
      start: '2026-11-23T15:00:00Z',
      accountId: '123456789012',
      log: () => {},
    });
    cleanups.push(() => sim.close());
    const root = mkdtempSync(join(tmpdir(), 'labops-container-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const url = `file://${labRemote(root)}`;
    const workdir = join(root, 'work', 'lab');
    const env = { PATH: process.env.PATH, HOME: root, ...simEnv(sim.url), NO_COLOR: '1', LABOPS_WORKDIR: workdir };

    // The image's own command (CMD), with a 1-minute interval; the lab named by LABOPS_GIT_URL.
    const command = dockerCmd().map((arg) => (arg === '15m' ? '1m' : arg));
    const { child, exited } = cli([...command, '--record', 'git', '--repo', 'lab/container', '--trust-main'], {
      ...env,
      LABOPS_GIT_URL: url,
    });
    await until(async () => (await runInstancesCalls(sim)) >= 5, 30_000);
    child.kill('SIGTERM');
    const signalled = Date.now();
    await control(sim, 'POST', 'clock', { advance: '10m' });
    const { code, stdout, stderr } = await exited;

    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(existsSync(join(workdir, 'labops.yaml'))).toBe(true);
    expect(stderr).toMatch(new RegExp(`labops reconcile: ${url} at [0-9a-f]{12}`));
    expect(stderr).not.toContain('next run in');
    expect(await runInstancesCalls(sim)).toBe(5);
    expect(stdout).toContain('Apply: 5 done, 0 failed, 5 skipped');
    // Each of the 5 is told twice: as its action ends (`- skipped …`, off a terminal with a timestamp) and in the results.
    expect(stdout.match(/^\S+ - skipped .*not started: stopped by SIGTERM$/gm)).toHaveLength(5);
    expect(stdout.match(/not started: stopped by SIGTERM/g)).toHaveLength(10);
    const record = JSON.parse(
      execFileSync('git', ['show', 'labops-status:record.json'], { cwd: join(root, 'lab.git'), encoding: 'utf8' }),
    ) as RunRecord;
    expect(Object.values(record.resources).map((r) => r.state)).toEqual(Array(5).fill('running'));
    expect(git(join(root, 'lab.git'), 'rev-list', '--count', 'main')).toBe('1');
  }, 90_000);

  it('shows that record with `labops status` in a clone with no AWS credentials', async () => {
    const sim = await startSim({
      port: 0,
      clock: { speed: 600 },
      start: '2026-11-23T15:00:00Z',
      accountId: '123456789012',
      log: () => {},
    });
    cleanups.push(() => sim.close());
    const root = mkdtempSync(join(tmpdir(), 'labops-container-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const bare = labRemote(root);
    const base = {
      PATH: process.env.PATH,
      HOME: root,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NO_COLOR: '1',
    };
    const reconcile = await cli(
      [
        'reconcile',
        '--git',
        `file://${bare}`,
        '--record-branch',
        'labops-status',
        '--repo',
        'lab/container',
        '--trust-main',
      ],
      { ...base, ...simEnv(sim.url), LABOPS_WORKDIR: join(root, 'work') },
    ).exited;
    const clone = join(root, 'clone');
    execFileSync('git', ['clone', '-q', bare, clone]);

    const status = await cli(
      ['status', '--record', 'git', '--repo', 'lab/container', '--format', 'json'],
      { ...base, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1' },
      clone,
    ).exited;

    expect(reconcile.code).toBe(0);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('no AWS credentials found; showing the run record instead');
    const shown = JSON.parse(status.stdout) as { workstations: { name: string; state: string }[] };
    expect(shown.workstations.map((w) => [w.name, w.state])).toEqual(NAMES.map((n) => [n, 'running']));
  }, 90_000);
});
