/**
 * Shared fixtures of the aws-* and apply-* integration tests: a simulator with the real ports
 * built by `createAwsPorts`, a sleep that advances the simulated clock, and hand-built plans
 * (the planner is tested on its own; these tests pin the executor's contract).
 */
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { applyPlan } from '../../reconciler/src/engine/apply/apply-plan.js';
import { createAwsPorts } from '../../reconciler/src/aws/factory.js';
import type { AwsPortsHandle } from '../../reconciler/src/aws/factory.js';
import type { ApplyDeps } from '../../reconciler/src/engine/apply/types.js';
import type { LaunchRequest } from '../../reconciler/src/model/launch.js';
import type {
  Action,
  ActionBase,
  ActionKind,
  ActionOf,
  DetailsOf,
  Plan,
  PlanRefusal,
} from '../../reconciler/src/model/plan.js';
import { clientToken, ownershipTags, TAG } from '../../reconciler/src/model/tags.js';
import type { Ec2Instance, Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import { labQueues, startTestSim } from '../support/sim.js';
import type { TestSim, TestSimOptions } from '../support/sim.js';

export const REPO = 'lab/neuro';
export const ACCOUNT = '123456789012';

/** A simulator, the ports on it, and apply dependencies whose sleep moves the simulated clock. */
export interface Harness {
  sim: TestSim;
  ports: AwsPortsHandle;
  sleep(ms: number): Promise<void>;
  /** Total ms the executor asked to sleep. */
  slept(): number;
  deps(overrides?: Partial<ApplyDeps>): ApplyDeps;
  close(): Promise<void>;
}

/** Starts a simulator and builds the ports the standard way (endpoint, credentials, retries). */
export async function startHarness(options: TestSimOptions = {}): Promise<Harness> {
  // A new account has no Batch queue: the ones the tests' Jobs name exist from the start.
  const sim = await startTestSim({ log: () => {}, queues: labQueues('us-east-1', 'us-west-2'), ...options });
  const settings = sim.settings();
  const ports = createAwsPorts({
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: settings.credentials,
    maxAttempts: settings.maxAttempts,
    retryStrategy: settings.retryStrategy,
  });
  let total = 0;
  async function sleep(ms: number): Promise<void> {
    total += ms;
    await sim.control.advance(`${Math.ceil(ms / 1000)}s`);
  }
  return {
    sim,
    ports,
    sleep,
    slept: () => total,
    deps: (overrides = {}) => ({
      ec2: ports.ec2,
      identity: ports.identity,
      expectedAccountId: ACCOUNT,
      sleep,
      random: () => 0.5,
      ...overrides,
    }),
    async close() {
      ports.destroy();
      await sim.close();
    },
  };
}

/** The public Amazon Linux 2023 x86_64 image of a Region. */
export async function baseImage(sim: TestSim, region = 'us-east-1'): Promise<string> {
  const out = await sim
    .ec2(region)
    .send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }));
  return out.Images?.[0]?.ImageId ?? '';
}

/** A launch request for workstation `name`, as the planner would resolve it. */
export function launchFor(
  name: string,
  imageId: string,
  overrides: Partial<LaunchRequest> = {},
  generation = 0,
): LaunchRequest {
  const tags = {
    ...ownershipTags(REPO, { name, project: 'neuro', owner: 'alice', labels: {} }),
    [TAG.display]: name,
    [TAG.generation]: String(generation),
    [TAG.ami]: imageId,
  };
  return {
    region: 'us-east-1',
    imageId,
    instanceType: 'm6i.large',
    userData: '#cloud-config\n{}\n',
    rootGiB: 30,
    volumes: [],
    hibernation: false,
    spot: false,
    tags,
    clientToken: clientToken(REPO, 'Workstation', name, 'hash-1', generation),
    ...overrides,
  };
}

/** One action of a hand-built plan. */
export function actionOf<K extends ActionKind>(
  kind: K,
  name: string,
  details: DetailsOf<K>,
  extra: Partial<ActionBase> = {},
): ActionOf<K> {
  return {
    id: `Workstation/${name}/${kind}`,
    kind,
    resource: { kind: 'Workstation', name },
    region: 'us-east-1',
    rule: 'spec',
    reason: `${kind} ${name}`,
    monthlyDeltaUSD: 0,
    destructive: kind === 'destroy' || kind === 'replace',
    details,
    after: [],
    ...extra,
  } as ActionOf<K>;
}

/** A plan of the given actions. */
export function planOf(actions: Action[], refusals: PlanRefusal[] = []): Plan {
  return { now: '2026-09-01T08:00:00Z', actions, refusals, monthlyDeltaUSD: 0 };
}

/** Instances (not yet gone) of workstation `name` in the simulator's state. */
export async function instancesNamed(sim: TestSim, name: string): Promise<Ec2Instance[]> {
  const state = (await sim.control.state()) as unknown as { ec2: { instances: Record<string, Ec2Instance> } };
  return Object.values(state.ec2.instances).filter((i) => i.tags[TAG.name] === name);
}

/** Every volume in the simulator's state. */
export async function volumes(sim: TestSim): Promise<Ec2Volume[]> {
  const state = (await sim.control.state()) as unknown as { ec2: { volumes: Record<string, Ec2Volume> } };
  return Object.values(state.ec2.volumes);
}

/** Mutating EC2 calls counted by the simulator (everything but Describe*). */
export function mutatingCalls(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(calls).filter(([op]) => op.startsWith('EC2.') && !op.startsWith('EC2.Describe')),
  );
}

/** Creates workstation `name` through apply and returns its instance id. */
export async function createWorkstation(
  h: Harness,
  name: string,
  overrides: Partial<LaunchRequest> = {},
  thenState: 'running' | 'stopped' | 'hibernated' = 'running',
): Promise<string> {
  const launch = launchFor(name, await baseImage(h.sim), overrides);
  const result = await applyPlan(planOf([actionOf('create', name, { kind: 'create', launch, thenState })]), h.deps());
  const id = result.results[0]?.instanceId;
  if (!result.ok || id === undefined)
    throw new Error(`fixture create of ${name} failed: ${JSON.stringify(result.results)}`);
  return id;
}
