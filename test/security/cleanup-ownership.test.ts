/**
 * `labops cleanup` deletes only what labops made for this lab, through the built CLI against
 * `labops sim`. Tags are labels anyone with ec2:CreateTags can write, so: an instance someone else
 * launched and then tagged as one of this lab's workstations (it shows up as an orphan) is not
 * terminated — its ClientToken, set by RunInstances and never changeable, is not the one labops
 * derives for it; and another lab's kept volume is never listed nor deleted. Needs `npm run build`.
 */
import {
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { runBuiltCli } from '../support/cli-run.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = 'lab-org/owned-lab';
let sim: TestSim;
let labDir: string;
const cleanups: (() => void)[] = [];

const labops = (args: string[]) => runBuiltCli([...args, '--repo', REPO], labDir, sim.env());

beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
  const lab = makeLab(
    { 'labops.yaml': LAB_YAML.replace('PRUNE', 'false'), 'workstations/alice.yaml': workstationYaml('alice-ws') },
    null,
  );
  cleanups.push(lab.cleanup);
  labDir = lab.dir;
  const applied = await labops(['apply', '.', '--record', 'off']);
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stdout}${applied.stderr}`);
}, 60_000);
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});

async function instance(id: string) {
  const out = await sim.ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0];
}

describe('cleanup never deletes what labops does not own', { timeout: 60_000 }, () => {
  it("an instance launched by someone else and tagged as this lab's workstation is listed but not terminated", async () => {
    // Arrange: a hand-launched instance given every tag labops would put on bob-ws.
    const alice = (await sim.ec2().send(new DescribeInstancesCommand({}))).Reservations![0]!.Instances![0]!;
    const launched = await sim
      .ec2()
      .send(new RunInstancesCommand({ ImageId: alice.ImageId!, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1 }));
    const foreign = launched.Instances![0]!.InstanceId!;
    const tags = Object.fromEntries((alice.Tags ?? []).map((t) => [t.Key!, t.Value!]));
    await sim.ec2().send(
      new CreateTagsCommand({
        Resources: [foreign],
        Tags: Object.entries({ ...tags, 'labops:name': 'bob-ws', Name: 'bob-ws' }).map(([Key, Value]) => ({
          Key,
          Value,
        })),
      }),
    );
    await sim.control.advance('5m');

    // Act
    const listed = await labops(['cleanup', '--format', 'json']);
    const result = await labops(['cleanup', '--delete', foreign, '--yes']);

    // Assert
    expect(JSON.parse(listed.stdout).items.map((i: { id: string }) => i.id)).toContain(foreign);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `not deleted: instance ${foreign} was not launched by labops for this lab (its ClientToken does not match its tags)`,
    );
    expect((await instance(foreign))?.State?.Name).toBe('running');
  });

  it("another lab's kept volume is neither listed nor deleted", async () => {
    // Arrange
    const volume = await sim.ec2().send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 500,
        VolumeType: 'gp3',
        TagSpecifications: [
          {
            ResourceType: 'volume',
            Tags: [
              { Key: 'labops:repo', Value: 'other-org/other-lab' },
              { Key: 'labops:kind', Value: 'Workstation' },
              { Key: 'labops:name', Value: 'alice-ws' },
              { Key: 'labops:volume', Value: 'data' },
            ],
          },
        ],
      }),
    );

    // Act
    const listed = await labops(['cleanup', '--format', 'json']);
    const result = await labops(['cleanup', '--delete', volume.VolumeId!, '--yes']);

    // Assert
    expect(JSON.parse(listed.stdout).items.map((i: { id: string }) => i.id)).not.toContain(volume.VolumeId);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not in the list of what labops left behind');
    const after = await sim.ec2().send(new DescribeVolumesCommand({ VolumeIds: [volume.VolumeId!] }));
    expect(after.Volumes?.[0]?.State).toBe('available');
  });
});
