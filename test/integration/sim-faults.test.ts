import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
let ec2: EC2Client;

async function outcome(
  promise: Promise<unknown>,
): Promise<{ ok: boolean; name?: string; status?: number; attempts?: number }> {
  try {
    const out = (await promise) as { $metadata: { attempts?: number } };
    return { ok: true, attempts: out.$metadata.attempts };
  } catch (err: unknown) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { ok: false, name: e.name, status: e.$metadata?.httpStatusCode, attempts: e.$metadata?.attempts };
  }
}

async function imageId(): Promise<string> {
  const out = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  return out.Images?.[0]?.ImageId ?? '';
}

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, seed: 7 });
  ec2 = sim.ec2();
});
afterEach(async () => {
  await sim.close();
});

describe('fault injection and the SDK retry behaviour', () => {
  it.each([
    ['throttle, first 2 calls', 'throttle', 2, { ok: true, attempts: 3 }, 3],
    [
      'throttle, first 5 calls',
      'throttle',
      5,
      { ok: false, name: 'RequestLimitExceeded', status: 503, attempts: 3 },
      3,
    ],
    ['5xx, first call', '5xx', 1, { ok: true, attempts: 2 }, 2],
    ['5xx, every call', '5xx', 99, { ok: false, name: 'InternalError', status: 500, attempts: 3 }, 3],
    [
      'capacity, every call (a server error, so retried)',
      'capacity',
      99,
      { ok: false, name: 'InsufficientInstanceCapacity', status: 500, attempts: 3 },
      3,
    ],
    [
      'quota, every call (a client error, not retried)',
      'quota',
      99,
      { ok: false, name: 'VcpuLimitExceeded', status: 400, attempts: 1 },
      1,
    ],
  ] as const)('%s', async (_name, kind, count, expected, calls) => {
    const image = await imageId();
    await sim.control.faults({ rules: [{ operation: 'EC2.RunInstances', kind, count }] });

    const result = await outcome(
      ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          InstanceType: 't3.medium',
          MinCount: 1,
          MaxCount: 1,
          ClientToken: 'fault-test',
        }),
      ),
    );

    expect(result).toEqual(expected);
    expect((await sim.control.calls())['EC2.RunInstances']).toBe(calls);
    const launched = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['fault-test'] }] }),
    );
    expect(launched.Reservations?.length ?? 0).toBe(expected.ok ? 1 : 0);
  });

  it('adds latency to matching calls only', async () => {
    await sim.control.faults({ rules: [{ operation: 'EC2.DescribeInstances', kind: 'latency', latencyMs: 150 }] });

    const t0 = performance.now();
    await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    const fast = performance.now() - t0;
    const t1 = performance.now();
    await ec2.send(new DescribeInstancesCommand({}));
    const slow = performance.now() - t1;

    expect(fast).toBeLessThan(100);
    expect(slow).toBeGreaterThanOrEqual(145);
  });

  it('hides a new instance from reads for delaySeconds of simulated time', async () => {
    const image = await imageId();
    await sim.control.faults({
      rules: [{ operation: 'EC2.DescribeInstances', kind: 'consistency', delaySeconds: 10 }],
    });
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1 }),
    );
    const id = run.Instances?.[0]?.InstanceId ?? '';

    const early = await outcome(ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    const listed = await ec2.send(new DescribeInstancesCommand({}));
    await sim.control.advance('10s');
    const later = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));

    expect(early).toMatchObject({ ok: false, name: 'InvalidInstanceID.NotFound', status: 400 });
    expect(listed.Reservations).toEqual([]);
    expect(later.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe(id);
  });

  it('draws probabilistic faults reproducibly from the seed', async () => {
    async function pattern(): Promise<boolean[]> {
      await sim.control.faults({ rules: [{ operation: 'EC2.*', kind: 'quota', probability: 0.5 }], seed: 42 });
      const results: boolean[] = [];
      for (let i = 0; i < 12; i += 1) results.push((await outcome(ec2.send(new DescribeInstancesCommand({})))).ok);
      return results;
    }

    const first = await pattern();
    const second = await pattern();

    expect(second).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(0);
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(0);
  });

  it('throttles with EC2 token buckets when rate limits are on (RunInstances bucket: 5, refill 2/s)', async () => {
    const image = await imageId();
    await sim.control.faults({ rules: [], rateLimits: true });
    const noRetry = new EC2Client({ ...sim.settings(), maxAttempts: 1 });

    const results = [];
    for (let i = 0; i < 7; i += 1)
      results.push(
        (
          await outcome(
            noRetry.send(
              new RunInstancesCommand({ ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1 }),
            ),
          )
        ).name ?? 'ok',
      );
    noRetry.destroy();

    expect(results.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(results.slice(5)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded']);
  });

  it.each([
    ['simulated', '1s', ['ok', 'ok', 'RequestLimitExceeded']],
    ['wall', '1h', ['RequestLimitExceeded', 'RequestLimitExceeded', 'RequestLimitExceeded']],
  ] as const)(
    'refills the buckets on the %s clock when asked (RunInstances refill 2/s; the simulated clock moved %s)',
    async (rateLimitClock, advance, expected) => {
      const image = await imageId();
      await sim.control.faults({ rules: [], rateLimits: true, rateLimitClock });
      const noRetry = new EC2Client({ ...sim.settings(), maxAttempts: 1 });
      const launch = async (): Promise<string> =>
        (
          await outcome(
            noRetry.send(
              new RunInstancesCommand({ ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1 }),
            ),
          )
        ).name ?? 'ok';
      for (let i = 0; i < 5; i += 1) await launch();

      await sim.control.advance(advance);
      const after = [await launch(), await launch(), await launch()];
      noRetry.destroy();

      expect(after).toEqual(expected);
    },
  );

  it.each([
    [{ rules: [{ operation: 'RunInstances', kind: 'throttle' }] }],
    [{ rules: [{ operation: 'EC2.Describe-*', kind: 'throttle' }] }],
    [{ rules: [{ operation: '*.Describe*', kind: 'throttle' }] }],
    [{ rules: [{ operation: 'EC2.RunInstances', kind: 'meteor' }] }],
    [{ rules: [{ operation: 'EC2.RunInstances', kind: 'throttle', probability: 2 }] }],
    [{ rules: [{ operation: 'EC2.RunInstances', kind: 'hibernationFails' }] }],
    [{ rules: [{ operation: 'EC2.*', kind: 'spotReclaim' }] }],
    [{ rules: [{ kind: 'spotReclaim', afterSeconds: -5 }] }],
    [{ rules: [{ kind: 'spotReclaim', computeEnvironment: 7 }] }],
    [{ rules: [], rateLimits: true, rateLimitClock: 'sundial' }],
    [{ nope: true }],
  ])('rejects a bad fault plan %j with 400', async (plan) => {
    const res = await sim.control.request('POST', 'faults', plan);

    expect(res.status).toBe(400);
  });

  it.each([
    [
      'EC2.Describe*',
      { DescribeInstances: 'VcpuLimitExceeded', DescribeImages: 'VcpuLimitExceeded', RunInstances: 'ok' },
    ],
    ['EC2.Describe?mages', { DescribeInstances: 'ok', DescribeImages: 'VcpuLimitExceeded', RunInstances: 'ok' }],
    [
      'EC2.*Instances',
      { DescribeInstances: 'VcpuLimitExceeded', DescribeImages: 'ok', RunInstances: 'VcpuLimitExceeded' },
    ],
    ['Batch.Describe*', { DescribeInstances: 'ok', DescribeImages: 'ok', RunInstances: 'ok' }],
  ])('matches the operation glob %s', async (operation, expected) => {
    const image = await imageId();
    await sim.control.faults({ rules: [{ operation, kind: 'quota' }] });

    const seen = {
      DescribeInstances: (await outcome(ec2.send(new DescribeInstancesCommand({})))).name ?? 'ok',
      DescribeImages: (await outcome(ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] })))).name ?? 'ok',
      RunInstances:
        (
          await outcome(
            ec2.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1 })),
          )
        ).name ?? 'ok',
    };

    expect(seen).toEqual(expected);
  });
});
