import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import type { Ec2Port } from '../../reconciler/src/aws/ports.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import type { Ec2Image, Ec2Snapshot } from '../../reconciler/src/sim/ec2/model.js';
import { actionOf, baseImage, instancesNamed, launchFor, planOf, startHarness, volumes } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('apply create', () => {
  it('launches one running instance: tags, encrypted root on the image root device, data volumes kept on termination, IMDSv2', async () => {
    const launch = launchFor('alice-neuro', await baseImage(h.sim), {
      instanceType: 'r7i.large',
      rootGiB: 40,
      hibernation: true,
      volumes: [
        { name: 'data', sizeGiB: 100, type: 'gp3' },
        { name: 'scratch', sizeGiB: 20, type: 'gp2' },
      ],
    });
    const plan = planOf([actionOf('create', 'alice-neuro', { kind: 'create', launch, thenState: 'running' })]);

    const result = await applyPlan(plan, h.deps({ instanceProfile: 'labops-ssm' }));

    expect(result).toMatchObject({
      ok: true,
      results: [{ actionId: 'Workstation/alice-neuro/create', kind: 'create', name: 'alice-neuro', status: 'done' }],
    });
    const [instance] = await instancesNamed(h.sim, 'alice-neuro');
    expect(instance).toMatchObject({
      id: result.results[0]?.instanceId,
      state: 'running',
      instanceType: 'r7i.large',
      hibernationConfigured: true,
      clientToken: launch.clientToken,
    });
    expect(instance?.tags).toEqual({ ...launch.tags, [TAG.desiredState]: 'running' });
    expect(instance?.metadataOptions).toMatchObject({ HttpTokens: 'required' });
    expect(instance?.iamInstanceProfile).toEqual({ Name: 'labops-ssm' });
    expect(Buffer.from(instance?.userData ?? '', 'base64').toString('utf8')).toBe(launch.userData);
    const byId = new Map((await volumes(h.sim)).map((v) => [v.id, v]));
    const disks = instance?.blockDevices.map((b) => ({
      device: b.deviceName,
      dot: b.deleteOnTermination,
      size: byId.get(b.volumeId)?.size,
      type: byId.get(b.volumeId)?.volumeType,
      encrypted: byId.get(b.volumeId)?.encrypted,
      name: byId.get(b.volumeId)?.tags[TAG.volume],
      repo: byId.get(b.volumeId)?.tags[TAG.repo],
    }));
    expect(disks).toEqual([
      { device: '/dev/xvda', dot: true, size: 40, type: 'gp3', encrypted: true, name: 'root', repo: 'lab/neuro' },
      { device: '/dev/sdf', dot: false, size: 100, type: 'gp3', encrypted: true, name: 'data', repo: 'lab/neuro' },
      { device: '/dev/sdg', dot: false, size: 20, type: 'gp2', encrypted: true, name: 'scratch', repo: 'lab/neuro' },
    ]);
  });

  it.each([
    ['stopped', 'stopped', 'Client.UserInitiatedShutdown'],
    ['hibernated', 'hibernated', 'Client.UserInitiatedHibernate'],
  ] as const)(
    'launches then puts the instance into %s (hibernation waits 2 minutes after launch)',
    async (thenState, tag, reason) => {
      const launch = launchFor('bob', await baseImage(h.sim), { hibernation: true });

      const result = await applyPlan(
        planOf([actionOf('create', 'bob', { kind: 'create', launch, thenState })]),
        h.deps(),
      );

      expect(result.ok).toBe(true);
      const [instance] = await instancesNamed(h.sim, 'bob');
      expect([instance?.state, instance?.stateReason?.Code, instance?.tags[TAG.desiredState]]).toEqual([
        'stopped',
        reason,
        tag,
      ]);
      expect(h.slept()).toBeGreaterThanOrEqual(thenState === 'hibernated' ? 120_000 : 0);
    },
  );

  it('re-applying the same plan launches nothing new', async () => {
    const launch = launchFor('carol', await baseImage(h.sim), {
      volumes: [{ name: 'data', sizeGiB: 10, type: 'gp3' }],
    });
    const plan = planOf([actionOf('create', 'carol', { kind: 'create', launch, thenState: 'running' })]);
    const first = await applyPlan(plan, h.deps());
    const volumesBefore = (await volumes(h.sim)).length;

    const second = await applyPlan(plan, h.deps());

    expect(second.ok).toBe(true);
    expect(second.results[0]?.instanceId).toBe(first.results[0]?.instanceId);
    expect(await instancesNamed(h.sim, 'carol')).toHaveLength(1);
    expect(await volumes(h.sim)).toHaveLength(volumesBefore);
  });

  it('a crash right after RunInstances, then a re-run, leaves exactly one instance', async () => {
    const launch = launchFor('dave', await baseImage(h.sim), { hibernation: true });
    const plan = planOf([actionOf('create', 'dave', { kind: 'create', launch, thenState: 'hibernated' })]);
    const dying: Ec2Port = {
      ...h.ports.ec2,
      async launch(request, options) {
        await h.ports.ec2.launch(request, options);
        throw new Error('process killed after RunInstances');
      },
    };
    const crashed = await applyPlan(plan, h.deps({ ec2: dying }));
    await h.sim.control.advance('5m');

    const rerun = await applyPlan(plan, h.deps());

    expect(crashed.results[0]?.status).toBe('failed');
    expect(rerun.ok).toBe(true);
    const instances = await instancesNamed(h.sim, 'dave');
    expect(instances.map((i) => [i.id, i.state, i.tags[TAG.desiredState]])).toEqual([
      [rerun.results[0]?.instanceId, 'stopped', 'hibernated'],
    ]);
  });

  it('copies the image into the Region first, launches from the copy, and re-runs without a second copy', async () => {
    const source = await baseImage(h.sim, 'us-east-1');
    const launch = launchFor('erin', '', { region: 'eu-west-1' });
    const copyImage = {
      sourceRegion: 'us-east-1',
      sourceImageId: source,
      region: 'eu-west-1',
      name: 'labops-env-1.2.0',
      clientToken: 'copy-env-1.2.0-eu-west-1',
      tags: { [TAG.repo]: 'lab/neuro' },
    };
    const plan = planOf([
      actionOf('create', 'erin', { kind: 'create', launch, copyImage, thenState: 'running' }, { region: 'eu-west-1' }),
    ]);

    const first = await applyPlan(plan, h.deps());
    const second = await applyPlan(plan, h.deps());

    expect([first.ok, second.ok]).toEqual([true, true]);
    const state = (await h.sim.control.state()) as unknown as {
      ec2: { images: Record<string, Ec2Image>; snapshots: Record<string, Ec2Snapshot> };
    };
    const copies = Object.values(state.ec2.images).filter((i) => i.region === 'eu-west-1');
    expect(copies).toHaveLength(1);
    const [instance] = await instancesNamed(h.sim, 'erin');
    expect([instance?.region, instance?.imageId, instance?.tags[TAG.ami]]).toEqual([
      'eu-west-1',
      copies[0]?.id,
      copies[0]?.id,
    ]);
    expect((await h.sim.control.calls())['EC2.CopyImage']).toBe(2);
    // The copy and each of its new snapshots carry the request's tags from creation.
    const snapshots = copies[0]!.devices.map((d) => state.ec2.snapshots[d.snapshotId]);
    expect(snapshots.length).toBeGreaterThan(0);
    expect([copies[0]?.tags, ...snapshots.map((s) => s?.tags)]).toEqual([
      copyImage.tags,
      ...snapshots.map(() => copyImage.tags),
    ]);
  });

  it('reports progress while waiting and when done', async () => {
    const launch = launchFor('frank', await baseImage(h.sim));
    const events: { phase: string; message: string }[] = [];

    await applyPlan(
      planOf([actionOf('create', 'frank', { kind: 'create', launch, thenState: 'running' })]),
      h.deps({ onProgress: (e) => events.push(e) }),
    );

    expect(events.some((e) => e.phase === 'waiting' && /running/.test(e.message))).toBe(true);
    expect(events.at(-1)?.phase).toBe('done');
  });
});
