/**
 * Apply within AWS's request buckets (issue 14, item 6): with the simulator's EC2 token buckets on
 * (AWS's documented sizes, per Region, refilled on the simulated clock), an apply that creates 120
 * workstations in 2 Regions, and one that stops or hibernates them all, is never throttled, and
 * talks to EC2 in batches: instance waits share DescribeInstances rounds (never a read per
 * instance per poll), the launch image is read once per Region, the same tags go to many resources
 * in one CreateTags, and the stops of many instances go in few StopInstances. The apply runs in
 * simulated time (sim/virtual-time.ts): its sleeps overlap as they would on AWS, and only they move
 * the simulator's clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import type { ActionOf } from '../../reconciler/src/model/plan.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import type { RequestLogEntry } from '../../reconciler/src/sim/core/request-log.js';
import { createVirtualTime } from '../../reconciler/src/sim/core/virtual-time.js';
import type { ApplyResult } from '../../reconciler/src/engine/apply/types.js';
import type { Ec2Port } from '../../reconciler/src/aws/ports.js';
import type { Plan } from '../../reconciler/src/model/plan.js';
import { actionOf, baseImage, instancesNamed, launchFor, planOf, startHarness, volumes } from './apply-harness.js';
import type { Harness } from './apply-harness.js';

const REGIONS = ['us-east-1', 'us-west-2'];
const PER_REGION = 60;
const NAMES = REGIONS.flatMap((region) =>
  Array.from({ length: PER_REGION }, (_, i) => ({ name: `${region}-ws-${i}`, region })),
);

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** Every request the simulator answered since the last reset. */
async function requests(): Promise<RequestLogEntry[]> {
  const { body } = await h.sim.control.request('GET', 'requests');
  return (body as { requests: RequestLogEntry[] }).requests;
}

function count(log: RequestLogEntry[], operation: string, region?: string): number {
  return log.filter((r) => r.operation === `EC2.${operation}` && (region === undefined || r.region === region)).length;
}

/** Creates of every workstation, every other one ending stopped, each with a data volume. */
async function creates(): Promise<ActionOf<'create'>[]> {
  const images = Object.fromEntries(
    await Promise.all(REGIONS.map(async (region) => [region, await baseImage(h.sim, region)] as const)),
  );
  return NAMES.map(({ name, region }, i) => {
    const launch = launchFor(name, images[region]!, {
      region,
      hibernation: true,
      volumes: [{ name: 'data', sizeGiB: 10, type: 'gp3' }],
    });
    return actionOf(
      'create',
      name,
      { kind: 'create', launch, thenState: i % 2 === 0 ? 'running' : 'stopped' },
      { region },
    );
  });
}

/**
 * Applies `plan` in simulated time, with the buckets on and the request log cleared first;
 * `decorate` wraps the EC2 port (its calls still count as in flight).
 */
async function applyTimed(
  plan: Plan,
  decorate: (ec2: Ec2Port) => Ec2Port = (ec2) => ec2,
  signal?: AbortSignal,
): Promise<{ result: ApplyResult; log: RequestLogEntry[] }> {
  await h.sim.control.faults({ rules: [], rateLimits: true, rateLimitClock: 'simulated' });
  await h.sim.control.request('POST', 'requests/reset');
  const start = Date.parse(await h.sim.control.now());
  const time = createVirtualTime(async (ms) => {
    await h.sim.control.setClock(new Date(start + ms).toISOString());
  });
  const deps = h.deps({
    ec2: time.tracked(decorate(h.ports.ec2)),
    identity: time.tracked(h.ports.identity),
    sleep: (ms) => time.sleep(ms),
    clock: () => time.now(),
    ...(signal ? { signal } : {}),
  });
  const result = await time.drive(applyPlan(plan, deps));
  return { result, log: await requests() };
}

describe('apply within the buckets', () => {
  it('creates 60 workstations in each of 2 Regions: no throttle, waits batched, one image read per Region, tags coalesced by tag set', async () => {
    const plan = planOf(await creates());

    const { result, log } = await applyTimed(plan);

    expect(result.results.filter((r) => r.status !== 'done')).toEqual([]);
    expect(log.filter((r) => r.code === 'RequestLimitExceeded')).toEqual([]);
    for (const region of REGIONS) {
      expect(count(log, 'RunInstances', region)).toBe(PER_REGION);
      expect(count(log, 'DescribeImages', region)).toBe(1);
      // The executor before read each instance on its own, about 7 times: 420 calls here.
      expect(count(log, 'DescribeInstances', region)).toBeLessThanOrEqual(PER_REGION / 3);
      // Half end stopped: one StopInstances each before.
      expect(count(log, 'StopInstances', region)).toBeLessThanOrEqual(PER_REGION / 6);
    }
    expect(count(log, 'DescribeVolumes')).toBe(0);
    // Each instance's root and data volume named, and its labops:desired-state recorded (the
    // hand-built launch has none): 3 tag sets per Region, one CreateTags each for many resources.
    const tagCalls = log.filter((r) => r.operation === 'EC2.CreateTags');
    const tagged = tagCalls.reduce((n, r) => n + (r.input?.Resources as string[]).length, 0);
    expect(tagged).toBe(3 * NAMES.length);
    expect(tagCalls.length).toBeLessThanOrEqual(tagged / 5);
    const named = (await volumes(h.sim)).map((v) => v.tags[TAG.volume]).sort();
    expect(named).toEqual([...Array<string>(NAMES.length).fill('data'), ...Array<string>(NAMES.length).fill('root')]);
  });

  it.each(['stop', 'hibernate'] as const)(
    '%ss 60 instances in each of 2 Regions: no throttle, waits batched, StopInstances coalesced',
    async (kind) => {
      const launched = await applyPlan(
        planOf(
          (await creates()).map((a) => ({
            ...a,
            details: { ...a.details, thenState: 'running' as const },
          })),
        ),
        h.deps(),
      );
      expect(launched.ok).toBe(true);
      await h.sim.control.advance('3m');
      const plan = planOf(
        await Promise.all(
          NAMES.map(async ({ name, region }) =>
            actionOf(kind, name, { kind }, { region, instanceId: (await instancesNamed(h.sim, name))[0]!.id }),
          ),
        ),
      );

      const { result, log } = await applyTimed(plan);

      expect(result.results.filter((r) => r.status !== 'done')).toEqual([]);
      expect(log.filter((r) => r.code === 'RequestLimitExceeded')).toEqual([]);
      for (const region of REGIONS) {
        expect(count(log, 'StopInstances', region)).toBeLessThanOrEqual(3);
        expect(count(log, 'DescribeInstances', region)).toBeLessThanOrEqual(PER_REGION / 6);
      }
      const states = await Promise.all(
        NAMES.map(async ({ name }) => (await instancesNamed(h.sim, name))[0]?.tags[TAG.desiredState]),
      );
      expect(states).toEqual(Array(NAMES.length).fill(kind === 'stop' ? 'stopped' : 'hibernated'));
    },
  );

  it('stopped while launches wait for their RunInstances tokens: the 5 sent finish, the others send nothing and are skipped', async () => {
    const image = await baseImage(h.sim);
    const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus'];
    const plan = planOf(
      names.map((name) =>
        actionOf('create', name, { kind: 'create', launch: launchFor(name, image), thenState: 'running' }),
      ),
    );
    const controller = new AbortController();
    let launched = 0;
    const abortAfterFive = (ec2: Ec2Port): Ec2Port => ({
      ...ec2,
      async launch(request, options) {
        const out = await ec2.launch(request, options);
        launched += 1;
        if (launched === 5) controller.abort('SIGTERM');
        return out;
      },
    });

    const { result, log } = await applyTimed(plan, abortAfterFive, controller.signal);

    expect(result.results.map((r) => [r.name, r.status, r.error?.message])).toEqual([
      ...names.slice(0, 5).map((name) => [name, 'done', undefined]),
      ...names.slice(5).map((name) => [name, 'skipped', `Workstation/${name}/create not started: stopped by SIGTERM`]),
    ]);
    expect(count(log, 'RunInstances')).toBe(5);
  });
});
