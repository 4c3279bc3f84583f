/**
 * Issue 4 end to end: people acting on workstations outside labops, and labops coming back to
 * them — an instance terminated by hand (soon after, and long after it vanished from listings)
 * is launched again; an owner starting a workstation labops stopped as idle keeps it running.
 */
import { StartInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { TAG } from '../../reconciler/src/model/tags.js';
import { actionsOf, startReconcile, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

const TWO = {
  'workstations/alice.yaml': workstationYaml('alice-ws'),
  'workstations/bob.yaml': workstationYaml('bob-ws', {}, 'bob'),
};

describe('an instance terminated outside labops', () => {
  it.each([
    ['while still listed as terminated (1m)', '1m'],
    ['after it vanished from listings, its ClientToken dead (2h)', '2h'],
  ])('is launched again as the next generation: %s', async (_name, wait) => {
    h = await startReconcile(TWO, {}, { start: '2026-09-02T15:00:00Z' });
    await h.run('apply');
    const [old] = await h.instances('alice-ws');
    await h.sim.ec2().send(new TerminateInstancesCommand({ InstanceIds: [old!.instanceId] }));
    await h.sim.control.advance(wait);

    const applied = await h.run('apply');
    const [again] = await h.instances('alice-ws');
    const next = await h.run('plan');

    expect(actionsOf(applied)).toEqual(['create alice-ws']);
    expect(applied.applied?.results.map((r) => [r.status, r.error?.code])).toEqual([['done', undefined]]);
    expect(again?.instanceId).not.toBe(old!.instanceId);
    expect([again?.state, again?.tags[TAG.generation]]).toEqual(['running', '1']);
    expect(actionsOf(next)).toEqual([]);
  });

  it('re-running an interrupted relaunch finds the same instance (the dead-token walk is deterministic)', async () => {
    h = await startReconcile(TWO, {}, { start: '2026-09-02T15:00:00Z' });
    await h.run('apply');
    const [old] = await h.instances('alice-ws');
    await h.sim.ec2().send(new TerminateInstancesCommand({ InstanceIds: [old!.instanceId] }));
    await h.sim.control.advance('2h');
    const plan = (await h.run('plan')).plan!;

    const { applyPlan } = await import('../../reconciler/src/engine/apply/apply-plan.js');
    const deps = {
      ec2: h.ports.ec2,
      identity: h.ports.identity,
      expectedAccountId: '123456789012',
      sleep: (ms: number) => h.sim.control.advance(`${Math.ceil(ms / 1000)}s`).then(() => undefined),
      random: () => 0.5,
    };
    const first = await applyPlan(plan, deps);
    const second = await applyPlan(plan, deps);

    expect(second.results[0]?.instanceId).toBe(first.results[0]?.instanceId);
    expect((await h.mutations())['EC2.RunInstances']).toBe(2 + 2 + 2);
    expect(await h.instances('alice-ws')).toHaveLength(1);
  });
});

describe('idle hold', () => {
  it.each([false, true])(
    'an owner starting a workstation labops stopped as idle keeps it running (selfHeal %s)',
    async (selfHeal) => {
      h = await startReconcile(
        {
          ...TWO,
          'workstations/alice.yaml': workstationYaml('alice-ws', {
            idle: { after: '30m', cpuBelowPercent: 5, action: 'stop' },
          }),
        },
        { selfHeal },
        { start: '2026-09-02T15:00:00Z' },
      );
      await h.run('apply');
      const [alice] = await h.instances('alice-ws');
      await h.sim.control.load({ instanceId: alice!.instanceId, cpuPercent: 1 });
      await h.sim.control.advance('40m');
      const idled = await h.run('apply');
      await h.sim.ec2().send(new StartInstancesCommand({ InstanceIds: [alice!.instanceId] }));
      await h.sim.control.advance('2m');

      const resumed = await h.run('apply');
      const [after] = await h.instances('alice-ws');
      const next = await h.run('plan');

      expect(actionsOf(idled)).toEqual(['stop alice-ws', 'retag alice-ws']);
      expect(actionsOf(resumed)).toEqual(['retag alice-ws']);
      expect(resumed.plan?.actions[0]).toMatchObject({
        rule: 'idle hold: started by its owner',
        details: { kind: 'retag', set: { [TAG.desiredState]: 'running' }, remove: [TAG.idleHold] },
      });
      expect([after?.state, after?.tags[TAG.idleHold]]).toEqual(['running', undefined]);
      expect(actionsOf(next)).toEqual([]);
    },
  );
});
