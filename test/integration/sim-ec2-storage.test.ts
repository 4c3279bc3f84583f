import {
  AttachVolumeCommand,
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { _InstanceType } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let ec2: EC2Client;
let al2023: string;

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err: unknown) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

async function runningInstance(): Promise<{ id: string; az: string; volumes: string[] }> {
  const out = await ec2.send(
    new RunInstancesCommand({ ImageId: al2023, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1 }),
  );
  const inst = out.Instances?.[0];
  await sim.control.advance('1m');
  return {
    id: inst?.InstanceId ?? '',
    az: inst?.Placement?.AvailabilityZone ?? '',
    volumes: (inst?.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId ?? ''),
  };
}

async function volumeState(id: string): Promise<{ state?: string; attachment?: string }> {
  const out = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
  const v = out.Volumes?.[0];
  return { state: v?.State, attachment: v?.Attachments?.[0]?.State };
}

beforeAll(async () => {
  sim = await startTestSim({ log: () => {} });
  ec2 = sim.ec2();
  const images = await ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] }),
  );
  al2023 = images.Images?.[0]?.ImageId ?? '';
});
afterAll(async () => {
  await sim.close();
});

describe('volumes', () => {
  it('creates, attaches, detaches and deletes a volume through its states', async () => {
    const inst = await runningInstance();
    const created = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: inst.az,
        Size: 200,
        VolumeType: 'gp3',
        Encrypted: true,
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'role', Value: 'data' }] }],
      }),
    );
    const id = created.VolumeId ?? '';
    const seen = [await volumeState(id)];

    await sim.control.advance('15s');
    seen.push(await volumeState(id));
    await ec2.send(new AttachVolumeCommand({ VolumeId: id, InstanceId: inst.id, Device: '/dev/sdf' }));
    seen.push(await volumeState(id));
    const inUse = await errorOf(ec2.send(new DeleteVolumeCommand({ VolumeId: id })));
    await sim.control.advance('10s');
    seen.push(await volumeState(id));
    await ec2.send(new DetachVolumeCommand({ VolumeId: id }));
    seen.push(await volumeState(id));
    await sim.control.advance('10s');
    seen.push(await volumeState(id));
    await ec2.send(new DeleteVolumeCommand({ VolumeId: id }));

    expect(seen).toEqual([
      { state: 'creating', attachment: undefined },
      { state: 'available', attachment: undefined },
      { state: 'in-use', attachment: 'attaching' },
      { state: 'in-use', attachment: 'attached' },
      { state: 'in-use', attachment: 'detaching' },
      { state: 'available', attachment: undefined },
    ]);
    expect(inUse).toBe('VolumeInUse');
    expect(await errorOf(ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] })))).toBe('InvalidVolume.NotFound');
  });

  it.each([
    ['attach an attached volume', 'VolumeInUse'],
    ['detach an available volume', 'IncorrectState'],
    ['attach in another zone', 'InvalidVolume.ZoneMismatch'],
  ])('refuses to %s', async (name, code) => {
    const inst = await runningInstance();
    const az =
      name === 'attach in another zone'
        ? inst.az.endsWith('a')
          ? `${inst.az.slice(0, -1)}b`
          : `${inst.az.slice(0, -1)}a`
        : inst.az;
    const vol = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 10 }))).VolumeId ?? '';
    await sim.control.advance('15s');

    let call: Promise<unknown>;
    if (name === 'attach an attached volume')
      call = ec2.send(new AttachVolumeCommand({ VolumeId: inst.volumes[0], InstanceId: inst.id, Device: '/dev/sdg' }));
    else if (name === 'detach an available volume') call = ec2.send(new DetachVolumeCommand({ VolumeId: vol }));
    else call = ec2.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: inst.id, Device: '/dev/sdh' }));

    expect(await errorOf(call)).toBe(code);
  });

  it('filters volumes by attachment.instance-id, tag and status, and pages them', async () => {
    const inst = await runningInstance();
    for (let i = 0; i < 6; i += 1)
      await ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: inst.az,
          Size: 1,
          TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'pool', Value: 'p1' }] }],
        }),
      );

    const attached = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [inst.id] }] }),
    );
    const firstPage = await ec2.send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: 'tag:pool', Values: ['p1'] },
          { Name: 'status', Values: ['creating'] },
        ],
        MaxResults: 5,
      }),
    );
    const secondPage = await ec2.send(
      new DescribeVolumesCommand({
        Filters: [{ Name: 'tag:pool', Values: ['p1'] }],
        MaxResults: 5,
        NextToken: firstPage.NextToken,
      }),
    );

    expect(attached.Volumes?.map((v) => v.VolumeId)).toEqual(inst.volumes);
    expect(firstPage.Volumes).toHaveLength(5);
    expect(secondPage.Volumes).toHaveLength(1);
    expect(secondPage.NextToken).toBeUndefined();
  });
});

describe('snapshots and images', () => {
  it('carries a volume data marker through snapshot, copy and restore', async () => {
    const inst = await runningInstance();
    const vol = inst.volumes[0] ?? '';
    await sim.control.volumeData(vol, 'thesis-draft-v7');

    const snap = await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: vol,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'ws', Value: 'alice' }] }],
      }),
    );
    await sim.control.advance('10m');
    const copy = await sim
      .ec2('eu-west-1')
      .send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: snap.SnapshotId }));
    await sim.control.advance('10m');
    const restored = await sim
      .ec2('eu-west-1')
      .send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', SnapshotId: copy.SnapshotId }));
    const state = await sim.control.state();

    const volumes = (state.ec2 as { volumes: Record<string, { data?: string }> }).volumes;
    expect(snap.State).toBe('pending');
    expect(volumes[restored.VolumeId ?? '']?.data).toBe('thesis-draft-v7');
  });

  it('moves snapshots pending → completed and lists own snapshots with filters', async () => {
    const inst = await runningInstance();

    const out = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: inst.id },
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'set', Value: 'multi' }] }],
      }),
    );
    const pending = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:set', Values: ['multi'] }] }),
    );
    await sim.control.advance('5m');
    const completed = await ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [
          { Name: 'tag:set', Values: ['multi'] },
          { Name: 'status', Values: ['completed'] },
        ],
      }),
    );

    expect(out.Snapshots).toHaveLength(inst.volumes.length);
    expect(pending.Snapshots?.map((s) => s.State)).toEqual(inst.volumes.map(() => 'pending'));
    expect(completed.Snapshots?.map((s) => s.Progress)).toEqual(inst.volumes.map(() => '100%'));
  });

  it('creates an image with snapshots, refuses to delete its snapshot, copies it idempotently and deregisters it', async () => {
    const inst = await runningInstance();
    const created = await ec2.send(
      new CreateImageCommand({
        InstanceId: inst.id,
        Name: 'ws-alice-2026-09-01',
        NoReboot: true,
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'ws', Value: 'alice' }] }],
      }),
    );
    const imageId = created.ImageId ?? '';
    const pending = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    await sim.control.advance('10m');
    const mine = await ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:ws', Values: ['alice'] }] }),
    );
    const snapshotId = mine.Images?.[0]?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? '';

    const inUse = await errorOf(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
    const west = sim.ec2('us-west-2');
    const copy1 = await west.send(
      new CopyImageCommand({
        Name: 'ws-alice-copy',
        SourceImageId: imageId,
        SourceRegion: 'us-east-1',
        ClientToken: 'copy-1',
      }),
    );
    const copy2 = await west.send(
      new CopyImageCommand({
        Name: 'ws-alice-copy',
        SourceImageId: imageId,
        SourceRegion: 'us-east-1',
        ClientToken: 'copy-1',
      }),
    );
    const mismatch = await errorOf(
      west.send(
        new CopyImageCommand({
          Name: 'other-name',
          SourceImageId: imageId,
          SourceRegion: 'us-east-1',
          ClientToken: 'copy-1',
        }),
      ),
    );
    const duplicate = await errorOf(
      ec2.send(new CreateImageCommand({ InstanceId: inst.id, Name: 'ws-alice-2026-09-01' })),
    );
    await ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));

    expect(pending.Images?.[0]?.State).toBe('pending');
    expect(mine.Images?.map((i) => [i.ImageId, i.State])).toEqual([[imageId, 'available']]);
    expect(inUse).toBe('InvalidSnapshot.InUse');
    expect(copy2.ImageId).toBe(copy1.ImageId);
    expect(mismatch).toBe('IdempotentParameterMismatch');
    expect(duplicate).toBe('InvalidAMIName.Duplicate');
    expect(await errorOf(ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })))).toBe('InvalidAMIID.NotFound');
  });

  it.each([
    ['Canonical Ubuntu 22.04 and 24.04', { Owners: ['099720109477'] }, 4],
    ['Amazon Linux 2023', { Owners: ['amazon'] }, 2],
    [
      'arm64 images',
      {
        Filters: [
          { Name: 'architecture', Values: ['arm64'] },
          { Name: 'is-public', Values: ['true'] },
        ],
      },
      4,
    ],
    ['Rocky 9', { Filters: [{ Name: 'name', Values: ['Rocky-9-*'] }] }, 2],
  ])('lists the public catalog: %s', async (_name, input, count) => {
    const out = await ec2.send(new DescribeImagesCommand(input));

    expect(out.Images).toHaveLength(count);
  });
});

describe('tags and instance types', () => {
  it('creates and deletes tags on any resource id', async () => {
    const inst = await runningInstance();

    await ec2.send(
      new CreateTagsCommand({
        Resources: [inst.id, ...inst.volumes],
        Tags: [
          { Key: 'project', Value: 'p1' },
          { Key: 'owner', Value: 'bob' },
        ],
      }),
    );
    await ec2.send(
      new DeleteTagsCommand({ Resources: [inst.id], Tags: [{ Key: 'owner', Value: 'not-bob' }, { Key: 'project' }] }),
    );
    const vols = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:project', Values: ['p1'] }] }));
    const state = await sim.control.state();

    expect(vols.Volumes?.map((v) => v.VolumeId).sort()).toEqual([...inst.volumes].sort());
    expect(
      (state.ec2 as { instances: Record<string, { tags: Record<string, string> }> }).instances[inst.id]?.tags,
    ).toEqual({ owner: 'bob' });
    expect(
      await errorOf(ec2.send(new CreateTagsCommand({ Resources: [inst.id], Tags: [{ Key: 'aws:x', Value: '1' }] }))),
    ).toBe('InvalidParameterValue');
    expect(
      await errorOf(
        ec2.send(new CreateTagsCommand({ Resources: ['vol-0123456789abcdef0'], Tags: [{ Key: 'a', Value: '1' }] })),
      ),
    ).toBe('InvalidVolume.NotFound');
  });

  it('describes instance types from the price table with hibernation and GPU facts', async () => {
    const out = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m6i.large', 'g5.xlarge'] }));
    const hibernating = await ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: 'hibernation-supported', Values: ['true'] },
          { Name: 'instance-type', Values: ['m6i.*', 'm7i.*'] },
        ],
        MaxResults: 5,
      }),
    );

    const byType = Object.fromEntries((out.InstanceTypes ?? []).map((t) => [t.InstanceType, t]));
    expect(byType['m6i.large']?.VCpuInfo?.DefaultVCpus).toBe(2);
    expect(byType['m6i.large']?.MemoryInfo?.SizeInMiB).toBe(8192);
    expect(byType['m6i.large']?.HibernationSupported).toBe(true);
    expect(byType['g5.xlarge']?.GpuInfo?.Gpus?.[0]?.Count).toBe(1);
    expect(byType['g5.xlarge']?.HibernationSupported).toBe(false);
    expect(hibernating.InstanceTypes?.length).toBe(5);
    expect(hibernating.NextToken).toBeDefined();
    expect(
      await errorOf(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['zz.large' as _InstanceType] }))),
    ).toBe('InvalidInstanceType');
  });
});
