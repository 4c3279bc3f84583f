import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const UBUNTU_FILTER = { Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] };

describe('labops sim server', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ log: () => {} });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers EC2 over the Query protocol through the real SDK', async () => {
    const ec2 = sim.ec2();
    const { DescribeImagesCommand } = await import('@aws-sdk/client-ec2');
    const images = await ec2.send(new DescribeImagesCommand({ Filters: [UBUNTU_FILTER] }));
    const imageId = images.Images?.[0]?.ImageId;

    const run = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'a' }] }] }));
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
});
