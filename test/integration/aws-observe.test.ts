import { CreateImageCommand, CreateTagsCommand, CreateVolumeCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { Tag } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import { baseImageQuery } from '../../reconciler/src/model/base-images.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import { actionOf, baseImage, launchFor, planOf, REPO, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function tags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

async function runTagged(region: string, count: number, instanceTags: Record<string, string>): Promise<string[]> {
  const image = await baseImage(h.sim, region);
  const out = await h.sim.ec2(region).send(
    new RunInstancesCommand({
      ImageId: image,
      InstanceType: 't3.medium',
      MinCount: count,
      MaxCount: count,
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags(instanceTags) },
        { ResourceType: 'volume', Tags: tags(instanceTags) },
      ],
    }),
  );
  return (out.Instances ?? []).map((i) => i.InstanceId ?? '');
}

const OURS = { [TAG.repo]: REPO, [TAG.kind]: 'Workstation', [TAG.name]: 'alice-neuro', Name: 'alice-neuro' };

describe('observe', () => {
  it('lists each Region with one DescribeInstances, one DescribeVolumes and one DescribeImages per query', async () => {
    await runTagged('us-east-1', 3, OURS);
    await runTagged('eu-west-1', 2, OURS);
    await h.sim.control.resetCalls();

    const observed = await h.ports.ec2.observe(['us-east-1', 'eu-west-1'], REPO, {
      images: [
        { region: 'us-east-1', query: baseImageQuery('amazonlinux-2023', 'x86_64') },
        { region: 'eu-west-1', query: baseImageQuery('amazonlinux-2023', 'x86_64') },
        { region: 'eu-west-1', query: baseImageQuery('amazonlinux-2023', 'x86_64') },
      ],
    });

    expect(await h.sim.control.calls()).toEqual({
      'EC2.DescribeImages': 2,
      'EC2.DescribeInstances': 2,
      'EC2.DescribeVolumes': 2,
    });
    expect(observed.instances.map((i) => i.region).sort()).toEqual([
      'eu-west-1',
      'eu-west-1',
      'us-east-1',
      'us-east-1',
      'us-east-1',
    ]);
    expect(observed.images.map((i) => [i.region, i.name, i.rootDeviceName])).toEqual([
      ['us-east-1', 'al2023-ami-2023.7.20250609.0-kernel-6.1-x86_64', '/dev/xvda'],
      ['eu-west-1', 'al2023-ami-2023.7.20250609.0-kernel-6.1-x86_64', '/dev/xvda'],
    ]);
  });

  it('pages through more than 1,000 instances, 1,000 per call', async () => {
    await runTagged('us-east-1', 1203, OURS);
    await h.sim.control.resetCalls();

    const observed = await h.ports.ec2.observe(['us-east-1'], REPO, { images: [] });

    expect(observed.instances).toHaveLength(1203);
    expect(new Set(observed.instances.map((i) => i.instanceId)).size).toBe(1203);
    expect((await h.sim.control.calls())['EC2.DescribeInstances']).toBe(2);
  });

  it('never shows a lookalike: same Name, other or no labops:repo', async () => {
    const [ours] = await runTagged('us-east-1', 1, OURS);
    await runTagged('us-east-1', 1, { ...OURS, [TAG.repo]: 'lab/other' });
    await runTagged('us-east-1', 1, { Name: 'alice-neuro', [TAG.name]: 'alice-neuro', [TAG.kind]: 'Workstation' });
    const stray = await h.sim.ec2().send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 10,
        TagSpecifications: [{ ResourceType: 'volume', Tags: tags({ ...OURS, [TAG.repo]: 'lab/other' }) }],
      }),
    );

    const observed = await h.ports.ec2.observe(['us-east-1'], REPO, {
      images: [{ region: 'us-east-1', query: 'self' }],
    });

    expect(observed.instances.map((i) => i.instanceId)).toEqual([ours]);
    expect(observed.volumes.map((v) => v.volumeId)).not.toContain(stray.VolumeId);
    expect(observed.volumes).toEqual([]);
  });

  it('normalises what apply launched: attachments with names, sizes and types; detached volumes; own images', async () => {
    const image = await baseImage(h.sim);
    const launch = launchFor('bob-ml', image, {
      hibernation: true,
      volumes: [{ name: 'data', sizeGiB: 50, type: 'gp3' }],
    });
    await applyPlan(planOf([actionOf('create', 'bob-ml', { kind: 'create', launch, thenState: 'running' })]), h.deps());
    const loose = await h.sim.ec2().send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 20,
        VolumeType: 'gp3',
        TagSpecifications: [{ ResourceType: 'volume', Tags: tags({ ...OURS, [TAG.volume]: 'scratch' }) }],
      }),
    );
    const first = (await h.ports.ec2.observe(['us-east-1'], REPO, { images: [] })).instances[0];
    const own = await h.sim.ec2().send(
      new CreateImageCommand({
        InstanceId: first?.instanceId,
        Name: 'bob-ml-env',
        TagSpecifications: [{ ResourceType: 'image', Tags: tags({ [TAG.repo]: REPO }) }],
      }),
    );
    await h.sim
      .ec2()
      .send(new CreateTagsCommand({ Resources: [loose.VolumeId ?? ''], Tags: tags({ Owner: 'alice' }) }));
    await h.sim.control.advance('15s');

    const observed = await h.ports.ec2.observe(['us-east-1'], REPO, {
      images: [{ region: 'us-east-1', query: 'self' }],
    });

    const instance = observed.instances[0];
    expect(instance).toMatchObject({
      state: 'running',
      instanceType: 'm6i.large',
      hibernationConfigured: true,
      imageId: image,
      region: 'us-east-1',
    });
    expect(instance?.tags[TAG.name]).toBe('bob-ml');
    expect(instance?.attachments.map((a) => [a.device, a.name, a.sizeGiB, a.type, a.deleteOnTermination])).toEqual([
      ['/dev/xvda', 'root', 30, 'gp3', true],
      ['/dev/sdf', 'data', 50, 'gp3', false],
    ]);
    expect(observed.volumes.map((v) => [v.volumeId, v.state, v.sizeGiB, v.tags[TAG.volume]])).toEqual([
      [loose.VolumeId, 'available', 20, 'scratch'],
    ]);
    expect(observed.images.map((i) => [i.imageId, i.name, i.rootDeviceName])).toEqual([
      [own.ImageId, 'bob-ml-env', '/dev/xvda'],
    ]);
  });

  it('reports the stop reason of a hibernated instance', async () => {
    const image = await baseImage(h.sim);
    const launch = launchFor('carol', image, { hibernation: true });
    await applyPlan(
      planOf([actionOf('create', 'carol', { kind: 'create', launch, thenState: 'hibernated' })]),
      h.deps(),
    );

    const observed = await h.ports.ec2.observe(['us-east-1'], REPO, { images: [] });

    expect(observed.instances.map((i) => [i.state, i.stateReason, i.tags[TAG.desiredState]])).toEqual([
      ['stopped', 'Client.UserInitiatedHibernate', 'hibernated'],
    ]);
  });
});
