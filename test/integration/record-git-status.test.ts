/**
 * The status branch end to end in-process: apply against the simulator writes the run record to a
 * bare "origin"'s labops-status branch; `labops status` reads it back in a clone with no AWS
 * credentials at all (explicitly with --from-record, or as the fallback when the SDK finds none).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../reconciler/src/cli/run-cli.js';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { gitRecordStore } from '../../reconciler/src/record/git-store.js';
import { appliedOf, run } from '../../reconciler/src/engine/pipeline.js';
import { captureIo } from '../support/io.js';
import { REPO, startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
let root: string;
const saved = { ...process.env };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'labops-record-status-'));
});
afterEach(async () => {
  await h.close();
  rmSync(root, { recursive: true, force: true });
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** The harness lab pushed to a bare origin, and a clone of it where status runs. */
function publish(): { bare: string; clone: string } {
  const bare = join(root, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare]);
  git(h.dir, 'init', '-q', '--initial-branch=main');
  git(h.dir, 'add', '-A');
  git(h.dir, 'commit', '-q', '-m', 'lab');
  git(h.dir, 'remote', 'add', 'origin', bare);
  git(h.dir, 'push', '-q', 'origin', 'main');
  const clone = join(root, 'clone');
  execFileSync('git', ['clone', '-q', bare, clone]);
  return { bare, clone };
}

/** No credential source the SDK could find: no keys, no profile files, no instance metadata. */
function withoutAwsCredentials(): NodeJS.ProcessEnv {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(root, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'none'),
    AWS_REGION: 'us-east-1',
  });
  return { ...process.env, NO_COLOR: '1' };
}

describe('labops status from the labops-status branch', () => {
  it('shows what apply recorded on the branch, with no AWS credentials and no AWS call', async () => {
    h = await startReconcile({
      'workstations/ann.yaml': workstationYaml('ann'),
      'workstations/ben.yaml': workstationYaml('ben', { state: 'stopped' }, 'ben'),
    });
    const { bare, clone } = publish();
    const applied = await run(
      { dir: h.dir, mode: 'apply', now: await h.now(), repo: () => Promise.resolve(REPO) },
      {
        catalog: loadCatalog().environments,
        ports: () => h.ports,
        sleep: (ms) => h.sim.control.advance(`${Math.ceil(ms / 1000)}s`).then(() => undefined),
        record: gitRecordStore({ remote: bare }),
      },
    );
    const [ann] = await h.instances('ann');
    await h.sim.control.resetCalls();
    const env = withoutAwsCredentials();

    const explicit = captureIo(clone, env);
    const explicitCode = await runCli(
      ['status', '--from-record', '--record', 'git', '--format', 'json', '--repo', REPO],
      explicit,
    );
    const fallback = captureIo(clone, env);
    const fallbackCode = await runCli(
      ['status', '--record-branch', 'labops-status', '--format', 'json', '--repo', REPO],
      fallback,
    );

    expect(appliedOf(applied)?.ok).toBe(true);
    expect(explicitCode).toBe(0);
    expect(fallbackCode).toBe(0);
    expect(fallback.err).toContain('no AWS credentials found; showing the run record instead');
    expect(await h.sim.control.calls()).toEqual({});
    for (const io of [explicit, fallback]) {
      const status = JSON.parse(io.out) as { workstations: { name: string; instanceId?: string; state?: string }[] };
      expect(status.workstations.map((w) => [w.name, w.instanceId, w.state])).toEqual([
        ['ann', ann!.instanceId, 'running'],
        ['ben', expect.stringMatching(/^i-/), 'stopped'],
      ]);
    }
    const record = JSON.parse(git(bare, 'show', 'labops-status:record.json')) as RunRecord;
    expect(Object.keys(record.resources)).toEqual(['Workstation/ann', 'Workstation/ben']);
    expect(record.resources['Workstation/ann']).toMatchObject({
      instanceId: ann!.instanceId,
      state: 'running',
      costToDateUSD: expect.any(Number),
    });
    expect(record.timezone).toBe('America/New_York');
    expect(git(bare, 'show', 'labops-status:STATUS.md')).toContain(
      `| ann | alice | running | m6i.large | ${ann!.instanceId} (${ann!.region}) |`,
    );
    expect(git(bare, 'show', 'labops-status:STATUS.md')).toContain('Times are America/New_York.');
    expect(git(clone, 'status', '--porcelain')).toBe('');
    expect(git(bare, 'rev-list', '--count', 'main')).toBe('1');
  });
});
