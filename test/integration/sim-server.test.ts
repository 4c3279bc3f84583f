import { networkInterfaces } from 'node:os';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimCommand } from '../../reconciler/src/cli/commands/sim.js';
import { startSim } from '../../reconciler/src/sim/index.js';
import type { SimService } from '../../reconciler/src/sim/index.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const UBUNTU_FILTER = { Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] };
const EC2_FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let sim: TestSim;
let logged: string[];

async function post(
  path: string,
  body: string,
  headers: Record<string, string> = EC2_FORM,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  logged = [];
  sim = await startTestSim({ log: (_data, message) => logged.push(message) });
});
afterAll(async () => {
  await sim.close();
});

describe('protocols', () => {
  it('answers EC2 over the Query protocol through the real SDK', async () => {
    const ec2 = sim.ec2();
    const images = await ec2.send(new DescribeImagesCommand({ Filters: [UBUNTU_FILTER] }));

    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: images.Images?.[0]?.ImageId,
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'a' }] }],
      }),
    );
    const described = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:team', Values: ['a'] }] }));

    expect(run.Instances?.[0]?.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(described.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
    expect(described.Reservations?.[0]?.Instances?.[0]?.State).toEqual({ Code: 0, Name: 'pending' });
  });

  it('answers STS GetCallerIdentity', async () => {
    const id = await sim.sts().send(new GetCallerIdentityCommand({}));

    expect(id.Account).toBe('123456789012');
  });

  it('honours AWS_ENDPOINT_URL when the client has no endpoint', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = sim.url;
    try {
      const { endpoint: _e, ...rest } = sim.settings();
      const client = new EC2Client(rest);
      const out = await client.send(new DescribeInstancesCommand({}));
      client.destroy();

      expect(Array.isArray(out.Reservations)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it.each([
    ['an unknown EC2 action', 'Action=LaunchRocket&Version=2016-11-15', 400, 'InvalidAction'],
    ['an unknown parameter', 'Action=DescribeInstances&Version=2016-11-15&Bogus=1', 400, 'UnknownParameter'],
    [
      'a non-numeric MaxResults',
      'Action=DescribeInstances&Version=2016-11-15&MaxResults=lots',
      400,
      'InvalidParameterValue',
    ],
    ['a bad list index', 'Action=DescribeInstances&Version=2016-11-15&InstanceId.x=i-1', 400, 'InvalidParameterValue'],
    [
      'RunInstances without MinCount',
      'Action=RunInstances&Version=2016-11-15&MaxCount=1&ImageId=ami-0123456789abcdef0',
      400,
      'MissingParameter',
    ],
    ['DryRun', 'Action=DescribeInstances&Version=2016-11-15&DryRun=true', 412, 'DryRunOperation'],
  ])('answers %s with EC2 error XML', async (_name, body, status, code) => {
    const res = await post('/', body);

    expect(res.status).toBe(status);
    expect(res.text).toContain(`<Response><Errors><Error><Code>${code}</Code>`);
    expect(res.text).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID>/);
  });

  it.each([
    ['no AWS operation', '/nowhere', 'x=1', EC2_FORM, 404],
    [
      'an unknown JSON target',
      '/',
      '{}',
      { 'x-amz-target': 'NoSuchService.Op', 'content-type': 'application/x-amz-json-1.1' },
      404,
    ],
    [
      'a body over the size limit',
      '/',
      'Action=DescribeInstances&Version=2016-11-15&x=' + 'a'.repeat(9 * 1024 * 1024),
      EC2_FORM,
      413,
    ],
    ['bad JSON to the control API', '/_sim/clock', '{not json', { 'content-type': 'application/json' }, 400],
  ])('answers %s and keeps serving', async (_name, path, body, headers, status) => {
    const res = await post(path, body, headers);
    const after = await sim.ec2().send(new DescribeImagesCommand({ Owners: ['amazon'] }));

    expect(res.status).toBe(status);
    expect(after.Images?.length).toBe(2);
  });
});

describe('robustness and binding', () => {
  it('turns an unexpected handler exception into 500 InternalError, logs it, and keeps serving', async () => {
    const broken: SimService = {
      name: 'EC2',
      operations: {
        DescribeInstances: () => {
          throw new TypeError('boom');
        },
      },
    };
    const local = await startSim({ services: [broken], log: (_d, m) => logged.push(m) });
    const client = new EC2Client({ ...sim.settings(), endpoint: local.url, maxAttempts: 1 });

    const error = await client
      .send(new DescribeInstancesCommand({}))
      .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    const second = await client.send(new DescribeInstancesCommand({})).catch((e: unknown) => e as { name: string });
    client.destroy();
    await local.close();

    expect(error).toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    expect(second).toMatchObject({ name: 'InternalError' });
    expect(logged).toContain('labops sim: handler failed');
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);

    expect(new URL(sim.url).hostname).toBe('127.0.0.1');
    if (external) {
      await expect(fetch(`http://${external.address}:${sim.handle.port}/_sim/clock`)).rejects.toThrow();
    }
  });
});

describe('control API', () => {
  it.each([
    ['90m', '2026-09-01T09:30:00.000Z'],
    ['1h30m', '2026-09-01T11:00:00.000Z'],
    ['36h', '2026-09-02T23:00:00.000Z'],
  ])('advances the clock by %s', async (duration, expected) => {
    const now = await sim.control.advance(duration);

    expect(now).toBe(expected);
  });

  it('refuses to move the clock backwards or by a bad duration', async () => {
    const back = await sim.control.request('POST', 'clock', { set: '2020-01-01T00:00:00Z' });
    const bad = await sim.control.request('POST', 'clock', { advance: '3 weeks' });

    expect(back.status).toBe(400);
    expect(bad.status).toBe(400);
  });

  it('counts calls per Service.Operation and resets them', async () => {
    await sim.control.resetCalls();
    const ec2 = sim.ec2();

    await ec2.send(new DescribeInstancesCommand({}));
    await ec2.send(new DescribeInstancesCommand({}));
    await sim.sts().send(new GetCallerIdentityCommand({}));

    expect(await sim.control.calls()).toEqual({ 'EC2.DescribeInstances': 2, 'STS.GetCallerIdentity': 1 });
  });

  it('keeps billing segments: instance hours while running, EBS while the volume exists', async () => {
    const ec2 = sim.ec2();
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [UBUNTU_FILTER] }))).Images?.[0]?.ImageId;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'project', Value: 'billing' }] }],
      }),
    );
    const id = run.Instances?.[0]?.InstanceId ?? '';
    const volumeId = run.Instances?.[0]?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? '';

    await sim.control.advance('1h');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim.control.advance('1h');
    const usage = (await sim.control.state()).usage;

    const box = usage.filter((s) => s.resourceId === id && s.usageType === 'BoxUsage:m6i.large');
    expect(box).toHaveLength(1);
    expect(box[0]?.tags).toEqual({ project: 'billing' });
    expect(box[0]?.hourlyUSD).toBe(0.096);
    expect(box[0]?.end).toBeDefined();
    const ebs = usage.filter((s) => s.resourceId === volumeId);
    expect(ebs).toHaveLength(1);
    expect(ebs[0]?.usageType).toBe('EBS:VolumeUsage.gp3');
    expect(ebs[0]?.end).toBeUndefined();
  });
});

describe('labops sim command', () => {
  it('prints AWS_ENDPOINT_URL, serves until stopped, then exits 0', async () => {
    const lines: string[] = [];
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));

    const done = runSimCommand(['--port', '0', '--seed', '3'], {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      stopped,
    });
    while (!lines.some((l) => l.startsWith('AWS_ENDPOINT_URL='))) await new Promise((r) => setTimeout(r, 10));
    const url = (lines[0] ?? '').slice('AWS_ENDPOINT_URL='.length);
    const clock = await (await fetch(`${url}/_sim/clock`)).json();
    stop('SIGTERM');

    expect(await done).toBe(0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(clock).toHaveProperty('now');
  });

  it.each([[['--help']], [['-h']], [['--port', '0', '--help']]])(
    '%j prints the usage on stdout and exits 0 without starting the simulator',
    async (argv) => {
      const out: string[] = [];
      const err: string[] = [];

      const status = await runSimCommand(argv, {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        stopped: new Promise(() => {}),
      });

      expect([status, out, err]).toEqual([
        0,
        [expect.stringMatching(/^Usage: labops sim \[--port N\][^]*--account-id ID/)],
        [],
      ]);
    },
  );

  it.each([[['--speed', 'fast']], [['--speed', '2', '--realtime']], [['--bogus']], [['--account-id', '12']]])(
    'rejects %j with status 1, as every labops command does for a bad command line',
    async (argv) => {
      const lines: string[] = [];

      const status = await runSimCommand(argv, {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        stopped: Promise.resolve('SIGINT'),
      });

      expect(status).toBe(1);
      expect(lines.at(-1)).toMatch(/^usage: labops sim/);
    },
  );
});
