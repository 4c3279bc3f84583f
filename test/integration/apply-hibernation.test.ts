/**
 * A hibernate is verified through the state reason AWS gives the stopped instance: under the
 * sim's `hibernationFails` fault StopInstances(Hibernate) succeeds but the instance shuts down
 * normally, and apply reports a stop with the failed hibernation, not `hibernated`, recording
 * `labops:desired-state=stopped` and the `labops:hibernation-failed` note later plans read.
 */
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
} from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function only(name: string): Promise<{ state?: string; reason?: string; desired?: string; failedNote: boolean }> {
  const [i] = await instancesNamed(h.sim, name);
  return {
    state: i?.state,
    reason: i?.stateReason?.Code,
    desired: i?.tags[TAG.desiredState],
    failedNote: i?.tags[TAG.hibernationFailed] !== undefined,
  };
}

describe('apply: a hibernation that fails into a plain stop', () => {
  it.each([
    ['a hibernate action', 'hibernate'],
    ['a create that ends hibernated', 'create'],
  ] as const)(
    '%s is reported as a stop with the failed hibernation, recorded as stopped and noted',
    async (_name, kind) => {
      // Arrange
      const id = kind === 'hibernate' ? await createWorkstation(h, 'alice', { hibernation: true }) : undefined;
      if (id !== undefined) await h.sim.control.advance('10m');
      await h.sim.control.faults({ rules: [{ operation: 'EC2.StopInstances', kind: 'hibernationFails' }] });
      const action =
        kind === 'hibernate'
          ? actionOf('hibernate', 'alice', { kind: 'hibernate' }, { instanceId: id })
          : actionOf('create', 'alice', {
              kind: 'create',
              launch: launchFor('alice', await baseImage(h.sim), { hibernation: true }),
              thenState: 'hibernated',
            });

      // Act
      const result = await applyPlan(planOf([action]), h.deps());

      // Assert
      expect(result.results[0]).toMatchObject({
        status: 'done',
        detail: expect.stringMatching(/hibernation failed.*Client\.UserInitiatedShutdown/),
      });
      expect(await only('alice')).toEqual({
        state: 'stopped',
        reason: 'Client.UserInitiatedShutdown',
        desired: 'stopped',
        failedNote: true,
      });
    },
  );

  it('a hibernate that succeeds is still reported as hibernated, with no detail', async () => {
    // Arrange
    const id = await createWorkstation(h, 'bob', { hibernation: true });
    await h.sim.control.advance('10m');

    // Act
    const result = await applyPlan(
      planOf([actionOf('hibernate', 'bob', { kind: 'hibernate' }, { instanceId: id })]),
      h.deps(),
    );

    // Assert
    expect(result.results[0]?.detail).toBeUndefined();
    expect(await only('bob')).toEqual({
      state: 'stopped',
      reason: 'Client.UserInitiatedHibernate',
      desired: 'hibernated',
      failedNote: false,
    });
  });
});
