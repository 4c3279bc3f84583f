import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import { actionOf, createWorkstation, instancesNamed, planOf, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function only(
  name: string,
): Promise<{ state: string; reason?: string; type: string; desired?: string; tags: Record<string, string> }> {
  const [i] = await instancesNamed(h.sim, name);
  return {
    state: i?.state ?? 'missing',
    reason: i?.stateReason?.Code,
    type: i?.instanceType ?? '',
    desired: i?.tags[TAG.desiredState],
    tags: i?.tags ?? {},
  };
}

describe('apply power changes', () => {
  it.each([
    ['stop', 'running', 'stopped', 'Client.UserInitiatedShutdown', 'stopped'],
    ['hibernate', 'running', 'stopped', 'Client.UserInitiatedHibernate', 'hibernated'],
    ['start', 'stopped', 'running', undefined, 'running'],
    ['start', 'hibernated', 'running', undefined, 'running'],
  ] as const)(
    '%s from %s waits for %s and records labops:desired-state',
    async (kind, from, state, reason, desired) => {
      const id = await createWorkstation(h, 'alice', { hibernation: true }, from);
      await h.sim.control.advance('10m');
      await h.sim.control.resetCalls();

      const result = await applyPlan(planOf([actionOf(kind, 'alice', { kind }, { instanceId: id })]), h.deps());

      expect(result).toMatchObject({ ok: true, results: [{ status: 'done', instanceId: id }] });
      expect(await only('alice')).toMatchObject({ state, reason, desired });
      const calls = await h.sim.control.calls();
      expect(calls[kind === 'start' ? 'EC2.StartInstances' : 'EC2.StopInstances']).toBe(1);
      expect(calls['EC2.CreateTags']).toBe(1);
    },
  );

  it('hibernating an instance not enabled for it stops it instead, and says so', async () => {
    const id = await createWorkstation(h, 'bob', { hibernation: false });

    const result = await applyPlan(
      planOf([actionOf('hibernate', 'bob', { kind: 'hibernate' }, { instanceId: id })]),
      h.deps(),
    );

    expect(result.results[0]).toMatchObject({ status: 'done', detail: 'not enabled for hibernation: stopped instead' });
    expect(await only('bob')).toMatchObject({
      state: 'stopped',
      reason: 'Client.UserInitiatedShutdown',
      desired: 'stopped',
    });
  });

  it('hibernating right after a start waits until the instance can hibernate', async () => {
    const id = await createWorkstation(h, 'carol', { hibernation: true }, 'stopped');
    const plan = planOf([
      actionOf('start', 'carol', { kind: 'start' }, { instanceId: id }),
      actionOf('hibernate', 'carol', { kind: 'hibernate' }, { instanceId: id, after: ['Workstation/carol/start'] }),
    ]);

    const result = await applyPlan(plan, h.deps());

    expect(result.results.map((r) => r.status)).toEqual(['done', 'done']);
    expect(await only('carol')).toMatchObject({
      state: 'stopped',
      reason: 'Client.UserInitiatedHibernate',
      desired: 'hibernated',
    });
  });

  it('an action whose instance is already in the target state makes no state call', async () => {
    const id = await createWorkstation(h, 'dave', {}, 'stopped');
    await h.sim.control.resetCalls();

    const result = await applyPlan(planOf([actionOf('stop', 'dave', { kind: 'stop' }, { instanceId: id })]), h.deps());

    expect(result.ok).toBe(true);
    expect(Object.keys(await h.sim.control.calls()).sort()).toEqual(['EC2.DescribeInstances', 'STS.GetCallerIdentity']);
  });
});

describe('apply resize and retag', () => {
  it.each([
    ['a running instance, restarted', 'running', true, 'running', 'running'],
    ['a stopped instance, left stopped', 'stopped', false, 'stopped', 'stopped'],
  ] as const)('resizes %s', async (_name, from, restart, state, desired) => {
    const id = await createWorkstation(h, 'erin', { instanceType: 'm6i.large' }, from);

    const result = await applyPlan(
      planOf([
        actionOf(
          'resize',
          'erin',
          { kind: 'resize', from: 'm6i.large', to: 'm6i.xlarge', restart },
          { instanceId: id },
        ),
      ]),
      h.deps(),
    );

    expect(result.results[0]).toMatchObject({ status: 'done', instanceId: id });
    expect(await only('erin')).toMatchObject({ type: 'm6i.xlarge', state, desired });
  });

  it('a resize that cannot happen fails with the AWS code, and the instance is left stopped, not lost', async () => {
    const id = await createWorkstation(h, 'frank', { instanceType: 'm6i.large', hibernation: true });

    const result = await applyPlan(
      planOf([
        actionOf(
          'resize',
          'frank',
          { kind: 'resize', from: 'm6i.large', to: 'm6i.xlarge', restart: true },
          { instanceId: id },
        ),
      ]),
      h.deps(),
    );

    expect(result.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'UnsupportedOperation', retryable: false },
    });
    expect(await only('frank')).toMatchObject({ type: 'm6i.large', state: 'stopped' });
  });

  it('retag sets and removes tags', async () => {
    const id = await createWorkstation(h, 'gina');

    const result = await applyPlan(
      planOf([
        actionOf(
          'retag',
          'gina',
          { kind: 'retag', set: { [TAG.project]: 'vision', 'labops:label:team': 'b' }, remove: [TAG.ami] },
          { instanceId: id },
        ),
      ]),
      h.deps(),
    );

    expect(result.ok).toBe(true);
    const { tags } = await only('gina');
    expect([tags[TAG.project], tags['labops:label:team'], TAG.ami in tags]).toEqual(['vision', 'b', false]);
  });

  it('orphan and drift are reported without any EC2 call', async () => {
    await h.sim.control.resetCalls();

    const result = await applyPlan(
      planOf([
        actionOf('orphan', 'old', { kind: 'orphan' }, { instanceId: 'i-0123456789abcdef0' }),
        actionOf(
          'drift',
          'hal',
          { kind: 'drift', observed: 'm6i.xlarge', expected: 'm6i.large' },
          { instanceId: 'i-0123456789abcdef1' },
        ),
      ]),
      h.deps(),
    );

    expect(result.results.map((r) => r.status)).toEqual(['done', 'done']);
    expect(await h.sim.control.calls()).toEqual({ 'STS.GetCallerIdentity': 1 });
  });
});
