import { afterEach, describe, expect, it } from 'vitest';
import { DescribeImagesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { Ec2Snapshot } from '../../reconciler/src/sim/ec2/model.js';
import { failures, startRunHarness, workstationYaml } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

function scheduleYaml(extra = ''): string {
  return `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: nightly }
spec:
  selector: { project: neuro }
  cron: "0 2 * * *"
  retain: { count: 3 }
${extra}`;
}

async function scheduleSnapshots(rh: RunHarness, region = 'us-east-1', copies = false): Promise<Ec2Snapshot[]> {
  const state = (await rh.h.sim.control.state()) as unknown as { ec2: { snapshots: Record<string, Ec2Snapshot> } };
  return Object.values(state.ec2.snapshots).filter(
    (s) =>
      s.region === region &&
      s.tags['labops:repo'] === 'lab/neuro' &&
      s.tags['labops:schedule'] === 'nightly' &&
      (s.tags['labops:copy-of'] !== undefined) === copies,
  );
}

function slotsOf(snapshots: Ec2Snapshot[]): string[] {
  return [...new Set(snapshots.map((s) => s.tags['labops:slot']!.slice(0, 10)))].sort();
}

/** 02:05 in New York (07:05 UTC in November) on day `d` of November 2026. */
function night(d: number, minute = 5): string {
  return `2026-11-${String(d).padStart(2, '0')}T07:${String(minute).padStart(2, '0')}:00Z`;
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('SnapshotSchedule', () => {
  it('a week of nightly runs with retention 3 and one missed night leaves the newest 3 slots, each taken once', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': scheduleYaml(),
    });
    expect(failures(await rh.reconcile('2026-11-15T20:00:00Z'))).toEqual([]);

    const reasons: string[] = [];
    for (const d of [16, 17, 18, 20, 21, 22]) {
      const result = await rh.reconcile(night(d));
      expect(failures(result)).toEqual([]);
      reasons.push(...(result.plan?.actions.filter((a) => a.kind === 'snapshot').map((a) => a.reason) ?? []));
      expect(failures(await rh.reconcile(night(d, 40)))).toEqual([]);
    }

    const kept = await scheduleSnapshots(rh);
    expect(slotsOf(kept)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(kept.map((s) => s.tags['labops:volume']).sort()).toEqual(['data', 'data', 'data', 'root', 'root', 'root']);
    expect((await rh.h.sim.control.calls())['EC2.CreateSnapshot']).toBe(12);
    expect(reasons.filter((r) => r.includes('missed'))).toEqual([
      expect.stringContaining(
        'nightly: slot 2026-11-20 02:00 America/New_York due (last 2026-11-18 02:00; 1 missed slot(s) taken once)',
      ),
    ]);
    expect((await rh.record()).schedules.nightly?.lastSlot).toBe('2026-11-22T07:00:00.000Z');
  });

  it('tags each snapshot with repo, kind, schedule, workstation, slot and volume', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': scheduleYaml(),
    });
    await rh.reconcile('2026-11-15T20:00:00Z');

    await rh.reconcile(night(16));

    const [snap] = (await scheduleSnapshots(rh)).filter((s) => s.tags['labops:volume'] === 'data');
    expect(snap?.tags).toMatchObject({
      'labops:repo': 'lab/neuro',
      'labops:kind': 'SnapshotSchedule',
      'labops:schedule': 'nightly',
      'labops:workstation': 'alice',
      'labops:slot': '2026-11-16T07:00:00.000Z',
      'labops:volume': 'data',
      'labops:project': 'neuro',
    });
  });

  it('copies each snapshot to copyTo Regions, where copies keep their own retention of 3', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': scheduleYaml('  copyTo: [us-west-2]\n'),
    });
    await rh.reconcile('2026-11-15T20:00:00Z');

    for (const d of [16, 17, 18, 19, 20]) {
      expect(failures(await rh.reconcile(night(d)))).toEqual([]);
      expect(failures(await rh.reconcile(night(d, 40)))).toEqual([]);
    }

    const copies = await scheduleSnapshots(rh, 'us-west-2', true);
    expect(slotsOf(copies)).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
    expect(copies).toHaveLength(6);
    const originals = new Set((await scheduleSnapshots(rh)).map((s) => s.id));
    expect(copies.every((c) => originals.has(c.tags['labops:copy-of']!))).toBe(true);
  });

  it('never deletes a snapshot it did not make for the schedule', async () => {
    rh = await startRunHarness({
      'workstations/alice.yaml': workstationYaml('alice'),
      'snapshots/nightly.yaml': scheduleYaml(),
    });
    await rh.reconcile('2026-11-15T20:00:00Z');
    await rh.reconcile(night(16));
    const [own] = await scheduleSnapshots(rh);
    // A lookalike: someone else's snapshot wearing the schedule's name but another repo.
    const { CreateSnapshotCommand } = await import('@aws-sdk/client-ec2');
    await rh.h.sim.ec2().send(
      new CreateSnapshotCommand({
        VolumeId: own!.volumeId,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: 'labops:repo', Value: 'other/repo' },
              { Key: 'labops:kind', Value: 'SnapshotSchedule' },
              { Key: 'labops:schedule', Value: 'nightly' },
              { Key: 'labops:volume', Value: 'data' },
              { Key: 'labops:slot', Value: '2020-01-01T07:00:00.000Z' },
            ],
          },
        ],
      }),
    );

    for (const d of [17, 18, 19, 20]) expect(failures(await rh.reconcile(night(d)))).toEqual([]);

    const state = (await rh.h.sim.control.state()) as unknown as { ec2: { snapshots: Record<string, Ec2Snapshot> } };
    expect(Object.values(state.ec2.snapshots).filter((s) => s.tags['labops:repo'] === 'other/repo')).toHaveLength(1);
    expect(slotsOf(await scheduleSnapshots(rh))).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
  });
});

describe('a slot due in the same apply that replaces the workstation', () => {
  it.each([
    ['volumes', ''],
    ['image', '  type: image\n'],
  ])(
    'type %s: the snapshot waits for the replace and is taken of the new instance (moved data volume, new root)',
    async (type, extra) => {
      rh = await startRunHarness({
        'workstations/alice.yaml': workstationYaml('alice'),
        'snapshots/nightly.yaml': scheduleYaml(extra),
      });
      expect(failures(await rh.reconcile('2026-11-15T20:00:00Z'))).toEqual([]);
      rh.write({ 'workstations/alice.yaml': workstationYaml('alice').replace('rootGiB: 60', 'rootGiB: 80') });

      const result = await rh.reconcile(night(16));

      expect(result.plan?.actions.map((a) => a.kind)).toEqual(['replace', 'snapshot']);
      expect(failures(result)).toEqual([]);
      const [alice] = await rh.h.sim
        .ec2()
        .send(new DescribeInstancesCommand({}))
        .then((r) =>
          (r.Reservations ?? [])
            .flatMap((x) => x.Instances ?? [])
            .filter((i) => i.State?.Name !== 'terminated' && i.State?.Name !== 'shutting-down'),
        );
      const attached = new Set((alice?.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId));
      const snapshot = result.applied?.results.find((r) => r.kind === 'snapshot');
      expect(snapshot?.instanceId).toBe(alice?.InstanceId);
      if (type === 'volumes') {
        const taken = await scheduleSnapshots(rh);
        expect(taken.map((s) => s.tags['labops:volume']).sort()).toEqual(['data', 'root']);
        expect(taken.every((s) => attached.has(s.volumeId))).toBe(true);
      } else {
        const images = (await rh.h.sim.ec2().send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
        const image = images.find((i) => i.Tags?.some((t) => t.Key === 'labops:schedule'));
        expect(image?.BlockDeviceMappings?.find((b) => b.DeviceName === alice?.RootDeviceName)?.Ebs?.VolumeSize).toBe(
          80,
        );
      }
      expect(actionsAfter(await rh.reconcile(night(16, 40), 'plan'))).toEqual([]);
    },
  );
});

function actionsAfter(result: Awaited<ReturnType<RunHarness['reconcile']>>): string[] {
  return (result.plan?.actions ?? []).map((a) => `${a.kind} ${a.resource.name}`);
}
