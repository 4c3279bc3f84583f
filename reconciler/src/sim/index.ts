/**
 * `labops sim`: a local AWS-compatible endpoint (EC2, Batch, EC2 Image Builder, Cost Explorer, Budgets, CloudWatch, STS) on
 * one loopback port, with a simulated clock, fault injection and optional persistence.
 */
import type { AddressInfo } from 'node:net';
import { batchService } from './batch/service.js';
import { budgetsService } from './budgets/service.js';
import { cloudWatchService } from './cloudwatch/service.js';
import type { SimConfig, SimService, SimState } from './core/contract.js';
import { costExplorerService } from './cost-explorer/service.js';
import { ec2Service } from './ec2/service.js';
import { imageBuilderService } from './imagebuilder/service.js';
import { createEngine } from './core/engine.js';
import type { ClockMode, SimEngine } from './core/engine.js';
import { createPersister, loadState } from './core/persistence.js';
import { createSimServer } from './core/server.js';
import type { SimLogger } from './core/server.js';
import { stsService } from './sts/service.js';

export { SimError } from './core/contract.js';
export type { SimConfig, SimContext, SimService, SimState, UsageSegment } from './core/contract.js';
export type { ClockMode, SimEngine } from './core/engine.js';
export type { FaultPlan, FaultRule, FaultKind } from './core/faults.js';
export type { RequestLogEntry } from './core/request-log.js';

/** Every simulated service, in the order their `advance` runs. */
export const SIM_SERVICES: readonly SimService[] = [
  ec2Service,
  batchService,
  imageBuilderService,
  costExplorerService,
  budgetsService,
  cloudWatchService,
  stsService,
];

/** Options of {@link startSim}. */
export interface SimOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** File the account is loaded from at start and saved to after changes. */
  state?: string;
  /** @default 1 */
  seed?: number;
  /** @default "123456789012" */
  accountId?: string;
  /** @default 8 */
  costLagHours?: number;
  /** @default "manual" */
  clock?: ClockMode;
  /** Simulated start time of a fresh account (ISO-8601). @default the wall clock */
  start?: string;
  /** Where unexpected handler failures are reported. @default one JSON line on stderr */
  log?: SimLogger;
  /** Replaces the service list (tests of the core). @default {@link SIM_SERVICES} */
  services?: readonly SimService[];
}

/** A running simulator. */
export interface SimHandle {
  /** `http://127.0.0.1:PORT`, the value for `AWS_ENDPOINT_URL`. */
  url: string;
  port: number;
  engine: SimEngine;
  /** The current account state. */
  state(): SimState;
  /** Saves the state now (when a state file is set). */
  flush(): Promise<void>;
  /** Stops listening, then saves the state. */
  close(): Promise<void>;
}

function defaultLog(data: Record<string, unknown>, message: string): void {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: message, ...data })}\n`);
}

/** Starts the simulator. @throws {Error} when the state file is unreadable or the port is taken */
export async function startSim(options: SimOptions = {}): Promise<SimHandle> {
  const config: SimConfig = {
    accountId: options.accountId ?? '123456789012',
    seed: options.seed ?? 1,
    costLagHours: options.costLagHours ?? 8,
  };
  const loaded = options.state === undefined ? undefined : await loadState(options.state);
  const engine = createEngine({
    config,
    services: [...(options.services ?? SIM_SERVICES)],
    clock: options.clock ?? 'manual',
    state: loaded,
    start: options.start === undefined ? undefined : new Date(options.start),
  });
  const persister = createPersister(options.state, () => engine.state);
  const server = createSimServer(engine, persister, options.log ?? defaultLog);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (loaded === undefined) persister.markDirty();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    engine,
    state: () => engine.state,
    flush: () => persister.flush(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await persister.flush();
    },
  };
}
