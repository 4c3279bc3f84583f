/**
 * Issue 4 end to end: create → converge through the whole pipeline (validate → desired →
 * observe → plan → apply) with the real SDK against the simulator, and `labops status` on the
 * result (read-only, through the CLI).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { actionsOf, startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

const LAB = {
  'workstations/alice.yaml': workstationYaml('alice-ws'),
  'workstations/bob.yaml': workstationYaml('bob-ws', { instanceType: 't3.large', state: 'stopped' }, 'bob'),
  'workstations/carol.yaml': workstationYaml('carol-ws', { hibernation: true, storage: { rootGiB: 40 } }, 'carol'),
};

describe('create → converge', () => {
  it('launches everything on the first apply; the second plan is empty and a second apply mutates nothing', async () => {
    h = await startReconcile(LAB);

    const first = await h.run('apply');
    const afterFirst = await h.mutations();
    const second = await h.run('plan');
    const again = await h.run('apply');
    const afterSecond = await h.mutations();

    expect(actionsOf(first)).toEqual(['create alice-ws', 'create bob-ws', 'create carol-ws']);
    expect(first.applied?.ok).toBe(true);
    expect(first.applied?.results.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(afterFirst['EC2.RunInstances']).toBe(3);
    expect(actionsOf(second)).toEqual([]);
    expect(second.plan?.refusals).toEqual([]);
    expect(actionsOf(again)).toEqual([]);
    expect(afterSecond).toEqual(afterFirst);
    expect((await h.instances('alice-ws')).map((i) => [i.state, i.instanceType])).toEqual([['running', 'm6i.large']]);
    expect((await h.instances('bob-ws')).map((i) => [i.state, i.instanceType])).toEqual([['stopped', 't3.large']]);
    expect((await h.instances('carol-ws')).map((i) => [i.state, i.hibernationConfigured])).toEqual([['running', true]]);
  });

  it('keeps a converged lab converged across repeated reconciles as the clock moves on', async () => {
    h = await startReconcile(LAB);
    await h.run('apply');
    const converged = await h.mutations();

    const plans: string[][] = [];
    for (const step of ['1h', '24h', '72h']) {
      await h.sim.control.advance(step);
      plans.push(actionsOf(await h.run('apply')));
    }

    expect(plans).toEqual([[], [], []]);
    expect(await h.mutations()).toEqual(converged);
  });
});

describe('labops status', () => {
  it('shows every workstation as it is now, read-only (zero mutating calls), in json, text and markdown', async () => {
    h = await startReconcile(LAB);
    await h.run('apply');
    const before = await h.mutations();

    const json = await h.cli('status', '--format', 'json');
    const text = await h.cli('status');
    const markdown = await h.cli('status', '--format', 'markdown');

    expect([json.code, text.code, markdown.code]).toEqual([0, 0, 0]);
    expect(await h.mutations()).toEqual(before);
    const body = JSON.parse(json.out) as {
      version: number;
      repo: string;
      workstations: Record<string, unknown>[];
      orphans: unknown[];
      totalMonthlyUSD: number;
    };
    expect(body.version).toBe(1);
    expect(
      body.workstations.map((w) => [w.name, w.owner, w.state, w.desiredState, w.matches, w.instanceType, w.publicIp]),
    ).toEqual([
      ['alice-ws', 'alice', 'running', 'running', true, 'm6i.large', null],
      ['bob-ws', 'bob', 'stopped', 'stopped', true, 't3.large', null],
      ['carol-ws', 'carol', 'running', 'running', true, 'm6i.large', null],
    ]);
    expect(
      body.workstations.every(
        (w) => typeof w.privateIp === 'string' && typeof w.instanceId === 'string' && typeof w.launchedAt === 'string',
      ),
    ).toBe(true);
    expect(body.orphans).toEqual([]);
    expect(body.totalMonthlyUSD).toBeGreaterThan(0);
    expect(text.out).toMatch(/NAME\s+OWNER\s+PROJECT\s+REGION\s+INSTANCE\s+STATE\s+READY\s+DESIRED/);
    expect(text.out).toContain('running ✓');
    expect(markdown.out).toContain('| workstation | owner |');
  });

  it('shows one workstation in detail, and refuses an unknown name with one line on stderr', async () => {
    h = await startReconcile(LAB);
    await h.run('apply');

    const detail = await h.cli('status', h.dir, 'alice-ws', '--format', 'json');
    const byName = await h.cli('status', 'alice-ws');
    const unknown = await h.cli('status', 'nobody');

    expect(detail.code).toBe(0);
    const ws = (
      JSON.parse(detail.out) as {
        workstation: {
          name: string;
          environment: string;
          imageId: string;
          volumes: { name: string; sizeGiB: number; state: string }[];
          tags: Record<string, string>;
        };
      }
    ).workstation;
    expect(ws.name).toBe('alice-ws');
    expect(ws.environment).toMatch(/^base-ubuntu@1\./);
    expect(ws.imageId).toMatch(/^ami-/);
    expect(ws.volumes.map((v) => [v.name, v.sizeGiB, v.state])).toEqual([
      ['root', 40, 'attached'],
      ['data', 20, 'attached'],
    ]);
    expect(ws.tags['labops:repo']).toBe('lab/reconcile-e2e');
    expect(byName.code).toBe(0);
    expect(byName.out).toContain('Volumes');
    expect(unknown).toMatchObject({ code: 1, out: '' });
    expect(unknown.err.trim().split('\n')).toEqual([
      'labops status: no workstation named "nobody" (known: alice-ws, bob-ws, carol-ws)',
    ]);
  });
});
