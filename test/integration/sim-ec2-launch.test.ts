/**
 * RunInstances details a workstation launch depends on: ClientToken retries that differ only in
 * the Availability Zone, NetworkInterfaces and who gets a public IPv4 address, and Spot.
 */
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Instance, RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let ec2: EC2Client;
let image: string;
let defaultSubnet: string;

async function run(extra: Partial<RunInstancesCommandInput>): Promise<Instance> {
  const out = await ec2.send(
    new RunInstancesCommand({ ImageId: image, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1, ...extra }),
  );
  return out.Instances?.[0] ?? {};
}

async function describe1(id: string): Promise<Instance> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0] ?? {};
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err: unknown) {
    return (err as { name: string }).name;
  }
  return 'ok';
}

beforeAll(async () => {
  sim = await startTestSim({ log: () => {} });
  ec2 = sim.ec2();
  const images = await ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }),
  );
  image = images.Images?.[0]?.ImageId ?? '';
  defaultSubnet = (await run({})).SubnetId ?? '';
});
afterAll(async () => {
  await sim.close();
});

describe('RunInstances ClientToken retries', () => {
  it.each([
    ['zone given, then no Placement', { Placement: { AvailabilityZone: 'us-east-1b' } }, {}],
    ['no Placement, then zone given', {}, { Placement: { AvailabilityZone: 'us-east-1c' } }],
    [
      'one zone, then another',
      { Placement: { AvailabilityZone: 'us-east-1a' } },
      { Placement: { AvailabilityZone: 'us-east-1b' } },
    ],
    ['an empty Placement, then none', { Placement: {} }, {}],
  ] as [string, Partial<RunInstancesCommandInput>, Partial<RunInstancesCommandInput>][])(
    'replays the same instance when only the zone differs: %s',
    async (name, first, retry) => {
      const token = `az-${name.replace(/\W+/g, '-')}`.slice(0, 64);
      const launched = await run({ ClientToken: token, ...first });

      const again = await run({ ClientToken: token, ...retry });

      expect(again.InstanceId).toBe(launched.InstanceId);
    },
  );

  it('still refuses a retry whose other Placement members differ', async () => {
    await run({ ClientToken: 'placement-tenancy', Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' } });

    const name = await errorName(
      run({ ClientToken: 'placement-tenancy', Placement: { AvailabilityZone: 'us-east-1a' } }),
    );

    expect(name).toBe('IdempotentParameterMismatch');
  });
});

describe('RunInstances network interfaces and public IPv4 (default-VPC behaviour)', () => {
  it.each([
    ['top level, no subnet (the default subnet maps public IPs)', {}, true],
    ['top level, the default subnet named', () => ({ SubnetId: defaultSubnet }), true],
    ['top level, another subnet (public IPs off by default)', { SubnetId: 'subnet-0abc' }, false],
    [
      'interface asks for a public IP',
      { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }] },
      true,
    ],
    [
      'interface refuses a public IP',
      { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] },
      false,
    ],
    ['interface leaves it to the default subnet', { NetworkInterfaces: [{ DeviceIndex: 0 }] }, true],
    [
      'interface leaves it to another subnet',
      { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: 'subnet-0def' }] },
      false,
    ],
    [
      'interface asks, in another subnet',
      { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: 'subnet-0def', AssociatePublicIpAddress: true }] },
      true,
    ],
  ] as [string, Partial<RunInstancesCommandInput> | (() => Partial<RunInstancesCommandInput>), boolean][])(
    '%s → public IP: %s',
    async (_name, extra, expected) => {
      const { InstanceId: id = '' } = await run(typeof extra === 'function' ? extra() : extra);

      await sim.control.advance('61s');
      const running = await describe1(id);

      expect(running.State?.Name).toBe('running');
      expect(running.PublicIpAddress !== undefined).toBe(expected);
      expect(running.PublicDnsName !== '').toBe(expected);
    },
  );

  it('places the instance in the primary interface subnet with its security groups', async () => {
    const { InstanceId: id = '' } = await run({
      NetworkInterfaces: [
        { DeviceIndex: 0, SubnetId: 'subnet-0feed', Groups: ['sg-0a1', 'sg-0b2'], AssociatePublicIpAddress: false },
      ],
    });

    const seen = await describe1(id);

    expect(seen.SubnetId).toBe('subnet-0feed');
    expect(seen.SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-0a1', 'sg-0b2']);
  });

  it.each([
    [
      'interfaces with a top-level subnet',
      { SubnetId: 'subnet-0abc', NetworkInterfaces: [{ DeviceIndex: 0 }] },
      'InvalidParameterCombination',
    ],
    [
      'interfaces with top-level groups',
      { SecurityGroupIds: ['sg-0a1'], NetworkInterfaces: [{ DeviceIndex: 0 }] },
      'InvalidParameterCombination',
    ],
    ['no interface at DeviceIndex 0', { NetworkInterfaces: [{ DeviceIndex: 1 }] }, 'InvalidParameterValue'],
    [
      'a public IP with two interfaces',
      { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }, { DeviceIndex: 1 }] },
      'InvalidParameterCombination',
    ],
  ] as [string, Partial<RunInstancesCommandInput>, string][])('refuses %s', async (_name, extra, code) => {
    const name = await errorName(run(extra));

    expect(name).toBe(code);
  });

  it('keeps a launched-without instance without a public IP after stop and start', async () => {
    const { InstanceId: id = '' } = await run({
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }],
    });
    await sim.control.advance('61s');

    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim.control.advance('31s');
    const state = await sim.control.state();

    expect(
      (state.ec2 as { instances: Record<string, { publicIp?: string; state: string }> }).instances[id],
    ).toMatchObject({ state: 'stopped' });
    expect((await describe1(id)).PublicIpAddress).toBeUndefined();
  });
});

describe('RunInstances Spot', () => {
  it('records a Spot launch: InstanceLifecycle spot, a request id, and the instance-lifecycle filter', async () => {
    const spot = await run({
      InstanceMarketOptions: {
        MarketType: 'spot',
        SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' },
      },
    });
    const onDemand = await run({});

    const seen = await describe1(spot.InstanceId ?? '');
    const filtered = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-lifecycle', Values: ['spot'] }] }),
    );

    expect(spot.InstanceLifecycle).toBe('spot');
    expect(seen.InstanceLifecycle).toBe('spot');
    expect(seen.SpotInstanceRequestId).toMatch(/^sir-[0-9a-f]{8}$/);
    expect((await describe1(onDemand.InstanceId ?? '')).InstanceLifecycle).toBeUndefined();
    expect(filtered.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([
      spot.InstanceId,
    ]);
  });

  it.each([
    [
      'stop on a one-time request',
      { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'stop' } },
      'InvalidParameterCombination',
    ],
    ['an unknown market', { MarketType: 'reserved' }, 'InvalidParameterValue'],
  ] as [string, RunInstancesCommandInput['InstanceMarketOptions'], string][])(
    'refuses %s',
    async (_name, options, code) => {
      const name = await errorName(run({ InstanceMarketOptions: options }));

      expect(name).toBe(code);
    },
  );

  it('refuses to stop a one-time Spot instance and stops a persistent one', async () => {
    const oneTime = await run({ InstanceMarketOptions: { MarketType: 'spot' } });
    const persistent = await run({
      InstanceMarketOptions: {
        MarketType: 'spot',
        SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' },
      },
    });
    await sim.control.advance('61s');

    const refused = await errorName(ec2.send(new StopInstancesCommand({ InstanceIds: [oneTime.InstanceId ?? ''] })));
    const stopped = await errorName(ec2.send(new StopInstancesCommand({ InstanceIds: [persistent.InstanceId ?? ''] })));

    expect(refused).toBe('UnsupportedOperation');
    expect(stopped).toBe('ok');
  });
});
