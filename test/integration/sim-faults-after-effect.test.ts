import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, seed: 7 });
});
afterEach(async () => {
  await sim.close();
});

describe('faults with afterEffect: the call is carried out, its reply lost', () => {
  it.each([
    ['with our ClientToken', 'same-token'],
    ['with the token the SDK fills in once per call', undefined],
  ])('RunInstances %s: the SDK retry gets the same instance back', async (_name, token) => {
    const ec2 = new EC2Client({ ...sim.settings() });
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId;
    await sim.control.faults({ rules: [{ operation: 'EC2.RunInstances', kind: '5xx', count: 1, afterEffect: true }] });

    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        ...(token === undefined ? {} : { ClientToken: token }),
      }),
    );
    const all = await ec2.send(new DescribeInstancesCommand({}));
    ec2.destroy();

    expect(out.$metadata.attempts).toBe(2);
    expect(all.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(1);
  });

  it('CreateSnapshot (no idempotency token): the SDK retry makes a second snapshot', async () => {
    const ec2 = new EC2Client({ ...sim.settings() });
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }));
    await sim.control.advance('1m');
    await sim.control.faults({
      rules: [{ operation: 'EC2.CreateSnapshot', kind: '5xx', count: 1, afterEffect: true }],
    });

    const out = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId }));
    const all = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    ec2.destroy();

    expect(out.$metadata.attempts).toBe(2);
    expect(all.Snapshots).toHaveLength(2);
  });

  it('rejects a non-boolean afterEffect with 400', async () => {
    const res = await sim.control.request('POST', 'faults', {
      rules: [{ operation: 'EC2.RunInstances', kind: '5xx', afterEffect: 'yes' }],
    });

    expect(res.status).toBe(400);
  });

  it('latency with afterEffect: the call takes effect and is logged before its reply is held back', async () => {
    const ec2 = new EC2Client({ ...sim.settings() });
    await sim.control.faults({
      rules: [{ operation: 'EC2.CreateVolume', kind: 'latency', latencyMs: 1500, afterEffect: true }],
    });
    await sim.control.request('POST', 'requests/reset');

    const started = Date.now();
    const reply = ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 7 }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const { body } = await sim.control.request('GET', 'requests');
    const reader = new EC2Client({ ...sim.settings() });
    const during = await reader.send(new DescribeVolumesCommand({ Filters: [{ Name: 'size', Values: ['7'] }] }));
    const out = await reply;
    const waited = Date.now() - started;
    ec2.destroy();
    reader.destroy();

    expect((body as { requests: { operation: string }[] }).requests.map((r) => r.operation)).toContain(
      'EC2.CreateVolume',
    );
    expect(during.Volumes?.map((v) => v.VolumeId)).toEqual([out.VolumeId]);
    expect(waited).toBeGreaterThanOrEqual(1500);
    expect(out.$metadata.attempts).toBe(1);
  });
});
