/**
 * Data belongs to its owner (issue 13, item 6), through the built CLI against `labops sim`: a
 * workstation that takes the name of bob's deleted one (or names it in `restoreFrom`) does not
 * restore bob's snapshots of it; only naming bob as their owner does, and that is the use his
 * approval gates. Bob's snapshot is made through the real SDK with the tags a SnapshotSchedule
 * gives it. Needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CreateSnapshotCommand, CreateVolumeCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, NIGHTLY_YAML, workstationYaml } from '../integration/run-harness.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const CLI = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const REPO = 'uni/data-lab';
const NOW = '2026-11-16T15:00:00Z';

const LAB = LAB_YAML.replace('PRUNE', 'false');

/** A workstation of alice's (project neuro, data volume `data`) restoring from `restoreFrom`. */
function workstation(name: string, restoreFrom: string): string {
  return workstationYaml(name, `  restoreFrom: ${restoreFrom}\n`);
}

interface PlanJson {
  validation: { valid: boolean; problems: { message: string }[] };
  plan: {
    refusals: { code: string; message: string }[];
    actions: { kind: string; resource: { name: string }; details: unknown }[];
  } | null;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The nightly 02:00 New York snapshot of bob's `shared` data volume, as the schedule tags it; its id. */
async function bobsSnapshot(sim: TestSim): Promise<string> {
  const ec2 = sim.ec2();
  const tags = {
    'labops:repo': REPO,
    'labops:kind': 'Workstation',
    'labops:name': 'shared',
    'labops:owner': 'bob',
    'labops:project': 'neuro',
    'labops:volume': 'data',
  };
  const volume = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 20,
      VolumeType: 'gp3',
      TagSpecifications: [
        { ResourceType: 'volume', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  await sim.control.advance('5m');
  const scheduleTags = {
    ...tags,
    'labops:kind': 'SnapshotSchedule',
    'labops:name': 'nightly',
    'labops:schedule': 'nightly',
    'labops:workstation': 'shared',
    'labops:slot': '2026-11-16T07:00:00.000Z',
  };
  const snapshot = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volume.VolumeId!,
      TagSpecifications: [
        { ResourceType: 'snapshot', Tags: Object.entries(scheduleTags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  await sim.control.advance('1h');
  return snapshot.SnapshotId!;
}

/** `labops plan DIR --format json` of a lab holding `files`, against the simulator. */
async function plan(
  sim: TestSim,
  files: Record<string, string>,
): Promise<{ code: number | null; body: PlanJson; out: string }> {
  const lab = makeLab({ 'labops.yaml': LAB, 'snapshots/nightly.yaml': NIGHTLY_YAML, ...files }, null);
  cleanups.push(lab.cleanup);
  const argv = [CLI, 'plan', lab.dir, '--format', 'json', '--repo', REPO, '--now', NOW];
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, argv, {
      env: { ...process.env, ...sim.env(), NO_COLOR: '1', LABOPS_DEBUG: '' },
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (exit) => resolve({ code: exit, out: text }));
  });
  return { code, body: JSON.parse(out.slice(out.indexOf('{'))) as PlanJson, out };
}

describe('someone else’s snapshots (built CLI, labops sim)', () => {
  it.each([
    [
      'alice takes the name of bob’s deleted workstation and restores “its” snapshots',
      { 'workstations/shared.yaml': workstation('shared', 'nightly/latest') },
      'shared',
    ],
    [
      'alice names bob’s workstation in restoreFrom without naming bob',
      { 'workstations/alice.yaml': workstation('alice', 'nightly/latest/shared') },
      'alice',
    ],
  ])('%s: nothing is launched from them and the plan says whose they are', async (_name, files, name) => {
    const sim = await startTestSim({ start: '2026-11-16T06:00:00Z', log: () => {} });
    cleanups.push(() => sim.close());
    const snapshotId = await bobsSnapshot(sim);

    const { code, body, out } = await plan(sim, files);

    expect(code, out).toBe(0);
    expect(body.validation.valid, out).toBe(true);
    expect(JSON.stringify(body.plan?.actions)).not.toContain(snapshotId);
    expect(body.plan?.actions.filter((a) => a.resource.name === name)).toEqual([]);
    expect(body.plan?.refusals.map((r) => r.code)).toEqual(['other-owner-snapshots']);
    expect(body.plan?.refusals[0]?.message).toContain('belong to bob, not alice: not restored');
  });

  it('naming bob as the owner is the explicit use of his data (the one his approval gates)', async () => {
    const sim = await startTestSim({ start: '2026-11-16T06:00:00Z', log: () => {} });
    cleanups.push(() => sim.close());
    const snapshotId = await bobsSnapshot(sim);

    const { code, body, out } = await plan(sim, {
      'workstations/alice.yaml': workstation('alice', 'nightly/latest/shared@bob'),
    });

    expect(code, out).toBe(0);
    expect(body.plan?.refusals).toEqual([]);
    expect(body.plan?.actions.map((a) => [a.kind, a.resource.name])).toEqual([['create', 'alice']]);
    expect(body.plan?.actions[0]?.details).toMatchObject({ launch: { volumeSnapshots: { data: snapshotId } } });
  });
});
