/**
 * The chaos suite's machinery: the chaos lab on disk, `labops sim` in-process with a seeded fault
 * plan, the real SDK clients built by `createAwsPorts`, and the whole pipeline (`run`, mode
 * apply, with a run record) reconciled again and again until a plan has no action. Every
 * reconcile's requests are read back from the simulator's per-request log, so the suite can
 * check the SDK's attempts per call and labops' own repeats of mutations.
 */
import { join } from 'node:path';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { createAwsPorts } from '../../reconciler/src/aws/factory.js';
import type { AwsPortsHandle } from '../../reconciler/src/aws/factory.js';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import { fileRecordStore } from '../../reconciler/src/record/file-store.js';
import { run } from '../../reconciler/src/engine/pipeline.js';
import { view } from '../support/run-view.js';
import type { RunView } from '../support/run-view.js';
import type { BatchState } from '../../reconciler/src/sim/batch/model.js';
import type { Ec2Instance, Ec2Snapshot, Ec2Volume } from '../../reconciler/src/sim/ec2/model.js';
import type { FaultPlan, RequestLogEntry } from '../../reconciler/src/sim/index.js';
import { createRandom } from '../../reconciler/src/sim/core/random.js';
import { makeLab } from '../support/lab-fixture.js';
import { labQueues, startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';
import { REGIONS, REPO, chaosLabFiles } from './chaos-lab.js';

/**
 * Simulated time between two runs, like `reconcile --watch --interval 150s`: longer than the two
 * minutes a new instance must run before it may hibernate, during which the planner defers the
 * hibernate (an empty plan that is not yet convergence).
 */
export const RUN_INTERVAL = '150s';

/** What one reconcile did: its result, or the error it threw (observation failed), and its requests. */
export interface Reconcile {
  result?: RunView;
  error?: string;
  requests: RequestLogEntry[];
}

/** The account as the simulator holds it. */
export interface SimAccount {
  instances: Ec2Instance[];
  volumes: Ec2Volume[];
  snapshots: Ec2Snapshot[];
  batch: BatchState;
}

/** One convergence: how many reconciles it took (undefined when it did not within the bound). */
export interface Convergence {
  reconciles?: number;
  runs: Reconcile[];
}

/** The chaos lab, the simulator and the pipeline. */
export interface ChaosHarness {
  sim: TestSim;
  ports: AwsPortsHandle;
  /** Attempts per SDK call, first included, as configured on the clients. */
  maxAttempts: number;
  faults(plan: FaultPlan): Promise<void>;
  /** Runs the pipeline (apply) once at the simulator's clock. */
  reconcile(): Promise<Reconcile>;
  /** Reconciles until a plan has no action and no refusal, at most `bound` times. */
  converge(bound: number): Promise<Convergence>;
  account(): Promise<SimAccount>;
  /** Every instance id ever seen per `labops:name`, across all reads of the account (terminated ones included). */
  instancesEverSeen(): Map<string, Set<string>>;
  close(): Promise<void>;
}

/**
 * Starts the simulator at `start` with the chaos lab; `seed` seeds the simulator and the
 * executor's jitter; `maxAttempts` configures the SDK clients (default: the SDK's 3).
 */
export async function startChaos(start: string, seed: number, maxAttempts = 3): Promise<ChaosHarness> {
  // A new account has no Batch queue: the chaos lab's Jobs (us-west-2) need theirs from the start.
  const sim = await startTestSim({ log: () => {}, start, seed, maxAttempts, queues: labQueues(...REGIONS) });
  const settings = sim.settings('us-east-1');
  // Like the CLI, every run builds its own clients (so each run starts with a full SDK retry
  // quota); `ports` is one more set for reads outside a run.
  const portsFor = (region: string): AwsPortsHandle =>
    createAwsPorts({
      region,
      endpoint: sim.url,
      credentials: settings.credentials,
      maxAttempts: settings.maxAttempts,
      retryStrategy: new ConfiguredRetryStrategy(settings.maxAttempts, () => 1),
    });
  const ports = portsFor('us-east-1');
  const made: AwsPortsHandle[] = [ports];
  const lab = makeLab(chaosLabFiles(), null);
  const record = fileRecordStore(join(lab.dir, '.labops', 'record.json'));
  const catalog = loadCatalog().environments;
  const jitter = createRandom(seed, 0xc4a05);
  const seen = new Map<string, Set<string>>();
  const sleep = async (ms: number): Promise<void> => {
    await sim.control.advance(`${Math.ceil(ms / 1000)}s`);
  };

  async function account(): Promise<SimAccount> {
    const state = (await sim.control.state()) as unknown as {
      ec2: {
        instances: Record<string, Ec2Instance>;
        volumes: Record<string, Ec2Volume>;
        snapshots: Record<string, Ec2Snapshot>;
      };
      batch: BatchState;
    };
    const instances = Object.values(state.ec2.instances);
    for (const i of instances) {
      const name = i.tags['labops:name'] ?? '(untagged)';
      seen.set(name, (seen.get(name) ?? new Set()).add(i.id));
    }
    return {
      instances,
      volumes: Object.values(state.ec2.volumes),
      snapshots: Object.values(state.ec2.snapshots),
      batch: state.batch,
    };
  }

  // The log is read from where the last run's reading ended (never reset): a run whose
  // observation failed may leave reads in flight whose later attempts land after it returned.
  let lastSeq = 0;

  async function reconcile(): Promise<Reconcile> {
    const now = new Date(await sim.control.now());
    const out: Reconcile = { requests: [] };
    let handle: AwsPortsHandle | undefined;
    try {
      out.result = view(
        await run(
          { dir: lab.dir, repo: () => Promise.resolve(REPO), mode: 'apply', now },
          { catalog, ports: (region) => (handle = portsFor(region)), sleep, random: jitter, record },
        ),
      );
    } catch (err: unknown) {
      // The scheduled reconcile reports a failed run in one line and goes ahead with the next.
      out.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } finally {
      // Released at close: a run whose observation failed may still have reads in flight, and
      // destroying their client now would reset them mid-answer (the SDK then retries a 200).
      if (handle !== undefined) made.push(handle);
    }
    const log = (await sim.control.request('GET', 'requests')).body as { requests: RequestLogEntry[]; dropped: number };
    if (log.dropped > 0) throw new Error(`request log dropped ${log.dropped} entries`);
    out.requests = log.requests.filter((r) => r.seq > lastSeq);
    lastSeq = log.requests.at(-1)?.seq ?? lastSeq;
    await account();
    return out;
  }

  return {
    sim,
    ports,
    maxAttempts: settings.maxAttempts,
    faults: (plan) => sim.control.faults(plan),
    reconcile,
    async converge(bound) {
      const runs: Reconcile[] = [];
      for (let i = 1; i <= bound; i += 1) {
        if (i > 1) await sim.control.advance(RUN_INTERVAL);
        const one = await reconcile();
        runs.push(one);
        const plan = one.result?.plan;
        if (plan !== undefined && plan.actions.length === 0 && plan.refusals.length === 0)
          return { reconciles: i, runs };
      }
      return { runs };
    },
    account,
    instancesEverSeen: () => seen,
    async close() {
      for (const handle of made) handle.destroy();
      await sim.close();
      lab.cleanup();
    },
  };
}

/** `id status code` of every failed action of a run, for assertion messages. */
export function failuresOf(r: Reconcile): string[] {
  if (r.error !== undefined) return [`run: ${r.error}`];
  return (r.result?.applied?.results ?? [])
    .filter((a) => a.status !== 'done')
    .map((a) => `${a.actionId} ${a.status} ${a.error?.code ?? ''}`);
}
