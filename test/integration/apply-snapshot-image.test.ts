/**
 * The image step of a `snapshot` action against an instance in a transitional state: AWS images
 * only a `running` or `stopped` instance, so the step waits for one of them (bounded) and asks
 * again, and fails plainly when the instance is on its way out. And the race issue 14 saw on a
 * real-time clock: a stop (or resize) and an image of one instance in one apply, run side by side,
 * met CreateImage on a `stopping` instance. The manual clock and latency rules reproduce it: the
 * stop takes effect at once and its reply is held back, so the instance stays `stopping` while the
 * image action runs, unless the image waits for the stop action.
 */
import { DescribeImagesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import type { ActionDetails } from '../../reconciler/src/model/launch.js';
import type { SnapshotDetails } from '../../reconciler/src/model/schedule.js';
import { scheduleAction } from '../../reconciler/src/engine/clock-actions.js';
import { SNAPSHOT_PLAN_ACTIONS } from '../../reconciler/src/kinds/snapshot-schedule/actions.js';
import { actionOf, createWorkstation, instancesNamed, planOf, REPO, startHarness } from './apply-harness.js';
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
  const tags = {
    'labops:repo': REPO,
    'labops:kind': 'SnapshotSchedule',
    'labops:name': 'images',
    'labops:schedule': 'images',
    'labops:workstation': 'alice',
    'labops:slot': slot,
  };
  const details: SnapshotDetails = {
    kind: 'snapshot',
    schedule: 'images',
    slot,
    type: 'image',
    workstation: 'alice',
    instanceId,
    volumes: [],
    tags,
    imageName: 'labops-images-alice-20260901T080000Z',
  };
  return scheduleAction(SNAPSHOT_PLAN_ACTIONS, 'images', 'snapshot', 'alice', {
    region: 'us-east-1',
    instanceId,
    rule: 'schedule',
    reason: 'slot due',
    monthlyDeltaUSD: 0,
    details,
  });
}

describe('snapshot type image of an instance in a transitional state', () => {
  it('waits for a stopping instance to stop, then images it', async () => {
    const id = await createWorkstation(h, 'alice');
    await h.sim.ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.sim.control.resetCalls();

    const result = await applyPlan(planOf([imageAction(id)]), h.deps());

    expect(result.results.map((r) => [r.status, r.error?.message])).toEqual([['done', undefined]]);
    const calls = await h.sim.control.calls();
    // Refused while stopping, accepted once stopped (the SDK may resend a refused call once more).
    expect(calls['EC2.CreateImage']).toBeGreaterThanOrEqual(2);
    expect(h.slept()).toBeGreaterThan(0);
    expect((await instancesNamed(h.sim, 'alice')).map((i) => i.state)).toEqual(['stopped']);
  });

  it('fails with the state when the instance is shutting down', async () => {
    const id = await createWorkstation(h, 'alice');
    await h.sim.ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));

    const result = await applyPlan(planOf([imageAction(id)]), h.deps());

    expect(result.results.map((r) => [r.status, r.error?.code])).toEqual([['failed', 'unexpected-state']]);
  });
});

describe('a power or resize action and an image of the same instance in one apply', () => {
  it.each([
    ['stop', { kind: 'stop' }, 'stopped', 'm6i.large'],
    ['resize', { kind: 'resize', from: 'm6i.large', to: 'm6i.xlarge', restart: true }, 'running', 'm6i.xlarge'],
  ] as const)(
    '%s: the image waits for it, and AWS is never asked to image a stopping instance',
    async (kind, details, state, type) => {
      const id = await createWorkstation(h, 'alice');
      // StopInstances takes effect at once, its reply comes 1.5 s later (the clock stands still
      // meanwhile: the instance stays `stopping`); the image's first read comes 0.3 s late, so
      // run side by side, its CreateImage lands while the instance is stopping.
      await h.sim.control.faults({
        rules: [
          { operation: 'EC2.StopInstances', kind: 'latency', latencyMs: 1500, afterEffect: true, count: 1 },
          { operation: 'EC2.DescribeImages', kind: 'latency', latencyMs: 300, count: 1 },
        ],
      });
      const change = actionOf(kind, 'alice', details as ActionDetails, { instanceId: id });
      await h.sim.control.resetCalls();

      const result = await applyPlan(planOf([change, imageAction(id)]), h.deps());

      expect(result.results.map((r) => [r.kind, r.status, r.error?.message])).toEqual([
        [kind, 'done', undefined],
        ['snapshot', 'done', undefined],
      ]);
      const [alice] = await instancesNamed(h.sim, 'alice');
      expect([alice?.state, alice?.instanceType]).toEqual([state, type]);
      expect((await h.sim.control.calls())['EC2.CreateImage']).toBe(1);
      const images = (await h.sim.ec2().send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
      expect(images.map((i) => i.Name)).toEqual(['labops-images-alice-20260901T080000Z']);
    },
  );
});
