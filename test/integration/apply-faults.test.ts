import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import {
  actionOf,
  baseImage,
  createWorkstation,
  instancesNamed,
  launchFor,
  planOf,
  startHarness,
  volumes,
} from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('apply under faults', () => {
  it('throttled RunInstances succeeds within the SDK retries; apply adds no retries of its own', async () => {
    const launch = launchFor('alice', await baseImage(h.sim));
    await h.sim.control.faults({ rules: [{ operation: 'EC2.RunInstances', kind: 'throttle', count: 2 }] });
    await h.sim.control.resetCalls();

    const result = await applyPlan(
      planOf([actionOf('create', 'alice', { kind: 'create', launch, thenState: 'running' })]),
      h.deps(),
    );

    expect(result.ok).toBe(true);
    expect((await h.sim.control.calls())['EC2.RunInstances']).toBe(3);
    expect(await instancesNamed(h.sim, 'alice')).toHaveLength(1);
  });

  it('throttling beyond the SDK retries fails the action as retryable, once', async () => {
    const launch = launchFor('alice', await baseImage(h.sim));
    await h.sim.control.faults({ rules: [{ operation: 'EC2.RunInstances', kind: 'throttle' }] });
    await h.sim.control.resetCalls();

    const result = await applyPlan(
      planOf([actionOf('create', 'alice', { kind: 'create', launch, thenState: 'running' })]),
      h.deps(),
    );

    expect(result.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'RequestLimitExceeded', retryable: true },
    });
    expect((await h.sim.control.calls())['EC2.RunInstances']).toBe(3);
  });

  it('no capacity: that create fails with the AWS code, its dependant is skipped, independent actions are done', async () => {
    const stopped = await createWorkstation(h, 'bob', {}, 'stopped');
    const launch = launchFor('carol', await baseImage(h.sim), { instanceType: 'r7i.large' });
    await h.sim.control.faults({ rules: [{ operation: 'EC2.RunInstances', kind: 'capacity' }] });
    const plan = planOf([
      actionOf('create', 'carol', { kind: 'create', launch, thenState: 'running' }),
      actionOf(
        'retag',
        'carol',
        { kind: 'retag', set: { team: 'b' }, remove: [] },
        { instanceId: 'i-0000000000000000a', after: ['Workstation/carol/create'] },
      ),
      actionOf('start', 'bob', { kind: 'start' }, { instanceId: stopped }),
    ]);

    const result = await applyPlan(plan, h.deps());

    expect(result.ok).toBe(false);
    expect(result.results.map((r) => [r.name, r.kind, r.status, r.error?.code])).toEqual([
      ['carol', 'create', 'failed', 'InsufficientInstanceCapacity'],
      ['carol', 'retag', 'skipped', 'dependency-failed'],
      ['bob', 'start', 'done', undefined],
    ]);
    expect(result.results[0]?.error?.retryable).toBe(true);
    expect((await instancesNamed(h.sim, 'bob'))[0]?.state).toBe('running');
    expect(await instancesNamed(h.sim, 'carol')).toEqual([]);
  });

  it('a new instance and its volumes invisible to reads for 90 s still converge (not found is not absent)', async () => {
    const launch = launchFor('dave', await baseImage(h.sim), {
      hibernation: true,
      volumes: [{ name: 'data', sizeGiB: 10, type: 'gp3' }],
    });
    await h.sim.control.faults({
      rules: [
        { operation: 'EC2.DescribeInstances', kind: 'consistency', delaySeconds: 90 },
        { operation: 'EC2.DescribeVolumes', kind: 'consistency', delaySeconds: 90 },
      ],
    });

    const result = await applyPlan(
      planOf([actionOf('create', 'dave', { kind: 'create', launch, thenState: 'hibernated' })]),
      h.deps(),
    );

    expect(result.results[0]?.error).toBeUndefined();
    const [instance] = await instancesNamed(h.sim, 'dave');
    expect([instance?.state, instance?.stateReason?.Code, instance?.tags[TAG.desiredState]]).toEqual([
      'stopped',
      'Client.UserInitiatedHibernate',
      'hibernated',
    ]);
    const names = (await volumes(h.sim)).map((v) => v.tags[TAG.volume]).sort();
    expect(names).toEqual(['data', 'root']);
  });

  it('many creates at once, with half the polls throttled past the SDK retries, all converge', async () => {
    const image = await baseImage(h.sim);
    const names = Array.from({ length: 12 }, (_, i) => `ws-${String(i).padStart(2, '0')}`);
    const plan = planOf(
      names.map((name) =>
        actionOf('create', name, { kind: 'create', launch: launchFor(name, image), thenState: 'stopped' }),
      ),
    );
    await h.sim.control.faults({
      rules: [{ operation: 'EC2.DescribeInstances', kind: 'throttle', probability: 0.5 }],
      seed: 42,
    });

    const result = await applyPlan(plan, h.deps({ concurrency: 4 }));

    expect(result.results.filter((r) => r.status !== 'done').map((r) => r.error)).toEqual([]);
    const state = (await h.sim.control.state()) as unknown as { ec2: { instances: Record<string, { state: string }> } };
    expect(Object.values(state.ec2.instances).map((i) => i.state)).toEqual(names.map(() => 'stopped'));
  });
});
