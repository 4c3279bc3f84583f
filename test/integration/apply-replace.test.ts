import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import type { Ec2Port } from '../../reconciler/src/aws/ports.js';
import type { ActionDetails } from '../../reconciler/src/model/launch.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import type { Ec2Instance } from '../../reconciler/src/sim/ec2/model.js';
import {
  actionOf,
  baseImage,
  createWorkstation,
  instancesNamed,
  launchFor,
  planOf,
  REPO,
  startHarness,
  volumes,
} from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

interface Fixture {
  oldId: string;
  rootId: string;
  dataId: string;
}

async function workstationWithData(name: string): Promise<Fixture> {
  const oldId = await createWorkstation(h, name, { volumes: [{ name: 'data', sizeGiB: 50, type: 'gp3' }] });
  const [old] = await instancesNamed(h.sim, name);
  const rootId = old?.blockDevices.find((b) => b.deviceName === '/dev/xvda')?.volumeId ?? '';
  const dataId = old?.blockDevices.find((b) => b.deviceName === '/dev/sdf')?.volumeId ?? '';
  await h.sim.control.volumeData(dataId, 'marker: results of 3 years');
  return { oldId, rootId, dataId };
}

async function replaceDetails(
  name: string,
  f: Fixture,
  extra: Partial<Extract<ActionDetails, { kind: 'replace' }>> = {},
): Promise<ActionDetails> {
  const launch = launchFor(name, await baseImage(h.sim), { instanceType: 'm6i.xlarge' }, 1);
  return {
    kind: 'replace',
    launch,
    oldInstanceId: f.oldId,
    snapshotRoot: false,
    retainRoot: false,
    rootVolumeId: f.rootId,
    moveVolumes: [{ volumeId: f.dataId, name: 'data', device: '/dev/sdf' }],
    thenState: 'running',
    ...extra,
  };
}

function live(instances: Ec2Instance[]): Ec2Instance[] {
  return instances.filter((i) => i.state !== 'terminated');
}

describe('apply replace', () => {
  it('moves the data volume, with its data, to the new instance at the same device; the old one is terminated', async () => {
    const f = await workstationWithData('alice');
    const plan = planOf([
      actionOf('replace', 'alice', await replaceDetails('alice', f, { snapshotRoot: true }), { instanceId: f.oldId }),
    ]);

    const result = await applyPlan(plan, h.deps());

    expect(result.results[0]).toMatchObject({ status: 'done', volumeIds: [f.dataId] });
    const all = await instancesNamed(h.sim, 'alice');
    const fresh = live(all);
    expect(fresh.map((i) => [i.instanceType, i.state, i.tags[TAG.generation]])).toEqual([
      ['m6i.xlarge', 'running', '1'],
    ]);
    expect(all.find((i) => i.id === f.oldId)?.state).toBe('terminated');
    const byId = new Map((await volumes(h.sim)).map((v) => [v.id, v]));
    const moved = fresh[0]?.blockDevices.find((b) => b.deviceName === '/dev/sdf');
    expect(moved?.volumeId).toBe(f.dataId);
    expect(byId.get(f.dataId)?.data).toBe('marker: results of 3 years');
    expect(byId.has(f.rootId)).toBe(false);
    const state = (await h.sim.control.state()) as unknown as {
      ec2: { snapshots: Record<string, { id: string; volumeId: string; state: string }> };
    };
    expect(Object.values(state.ec2.snapshots).map((s) => [s.id, s.volumeId, s.state])).toEqual([
      [result.results[0]?.snapshotIds?.[0], f.rootId, 'completed'],
    ]);
  });

  it('keeps the old root when the policy is Retain, detached and available', async () => {
    const f = await workstationWithData('bob');
    const plan = planOf([
      actionOf('replace', 'bob', await replaceDetails('bob', f, { retainRoot: true }), { instanceId: f.oldId }),
    ]);

    const result = await applyPlan(plan, h.deps());

    expect(result.ok).toBe(true);
    const root = (await volumes(h.sim)).find((v) => v.id === f.rootId);
    expect([root?.state, root?.attachment]).toEqual(['available', undefined]);
  });

  it('gives new data volumes device names the moved ones do not use', async () => {
    const f = await workstationWithData('carol');
    const details = await replaceDetails('carol', f);
    if (details.kind !== 'replace') throw new Error('fixture');
    details.launch.volumes = [{ name: 'scratch', sizeGiB: 10, type: 'gp3' }];

    const result = await applyPlan(planOf([actionOf('replace', 'carol', details, { instanceId: f.oldId })]), h.deps());

    expect(result.ok).toBe(true);
    const [fresh] = live(await instancesNamed(h.sim, 'carol'));
    const byId = new Map((await volumes(h.sim)).map((v) => [v.id, v]));
    expect(fresh?.blockDevices.map((b) => [b.deviceName, byId.get(b.volumeId)?.tags[TAG.volume]])).toEqual([
      ['/dev/xvda', 'root'],
      ['/dev/sdg', 'scratch'],
      ['/dev/sdf', 'data'],
    ]);
  });

  it('a run that dies mid-move is finished by the next run: one new instance, data volume attached, old terminated', async () => {
    const f = await workstationWithData('dave');
    const plan = planOf([actionOf('replace', 'dave', await replaceDetails('dave', f), { instanceId: f.oldId })]);
    const dying: Ec2Port = {
      ...h.ports.ec2,
      attachVolume: () => Promise.reject(new Error('process killed after DetachVolume')),
    };
    const crashed = await applyPlan(plan, h.deps({ ec2: dying }));

    const rerun = await applyPlan(plan, h.deps());
    const again = await applyPlan(plan, h.deps());

    expect(again.results[0]?.error).toBeUndefined();
    expect([crashed.results[0]?.status, rerun.results[0]?.status, again.results[0]?.status]).toEqual([
      'failed',
      'done',
      'done',
    ]);
    const all = await instancesNamed(h.sim, 'dave');
    const fresh = live(all);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.blockDevices.some((b) => b.volumeId === f.dataId && b.deviceName === '/dev/sdf')).toBe(true);
    expect(all.find((i) => i.id === f.oldId)?.state).toBe('terminated');
    expect((await volumes(h.sim)).find((v) => v.id === f.dataId)?.data).toBe('marker: results of 3 years');
  });
});

describe('apply destroy', () => {
  it.each([
    ['Snapshot', true, false, 1, false],
    ['Retain', false, true, 0, true],
    ['Delete', false, false, 0, false],
  ] as const)(
    'deletionPolicy %s: terminates, never deletes the data volume',
    async (_policy, snapshotRoot, retainRoot, snapshots, rootKept) => {
      const f = await workstationWithData('erin');
      const details: ActionDetails = {
        kind: 'destroy',
        snapshotRoot,
        retainRoot,
        rootVolumeId: f.rootId,
        keptVolumes: [],
      };

      const result = await applyPlan(planOf([actionOf('destroy', 'erin', details, { instanceId: f.oldId })]), h.deps());

      expect(result.results[0]).toMatchObject({ status: 'done', instanceId: f.oldId });
      expect(result.results[0]?.volumeIds).toEqual(rootKept ? [f.dataId, f.rootId] : [f.dataId]);
      expect((await instancesNamed(h.sim, 'erin'))[0]?.state).toBe('terminated');
      const byId = new Map((await volumes(h.sim)).map((v) => [v.id, v]));
      expect([byId.get(f.dataId)?.state, byId.get(f.dataId)?.data]).toEqual([
        'available',
        'marker: results of 3 years',
      ]);
      expect(byId.has(f.rootId)).toBe(rootKept);
      expect(result.results[0]?.snapshotIds ?? []).toHaveLength(snapshots);
    },
  );

  it('detaches a data volume set to be deleted on termination before terminating', async () => {
    const image = await baseImage(h.sim);
    const tags = [
      { Key: TAG.repo, Value: REPO },
      { Key: TAG.kind, Value: 'Workstation' },
      { Key: TAG.name, Value: 'frank' },
    ];
    const run = await h.sim.ec2().send(
      new RunInstancesCommand({
        ImageId: image,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
        BlockDeviceMappings: [{ DeviceName: '/dev/sdh', Ebs: { VolumeSize: 5, DeleteOnTermination: true } }],
      }),
    );
    await h.sim.control.advance('2m');
    const instance = run.Instances?.[0];
    const dataId = instance?.BlockDeviceMappings?.find((b) => b.DeviceName === '/dev/sdh')?.Ebs?.VolumeId ?? '';

    const result = await applyPlan(
      planOf([
        actionOf(
          'destroy',
          'frank',
          { kind: 'destroy', snapshotRoot: false, retainRoot: false, keptVolumes: [] },
          { instanceId: instance?.InstanceId },
        ),
      ]),
      h.deps(),
    );

    expect(result.results[0]).toMatchObject({ status: 'done', volumeIds: [dataId] });
    expect((await volumes(h.sim)).find((v) => v.id === dataId)?.state).toBe('available');
  });

  it('destroying an instance that is already terminated is done', async () => {
    const f = await workstationWithData('gina');
    const plan = planOf([
      actionOf(
        'destroy',
        'gina',
        { kind: 'destroy', snapshotRoot: true, retainRoot: false, keptVolumes: [f.dataId] },
        { instanceId: f.oldId },
      ),
    ]);
    await applyPlan(plan, h.deps());
    await h.sim.control.resetCalls();

    const again = await applyPlan(plan, h.deps());

    expect(again.results[0]).toMatchObject({ status: 'done', detail: 'already terminated', volumeIds: [f.dataId] });
    expect(Object.keys(await h.sim.control.calls()).sort()).toEqual(['EC2.DescribeInstances', 'STS.GetCallerIdentity']);
  });
});
