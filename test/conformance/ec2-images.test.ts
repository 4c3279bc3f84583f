/**
 * EC2 image and snapshot behaviours `labops sim` promises, each beside the AWS documentation it
 * comes from, checked with the real @aws-sdk/client-ec2 against the sim: which instance states
 * CreateImage accepts, and tags set at creation (TagSpecifications) on CreateImage and
 * CreateSnapshot. Engineers append their own describe blocks.
 */
import { CreateImageCommand, CreateSnapshotCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let ec2: EC2Client;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {} });
  ec2 = sim.ec2();
});
afterEach(async () => {
  await sim.close();
});

/** Launches one instance of the public Amazon Linux image; `pending` until the clock moves. */
async function launch(): Promise<string> {
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }));
  const out = await ec2.send(new RunInstancesCommand({ ImageId: images.Images?.[0]?.ImageId, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1 }));
  return out.Instances?.[0]?.InstanceId ?? '';
}

async function stateOf(id: string): Promise<string | undefined> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** The instance in `state`: launched, then moved there through the API and the sim's clock. */
async function instanceIn(state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down'): Promise<string> {
  const id = await launch();
  if (state === 'pending') return id;
  await sim.control.advance('5m');
  if (state === 'stopping' || state === 'stopped') await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  if (state === 'shutting-down') await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  if (state === 'stopped') await sim.control.advance('10m');
  return id;
}

async function outcome(promise: Promise<unknown>): Promise<{ name: string; message?: string }> {
  try {
    await promise;
  } catch (err: unknown) {
    const e = err as { name: string; message: string };
    return { name: e.name, message: e.message };
  }
  return { name: 'accepted' };
}

describe('CreateImage: which instance states it accepts', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
  // "Creates an Amazon EBS-backed AMI from an Amazon EBS-backed instance that is either running or stopped."
  // Any other state is refused with IncorrectInstanceState (the error labops met on a real-time clock,
  // issue 14: "The instance … is not in the 'running' or 'stopped' state").
  it.each([
    ['running', 'accepted'],
    ['stopped', 'accepted'],
    ['pending', 'IncorrectInstanceState'],
    ['stopping', 'IncorrectInstanceState'],
    ['shutting-down', 'IncorrectInstanceState'],
  ] as const)('an instance that is %s: %s', async (state, expected) => {
    const id = await instanceIn(state);
    expect(await stateOf(id)).toBe(state);

    const result = await outcome(ec2.send(new CreateImageCommand({ InstanceId: id, Name: `conformance-${state}`, NoReboot: true })));

    expect(result.name).toBe(expected);
    if (expected !== 'accepted') expect(result.message).toBe(`The instance '${id}' is not in the 'running' or 'stopped' state.`);
  });
});

describe('TagSpecifications: tags set at creation', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html (TagSpecification.N)
  // "The tags to apply to the AMI and snapshots on creation. You can tag the AMI, the snapshots, or both."
  // "To tag the AMI, the value for ResourceType must be image."
  // "To tag the snapshots that are created of the root volume and of other Amazon EBS volumes that are
  // attached to the instance, the value for ResourceType must be snapshot. The same tag is applied to all
  // of the snapshots that are created."
  it('CreateImage tags the AMI with the image specification and every snapshot it makes with the snapshot one', async () => {
    const id = await instanceIn('running');

    const out = await ec2.send(new CreateImageCommand({
      InstanceId: id,
      Name: 'conformance-tagged',
      NoReboot: true,
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'for', Value: 'image' }] }, { ResourceType: 'snapshot', Tags: [{ Key: 'for', Value: 'snapshot' }] }],
    }));

    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [out.ImageId ?? ''] }))).Images?.[0];
    expect(image?.Tags).toEqual([{ Key: 'for', Value: 'image' }]);
    const snapshotIds = (image?.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId ?? '');
    expect(snapshotIds.length).toBeGreaterThan(0);
    const snapshots = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
    expect((snapshots.Snapshots ?? []).map((s) => s.Tags)).toEqual(snapshotIds.map(() => [{ Key: 'for', Value: 'snapshot' }]));
  });

  // Same page: "If you specify other values for ResourceType, the request fails."
  it('CreateImage refuses a ResourceType other than image or snapshot', async () => {
    const id = await instanceIn('running');

    const result = await outcome(ec2.send(new CreateImageCommand({ InstanceId: id, Name: 'conformance-bad-type', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }] })));

    expect(result.name).toBe('InvalidParameterValue');
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html (TagSpecification.N)
  // "The tags to apply to the snapshot during creation."
  it('CreateSnapshot tags the snapshot at creation', async () => {
    const id = await instanceIn('running');
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];
    const volumeId = instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? '';

    const out = await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'labops:repo', Value: 'lab/neuro' }] }] }));

    expect(out.Tags).toEqual([{ Key: 'labops:repo', Value: 'lab/neuro' }]);
    const described = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [out.SnapshotId ?? ''] }));
    expect(described.Snapshots?.[0]?.Tags).toEqual([{ Key: 'labops:repo', Value: 'lab/neuro' }]);
  });
});
