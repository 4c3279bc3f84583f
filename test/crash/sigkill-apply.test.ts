/**
 * Crash suite: a real `labops apply` child process killed with SIGKILL at every step boundary of an
 * apply that creates one workstation, resizes another and replaces a third (moving its data
 * volume). Each mutating AWS call the apply makes is a boundary: the simulator carries the call
 * out, logs it and holds its reply back, and the test kills the child then — AWS acted, labops
 * never heard. The next runs must converge with one instance per workstation, no volume left
 * detached, and the data volume's contents on the replacement.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import type { RequestLogEntry } from '../../reconciler/src/sim/core/request-log.js';
import { REPO, actionsOf, startReconcile, workstationYaml } from '../integration/reconcile-harness.js';
import type { ReconcileHarness } from '../integration/reconcile-harness.js';

const STORAGE = { rootGiB: 60, volumes: [{ name: 'data', sizeGiB: 20, type: 'gp3' }] };
const BEFORE = {
  'workstations/keep.yaml': workstationYaml('keep', { storage: STORAGE }),
  'workstations/grow.yaml': workstationYaml('grow', { storage: STORAGE }),
  'workstations/move.yaml': workstationYaml('move', { storage: STORAGE }, 'bob'),
};
const AFTER = {
  'workstations/grow.yaml': workstationYaml('grow', { storage: STORAGE, instanceType: 'm6i.xlarge' }),
  'workstations/move.yaml': workstationYaml('move', { storage: { ...STORAGE, rootGiB: 80 } }, 'bob'),
  'workstations/new.yaml': workstationYaml('new', { storage: STORAGE }, 'carol'),
};
const MUTATING = [
  'Run*',
  'Create*',
  'Stop*',
  'Start*',
  'Modify*',
  'Terminate*',
  'Attach*',
  'Detach*',
  'Delete*',
  'Copy*',
].map((op) => `EC2.${op}`);
const NAMES = ['keep', 'grow', 'move', 'new'];
const MARKER = 'crash-suite-marker';

let root: string;
let base: string;
beforeAll(async () => {
  // The starting account: three workstations applied, a marker on the data volume of `move`.
  root = mkdtempSync(join(tmpdir(), 'labops-crash-'));
  base = join(root, 'base.json');
  const h = await startReconcile(BEFORE, {}, { state: base, log: () => {} });
  expect((await h.run('apply')).applied?.ok).toBe(true);
  const [move] = await h.instances('move');
  await h.sim.control.volumeData(move!.attachments.find((a) => a.name === 'data')!.volumeId, MARKER);
  await h.sim.handle.flush();
  await h.close();
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function mutations(requests: RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((r) => !/^(EC2\.Describe|EC2\.Get|STS\.|CloudWatch\.)/.test(r.operation) && r.status < 300);
}

/** The account as `base` holds it, with the lab changed to AFTER; each mutating reply held back `holdMs`. */
async function fromBase(name: string, holdMs: number): Promise<ReconcileHarness> {
  const state = join(root, `${name}.json`);
  copyFileSync(base, state);
  const h = await startReconcile(BEFORE, {}, { state, log: () => {}, clock: { speed: 600 } });
  for (const [path, text] of Object.entries(AFTER)) h.write(path, text);
  if (holdMs)
    await h.sim.control.faults({
      rules: MUTATING.map((operation) => ({ operation, kind: 'latency', latencyMs: holdMs, afterEffect: true })),
    });
  await h.sim.control.request('POST', 'requests/reset');
  return h;
}

/** `labops apply` as a child; killed with SIGKILL once the `killAt`-th mutating call has taken effect. */
async function applyChild(
  h: ReconcileHarness,
  killAt?: number,
): Promise<{ killed: boolean; code: number | null; requests: RequestLogEntry[] }> {
  const env = { ...process.env, ...h.sim.env(), NO_COLOR: '1' };
  const child = spawn(
    process.execPath,
    [join(packageRoot(), 'dist/reconciler/src/cli/main.js'), 'apply', h.dir, '--repo', REPO],
    { env, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let killed = false;
  if (killAt !== undefined) {
    const poll = async (): Promise<void> => {
      while (child.exitCode === null) {
        const { body } = await h.sim.control.request('GET', 'requests');
        if (mutations((body as { requests: RequestLogEntry[] }).requests).length >= killAt) {
          killed = child.kill('SIGKILL');
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await Promise.race([poll(), exited]);
  }
  const code = await exited;
  const { body } = await h.sim.control.request('GET', 'requests');
  return { killed, code, requests: (body as { requests: RequestLogEntry[] }).requests };
}

/** Kills `labops apply` at boundary `k`, recovers, checks the account; returns the runs recovery took. */
async function killAndRecover(k: number): Promise<number> {
  // Arrange + Act: kill at boundary k; the next `labops apply` (a child again: the lease the
  // killed one left on this host is taken at once), then more applies until the plan is empty.
  const h = await fromBase(`k${k}`, 400);
  const { killed, requests } = await applyChild(h, k);
  await h.sim.control.faults({ rules: [] });
  const next = await applyChild(h);
  let runs = 1;
  for (; runs < 3 && actionsOf(await h.run('plan')).length; runs++) await h.run('apply');
  const plan = await h.run('plan');
  const live = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await h.instances(n)] as const)));
  const ec2 = (await h.sim.control.state()).ec2 as {
    volumes: Record<string, { volumeId: string; state: string; data?: string }>;
  };
  const volumes = Object.values(ec2.volumes);
  await h.close();

  // Assert
  const where = `kill at boundary ${k} (${mutations(requests).at(-1)?.operation})`;
  expect(killed, where).toBe(true);
  expect(next.code, `${where}: the next labops apply`).toBe(0);
  expect(actionsOf(plan), where).toEqual([]);
  for (const n of NAMES) expect(live[n], `${where}: ${n}`).toHaveLength(1);
  expect(live.grow![0]!.instanceType, where).toBe('m6i.xlarge');
  expect(volumes.length, where).toBeGreaterThanOrEqual(8);
  expect(
    volumes.filter((v) => v.state === 'available').map((v) => v.volumeId),
    `${where}: detached volumes`,
  ).toEqual([]);
  const data = live.move![0]!.attachments.find((a) => a.name === 'data');
  expect(
    volumes.find((v) => v.data === MARKER),
    where,
  ).toBeDefined();
  expect(ec2.volumes[data!.volumeId]?.data, `${where}: marker on the new instance's data volume`).toBe(MARKER);
  return runs;
}

describe('SIGKILL at every step boundary of an apply that creates, resizes and replaces', { timeout: 600_000 }, () => {
  let boundaries: string[] = [];
  it('finds the boundaries: the mutating calls of an uninterrupted apply', async () => {
    const h = await fromBase('dry', 0);
    const { requests } = await applyChild(h);
    boundaries = mutations(requests).map((r) => r.operation);
    await h.close();

    console.log(`${boundaries.length} boundaries: ${boundaries.join(', ')}`);
    expect(boundaries).toEqual(
      expect.arrayContaining([
        'EC2.RunInstances',
        'EC2.ModifyInstanceAttribute',
        'EC2.CreateSnapshot',
        'EC2.DetachVolume',
        'EC2.AttachVolume',
        'EC2.TerminateInstances',
      ]),
    );
  });

  it('converges after a kill at each boundary: one instance per workstation, no detached volume, the data intact', async () => {
    // Three boundaries at a time, each on its own simulator (the children mostly wait on AWS).
    const pending = boundaries.map((_, i) => i + 1);
    const outcomes: string[] = [];
    await Promise.all(
      [1, 2, 3].map(async () => {
        for (let k = pending.shift(); k !== undefined; k = pending.shift())
          outcomes.push(`${k}:${await killAndRecover(k)}`);
      }),
    );
    console.log(`boundary:recovery runs — ${outcomes.sort((a, b) => parseInt(a) - parseInt(b)).join(' ')}`);
  });
});
