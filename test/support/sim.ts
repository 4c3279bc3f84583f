/**
 * Starts `labops sim` inside a test process and builds real AWS SDK v3 clients pointed at it:
 * static dummy credentials, the sim URL as endpoint, and the SDK's own retry strategy with a
 * tiny delay so retry tests run in milliseconds. Also wraps the `/_sim/*` control API, and
 * creates the Batch job queues a test names (a new account, like the sim, has none).
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
} from '@aws-sdk/client-batch';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import {
  COMPUTE_ENVIRONMENT_CREATE_SECONDS,
  JOB_QUEUE_CREATE_SECONDS,
  QUEUE_SETUP_SECONDS,
} from '../../reconciler/src/sim/batch/compute.js';
import { startSim } from '../../reconciler/src/sim/index.js';
import type { FaultPlan, SimHandle, SimOptions, SimState } from '../../reconciler/src/sim/index.js';

/** Batch job queues by Region, each placing jobs on its own compute environment `NAME-ce`. */
export type QueuesByRegion = Readonly<Record<string, readonly string[]>>;

/** Options of {@link startTestSim}: the simulator's, plus client settings. */
export interface TestSimOptions extends SimOptions {
  /** Attempts per SDK call, first try included. @default 3 (the SDK default) */
  maxAttempts?: number;
  /** Delay between SDK retries in ms. @default 1 */
  retryDelayMs?: number;
  /** Simulated start. @default "2026-09-01T08:00:00Z" (tests want a fixed clock) */
  start?: string;
  /**
   * Batch job queues to have, VALID and ENABLED, at `start` (see {@link createQueues}). A manual
   * clock starts {@link QUEUE_SETUP_SECONDS} earlier so the setup ends exactly at `start`; the
   * setup's calls are left out of the call counts and the request log. @default none
   */
  queues?: QueuesByRegion;
}

/** Settings shared by every client: endpoint, Region, dummy credentials, fast retries. */
export interface ClientSettings {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
  retryStrategy: ConfiguredRetryStrategy;
}

/** The control API of a running test simulator. */
export interface SimControl {
  setClock(iso: string): Promise<string>;
  /** Advances by a Go-style duration such as `90s`, `36h`, `1h30m`. */
  advance(duration: string): Promise<string>;
  now(): Promise<string>;
  state(): Promise<SimState>;
  calls(): Promise<Record<string, number>>;
  resetCalls(): Promise<void>;
  faults(plan: FaultPlan): Promise<void>;
  load(body: unknown): Promise<unknown>;
  volumeData(volumeId: string, data: string): Promise<void>;
  /** Any control request: returns status and parsed JSON body. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** A running simulator with clients and control. */
export interface TestSim {
  url: string;
  handle: SimHandle;
  settings(region?: string): ClientSettings;
  /** The environment that points a child process's AWS SDK (the built CLI, the Action) at this simulator. */
  env(region?: string): Record<string, string>;
  ec2(region?: string): EC2Client;
  batch(region?: string): BatchClient;
  costExplorer(): CostExplorerClient;
  /** AWS Budgets (global: us-east-1). */
  budgets(): BudgetsClient;
  cloudwatch(region?: string): CloudWatchClient;
  imagebuilder(region?: string): ImagebuilderClient;
  sts(region?: string): STSClient;
  control: SimControl;
  /** Whether simulated time moves only when told (`clock: 'manual'`, the default). */
  manualClock: boolean;
  close(): Promise<void>;
}

function makeControl(url: string): SimControl {
  async function request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${url}/_sim/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return { status: res.status, body: await res.json() };
  }
  async function ok(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const res = await request(method, path, body);
    if (res.status !== 200) throw new Error(`sim control ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  return {
    setClock: async (iso) => ((await ok('POST', 'clock', { set: iso })) as { now: string }).now,
    advance: async (duration) => ((await ok('POST', 'clock', { advance: duration })) as { now: string }).now,
    now: async () => ((await ok('GET', 'clock')) as { now: string }).now,
    state: async () => (await ok('GET', 'state')) as SimState,
    calls: async () => (await ok('GET', 'calls')) as Record<string, number>,
    resetCalls: async () => {
      await ok('POST', 'calls/reset');
    },
    faults: async (plan) => {
      await ok('POST', 'faults', plan);
    },
    load: (body) => ok('POST', 'load', body),
    volumeData: async (volumeId, data) => {
      await ok('POST', 'volume-data', { volumeId, data });
    },
    request,
  };
}

/** What the tests sign with (the simulator accepts any credentials). */
const CREDENTIALS = { accessKeyId: 'AKIDLABOPSSIM', secretAccessKey: 'labops-sim-secret' } as const;

/** The environment that points a child process's AWS SDK (the built CLI, the Action) at the simulator at `url`. */
export function simEnv(url: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    // The sim's replies carry its simulated clock in `Date`; the SDK must not take it for skew.
    AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true',
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Starts a simulator on a free loopback port (manual clock unless told otherwise). */
export async function startTestSim(options: TestSimOptions = {}): Promise<TestSim> {
  const start = options.start ?? '2026-09-01T08:00:00Z';
  const manualClock = (options.clock ?? 'manual') === 'manual';
  const preroll = options.queues !== undefined && manualClock && options.state === undefined;
  const handle = await startSim({
    ...options,
    start: preroll ? new Date(Date.parse(start) - QUEUE_SETUP_SECONDS * 1000).toISOString() : start,
  });
  const maxAttempts = options.maxAttempts ?? 3;
  const delay = options.retryDelayMs ?? 1;
  function settings(region = 'us-east-1'): ClientSettings {
    return {
      endpoint: handle.url,
      region,
      credentials: { ...CREDENTIALS },
      maxAttempts,
      retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => delay),
    };
  }
  const clients: { destroy(): void }[] = [];
  function track<T extends { destroy(): void }>(client: T): T {
    clients.push(client);
    return client;
  }
  const sim: TestSim = {
    url: handle.url,
    handle,
    settings,
    env: (region) => simEnv(handle.url, region),
    ec2: (region) => track(new EC2Client(settings(region))),
    batch: (region) => track(new BatchClient(settings(region))),
    costExplorer: () => track(new CostExplorerClient(settings('us-east-1'))),
    budgets: () => track(new BudgetsClient(settings('us-east-1'))),
    cloudwatch: (region) => track(new CloudWatchClient(settings(region))),
    imagebuilder: (region) => track(new ImagebuilderClient(settings(region))),
    sts: (region) => track(new STSClient(settings(region))),
    control: makeControl(handle.url),
    manualClock,
    async close() {
      for (const client of clients) client.destroy();
      await handle.close();
    },
  };
  if (options.queues !== undefined) {
    await createQueues(sim, options.queues);
    if (preroll) await sim.control.setClock(start);
    await sim.control.resetCalls();
    await sim.control.request('POST', 'requests/reset');
  }
  return sim;
}

/** The Batch queues labops' tests and example lab name. */
export const LAB_QUEUES: readonly string[] = ['research-spot', 'research-ondemand', 'gpu-queue'];

/** {@link LAB_QUEUES} in each of `regions`. */
export function labQueues(...regions: string[]): QueuesByRegion {
  return Object.fromEntries(regions.map((region) => [region, LAB_QUEUES]));
}

/**
 * Waits until every named compute environment or queue is VALID: at once when they are, else on a
 * manual clock by moving it `seconds` on, else by asking again as the clock runs.
 * @throws {Error} when one is still not VALID
 */
async function untilValid(
  sim: Pick<TestSim, 'control' | 'manualClock'>,
  seconds: number,
  count: number,
  statuses: () => Promise<string[]>,
): Promise<void> {
  const valid = (seen: string[]): boolean => seen.length === count && seen.every((s) => s === 'VALID');
  if (valid(await statuses())) return;
  if (sim.manualClock) await sim.control.advance(`${seconds}s`);
  for (let i = 0; i < 500; i += 1) {
    const seen = await statuses();
    if (valid(seen)) return;
    if (sim.manualClock) throw new Error(`Batch setup: not VALID after ${seconds}s: ${seen.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('Batch setup: compute environments or queues never became VALID');
}

/**
 * Creates Batch job queues through the real SDK, as an account administrator would: in each
 * Region a MANAGED Spot compute environment `NAME-ce` per queue, waits until they are VALID (a
 * queue may only use VALID ones), then the ENABLED queues, and waits until those are VALID too.
 * Those the account already has (a state file loaded) are kept. On a manual clock this moves
 * simulated time on by {@link QUEUE_SETUP_SECONDS}.
 */
export async function createQueues(
  sim: Pick<TestSim, 'batch' | 'control' | 'manualClock'>,
  byRegion: QueuesByRegion,
): Promise<void> {
  const regions = Object.entries(byRegion);
  const count = regions.reduce((n, [, names]) => n + names.length, 0);
  for (const [region, names] of regions) {
    const batch = sim.batch(region);
    const have = new Set(
      (
        (await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: names.map((n) => `${n}-ce`) })))
          .computeEnvironments ?? []
      ).map((ce) => ce.computeEnvironmentName),
    );
    for (const name of names.filter((n) => !have.has(`${n}-ce`))) {
      await batch.send(
        new CreateComputeEnvironmentCommand({
          computeEnvironmentName: `${name}-ce`,
          type: 'MANAGED',
          state: 'ENABLED',
          computeResources: {
            type: 'SPOT',
            maxvCpus: 256,
            minvCpus: 0,
            instanceTypes: ['optimal'],
            subnets: ['subnet-0a1b2c3d4e5f60718'],
            securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
            allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
          },
        }),
      );
    }
  }
  const environments = async (): Promise<string[]> =>
    (
      await Promise.all(
        regions.map(
          async ([region, names]) =>
            (
              await sim
                .batch(region)
                .send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: names.map((n) => `${n}-ce`) }))
            ).computeEnvironments ?? [],
        ),
      )
    )
      .flat()
      .map((ce) => ce.status ?? '');
  await untilValid(sim, COMPUTE_ENVIRONMENT_CREATE_SECONDS, count, environments);
  for (const [region, names] of regions) {
    const batch = sim.batch(region);
    const have = new Set(
      ((await batch.send(new DescribeJobQueuesCommand({ jobQueues: [...names] }))).jobQueues ?? []).map(
        (q) => q.jobQueueName,
      ),
    );
    for (const [i, name] of names.entries()) {
      if (have.has(name)) continue;
      await batch.send(
        new CreateJobQueueCommand({
          jobQueueName: name,
          priority: 10 * (i + 1),
          state: 'ENABLED',
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${name}-ce` }],
        }),
      );
    }
  }
  const queues = async (): Promise<string[]> =>
    (
      await Promise.all(
        regions.map(
          async ([region, names]) =>
            (await sim.batch(region).send(new DescribeJobQueuesCommand({ jobQueues: [...names] }))).jobQueues ?? [],
        ),
      )
    )
      .flat()
      .map((q) => q.status ?? '');
  await untilValid(sim, JOB_QUEUE_CREATE_SECONDS, count, queues);
}
