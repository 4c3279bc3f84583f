import { afterEach, describe, expect, it } from 'vitest';
import type { Ec2Image, Ec2Instance, Ec2Snapshot, Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import { failures, startRunHarness, workstationYaml } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

const WEEKLY = `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: images }
spec:
  selector: { workstations: [alice] }
  cron: "0 3 * * *"
  type: image
  retain: { count: 2 }
`;

interface SimEc2 {
  instances: Record<string, Ec2Instance>;
  volumes: Record<string, Ec2Volume>;
  snapshots: Record<string, Ec2Snapshot>;
  images: Record<string, Ec2Image>;
}

async function ec2(rh: RunHarness): Promise<SimEc2> {
  return ((await rh.h.sim.control.state()) as unknown as { ec2: SimEc2 }).ec2;
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('SnapshotSchedule type image', () => {
  it('makes one AMI per slot (the workstation keeps running), keeps 2, and deregisters older ones with their snapshots', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/images.yaml': WEEKLY,
    });
    await rh.reconcile('2026-11-15T20:00:00Z');

    for (const d of [16, 17, 18, 19]) expect(failures(await rh.reconcile(`2026-11-${d}T08:05:00Z`))).toEqual([]);

    const state = await ec2(rh);
    const images = Object.values(state.images).filter((i) => i.tags['labops:schedule'] === 'images');
    expect(images.map((i) => i.tags['labops:slot']).sort()).toEqual([
      '2026-11-18T08:00:00.000Z',
      '2026-11-19T08:00:00.000Z',
    ]);
    expect(images.map((i) => i.name).sort()).toEqual([
      'labops-images-alice-20261118T080000Z',
      'labops-images-alice-20261119T080000Z',
    ]);
    const imageSnapshots = Object.values(state.snapshots).filter((s) => s.tags['labops:schedule'] === 'images');
    expect(imageSnapshots).toHaveLength(4);
    const calls = await rh.h.sim.control.calls();
    expect([calls['EC2.CreateImage'], calls['EC2.DeregisterImage']]).toEqual([4, 2]);
    const running = Object.values(state.instances).filter(
      (i) => i.tags['labops:name'] === 'alice' && i.state === 'running',
    );
    expect(running).toHaveLength(1);
  });

  it('restores a workstation from the schedule AMI, root and data', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/images.yaml': WEEKLY,
    });
    await rh.reconcile('2026-11-15T20:00:00Z');
    const state = await ec2(rh);
    const alice = Object.values(state.instances).find((i) => i.tags['labops:name'] === 'alice')!;
    const data = alice.blockDevices
      .map((b) => state.volumes[b.volumeId]!)
      .find((v) => v.tags['labops:volume'] === 'data')!;
    await rh.h.sim.control.volumeData(data.id, 'in-the-image');
    await rh.reconcile('2026-11-16T08:05:00Z');
    await rh.reconcile('2026-11-16T08:30:00Z');
    rh.write({ 'workstations/alice.yaml': workstationYaml('alice', '  restoreFrom: images/2026-11-16\n') });

    const result = await rh.reconcile('2026-11-16T09:00:00Z');

    expect(failures(result)).toEqual([]);
    const after = await ec2(rh);
    const image = Object.values(after.images).find((i) => i.tags['labops:schedule'] === 'images')!;
    const live = Object.values(after.instances).find(
      (i) => i.tags['labops:name'] === 'alice' && i.state !== 'terminated',
    )!;
    expect(live.imageId).toBe(image.id);
    const restored = live.blockDevices
      .map((b) => after.volumes[b.volumeId]!)
      .find((v) => v.tags['labops:volume'] === 'data')!;
    expect(restored.data).toBe('in-the-image');
  });
  it('copies each AMI to copyTo Regions with every new snapshot tagged as the copy is, and deregistering a copy takes its snapshots', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/images.yaml': WEEKLY.replace(
        '  retain: { count: 2 }\n',
        '  retain: { count: 1 }\n  copyTo: [us-west-2]\n',
      ),
    });
    await rh.reconcile('2026-11-15T20:00:00Z');

    for (const d of [16, 17]) {
      expect(failures(await rh.reconcile(`2026-11-${d}T08:05:00Z`))).toEqual([]);
      expect(failures(await rh.reconcile(`2026-11-${d}T09:05:00Z`))).toEqual([]);
    }

    const state = await ec2(rh);
    const copies = Object.values(state.images).filter((i) => i.region === 'us-west-2');
    expect(copies.map((i) => [i.tags['labops:schedule'], i.tags['labops:slot']])).toEqual([
      ['images', '2026-11-17T08:00:00.000Z'],
    ]);
    const [copy] = copies;
    const snapshotsInWest = Object.values(state.snapshots).filter((s) => s.region === 'us-west-2');
    // Only the live copy's snapshots are left there (the older copy went with its own), each tagged as the copy.
    expect(snapshotsInWest.map((s) => s.id).sort()).toEqual(copy!.devices.map((d) => d.snapshotId).sort());
    expect(snapshotsInWest.map((s) => s.tags)).toEqual(snapshotsInWest.map(() => copy!.tags));
    expect((await rh.h.sim.control.calls())['EC2.CopyImage']).toBe(2);
  });

  it('stops a workstation and images it in one apply: the image waits for the stop, and AWS accepts a stopped instance', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/images.yaml': WEEKLY,
    });
    await rh.reconcile('2026-11-15T20:00:00Z');
    rh.write({ 'workstations/alice.yaml': workstationYaml('alice', '  state: stopped\n') });

    const result = await rh.reconcile('2026-11-16T08:05:00Z');

    expect(failures(result)).toEqual([]);
    expect(result.applied?.results.map((r) => [r.kind, r.status])).toEqual([
      ['stop', 'done'],
      ['snapshot', 'done'],
    ]);
    const state = await ec2(rh);
    const images = Object.values(state.images).filter((i) => i.tags['labops:schedule'] === 'images');
    expect(images.map((i) => i.name)).toEqual(['labops-images-alice-20261116T080000Z']);
    const alice = Object.values(state.instances)
      .filter((i) => i.tags['labops:name'] === 'alice')
      .map((i) => i.state);
    expect(alice).toEqual(['stopped']);
  });
});
