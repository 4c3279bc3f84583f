/**
 * The image step of a `snapshot` action against an instance in a transitional state: AWS images
 * only a `running` or `stopped` instance, so the step waits for one of them (bounded) and asks
 * again, and fails plainly when the instance is on its way out.
 */
import { StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/apply/apply-plan.js';
import type { SnapshotDetails } from '../../reconciler/src/model/schedule.js';
import { scheduleAction } from '../../reconciler/src/plan/schedule-actions.js';
import { createWorkstation, planOf, REPO, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The `snapshot` action of schedule `images` (type image) for workstation alice's instance. */
function imageAction(instanceId: string): ReturnType<typeof scheduleAction> {
  const slot = '2026-09-01T08:00:00.000Z';
  const tags = { 'labops:repo': REPO, 'labops:kind': 'SnapshotSchedule', 'labops:name': 'images', 'labops:schedule': 'images', 'labops:workstation': 'alice', 'labops:slot': slot };
  const details: SnapshotDetails = { kind: 'snapshot', schedule: 'images', slot, type: 'image', workstation: 'alice', instanceId, volumes: [], tags, imageName: 'labops-images-alice-20260901T080000Z' };
  return scheduleAction('images', 'snapshot', 'alice', { region: 'us-east-1', instanceId, rule: 'schedule', reason: 'slot due', monthlyDeltaUSD: 0, details });
}

describe('snapshot type image of an instance in a transitional state', () => {
  it('waits for a stopping instance to stop, then images it', async () => {
    const id = await createWorkstation(h, 'alice');
    await h.sim.ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.sim.control.resetCalls();

    const result = await applyPlan(planOf([imageAction(id)]), h.deps());

    expect(result.results.map((r) => [r.status, r.error?.message])).toEqual([['done', undefined]]);
    const calls = await h.sim.control.calls();
    expect(calls['EC2.CreateImage']).toBe(2);
    expect(h.slept()).toBeGreaterThan(0);
  });

  it('fails with the state when the instance is shutting down', async () => {
    const id = await createWorkstation(h, 'alice');
    await h.sim.ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));

    const result = await applyPlan(planOf([imageAction(id)]), h.deps());

    expect(result.results.map((r) => [r.status, r.error?.code])).toEqual([['failed', 'unexpected-state']]);
  });
});
