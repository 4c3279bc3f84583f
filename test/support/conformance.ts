/**
 * The setup every conformance file (test/conformance/*.test.ts) shares: a fresh `labops sim` for
 * each test, silent and on the fixed test clock unless told otherwise, with an EC2 client on it,
 * closed after the test; the public images the tests launch from; and one way to read what AWS
 * answered a call.
 */
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach } from 'vitest';
import { startTestSim } from './sim.js';
import type { TestSim, TestSimOptions } from './sim.js';

/** The running test's simulator and an EC2 client on it in us-east-1; both replaced before each test. */
export interface ConformanceSim {
  sim: TestSim;
  ec2: EC2Client;
}

/**
 * Registers the calling file's beforeEach/afterEach: a new simulator per test (options as
 * {@link startTestSim}'s, `log` silent by default), closed after it. Read `sim` and `ec2` inside
 * tests and hooks only: they are set when the first test starts.
 */
export function conformanceSim(options: TestSimOptions = {}): ConformanceSim {
  const current = {} as ConformanceSim;
  beforeEach(async () => {
    current.sim = await startTestSim({ log: () => {}, ...options });
    current.ec2 = current.sim.ec2();
  });
  afterEach(async () => {
    await current.sim.close();
  });
  return current;
}

/** What AWS answered a call: `accepted`, or the error's name (its EC2 error code) and message. */
export interface Answer {
  name: string;
  message?: string;
}

/** The call's {@link Answer}. */
export async function answer(promise: Promise<unknown>): Promise<Answer> {
  try {
    await promise;
  } catch (err: unknown) {
    const e = err as { name: string; message: string };
    return { name: e.name, message: e.message };
  }
  return { name: 'accepted' };
}

/** `accepted`, or the error code the call failed with. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  return (await answer(promise)).name;
}

/** A public Ubuntu 24.04 amd64 image (Canonical's account) in the client's Region. */
export async function ubuntuImage(ec2: EC2Client): Promise<string> {
  const images = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['099720109477'],
      Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] }],
    }),
  );
  return images.Images?.[0]?.ImageId ?? '';
}

/** A public x86_64 image Amazon owns (Amazon Linux) in the client's Region. */
export async function amazonImage(ec2: EC2Client): Promise<string> {
  const images = await ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }),
  );
  return images.Images?.[0]?.ImageId ?? '';
}
