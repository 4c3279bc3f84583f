/**
 * The wait before hibernating a fresh instance is measured on AWS's clock: the `Date` of EC2's
 * reply against the instance's `LaunchTime` ("wait for about two minutes after launch before
 * hibernating"), polling with short real sleeps, never a fixed local sleep of two minutes. With
 * the sim's clock running 600× real time the whole create-then-hibernate takes seconds, and
 * hibernates about two simulated minutes after launch, not hours later.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import { actionOf, baseImage, instancesNamed, launchFor, planOf, startHarness } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ clock: { speed: 600 } });
});
afterEach(async () => {
  await h.close();
});

describe("apply: hibernating a fresh instance waits on AWS's clock", () => {
  it('at 600× a create that ends hibernated takes seconds and hibernates about two simulated minutes after launch', async () => {
    // Arrange
    const launch = launchFor('fay', await baseImage(h.sim), { hibernation: true });
    const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    const started = Date.now();

    // Act
    const result = await applyPlan(
      planOf([actionOf('create', 'fay', { kind: 'create', launch, thenState: 'hibernated' })]),
      h.deps({ sleep: realSleep }),
    );

    // Assert
    expect(result.results[0]).toMatchObject({ status: 'done' });
    expect(Date.now() - started).toBeLessThan(15_000);
    const [instance] = await instancesNamed(h.sim, 'fay');
    expect(instance?.stateReason?.Code).toBe('Client.UserInitiatedHibernate');
    const launchedAt = Date.parse(String(instance?.launchTime));
    const hibernatedAt = Date.parse(
      `${/\((.*) GMT\)/.exec(String(instance?.stateTransitionReason))?.[1]?.replace(' ', 'T') ?? ''}Z`,
    );
    expect(hibernatedAt - launchedAt).toBeGreaterThanOrEqual(120_000);
    expect(hibernatedAt - launchedAt).toBeLessThan(20 * 60_000);
  }, 20_000);
});

describe("AWS's clock as labops reads it", () => {
  it("an instance read by id carries the reply's Date: the sim's simulated time, not the local clock", async () => {
    // Arrange
    const launch = launchFor('gus', await baseImage(h.sim));
    const { instanceId } = await h.ports.ec2.launch(launch, { rootDeviceName: '/dev/sda1' });

    // Act
    const [read] = await h.ports.ec2.describeInstances('us-east-1', [instanceId]);
    const simNow = Date.parse(await h.sim.control.now());

    // Assert
    const observedAt = Date.parse(String(read?.observedAt));
    expect(Math.abs(simNow - observedAt)).toBeLessThan(60_000);
    expect(Math.abs(Date.now() - observedAt)).toBeGreaterThan(24 * 3_600_000);
  });
});
