import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../reconciler/src/aws/factory.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim;
const saved = { ...process.env };

beforeEach(async () => {
  sim = await startTestSim({ log: () => {}, accountId: '555566667777' });
});
afterEach(async () => {
  process.env = { ...saved };
  await sim.close();
});

describe('createAwsPorts', () => {
  it('reaches the endpoint through the SDK configuration chain alone (AWS_ENDPOINT_URL, env credentials)', async () => {
    process.env.AWS_ENDPOINT_URL = sim.url;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret-from-env';
    delete process.env.AWS_PROFILE;
    const ports = createAwsPorts({ region: 'eu-west-1' });

    const account = await ports.identity.accountId();
    const observed = await ports.ec2.observe(['eu-west-1', 'us-east-1'], 'lab/neuro', { images: [] });
    ports.destroy();

    expect(account).toBe('555566667777');
    expect(observed).toEqual({ instances: [], volumes: [], images: [] });
    expect(await sim.control.calls()).toEqual({
      'EC2.DescribeInstances': 2,
      'EC2.DescribeVolumes': 2,
      'STS.GetCallerIdentity': 1,
    });
  });

  it('wraps a failed call into AwsError with the AWS code', async () => {
    const settings = sim.settings();
    const ports = createAwsPorts({
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: settings.credentials,
      retryStrategy: settings.retryStrategy,
    });

    const err = await ports.ec2.describeInstances('us-east-1', ['i-0123456789abcdef0']).catch((e: unknown) => e);
    ports.destroy();

    expect(err).toMatchObject({
      name: 'AwsError',
      code: 'InvalidInstanceID.NotFound',
      retryable: true,
      operation: 'DescribeInstances',
      httpStatus: 400,
    });
  });

  // The sim's replies carry its simulated clock in `Date` (here three months behind the local
  // one), as every AWS reply carries AWS's. The SDK takes a reply `Date` 4+ minutes off the local
  // clock for clock skew and resends a refused call; clients of the sim turn that off with
  // the SDK's own setting AWS_DISABLE_CLOCK_SKEW_CORRECTION=true (set for every test, printed by
  // `labops sim`), so a refused call is sent once, as against AWS with a correct local clock.
  const refusedCalls: { name: string; disableClockSkewCorrection: boolean | undefined; sent: number }[] = [
    {
      name: 'the SDK left alone takes the simulated clock for skew and resends until its 3 attempts are spent',
      disableClockSkewCorrection: false,
      sent: 3,
    },
    {
      name: 'with the configuration chain as tests and `labops sim` set it, the call is sent once',
      disableClockSkewCorrection: undefined,
      sent: 1,
    },
  ];
  it.each(refusedCalls)(
    'a refused call to a sim whose clock is not the local one: $name',
    async ({ disableClockSkewCorrection, sent }) => {
      // Arrange
      const settings = sim.settings();
      const client = new EC2Client({
        ...settings,
        ...(disableClockSkewCorrection === undefined ? {} : { disableClockSkewCorrection }),
      });
      await client.send(new DescribeInstancesCommand({}));
      await sim.control.resetCalls();

      // Act
      const err = await client
        .send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))
        .catch((e: unknown) => e);
      client.destroy();

      // Assert
      expect(err).toMatchObject({ name: 'InvalidInstanceID.NotFound' });
      expect(await sim.control.calls()).toEqual({ 'EC2.DescribeInstances': sent });
    },
  );
});
