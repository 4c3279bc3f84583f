/**
 * The adapters' retry policy for mutations without an idempotency token (aws/retry-policy.ts):
 * the SDK sends them again when throttled (not carried out), never after a server error (the
 * request may have taken effect and a second one would make a second job or snapshot).
 */
import { CreateVolumeCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchJob } from '../../reconciler/src/sim/batch/model.js';
import type { Ec2Snapshot } from '../../reconciler/src/sim/ec2/model.js';
import { startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err: unknown) {
    const e = err as { code?: string; retryable?: boolean };
    return `${e.code} retryable=${String(e.retryable)}`;
  }
}

async function made(): Promise<{ jobs: number; snapshots: number }> {
  const state = (await h.sim.control.state()) as unknown as {
    batch: { jobs: Record<string, BatchJob> };
    ec2: { snapshots: Record<string, Ec2Snapshot> };
  };
  return { jobs: Object.keys(state.batch.jobs).length, snapshots: Object.keys(state.ec2.snapshots).length };
}

describe('mutations without an idempotency token', () => {
  it.each([
    [
      'throttled twice: retried by the SDK, done once',
      { kind: 'throttle' as const, count: 2, afterEffect: false },
      'ok',
      3,
      1,
    ],
    [
      'a 5xx before the effect: not retried, nothing made',
      { kind: '5xx' as const, count: 1, afterEffect: false },
      'ServerException retryable=true',
      1,
      0,
    ],
    [
      'a 5xx after the effect: not retried, made once',
      { kind: '5xx' as const, count: 1, afterEffect: true },
      'ServerException retryable=true',
      1,
      1,
    ],
  ])('SubmitJob %s', async (_name, fault, expected, attempts, jobs) => {
    await h.sim.control.faults({ rules: [{ operation: 'Batch.SubmitJob', ...fault }] });
    const request = {
      region: 'us-east-1',
      queue: 'research-spot',
      jobName: 'fit',
      definition: 'model:1',
      parameters: {},
      dependsOn: [],
      tags: { 'labops:repo': 'lab/neuro' },
    };
    await h.ports.batch.registerDefinition(
      'us-east-1',
      'model',
      { image: 'public.ecr.aws/lab/model:1', vcpus: 1, memoryMiB: 1024, gpus: 0, command: [], environment: {} },
      {},
    );
    await h.sim.control.resetCalls();

    const result = await outcome(h.ports.batch.submitJob(request));

    expect(result).toBe(expected);
    expect((await h.sim.control.calls())['Batch.SubmitJob']).toBe(attempts);
    expect((await made()).jobs).toBe(jobs);
  });

  it.each([
    ['throttled twice', { kind: 'throttle' as const, count: 2 }, 'ok', 3, 1],
    [
      'a 5xx after the effect',
      { kind: '5xx' as const, count: 1, afterEffect: true },
      'InternalError retryable=true',
      1,
      1,
    ],
  ])('CreateSnapshot %s: one snapshot', async (_name, fault, expected, attempts, snapshots) => {
    const volume = await h.sim.ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }));
    await h.sim.control.advance('1m');
    await h.sim.control.faults({ rules: [{ operation: 'EC2.CreateSnapshot', ...fault }] });

    const result = await outcome(h.ports.ec2.createSnapshot('us-east-1', volume.VolumeId!, {}, 'test'));

    expect(result).toBe(expected);
    expect((await h.sim.control.calls())['EC2.CreateSnapshot']).toBe(attempts);
    expect((await made()).snapshots).toBe(snapshots);
  });
});
