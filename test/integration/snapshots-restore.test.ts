/** restoreFrom through the whole pipeline against labops sim: slots, dates, and whose snapshots may be restored. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ec2Instance, Ec2Snapshot, Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import { failures, NIGHTLY_YAML as NIGHTLY, startRunHarness, workstationYaml } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

interface SimEc2 {
  instances: Record<string, Ec2Instance>;
  volumes: Record<string, Ec2Volume>;
  snapshots: Record<string, Ec2Snapshot>;
}

async function ec2(rh: RunHarness): Promise<SimEc2> {
  return ((await rh.h.sim.control.state()) as unknown as { ec2: SimEc2 }).ec2;
}

async function dataVolumeOf(rh: RunHarness, name: string): Promise<Ec2Volume> {
  const state = await ec2(rh);
  const instance = Object.values(state.instances).find(
    (i) => i.tags['labops:name'] === name && i.state !== 'terminated',
  );
  const volume = instance?.blockDevices
    .map((b) => state.volumes[b.volumeId])
    .find((v) => v?.tags['labops:volume'] === 'data');
  if (volume === undefined) throw new Error(`no data volume on a live ${name}`);
  return volume;
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('restoreFrom', () => {
  it('replaces the workstation with one whose data volume comes from the snapshot, keeping the current volume and a final snapshot of it', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': NIGHTLY,
    });
    expect(failures(await rh.reconcile('2026-11-15T20:00:00Z'))).toEqual([]);
    const original = await dataVolumeOf(rh, 'alice');
    await rh.h.sim.control.volumeData(original.id, 'results-of-monday');
    expect(failures(await rh.reconcile('2026-11-16T07:05:00Z'))).toEqual([]);
    await rh.h.sim.control.volumeData(original.id, 'tuesday-mistake');
    rh.write({ 'workstations/alice.yaml': workstationYaml('alice', '  restoreFrom: nightly/latest\n') });

    const replaced = await rh.reconcile('2026-11-16T15:00:00Z');
    const again = await rh.reconcile('2026-11-16T15:30:00Z');

    expect(failures(replaced)).toEqual([]);
    const replace = replaced.plan?.actions.find((a) => a.kind === 'replace');
    expect(replace?.reason).toContain('restoreFrom none → nightly/latest');
    expect(replace?.reason).toContain('restores nightly slot 2026-11-16 02:00 America/New_York');
    const restored = await dataVolumeOf(rh, 'alice');
    expect(restored.id).not.toBe(original.id);
    expect(restored.data).toBe('results-of-monday');
    const state = await ec2(rh);
    expect(state.volumes[original.id]).toMatchObject({ state: 'available', data: 'tuesday-mistake' });
    const finals = Object.values(state.snapshots).filter(
      (s) => s.volumeId === original.id && s.tags['labops:final-snapshot-of'] !== undefined,
    );
    expect(finals.map((s) => s.data)).toEqual(['tuesday-mistake']);
    expect(again.plan?.actions.filter((a) => a.resource.kind === 'Workstation')).toEqual([]);
  });

  it('restores a date: the newest slot of that local day', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': NIGHTLY,
    });
    await rh.reconcile('2026-11-15T20:00:00Z');
    const volume = await dataVolumeOf(rh, 'alice');
    for (const [day, marker] of [
      [16, 'mon'],
      [17, 'tue'],
      [18, 'wed'],
    ] as const) {
      await rh.h.sim.control.volumeData((await dataVolumeOf(rh, 'alice')).id, marker);
      expect(failures(await rh.reconcile(`2026-11-${day}T07:05:00Z`))).toEqual([]);
    }
    rh.write({ 'workstations/alice.yaml': workstationYaml('alice', '  restoreFrom: nightly/2026-11-17\n') });

    expect(failures(await rh.reconcile('2026-11-18T15:00:00Z'))).toEqual([]);

    expect((await dataVolumeOf(rh, 'alice')).data).toBe('tue');
    expect(volume.id).not.toBe((await dataVolumeOf(rh, 'alice')).id);
  });

  it('refuses a restore from a date with no snapshot and keeps the current instance', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': NIGHTLY,
    });
    await rh.reconcile('2026-11-15T20:00:00Z');
    await rh.reconcile('2026-11-16T07:05:00Z');
    rh.write({ 'workstations/alice.yaml': workstationYaml('alice', '  restoreFrom: nightly/2026-11-01\n') });

    const result = await rh.reconcile('2026-11-16T15:00:00Z');

    expect(result.plan?.refusals).toEqual([
      {
        code: 'no-restore-snapshot',
        message:
          'workstation alice: restoreFrom nightly/2026-11-01: no snapshot of alice in us-east-1 from 2026-11-01 (America/New_York)',
        resource: { kind: 'Workstation', name: 'alice' },
      },
    ]);
    expect(result.plan?.actions.filter((a) => a.kind === 'replace')).toEqual([]);
  });
});

describe('restoreFrom takes only its owner’s snapshots', () => {
  /** Bob's `shared` (selected by nightly) with `marker` on its data volume, snapshotted at 02:00 New York, then deleted and pruned. */
  async function bobsSnapshotOfShared(marker: string): Promise<void> {
    const bobs = workstationYaml('shared').replace('owner: alice', 'owner: bob');
    rh = await startRunHarness(
      {
        'workstations/alice.yaml': workstationYaml('alice'),
        'workstations/shared.yaml': bobs,
        'snapshots/nightly.yaml': NIGHTLY,
      },
      { prune: true },
    );
    expect(failures(await rh.reconcile('2026-11-15T20:00:00Z'))).toEqual([]);
    await rh.h.sim.control.volumeData((await dataVolumeOf(rh, 'shared')).id, marker);
    expect(failures(await rh.reconcile('2026-11-16T07:05:00Z'))).toEqual([]);
    rh.remove('workstations/shared.yaml');
    expect(failures(await rh.reconcile('2026-11-16T08:00:00Z'))).toEqual([]);
    const snapshots = Object.values((await ec2(rh)).snapshots).filter(
      (s) => s.tags['labops:workstation'] === 'shared' && s.tags['labops:volume'] === 'data',
    );
    expect(snapshots.map((s) => [s.tags['labops:owner'], s.data])).toEqual([['bob', marker]]);
  }

  it.each([
    [
      'alice reuses the name of bob’s deleted workstation',
      { 'workstations/shared.yaml': workstationYaml('shared', '  restoreFrom: nightly/latest\n') },
      "workstation shared: restoreFrom nightly/latest: the snapshots of shared in us-east-1 belong to bob, not alice: not restored (to restore them, write restoreFrom: nightly/latest/shared@bob; that needs their owner's approval)",
    ],
    [
      'alice names bob’s workstation without naming bob',
      { 'workstations/alice.yaml': workstationYaml('alice', '  restoreFrom: nightly/latest/shared\n') },
      "workstation alice: restoreFrom nightly/latest/shared: the snapshots of shared in us-east-1 belong to bob, not alice: not restored (to restore them, write restoreFrom: nightly/latest/shared@bob; that needs their owner's approval)",
    ],
  ])('%s: refused, saying whose they are, and no volume made from them', async (_name, files, message) => {
    await bobsSnapshotOfShared('bobs-thesis');
    rh.write(files);

    const result = await rh.reconcile('2026-11-16T15:00:00Z');

    expect(failures(result)).toEqual([]);
    expect(result.plan?.refusals.map((r) => [r.code, r.message])).toEqual([['other-owner-snapshots', message]]);
    expect(result.plan?.actions.filter((a) => a.kind === 'create' || a.kind === 'replace')).toEqual([]);
    const state = await ec2(rh);
    const bobs = Object.values(state.snapshots)
      .filter((s) => s.tags['labops:owner'] === 'bob')
      .map((s) => s.id);
    expect(
      Object.values(state.volumes).filter((v) => v.snapshotId !== undefined && bobs.includes(v.snapshotId)),
    ).toEqual([]);
  });

  it('restores bob’s snapshots when they are named with their owner (approval is checked before the plan)', async () => {
    await bobsSnapshotOfShared('bobs-thesis');
    rh.write({ 'workstations/alice.yaml': workstationYaml('alice', '  restoreFrom: nightly/latest/shared@bob\n') });

    const result = await rh.reconcile('2026-11-16T15:00:00Z');

    expect(failures(result)).toEqual([]);
    expect(result.plan?.refusals).toEqual([]);
    expect(result.plan?.actions.find((a) => a.kind === 'replace')?.reason).toContain(
      'restoreFrom none → nightly/latest/shared@bob',
    );
    expect((await dataVolumeOf(rh, 'alice')).data).toBe('bobs-thesis');
  });
});
