/**
 * Two reconcilers on one repository and account — the scheduled container (the built CLI,
 * `labops reconcile --repo GIT-URL --record git`) and the Action's apply on merge (the same run()
 * the Action calls, with its lease request) — started together. The lease on the `labops-status-lease`
 * branch lets one change AWS at a time: one launch per workstation, one SubmitJob per Job, and
 * the run record keeps both runs' updates.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import { createAwsPorts } from '../../reconciler/src/aws/factory.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { gitRecordStore } from '../../reconciler/src/record/git-store.js';
import { appliedOf, plannedRun, run } from '../../reconciler/src/engine/pipeline.js';
import { startTestSim } from '../support/sim.js';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const REPO = 'lab/concurrent';
const FILES: Record<string, string> = {
  'labops.yaml':
    'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: conc-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  policy: { requireBudget: false }\n',
  'workstations/ann.yaml':
    'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ann, owner: ann, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: t3.large\n',
  'workstations/ben.yaml':
    'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ben, owner: ben, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: t3.large\n',
  'jobs/align.yaml':
    'apiVersion: labops/v1\nkind: Job\nmetadata: { name: align, owner: ann, project: lab }\nspec:\n  queue: research-spot\n  definition: { image: public.ecr.aws/lab/tool:1.0, vcpus: 2, memoryMiB: 4096 }\n',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

describe('two reconcilers at once (container CLI and Action apply)', () => {
  it('launch each workstation once, submit the job once, and keep both runs in the record', async () => {
    // Arrange: a bare origin with the lab; the Action's checkout is a clone of it.
    const root = mkdtempSync(join(tmpdir(), 'labops-conc-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const bare = join(root, 'lab.git');
    const checkout = join(root, 'checkout');
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare]);
    execFileSync('git', ['clone', '-q', bare, checkout]);
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(checkout, path, '..'), { recursive: true });
      writeFileSync(join(checkout, path), text);
    }
    git(checkout, 'add', '-A');
    git(checkout, 'commit', '-q', '-m', 'lab');
    git(checkout, 'push', '-q', 'origin', 'main');
    const sim = await startTestSim({
      start: '2026-11-23T15:00:00Z',
      clock: { speed: 300 },
      queues: { 'us-east-1': ['research-spot'] },
    });
    cleanups.push(() => sim.close());
    const url = `file://${bare}`;
    const env = { ...process.env, ...sim.env(), NO_COLOR: '1', LABOPS_WORKDIR: join(root, 'container') };
    const settings = sim.settings('us-east-1');
    const ports = createAwsPorts({ region: 'us-east-1', endpoint: sim.url, credentials: settings.credentials });
    cleanups.push(() => ports.destroy());

    // Act: both start together.
    const container = new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(packageRoot(), 'dist/reconciler/src/cli/main.js'),
          'reconcile',
          '--git',
          url,
          '--repo',
          REPO,
          '--record',
          'git',
          '--trust-main',
        ],
        { env },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
    const action = run(
      { dir: checkout, mode: 'apply', now: new Date(await sim.control.now()), repo: () => Promise.resolve(REPO) },
      {
        catalog: loadCatalog().environments,
        ports: () => ports,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        record: gitRecordStore({ remote: url }),
        lease: { kind: 'action apply', waitSeconds: 120 },
      },
    );
    const [containerRun, actionRun] = await Promise.all([container, action]);

    // Assert
    const calls = await sim.control.calls();
    const record = JSON.parse(git(bare, 'show', 'labops-status:record.json')) as {
      jobs: { name: string }[];
      resources: Record<string, unknown>;
    };
    const leaseLog = git(bare, 'log', '--format=%s', 'labops-status-lease');
    expect(containerRun.code, containerRun.out).toBe(0);
    expect(appliedOf(actionRun)?.ok).toBe(true);
    expect(calls['EC2.RunInstances']).toBe(2);
    expect(calls['Batch.SubmitJob']).toBe(1);
    expect(record.jobs.map((j) => j.name)).toEqual(['align']);
    expect(
      Object.keys(record.resources)
        .filter((k) => k.startsWith('Workstation/'))
        .sort(),
    ).toEqual(['Workstation/ann', 'Workstation/ben']);
    // One run held the lease while the other waited: held/released twice, never overlapping.
    const events = leaseLog
      .trim()
      .split('\n')
      .reverse()
      .filter((l) => / (held|released) by /.test(l))
      .map((l) => (l.includes(' released ') ? 'released' : 'held'));
    expect(events.filter((e) => e === 'released')).toHaveLength(2);
    expect(events.join(',')).toMatch(/^held(,held)*,released,held(,held)*,released$/);
    // The second run found the first's work done: nothing left for it to change.
    const second = [
      plannedRun(actionRun)?.plan.actions.length ?? -1,
      /Apply: 0 done|No changes/.test(containerRun.out) ? 0 : -1,
    ];
    expect(second).toContain(0);
  }, 120_000);
});
