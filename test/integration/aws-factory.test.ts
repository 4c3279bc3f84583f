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
    expect(await sim.control.calls()).toEqual({ 'EC2.DescribeInstances': 2, 'EC2.DescribeVolumes': 2, 'STS.GetCallerIdentity': 1 });
  });

  it('wraps a failed call into AwsError with the AWS code', async () => {
    const settings = sim.settings();
    const ports = createAwsPorts({ region: 'us-east-1', endpoint: sim.url, credentials: settings.credentials, retryStrategy: settings.retryStrategy });

    const err = await ports.ec2.describeInstances('us-east-1', ['i-0123456789abcdef0']).catch((e: unknown) => e);
    ports.destroy();

    expect(err).toMatchObject({ name: 'AwsError', code: 'InvalidInstanceID.NotFound', retryable: true, operation: 'DescribeInstances', httpStatus: 400 });
  });
});
