/**
 * EC2 hibernation behaviours `labops sim` promises, each beside the AWS documentation it comes
 * from, checked with the real @aws-sdk/client-ec2 against the sim: the state reason a stopped
 * instance reports after a hibernate and after a plain stop, and a hibernation that fails
 * falling back to a normal shutdown (the sim's `hibernationFails` fault rule, also drawn at
 * random under a seeded probability). Engineers append their own describe blocks.
 */
import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { amazonImage, conformanceSim } from '../support/conformance.js';

const aws = conformanceSim();

/** A running instance enabled for hibernation (encrypted root), up long enough to hibernate. */
async function runningHibernatable(): Promise<string> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({
      ImageId: await amazonImage(aws.ec2),
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
      HibernationOptions: { Configured: true },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, Encrypted: true } }],
    }),
  );
  await aws.sim.control.advance('5m');
  return out.Instances?.[0]?.InstanceId ?? '';
}

/** Sends StopInstances, lets the stop finish, and answers the state and state reason AWS reports. */
async function stopAndDescribe(
  id: string,
  hibernate: boolean,
): Promise<{ state?: string; code?: string; message?: string }> {
  await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: hibernate }));
  await aws.sim.control.advance('10m');
  const out = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const instance = out.Reservations?.[0]?.Instances?.[0];
  return { state: instance?.State?.Name, code: instance?.StateReason?.Code, message: instance?.StateReason?.Message };
}

describe('StateReason of a stopped instance: hibernate or plain stop', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StateReason.html
  // "Client.UserInitiatedHibernate: Hibernation was initiated on the instance."
  // "Client.UserInitiatedShutdown: The instance was shut down using the Amazon EC2 API."
  it.each([
    ['a hibernate', 'Client.UserInitiatedHibernate', true],
    ['a plain stop', 'Client.UserInitiatedShutdown', false],
  ] as const)('after %s the stopped instance reports %s', async (_name, code, hibernate) => {
    // Arrange
    const id = await runningHibernatable();

    // Act
    const observed = await stopAndDescribe(id, hibernate);

    // Assert
    expect(observed).toMatchObject({ state: 'stopped', code });
    expect(observed.message).toContain(code);
  });
});

describe('A hibernation that fails becomes a normal shutdown', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html
  // "If hibernation fails, a normal shutdown occurs."
  // (Hibernate parameter: "If the instance cannot hibernate successfully, a normal shutdown occurs.")
  // The call itself succeeds; only the state reason of the stopped instance tells the two apart.
  it('under a hibernationFails rule StopInstances(Hibernate) succeeds and the instance stops with Client.UserInitiatedShutdown', async () => {
    // Arrange
    const id = await runningHibernatable();
    await aws.sim.control.faults({ rules: [{ operation: 'EC2.StopInstances', kind: 'hibernationFails' }] });

    // Act
    const observed = await stopAndDescribe(id, true);

    // Assert
    expect(observed).toMatchObject({ state: 'stopped', code: 'Client.UserInitiatedShutdown' });
  });

  it('under a seeded probability some hibernations fail and others do not, the same ones on every run', async () => {
    // Arrange
    const ids = await Promise.all(Array.from({ length: 8 }, () => runningHibernatable()));
    const plan = {
      seed: 7,
      rules: [{ operation: 'EC2.StopInstances', kind: 'hibernationFails' as const, probability: 0.5 }],
    };

    // Act
    const runs: string[][] = [];
    for (let run = 0; run < 2; run += 1) {
      await aws.sim.control.faults(plan);
      const codes: string[] = [];
      for (const id of ids) {
        codes.push((await stopAndDescribe(id, true)).code ?? '');
        await aws.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
        await aws.sim.control.advance('10m');
      }
      runs.push(codes);
    }

    // Assert
    expect(new Set(runs[0])).toEqual(new Set(['Client.UserInitiatedHibernate', 'Client.UserInitiatedShutdown']));
    expect(runs[1]).toEqual(runs[0]);
  });

  it('a plain stop under the rule is not counted as a failed hibernation', async () => {
    // Arrange
    const [plain, hibernating] = [await runningHibernatable(), await runningHibernatable()];
    await aws.sim.control.faults({ rules: [{ operation: 'EC2.StopInstances', kind: 'hibernationFails', count: 1 }] });

    // Act
    const first = await stopAndDescribe(plain, false);
    const second = await stopAndDescribe(hibernating, true);

    // Assert
    expect([first.code, second.code]).toEqual(['Client.UserInitiatedShutdown', 'Client.UserInitiatedShutdown']);
  });
});

describe('DescribeInstances filter state-reason-code tells a hibernate from a stop', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
  // "state-reason-code - The reason code for the state change."
  // (The EC2 User Guide verifies a hibernate with this filter and Client.UserInitiatedHibernate.)
  it('finds the hibernated instance and not the one whose hibernation failed into a stop', async () => {
    // Arrange
    const [hibernated, failed] = [await runningHibernatable(), await runningHibernatable()];
    await stopAndDescribe(hibernated, true);
    await aws.sim.control.faults({ rules: [{ operation: 'EC2.StopInstances', kind: 'hibernationFails' }] });
    await stopAndDescribe(failed, true);

    // Act
    const out = await aws.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'state-reason-code', Values: ['Client.UserInitiatedHibernate'] }],
      }),
    );

    // Assert
    expect(out.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([hibernated]);
  });
});
