/**
 * Which EnvironmentImage a built AMI belongs to comes from its Image Builder build (the build's own
 * `labops:name`, set by labops' CreateImage), never from the AMI's tags. Attack: anyone allowed
 * ec2:CreateTags (a student's workstation role) retags the lab's real, unused built AMI with
 * `labops:name` of an EnvironmentImage that does not exist. Read from the AMI's tag, that makes it
 * the AMI of a removed EnvironmentImage, and with the Lab's `prune: true` labops deregisters its own
 * image and deletes its snapshots.
 */
import { CreateTagsCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { failures, startRunHarness } from '../integration/run-harness.js';
import type { RunHarness } from '../integration/run-harness.js';

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

const ENVIRONMENT = `apiVersion: labops/v1
kind: Environment
metadata: { name: fmri, version: 1.0.0 }
spec:
  inherits: base-ubuntu@^1
  packages: { pip: [nibabel] }
`;

const IMAGE = `apiVersion: labops/v1
kind: EnvironmentImage
metadata: { name: fmri, owner: pi, project: neuro }
spec:
  environment: fmri@^1
  regions: [us-east-1]
  instanceTypes: [m6i.xlarge]
`;

describe('a retagged built AMI is still its EnvironmentImage’s', () => {
  it('labops:name of a removed EnvironmentImage on the real AMI: prune retires nothing, the AMI stays', async () => {
    rh = await startRunHarness({ 'environments/fmri.yaml': ENVIRONMENT, 'images/fmri.yaml': IMAGE }, { prune: true });
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    await rh.reconcile();
    const ec2 = rh.h.sim.ec2('us-east-1');
    const before = await ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:labops:name', Values: ['fmri'] }] }),
    );
    const real = before.Images?.[0]?.ImageId ?? '';
    await ec2.send(new CreateTagsCommand({ Resources: [real], Tags: [{ Key: 'labops:name', Value: 'ghost' }] }));
    await rh.h.sim.control.resetCalls();

    const run = await rh.reconcile();

    expect(real).toMatch(/^ami-/);
    expect(failures(run)).toEqual([]);
    expect(run.plan?.actions.filter((a) => a.kind === 'retire-image')).toEqual([]);
    expect((await rh.h.sim.control.calls())['EC2.DeregisterImage'] ?? 0).toBe(0);
    const after = await ec2.send(new DescribeImagesCommand({ ImageIds: [real] }));
    expect(after.Images?.map((i) => i.State)).toEqual(['available']);
  });
});
