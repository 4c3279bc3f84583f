/**
 * The one place that builds what a run needs, for every shell — the CLI's commands (plan, apply,
 * reconcile, status, cost), the container (which runs the CLI) and the Action: the environment
 * catalog, the AWS ports for a Region and Cost Explorer (SDK v3 clients, configured by the SDK's
 * own chain: credentials, `AWS_ENDPOINT_URL`), GitHub (Octokit on `GITHUB_API_URL`, when there is
 * a token), the run record's store, the clock, sleep and randomness, and progress. `close()`
 * releases every SDK client made, in one place.
 */
import { createCostsPort } from '../aws/costs.js';
import type { CostsPort, CostsPortHandle } from '../aws/costs.js';
import { createAwsPorts } from '../aws/factory.js';
import { nodeSupportNotice } from '../aws/node-support.js';
import type { AwsPortsHandle } from '../aws/factory.js';
import type { AwsPorts } from '../aws/ports.js';
import type { ProgressEvent } from '../engine/apply/types.js';
import type { RunDeps } from '../engine/pipeline.js';
import { loadCatalog } from '../environments/catalog.js';
import type { EnvironmentCandidate } from '../environments/model.js';
import type { Forge } from '../github/forge.js';
import { createOctokitForge } from '../github/octokit-forge.js';
import type { RecordStore } from '../model/record.js';
import type { LeaseRequest } from '../record/lease.js';
import { recordStoreAt } from './record-option.js';
import type { RecordPlace } from './record-option.js';

/** What a shell knows before a run: plain values from its flags, inputs and environment. */
export interface RuntimeOptions {
  /** The process environment: `AWS_REGION`, `GITHUB_API_URL` and labops' `LABOPS_GITHUB_*` settings. */
  env: NodeJS.ProcessEnv;
  /** The Region every AWS port is built for (the Action's `aws-region` input). @default AWS_REGION, else the lab's */
  region?: string;
  /** Where the run record lives (record-option.ts). @default none: nothing is remembered */
  record?: RecordPlace;
  /** GitHub, for approvals, comments and the status issue. @default none (also when the token is empty) */
  github?: {
    token: string;
    /** Where the client's warnings go (a rate limit being waited out). */
    warn?: (message: string) => void;
    /** The login the token writes as (the Action's `comment-author` input). @default asked of GitHub */
    identity?: string;
  };
  /** Where apply's progress goes (the CLI's progress line). @default nowhere */
  onProgress?: (event: ProgressEvent) => void;
  /** Stops apply between actions (SIGINT/SIGTERM). @default never */
  signal?: AbortSignal;
  /** IAM instance profile for new workstations (SSM Session Manager). @default none */
  instanceProfile?: string;
  /** Where the AWS SDK's Node support notice goes, once per run (aws/node-support.ts). @default stderr */
  notice?: (line: string) => void;
}

/** Everything a run uses; built by {@link createRuntime}, released by `close`. */
export interface Runtime {
  readonly catalog: readonly EnvironmentCandidate[];
  /** The AWS ports for a Region (the lab's default unless the options or AWS_REGION say), one set per Region. */
  readonly ports: (region: string) => AwsPorts;
  /** Cost Explorer (one client, made on first use). */
  readonly costs: () => CostsPort;
  readonly record?: RecordStore;
  readonly forge?: Forge;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /**
   * The pipeline's dependencies (engine/pipeline.ts) with the lease a run takes; `without` leaves
   * out what a command does not use (status reads no Cost Explorer and writes no record).
   */
  readonly runDeps: (options?: { lease?: LeaseRequest; without?: readonly ('record' | 'costs')[] }) => RunDeps;
  /** Destroys every SDK client made so far; the runtime is not used after. */
  readonly close: () => void;
}

/**
 * Builds the runtime. Nothing is contacted yet: clients are made on first use.
 * @throws {UsageError} for `--record git` in a folder with no `origin` remote
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const catalog = loadCatalog();
  if (catalog.problems.length) throw new Error('the built-in environment catalog is broken; reinstall labops');
  const { env } = options;
  const regions = new Map<string, AwsPortsHandle>();
  let costs: CostsPortHandle | undefined;
  const ports = (labRegion: string): AwsPorts => {
    const region = options.region || env.AWS_REGION || labRegion;
    let handle = regions.get(region);
    if (handle === undefined) {
      nodeSupportNotice(options.notice);
      handle = createAwsPorts({ region });
      regions.set(region, handle);
    }
    return handle;
  };
  const costsPort = (): CostsPort => {
    if (costs === undefined) nodeSupportNotice(options.notice);
    return (costs ??= createCostsPort());
  };
  const record = options.record === undefined ? undefined : await recordStoreAt(options.record);
  const forge = options.github?.token ? githubForge(options.github, env) : undefined;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    catalog: catalog.environments,
    ports,
    costs: costsPort,
    ...(record ? { record } : {}),
    ...(forge ? { forge } : {}),
    now: () => new Date(),
    sleep,
    random: Math.random,
    runDeps: ({ lease, without = [] } = {}) => ({
      catalog: catalog.environments,
      ports,
      sleep,
      random: Math.random,
      ...(without.includes('costs') ? {} : { costs: costsPort }),
      ...(record && !without.includes('record') ? { record } : {}),
      ...(lease ? { lease } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.instanceProfile ? { instanceProfile: options.instanceProfile } : {}),
    }),
    close: () => {
      for (const handle of regions.values()) handle.destroy();
      regions.clear();
      costs?.destroy();
      costs = undefined;
    },
  };
}

/** Octokit on GITHUB_API_URL; LABOPS_GITHUB_RETRY_BASE_MS and LABOPS_GITHUB_SPACE_WRITES=0 shorten waits in tests. */
function githubForge(github: NonNullable<RuntimeOptions['github']>, env: NodeJS.ProcessEnv): Forge {
  const retryAfterBaseMs = Number(env.LABOPS_GITHUB_RETRY_BASE_MS ?? '') || undefined;
  return createOctokitForge({
    token: github.token,
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    ...(github.warn ? { warn: github.warn } : {}),
    ...(github.identity ? { identity: github.identity } : {}),
    ...(retryAfterBaseMs ? { retryAfterBaseMs } : {}),
    ...(env.LABOPS_GITHUB_SPACE_WRITES === '0' ? { spaceWrites: false } : {}),
  });
}
