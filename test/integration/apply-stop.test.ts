/** Stopping apply between actions (SIGTERM in the scheduled container): nothing new starts after the signal. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import {
  actionOf,
  baseImage,
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

describe('apply with an abort signal', () => {
  it('starts nothing once the signal has fired: every action skipped as stopped, zero mutating calls', async () => {
    const image = await baseImage(h.sim);
    const plan = planOf(
      ['ann', 'ben'].map((name) =>
        actionOf('create', name, { kind: 'create', launch: launchFor(name, image), thenState: 'running' }),
      ),
    );
    const controller = new AbortController();
    controller.abort();
    await h.sim.control.resetCalls();

    const result = await applyPlan(plan, h.deps({ signal: controller.signal }));

    expect(result.ok).toBe(false);
    expect(result.results.map((r) => [r.status, r.error?.code, r.error?.retryable])).toEqual([
      ['skipped', 'stopped', true],
      ['skipped', 'stopped', true],
    ]);
    expect(mutatingCalls(await h.sim.control.calls())).toEqual({});
  });

  it('names the signal in the reason of each skipped action', async () => {
    const image = await baseImage(h.sim);
    const plan = planOf([
      actionOf('create', 'ann', { kind: 'create', launch: launchFor('ann', image), thenState: 'running' }),
    ]);
    const controller = new AbortController();
    controller.abort('SIGTERM');

    const result = await applyPlan(plan, h.deps({ signal: controller.signal }));

    expect(result.results.map((r) => r.error?.message)).toEqual([
      `${plan.actions[0]!.id} not started: stopped by SIGTERM`,
    ]);
  });

  it('lets the action in flight finish and skips the ones not yet started', async () => {
    const image = await baseImage(h.sim);
    const plan = planOf(
      ['ann', 'ben', 'cat'].map((name) =>
        actionOf('create', name, { kind: 'create', launch: launchFor(name, image), thenState: 'running' }),
      ),
    );
    const controller = new AbortController();

    const result = await applyPlan(
      plan,
      h.deps({
        concurrency: 1,
        signal: controller.signal,
        onProgress: (e) => e.phase === 'done' && controller.abort(),
      }),
    );

    expect(result.results.map((r) => [r.name, r.status])).toEqual([
      ['ann', 'done'],
      ['ben', 'skipped'],
      ['cat', 'skipped'],
    ]);
    expect((await instancesNamed(h.sim, 'ann')).map((i) => i.state)).toEqual(['running']);
    expect(await instancesNamed(h.sim, 'ben')).toEqual([]);
  });
});
