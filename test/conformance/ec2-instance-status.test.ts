/**
 * The two reads `labops status` makes for readiness, each beside the AWS documentation it follows,
 * checked with the real @aws-sdk/client-ec2 against the sim: DescribeInstanceStatus (running
 * instances only by default; ids and MaxResults not together) and GetConsoleOutput (base64 text
 * of the console, the provisioning marker on it once the script ends).
 */
import {
  DescribeInstanceStatusCommand,
  GetConsoleOutputCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { amazonImage, conformanceSim, outcome } from '../support/conformance.js';

const aws = conformanceSim();

async function launch(userData?: string): Promise<string> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({
      ImageId: await amazonImage(aws.ec2),
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
      ...(userData === undefined ? {} : { UserData: Buffer.from(userData).toString('base64') }),
    }),
  );
  return out.Instances?.[0]?.InstanceId ?? '';
}

describe('DescribeInstanceStatus', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html
  // "By default, only running instances are described, unless you specifically indicate to return
  // the status of all instances."
  it('describes running instances only, unless IncludeAllInstances', async () => {
    const running = await launch();
    const stopped = await launch();
    await aws.sim.control.advance('10m');
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    await aws.sim.control.advance('10m');

    const byDefault = await aws.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [running, stopped] }));
    const all = await aws.ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: [running, stopped], IncludeAllInstances: true }),
    );

    expect(byDefault.InstanceStatuses?.map((s) => [s.InstanceId, s.InstanceStatus?.Status])).toEqual([[running, 'ok']]);
    expect(all.InstanceStatuses?.map((s) => [s.InstanceId, s.InstanceState?.Name, s.InstanceStatus?.Status])).toEqual([
      [running, 'running', 'ok'],
      [stopped, 'stopped', 'not-applicable'],
    ]);
  });

  // "Status checks - Amazon EC2 performs status checks on running EC2 instances to identify
  // hardware and software issues." Right after a start they read initializing.
  it('reads initializing right after a start', async () => {
    const id = await launch();
    await aws.sim.control.advance('90s');

    const out = await aws.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));

    expect(out.InstanceStatuses?.[0]?.InstanceStatus?.Status).toBe('initializing');
  });

  // InstanceIds: "Constraints: Maximum 100 explicitly specified instance IDs." MaxResults: "You
  // cannot specify this parameter and the instance IDs parameter in the same request."
  it('refuses InstanceIds together with MaxResults', async () => {
    const id = await launch();

    expect(await outcome(aws.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], MaxResults: 5 })))).toBe(
      'InvalidParameterCombination',
    );
  });
});

describe('GetConsoleOutput', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleOutput.html
  // "For Linux instances, the instance console output displays the exact console output that would
  // normally be displayed on a physical monitor attached to a computer." Output is base64.
  // "You can optionally retrieve the latest serial console output at any time during the instance
  // lifecycle. This option is supported on instance types that use the Nitro hypervisor."
  it('answers base64 console text; the provisioning marker appears once the script has ended', async () => {
    const id = await launch('#cloud-config\nruncmd:\n  - [sh, -c, "echo labops-provision: ready after 1s"]\n');
    await aws.sim.control.advance('1m');
    const early = await aws.ec2.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }));
    await aws.sim.control.advance('10m');
    const later = await aws.ec2.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }));

    const text = (o: { Output?: string }) => Buffer.from(o.Output ?? '', 'base64').toString('utf8');
    expect(early.InstanceId).toBe(id);
    expect(text(early)).toMatch(/^\[ {4}0\.000000\] Linux version/);
    expect(text(early)).not.toContain('labops-provision:');
    expect(text(later)).toContain('labops-provision: ready after 240s');
  });

  it('answers InvalidInstanceID.NotFound for an unknown instance', async () => {
    expect(await outcome(aws.ec2.send(new GetConsoleOutputCommand({ InstanceId: 'i-0123456789abcdef0' })))).toBe(
      'InvalidInstanceID.NotFound',
    );
  });
});
