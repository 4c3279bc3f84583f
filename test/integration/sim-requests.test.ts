import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../reconciler/src/sim/index.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;

async function requests(): Promise<RequestLogEntry[]> {
  return ((await sim.control.request('GET', 'requests')).body as { requests: RequestLogEntry[] }).requests;
}

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, seed: 7 });
});
afterEach(async () => {
  await sim.close();
});

describe('the per-request log (GET /_sim/requests)', () => {
  it.each([
    ['throttled twice, then answered', 2, 3, ['RequestLimitExceeded', 'RequestLimitExceeded', undefined]],
    ['throttled past the SDK retries', 5, 3, ['RequestLimitExceeded', 'RequestLimitExceeded', 'RequestLimitExceeded']],
    [
      'with maxAttempts 5, throttled 4 times',
      4,
      5,
      ['RequestLimitExceeded', 'RequestLimitExceeded', 'RequestLimitExceeded', 'RequestLimitExceeded', undefined],
    ],
  ])('records each attempt of one SDK call with its attempt header: %s', async (_name, count, maxAttempts, codes) => {
    const ec2 = new EC2Client({
      ...sim.settings(),
      maxAttempts,
      retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 1),
    });
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId;
    await sim.control.faults({ rules: [{ operation: 'EC2.RunInstances', kind: 'throttle', count }] });
    await sim.control.request('POST', 'requests/reset');

    await ec2
      .send(
        new RunInstancesCommand({
          ImageId: image,
          InstanceType: 't3.medium',
          MinCount: 1,
          MaxCount: 1,
          ClientToken: 'log-test',
        }),
      )
      .catch(() => undefined);
    const log = await requests();
    ec2.destroy();

    expect(log.map((r) => [r.operation, r.attempt, r.maxAttempts, r.code])).toEqual(
      codes.map((code, i) => ['EC2.RunInstances', i + 1, maxAttempts, code]),
    );
    expect(new Set(log.map((r) => r.invocationId)).size).toBe(1);
    expect(log.every((r) => r.input?.ClientToken === 'log-test' && r.region === 'us-east-1')).toBe(true);
    expect(log.map((r) => r.injected ?? false)).toEqual(codes.map((c) => c !== undefined));
  });

  it('keeps reads without their input, counts handler errors, and starts again after a reset', async () => {
    const ec2 = sim.ec2('us-west-2');
    await ec2.send(new DescribeInstancesCommand({}));
    await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })).catch(() => undefined);

    const before = await requests();
    await sim.control.request('POST', 'requests/reset');
    const after = await requests();

    expect(before.map((r) => [r.seq, r.operation, r.region, r.status, r.code, r.input])).toEqual([
      [1, 'EC2.DescribeInstances', 'us-west-2', 200, undefined, undefined],
      [2, 'EC2.DescribeInstances', 'us-west-2', 400, 'InvalidInstanceID.NotFound', undefined],
    ]);
    expect(after).toEqual([]);
  });
});
