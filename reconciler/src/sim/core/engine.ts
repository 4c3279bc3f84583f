/**
 * The simulator's core, without HTTP: the account state, the simulated clock, the registered
 * services, call counts and faults. The server turns requests into {@link SimEngine.invoke}
 * calls; the control API drives the clock and reads state through the same object.
 */
import { SimError } from './contract.js';
import type { SimConfig, SimContext, SimService, SimState } from './contract.js';
import { createFaultInjector } from './faults.js';
import type { FaultInjector } from './faults.js';
import { createRandom } from './random.js';
import { createRequestLog } from './request-log.js';
import type { RequestLog } from './request-log.js';

/** How simulated time moves: only on request, with the wall clock, or faster than it. */
export type ClockMode = 'manual' | 'realtime' | { speed: number };

/** Longest stretch handed to one `advance` call, so services interleave in time order. */
const ADVANCE_STEP_MS = 3_600_000;

/** The simulator core one server owns. */
export interface SimEngine {
  readonly config: SimConfig;
  state: SimState;
  readonly services: ReadonlyMap<string, SimService>;
  readonly calls: Map<string, number>;
  /** Every AWS request answered, with the SDK's attempt headers (`GET /_sim/requests`). */
  readonly requests: RequestLog;
  readonly faults: FaultInjector;
  /** Brings the state up to the clock (realtime and accelerated modes) and returns now. */
  now(): Date;
  /**
   * Moves simulated time forward to `to`, running every service's `advance` in steps.
   * @throws {SimError} `InvalidParameterValue` when `to` is before now.
   */
  advanceTo(to: Date): Date;
  /** A context for one request or control call. */
  context(region: string): SimContext;
  /** Counts the call, then runs the handler. @throws {SimError} from the handler. */
  invoke(service: SimService, operation: string, input: Record<string, unknown>, ctx: SimContext): unknown;
  /** Replaces the state wholesale (load from file), keeping the clock anchor consistent. */
  replaceState(state: SimState): void;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  config: SimConfig;
  services: SimService[];
  clock: ClockMode;
  /** Starting state (loaded from file) or absent for a fresh account. */
  state?: SimState;
  /** Simulated start time of a fresh account. @default the wall clock, to the second */
  start?: Date;
}

/** Where each service keeps its slice of {@link SimState}. */
const SLICE_KEYS: Record<SimService['name'], string> = {
  EC2: 'ec2',
  Batch: 'batch',
  CloudWatch: 'cloudwatch',
  CostExplorer: 'costExplorer',
  Budgets: 'budgets',
  STS: 'sts',
  ImageBuilder: 'imagebuilder',
};

/** A fresh, empty account. */
export function initialState(services: SimService[], start: Date): SimState {
  const state: SimState = {
    version: 1,
    clock: start.toISOString(),
    nextId: 1,
    ec2: {},
    batch: {},
    cloudwatch: {},
    usage: [],
  };
  const slices = state as unknown as Record<string, unknown>;
  for (const service of services) {
    const key = SLICE_KEYS[service.name];
    if (service.initialState) slices[key] = service.initialState();
  }
  return state;
}

/** Creates the core over the given services. */
export function createEngine(options: EngineOptions): SimEngine {
  const { config, clock } = options;
  const services = new Map(options.services.map((s) => [s.name, s]));
  const start = options.start ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  let requestCount = 0;
  let anchorWall = Date.now();
  let anchorSim = 0;
  const engine: SimEngine = {
    config,
    state: options.state ?? initialState(options.services, start),
    services,
    calls: new Map(),
    requests: createRequestLog(),
    faults: createFaultInjector(config.seed, () => Date.parse(engine.state.clock)),
    now() {
      if (clock === 'manual') return new Date(engine.state.clock);
      const speed = clock === 'realtime' ? 1 : clock.speed;
      const target = anchorSim + (Date.now() - anchorWall) * speed;
      const current = Date.parse(engine.state.clock);
      return target > current ? engine.advanceTo(new Date(target)) : new Date(current);
    },
    advanceTo(to) {
      const from = Date.parse(engine.state.clock);
      if (to.getTime() < from) {
        throw new SimError(
          'InvalidParameterValue',
          `cannot move the clock back from ${engine.state.clock} to ${to.toISOString()}`,
        );
      }
      let at = from;
      while (at < to.getTime()) {
        const next = Math.min(at + ADVANCE_STEP_MS, to.getTime());
        runAdvance(engine, new Date(at), new Date(next));
        at = next;
      }
      engine.state.clock = to.toISOString();
      return to;
    },
    context(region) {
      requestCount += 1;
      const now = new Date(engine.state.clock);
      const random = createRandom(config.seed, engine.state.nextId, now.getTime() % 0x7fffffff, requestCount);
      const planId = engine.faults.planId();
      return {
        state: engine.state,
        now,
        random,
        config,
        region,
        ...(planId === undefined
          ? {}
          : { faultPlanId: planId, spotReclaim: (ce: string) => engine.faults.spotReclaim(ce) }),
        imageBuildFault: (recipe: string) => engine.faults.imageBuildFault(recipe),
      };
    },
    invoke(service, operation, input, ctx) {
      const key = `${service.name}.${operation}`;
      engine.calls.set(key, (engine.calls.get(key) ?? 0) + 1);
      const handler = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
      if (handler === undefined)
        throw new SimError('InvalidAction', `The action ${operation} is not valid for this web service.`);
      return handler(input, ctx);
    },
    replaceState(state) {
      engine.state = state;
      anchorWall = Date.now();
      anchorSim = Date.parse(state.clock);
    },
  };
  anchorSim = clock === 'realtime' ? Date.now() : Date.parse(engine.state.clock);
  if (clock === 'realtime' && anchorSim > Date.parse(engine.state.clock)) engine.advanceTo(new Date(anchorSim));
  return engine;
}

function runAdvance(engine: SimEngine, from: Date, to: Date): void {
  engine.state.clock = to.toISOString();
  for (const service of engine.services.values()) {
    if (!service.advance) continue;
    const ctx = engine.context('us-east-1');
    service.advance(engine.state, from, to, { ...ctx, now: to });
  }
}
