/**
 * EC2 request throttling `labops sim` promises when its token buckets are on (`POST /_sim/faults`
 * with `rateLimits: true`), each beside the AWS documentation it comes from, checked with the real
 * @aws-sdk/client-ec2 (one attempt per call, so every answer is EC2's own).
 */
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { amazonImage, conformanceSim, outcome } from '../support/conformance.js';

const aws = conformanceSim();

async function launches(region: string, count: number): Promise<string[]> {
  const client = new EC2Client({ ...aws.sim.settings(region), maxAttempts: 1 });
  const image = await amazonImage(client);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1)
    out.push(
      await outcome(
        client.send(new RunInstancesCommand({ ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1 })),
      ),
    );
  client.destroy();
  return out;
}

describe('EC2 throttling: token buckets per account and Region', () => {
  // "Amazon EC2 throttles EC2 API requests for each AWS account on a per-Region basis."
  // Request token bucket sizes and refill rates: RunInstances, bucket maximum capacity 5, refill rate 2.
  // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
  it('answers RequestLimitExceeded once a Region spent its RunInstances bucket (5), while another Region still launches', async () => {
    await aws.sim.control.faults({ rules: [], rateLimits: true });

    const east = await launches('us-east-1', 6);
    const west = await launches('us-west-2', 5);

    expect(east).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'RequestLimitExceeded']);
    expect(west).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
  });

  // "the token bucket size for DescribeHosts, a non-mutating API action, is 100 tokens. You can make
  // up to 100 DescribeHosts requests in one second." (non-mutating actions: capacity 100, refill 20)
  // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
  it('lets 100 non-mutating requests through at once, then throttles the 101st', async () => {
    await aws.sim.control.faults({ rules: [], rateLimits: true, rateLimitClock: 'simulated' });
    const client = new EC2Client({ ...aws.sim.settings(), maxAttempts: 1 });

    const answers: string[] = [];
    for (let i = 0; i < 101; i += 1)
      answers.push(await outcome(client.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }))));
    client.destroy();

    expect(answers.slice(0, 100).every((a) => a === 'accepted')).toBe(true);
    expect(answers[100]).toBe('RequestLimitExceeded');
  });
});
