/**
 * A JobQueue never adopts, changes or deletes a Batch queue or compute environment this
 * repository did not create: a declared name taken by a hand-made queue is refused (no Batch
 * mutation at all), and a hand-made queue is never pruned, whatever the lab declares.
 */
import { DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { afterEach, describe, expect, it } from 'vitest';
import { startRunHarness } from '../integration/run-harness.js';
import type { RunHarness } from '../integration/run-harness.js';

const QUEUE = `apiVersion: labops/v1
kind: JobQueue
metadata: { name: research-spot, owner: bob, project: atmos }
spec:
  priority: 10
  computeEnvironments:
    - { name: spot, capacity: spot, instanceTypes: [m6i], maxVcpus: 64, subnets: [subnet-0a1b2c3d4e5f60718], securityGroupIds: [sg-0a1b2c3d4e5f60718] }
`;

const OTHER = QUEUE.replace('name: research-spot', 'name: mine');

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

async function handMade(rh: RunHarness) {
  const out = await rh.h.sim
    .batch('us-east-1')
    .send(new DescribeJobQueuesCommand({ jobQueues: ['research-spot', 'research-ondemand'] }));
  return (out.jobQueues ?? []).map((q) => [q.jobQueueName, q.state, q.priority]).sort();
}

describe('JobQueue ownership', () => {
  it('refuses a declared name taken by a queue this repository did not create, changing nothing', async () => {
    rh = await startRunHarness({ 'queues/research-spot.yaml': QUEUE }, { prune: true });
    const before = await handMade(rh);

    const result = await rh.reconcile('2026-11-16T12:00:00Z');

    expect(result.plan?.actions).toEqual([]);
    expect(result.plan?.refusals.map((r) => [r.code, r.message])).toEqual([
      ['job-queue', expect.stringContaining('that this repository did not create')],
    ]);
    const calls = await rh.h.sim.control.calls();
    expect(Object.keys(calls).filter((c) => /Batch\.(Create|Update|Delete)/.test(c))).toEqual([]);
    expect(await handMade(rh)).toEqual(before);
  });

  it('never prunes a hand-made queue, even with prune on and its own queues declared', async () => {
    rh = await startRunHarness({ 'queues/mine.yaml': OTHER }, { prune: true });
    const before = await handMade(rh);

    const result = await rh.reconcile('2026-11-16T12:00:00Z');

    expect(result.plan?.actions.every((a) => a.resource.name === 'mine')).toBe(true);
    expect(result.plan?.actions.some((a) => a.kind.startsWith('delete'))).toBe(false);
    expect(await handMade(rh)).toEqual(before);
  });
});
