import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import type { Plan } from '../../reconciler/src/model/plan.js';
import {
  actionOf,
  baseImage,
  createWorkstation,
  instancesNamed,
  launchFor,
  mutatingCalls,
  planOf,
  startHarness,
} from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function mixedPlan(): Promise<Plan> {
  const id = await createWorkstation(h, 'alice');
  const launch = launchFor('bob', await baseImage(h.sim));
  return planOf([
    actionOf(
      'destroy',
      'alice',
      { kind: 'destroy', snapshotRoot: false, retainRoot: false, keptVolumes: [] },
      { instanceId: id },
    ),
    actionOf('create', 'bob', { kind: 'create', launch, thenState: 'running' }),
  ]);
}

describe('apply refuses before any mutation', () => {
  it('in the wrong account: every action skipped, zero mutating calls', async () => {
    const plan = await mixedPlan();
    await h.sim.control.resetCalls();

    const result = await applyPlan(plan, h.deps({ expectedAccountId: '210987654321' }));

    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'wrong-account', retryable: false });
    expect(result.error?.message).toContain('123456789012');
    expect(result.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['skipped', 'wrong-account'],
      ['skipped', 'wrong-account'],
    ]);
    expect(mutatingCalls(await h.sim.control.calls())).toEqual({});
    expect(await instancesNamed(h.sim, 'bob')).toEqual([]);
  });

  it('when the plan has a plan-wide refusal: nothing applied, not even STS asked', async () => {
    const plan = {
      ...(await mixedPlan()),
      refusals: [{ code: 'destroys-everything' as const, message: 'every workstation would be destroyed' }],
    };
    await h.sim.control.resetCalls();

    const result = await applyPlan(plan, h.deps());

    expect(result).toMatchObject({ ok: false, error: { code: 'plan-refused' } });
    expect(result.error?.message).toContain('destroys-everything');
    expect(result.results.every((r) => r.status === 'skipped')).toBe(true);
    expect(await h.sim.control.calls()).toEqual({});
  });

  it('a refusal scoped to one resource does not stop the rest', async () => {
    const launch = launchFor('carol', await baseImage(h.sim));
    const plan = planOf(
      [actionOf('create', 'carol', { kind: 'create', launch, thenState: 'running' })],
      [
        {
          code: 'ami-required',
          message: 'no prebuilt image for dave',
          resource: { kind: 'Workstation', name: 'dave' },
        },
      ],
    );

    const result = await applyPlan(plan, h.deps());

    expect(result.ok).toBe(true);
    expect(await instancesNamed(h.sim, 'carol')).toHaveLength(1);
  });

  it('when the account cannot be confirmed: refused, fail closed', async () => {
    const plan = await mixedPlan();
    await h.sim.control.faults({ rules: [{ operation: 'STS.GetCallerIdentity', kind: '5xx' }] });
    await h.sim.control.resetCalls();

    const result = await applyPlan(plan, h.deps());

    expect(result).toMatchObject({ ok: false, error: { code: 'identity-unavailable', retryable: true } });
    expect(mutatingCalls(await h.sim.control.calls())).toEqual({});
  });
});

describe('apply order', () => {
  it('runs an action only after those it depends on, and skips it when one failed', async () => {
    const id = await createWorkstation(h, 'erin', {}, 'stopped');
    const plan = planOf([
      actionOf(
        'resize',
        'erin',
        { kind: 'resize', from: 'm6i.large', to: 'no.such-type', restart: false },
        { instanceId: id },
      ),
      actionOf('start', 'erin', { kind: 'start' }, { instanceId: id, after: ['Workstation/erin/resize'] }),
      actionOf(
        'retag',
        'erin',
        { kind: 'retag', set: { team: 'b' }, remove: [] },
        { id: 'Workstation/erin/retag', instanceId: id, after: ['Workstation/erin/missing'] },
      ),
    ]);

    const result = await applyPlan(plan, h.deps());

    expect(result.results.map((r) => [r.kind, r.status, r.error?.code])).toEqual([
      ['resize', 'failed', 'InvalidInstanceAttributeValue'],
      ['start', 'skipped', 'dependency-failed'],
      ['retag', 'skipped', 'dependency-failed'],
    ]);
    expect(result.results[1]?.error?.message).toContain('Workstation/erin/resize');
    expect((await instancesNamed(h.sim, 'erin'))[0]?.state).toBe('stopped');
  });
});
