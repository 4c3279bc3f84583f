/**
 * Starts `labops sim` inside a test process and builds real AWS SDK v3 clients pointed at it:
 * static dummy credentials, the sim URL as endpoint, and the SDK's own retry strategy with a
 * tiny delay so retry tests run in milliseconds. Also wraps the `/_sim/*` control API.
 */
import { BatchClient } from '@aws-sdk/client-batch';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { startSim } from '../../reconciler/src/sim/index.js';
import type { FaultPlan, SimHandle, SimOptions, SimState } from '../../reconciler/src/sim/index.js';

/** Options of {@link startTestSim}: the simulator's, plus client settings. */
export interface TestSimOptions extends SimOptions {
  /** Attempts per SDK call, first try included. @default 3 (the SDK default) */
  maxAttempts?: number;
  /** Delay between SDK retries in ms. @default 1 */
  retryDelayMs?: number;
  /** Simulated start. @default "2026-09-01T08:00:00Z" (tests want a fixed clock) */
  start?: string;
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
  cloudwatch(region?: string): CloudWatchClient;
  sts(region?: string): STSClient;
  control: SimControl;
  close(): Promise<void>;
}

function makeControl(url: string): SimControl {
  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${url}/_sim/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
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
    resetCalls: async () => void (await ok('POST', 'calls/reset')),
    faults: async (plan) => void (await ok('POST', 'faults', plan)),
    load: (body) => ok('POST', 'load', body),
    volumeData: async (volumeId, data) => void (await ok('POST', 'volume-data', { volumeId, data })),
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
  const handle = await startSim({ start: '2026-09-01T08:00:00Z', ...options });
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
  return {
    url: handle.url,
    handle,
    settings,
    env: (region) => simEnv(handle.url, region),
    ec2: (region) => track(new EC2Client(settings(region))),
    batch: (region) => track(new BatchClient(settings(region))),
    costExplorer: () => track(new CostExplorerClient(settings('us-east-1'))),
    cloudwatch: (region) => track(new CloudWatchClient(settings(region))),
    sts: (region) => track(new STSClient(settings(region))),
    control: makeControl(handle.url),
    async close() {
      for (const client of clients) client.destroy();
      await handle.close();
    },
  };
}
