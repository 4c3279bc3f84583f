import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  paginateDescribeInstances,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let ec2: EC2Client;
let ubuntu: string;
let ubuntuArm: string;

async function imageNamed(pattern: string): Promise<string> {
  const out = await ec2.send(
    new DescribeImagesCommand({ Owners: ['099720109477'], Filters: [{ Name: 'name', Values: [pattern] }] }),
  );
  return out.Images?.[0]?.ImageId ?? '';
}

function launch(extra: Partial<RunInstancesCommandInput> = {}): Promise<{ id: string; token?: string }> {
  return ec2
    .send(new RunInstancesCommand({ ImageId: ubuntu, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1, ...extra }))
    .then((r) => ({ id: r.Instances?.[0]?.InstanceId ?? '', token: r.Instances?.[0]?.ClientToken }));
}

async function stateOf(id: string): Promise<string | undefined> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (err: unknown) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const HIBERNATING: Partial<RunInstancesCommandInput> = {
  InstanceType: 'm6i.large',
  HibernationOptions: { Configured: true },
  BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 30, Encrypted: true } }],
};

beforeAll(async () => {
  sim = await startTestSim({ log: () => {} });
  ec2 = sim.ec2();
  ubuntu = await imageNamed('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*');
  ubuntuArm = await imageNamed('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-*');
});
afterAll(async () => {
  await sim.close();
});

describe('RunInstances', () => {
  it('returns the same reservation for the same ClientToken and parameters', async () => {
    const first = await ec2.send(
      new RunInstancesCommand({
        ImageId: ubuntu,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        ClientToken: 'ws-alice-gen1',
      }),
    );

    const again = await ec2.send(
      new RunInstancesCommand({
        ImageId: ubuntu,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        ClientToken: 'ws-alice-gen1',
      }),
    );
    const byToken = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['ws-alice-gen1'] }] }),
    );

    expect(again.ReservationId).toBe(first.ReservationId);
    expect(again.Instances?.map((i) => i.InstanceId)).toEqual(first.Instances?.map((i) => i.InstanceId));
    expect(byToken.Reservations?.flatMap((r) => r.Instances ?? []).length).toBe(1);
  });

  it.each([
    ['another instance type', { InstanceType: 't3.large' }, 'IdempotentParameterMismatch'],
    ['a token over 64 characters', { ClientToken: 'x'.repeat(65) }, 'InvalidParameterValue'],
    ['an unknown image', { ImageId: 'ami-0123456789abcdef0' }, 'InvalidAMIID.NotFound'],
    ['an unknown instance type', { InstanceType: 'm99.huge' }, 'InvalidParameterValue'],
    ['an arm64 type on an x86_64 image', { InstanceType: 'm7g.large' }, 'InvalidParameterValue'],
    [
      'hibernation on an unencrypted root',
      { HibernationOptions: { Configured: true } },
      'UnsupportedHibernationConfiguration',
    ],
    [
      'hibernation with a root smaller than RAM',
      {
        ...HIBERNATING,
        InstanceType: 'r6i.2xlarge',
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 20, Encrypted: true } }],
      },
      'UnsupportedHibernationConfiguration',
    ],
    ['hibernation on a GPU type', { ...HIBERNATING, InstanceType: 'g5.xlarge' }, 'UnsupportedHibernationConfiguration'],
    ['MinCount above MaxCount', { MinCount: 3, MaxCount: 2 }, 'InvalidParameterValue'],
  ] as [string, Partial<RunInstancesCommandInput>, string][])('refuses %s', async (_name, extra, code) => {
    await ec2.send(
      new RunInstancesCommand({
        ImageId: ubuntu,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        ClientToken: 'refusal-base',
      }),
    );

    const error = await errorOf(
      ec2.send(
        new RunInstancesCommand({
          ImageId: ubuntu,
          InstanceType: 't3.medium',
          MinCount: 1,
          MaxCount: 1,
          ClientToken: extra.ClientToken ?? (code === 'IdempotentParameterMismatch' ? 'refusal-base' : undefined),
          ...extra,
        }),
      ),
    );

    expect(error.name).toBe(code);
    expect(error.status).toBe(400);
  });

  it('launches MaxCount instances with tags on instances and volumes, and stores launch settings', async () => {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: ubuntuArm,
        InstanceType: 'm7g.large',
        MinCount: 1,
        MaxCount: 3,
        SubnetId: 'subnet-0abc',
        SecurityGroupIds: ['sg-0aaa'],
        UserData: Buffer.from('#cloud-config').toString('base64'),
        IamInstanceProfile: { Name: 'lab-ws' },
        MetadataOptions: { HttpTokens: 'required' },
        BlockDeviceMappings: [
          { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'gp3', DeleteOnTermination: false } },
        ],
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'labops:name', Value: 'batch3' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'labops:volume', Value: 'yes' }] },
        ],
      }),
    );

    const instances = out.Instances ?? [];
    expect(instances).toHaveLength(3);
    expect(instances.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2]);
    expect(instances[0]?.Architecture).toBe('arm64');
    expect(instances[0]?.SubnetId).toBe('subnet-0abc');
    expect(instances[0]?.SecurityGroups?.[0]?.GroupId).toBe('sg-0aaa');
    expect(instances[0]?.BlockDeviceMappings?.map((b) => b.DeviceName)).toEqual(['/dev/sda1', '/dev/sdf']);
    const state = await sim.control.state();
    const stored = (state.ec2 as { instances: Record<string, { userData?: string }> }).instances[
      instances[0]?.InstanceId ?? ''
    ];
    expect(stored?.userData).toBe(Buffer.from('#cloud-config').toString('base64'));
  });
});

describe('instance lifecycle with the simulated clock', () => {
  it('moves pending → running → stopping → stopped → pending → running → shutting-down → terminated → gone', async () => {
    const { id } = await launch();
    const seen: (string | undefined)[] = [await stateOf(id)];

    await sim.control.advance('61s');
    seen.push(await stateOf(id));
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    seen.push(await stateOf(id));
    await sim.control.advance('31s');
    seen.push(await stateOf(id));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    seen.push(await stateOf(id));
    await sim.control.advance('1m');
    seen.push(await stateOf(id));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    seen.push(await stateOf(id));
    await sim.control.advance('31s');
    seen.push(await stateOf(id));
    await sim.control.advance('61m');

    expect(seen).toEqual([
      'pending',
      'running',
      'stopping',
      'stopped',
      'pending',
      'running',
      'shutting-down',
      'terminated',
    ]);
    expect((await errorOf(ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })))).name).toBe(
      'InvalidInstanceID.NotFound',
    );
  });

  it('terminates idempotently, deleting DeleteOnTermination volumes and keeping the others', async () => {
    const { id } = await launch({
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 50, DeleteOnTermination: false } }],
    });
    await sim.control.advance('1m');

    const first = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const second = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await sim.control.advance('1m');
    const state = await sim.control.state();

    expect(first.TerminatingInstances?.[0]?.PreviousState?.Name).toBe('running');
    expect(second.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('shutting-down');
    const volumes = Object.values(
      (state.ec2 as { volumes: Record<string, { size: number; state: string; attachment?: unknown }> }).volumes,
    );
    const kept = volumes.filter((v) => v.size === 50 && v.state === 'available' && v.attachment === undefined);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    const terminated = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(terminated.Reservations?.[0]?.Instances?.[0]).toMatchObject({
      State: { Name: 'terminated' },
      BlockDeviceMappings: [],
    });
  });

  it('fails a whole request for one unknown or malformed id', async () => {
    const { id } = await launch();
    await sim.control.advance('1m');

    const unknown = await errorOf(ec2.send(new StopInstancesCommand({ InstanceIds: [id, 'i-0123456789abcdef0'] })));
    const malformed = await errorOf(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id, 'i-zz'] })));

    expect(unknown.name).toBe('InvalidInstanceID.NotFound');
    expect(malformed.name).toBe('InvalidInstanceID.Malformed');
    expect(await stateOf(id)).toBe('running');
  });

  it.each([
    ['stop a pending instance', 'pending', () => ({ op: 'stop' as const })],
    ['start a stopping instance', 'stopping', () => ({ op: 'start' as const })],
  ])('refuses to %s with IncorrectInstanceState', async (_name, where, make) => {
    const { id } = await launch();
    if (where === 'stopping') {
      await sim.control.advance('1m');
      await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    }

    const { op } = make();
    const call =
      op === 'stop'
        ? new StopInstancesCommand({ InstanceIds: [id] })
        : new StartInstancesCommand({ InstanceIds: [id] });
    const error = await errorOf(ec2.send(call));

    expect(error.name).toBe('IncorrectInstanceState');
  });

  it('hibernates an instance configured for it, only once it has been up two minutes', async () => {
    const { id } = await launch(HIBERNATING);
    await sim.control.advance('1m');

    const tooSoon = await errorOf(ec2.send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true })));
    await sim.control.advance('2m');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true }));
    await sim.control.advance('2m');
    const out = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'hibernation-options.configured', Values: ['true'] },
          { Name: 'instance-id', Values: [id] },
        ],
      }),
    );

    expect(tooSoon.name).toBe('IncorrectInstanceState');
    const inst = out.Reservations?.[0]?.Instances?.[0];
    expect(inst?.State?.Name).toBe('stopped');
    expect(inst?.StateReason?.Code).toBe('Client.UserInitiatedHibernate');
  });

  it('refuses to hibernate an instance not configured for hibernation', async () => {
    const { id } = await launch();
    await sim.control.advance('5m');

    const error = await errorOf(ec2.send(new StopInstancesCommand({ InstanceIds: [id], Hibernate: true })));

    expect(error.name).toBe('UnsupportedHibernationConfiguration');
  });
});

describe('ModifyInstanceAttribute', () => {
  it('changes the type of a stopped instance only', async () => {
    const { id } = await launch();
    await sim.control.advance('1m');

    const running = await errorOf(
      ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm6i.xlarge' } })),
    );
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim.control.advance('1m');
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm6i.xlarge' } }));
    const badType = await errorOf(
      ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'nope.large' } })),
    );
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));

    expect(running.name).toBe('IncorrectInstanceState');
    expect(badType.name).toBe('InvalidInstanceAttributeValue');
    expect(out.Reservations?.[0]?.Instances?.[0]?.InstanceType).toBe('m6i.xlarge');
  });

  it('refuses a type change on a hibernation-enabled instance', async () => {
    const { id } = await launch(HIBERNATING);
    await sim.control.advance('1m');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim.control.advance('1m');

    const error = await errorOf(
      ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm6i.xlarge' } })),
    );

    expect(error.name).toBe('UnsupportedOperation');
  });
});

describe('DescribeInstances', () => {
  it('pages through a tagged fleet with MaxResults and NextToken', async () => {
    await ec2.send(
      new RunInstancesCommand({
        ImageId: ubuntu,
        InstanceType: 't3.medium',
        MinCount: 23,
        MaxCount: 23,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'fleet', Value: 'paging' }] }],
      }),
    );
    const ids: string[] = [];
    let pages = 0;

    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: 'tag:fleet', Values: ['paging'] }], MaxResults: 5 },
    )) {
      pages += 1;
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) ids.push(i.InstanceId ?? '');
    }

    expect(pages).toBe(5);
    expect(new Set(ids).size).toBe(23);
  });

  it.each([
    ['tag-key', [{ Name: 'tag-key', Values: ['fleet'] }], 23],
    ['tag value wildcard', [{ Name: 'tag:fleet', Values: ['pag*'] }], 23],
    [
      'state and tag',
      [
        { Name: 'instance-state-name', Values: ['running'] },
        { Name: 'tag:fleet', Values: ['paging'] },
      ],
      0,
    ],
    [
      'instance-type',
      [
        { Name: 'instance-type', Values: ['t3.medium'] },
        { Name: 'tag:fleet', Values: ['paging'] },
      ],
      23,
    ],
  ])('filters by %s', async (_name, filters, expected) => {
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));

    expect(out.Reservations?.flatMap((r) => r.Instances ?? []).length).toBe(expected);
  });

  it.each([
    ['MaxResults below 5', { MaxResults: 4 }, 'InvalidParameterValue'],
    [
      'MaxResults with InstanceIds',
      { MaxResults: 5, InstanceIds: ['i-0123456789abcdef0'] },
      'InvalidParameterCombination',
    ],
    ['an unknown filter', { Filters: [{ Name: 'no-such-filter', Values: ['x'] }] }, 'InvalidParameterValue'],
    ['a bad NextToken', { NextToken: 'garbage', MaxResults: 5 }, 'InvalidPaginationToken'],
    ['a malformed id', { InstanceIds: ['instance-1'] }, 'InvalidInstanceID.Malformed'],
  ])('refuses %s', async (_name, input, code) => {
    const error = await errorOf(ec2.send(new DescribeInstancesCommand(input)));

    expect(error.name).toBe(code);
  });

  it('shows instances only in the Region they were launched in', async () => {
    const { id } = await launch();
    const west = sim.ec2('eu-west-1');

    const error = await errorOf(west.send(new DescribeInstancesCommand({ InstanceIds: [id] })));

    expect(error.name).toBe('InvalidInstanceID.NotFound');
  });
});
