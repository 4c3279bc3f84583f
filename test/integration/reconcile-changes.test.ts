/**
 * Issue 4 end to end: what happens to a running workstation as the world or its spec changes —
 * idle hibernation from CloudWatch load, a resize, and a replacement that keeps its data volume
 * and snapshots the old root — through the whole pipeline against the simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ec2Snapshot, Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import { actionsOf, startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

interface SimEc2 {
  instances: Record<string, { state: string; stateReason?: { Code: string }; instanceType: string }>;
  volumes: Record<string, Ec2Volume>;
  snapshots: Record<string, Ec2Snapshot>;
}

async function simEc2(): Promise<SimEc2> {
  return (await h.sim.control.state()).ec2 as SimEc2;
}

async function onlyInstance(
  name: string,
): Promise<NonNullable<Awaited<ReturnType<ReconcileHarness['instances']>>[number]>> {
  const instances = await h.instances(name);
  expect(instances).toHaveLength(1);
  return instances[0]!;
}

describe('idle hibernation', () => {
  it('hibernates a workstation idle past its window (low CPU in CloudWatch), then holds it off', async () => {
    h = await startReconcile({
      'workstations/alice.yaml': workstationYaml('alice-ws', {
        hibernation: true,
        idle: { after: '30m', cpuBelowPercent: 5, action: 'hibernate' },
      }),
    });
    await h.run('apply');
    const { instanceId } = await onlyInstance('alice-ws');
    const busy = await h.run('plan');

    await h.sim.control.load({ instanceId, cpuPercent: 1 });
    await h.sim.control.advance('35m');
    const planned = await h.run('plan');
    const applied = await h.run('apply');
    const after = await h.run('plan');

    expect(actionsOf(busy)).toEqual([]);
    expect(actionsOf(planned)).toEqual(['hibernate alice-ws', 'retag alice-ws']);
    expect(planned.plan?.actions.map((a) => a.rule)).toEqual(['idle 35m < 5% CPU', 'idle 35m < 5% CPU']);
    expect(planned.plan?.actions[1]?.details).toMatchObject({
      kind: 'retag',
      set: { 'labops:idle-hold': 'idle 35m < 5% CPU' },
    });
    expect(applied.applied?.results.map((r) => r.status)).toEqual(['done', 'done']);
    expect((await simEc2()).instances[instanceId]).toMatchObject({
      state: 'stopped',
      stateReason: { Code: 'Client.UserInitiatedHibernate' },
    });
    expect((await onlyInstance('alice-ws')).stateReason).toBe('Client.UserInitiatedHibernate');
    expect(actionsOf(after)).toEqual([]);
  });
});

describe('resize', () => {
  it('changes the instance type (stop, modify, start) and leaves it running', async () => {
    h = await startReconcile({ 'workstations/alice.yaml': workstationYaml('alice-ws') });
    await h.run('apply');
    const before = await onlyInstance('alice-ws');

    h.write('workstations/alice.yaml', workstationYaml('alice-ws', { instanceType: 'm6i.xlarge' }));
    const planned = await h.run('plan');
    const applied = await h.run('apply');
    const after = await onlyInstance('alice-ws');
    const again = await h.run('plan');

    expect(actionsOf(planned)).toEqual(['resize alice-ws', 'retag alice-ws']);
    expect(planned.plan?.actions[0]).toMatchObject({
      rule: 'spec',
      reason: 'instanceType m6i.large → m6i.xlarge (stop, modify, start)',
    });
    expect(planned.plan?.actions[1]?.details).toMatchObject({
      kind: 'retag',
      set: { 'labops:instance-type': 'm6i.xlarge' },
    });
    expect(applied.applied?.ok).toBe(true);
    expect([after.instanceId, after.instanceType, after.state]).toEqual([before.instanceId, 'm6i.xlarge', 'running']);
    expect(actionsOf(again)).toEqual([]);
  });
});

const STORAGE_60 = { rootGiB: 60, volumes: [{ name: 'data', sizeGiB: 20, type: 'gp3' }] };

describe('replacement', () => {
  it.each([
    ['rootGiB 60 → 80', { storage: { ...STORAGE_60, rootGiB: 80 } }, 80],
    [
      'environment base-ubuntu → data-science-python',
      { storage: STORAGE_60, environment: 'data-science-python@^1' },
      60,
    ],
  ])(
    '%s: moves the data volume (with its contents) to the new instance and snapshots the old root',
    async (_name, change, rootGiB) => {
      h = await startReconcile({ 'workstations/alice.yaml': workstationYaml('alice-ws', { storage: STORAGE_60 }) });
      await h.run('apply');
      const old = await onlyInstance('alice-ws');
      const data = old.attachments.find((a) => a.name === 'data')!;
      const oldRoot = old.attachments.find((a) => a.name === 'root')!;
      await h.sim.control.volumeData(data.volumeId, 'marker-123');

      h.write('workstations/alice.yaml', workstationYaml('alice-ws', change));
      const planned = await h.run('plan');
      const applied = await h.run('apply');
      const replaced = await onlyInstance('alice-ws');
      const ec2 = await simEc2();
      const again = await h.run('plan');

      expect(actionsOf(planned)).toEqual(['replace alice-ws']);
      expect(applied.applied?.ok, JSON.stringify(applied.applied?.results)).toBe(true);
      expect(replaced.instanceId).not.toBe(old.instanceId);
      expect(replaced.state).toBe('running');
      const moved = replaced.attachments.find((a) => a.name === 'data');
      expect(moved?.volumeId).toBe(data.volumeId);
      expect(ec2.volumes[moved!.volumeId]?.data).toBe('marker-123');
      expect(replaced.attachments.find((a) => a.name === 'root')?.sizeGiB).toBe(rootGiB);
      expect(Object.values(ec2.snapshots).filter((s) => s.volumeId === oldRoot.volumeId)).toHaveLength(1);
      expect(ec2.instances[old.instanceId]?.state ?? 'gone').toMatch(/^(terminated|gone)$/);
      expect(actionsOf(again)).toEqual([]);
    },
  );

  it('on a region change, launches in the new Region and retires the old instance in its own (root snapshotted, data volume kept there)', async () => {
    h = await startReconcile(
      { 'workstations/alice.yaml': workstationYaml('alice-ws') },
      { regions: ['us-east-1', 'us-west-2'] },
    );
    await h.run('apply');
    const old = await onlyInstance('alice-ws');
    const data = old.attachments.find((a) => a.name === 'data')!;
    const oldRoot = old.attachments.find((a) => a.name === 'root')!;
    await h.sim.control.volumeData(data.volumeId, 'marker-123');

    h.write('workstations/alice.yaml', workstationYaml('alice-ws', { region: 'us-west-2' }));
    const planned = await h.run('plan');
    const applied = await h.run('apply');
    const moved = await onlyInstance('alice-ws');
    const ec2 = await simEc2();
    const again = await h.run('plan');

    expect(actionsOf(planned)).toEqual(['replace alice-ws']);
    expect(planned.plan?.actions[0]?.details).toMatchObject({
      kind: 'replace',
      oldInstanceId: old.instanceId,
      oldRegion: 'us-east-1',
      moveVolumes: [],
    });
    expect(applied.applied?.ok, JSON.stringify(applied.applied?.results)).toBe(true);
    expect([moved.region, moved.state]).toEqual(['us-west-2', 'running']);
    expect(moved.attachments.map((a) => a.name)).toEqual(['root', 'data']);
    expect(ec2.instances[old.instanceId]?.state ?? 'gone').toMatch(/^(terminated|gone)$/);
    expect(
      Object.values(ec2.snapshots)
        .filter((s) => s.volumeId === oldRoot.volumeId)
        .map((s) => s.region),
    ).toEqual(['us-east-1']);
    expect(ec2.volumes[data.volumeId]).toMatchObject({ region: 'us-east-1', state: 'available', data: 'marker-123' });
    expect(actionsOf(again)).toEqual([]);
  });
});
