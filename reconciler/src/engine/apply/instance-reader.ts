/**
 * Reading and waiting on instances, batched per Region across the whole apply: every instance
 * some action waits for is read in the same DescribeInstances round (200 ids a call, filtered
 * on `instance-id`, so one not yet visible after its launch is just absent), and each waiter is
 * answered from the shared reply. A wait is due again after a backoff that grows with its age
 * (AWS: start at a couple of seconds, grow gradually); a round goes when the earliest wait is
 * due — a new wait is due at once — reads every wait, and rounds are spaced further apart the
 * more instances are waited for, so a large apply reads in a few calls a minute, not a call per
 * instance per poll. Each wait keeps its own time limit.
 */
import { isTransient } from '../../aws/errors.js';
import type { Ec2Port, InstanceDescription } from '../../aws/ports.js';
import { backoffByAge } from './backoff.js';
import { ApplyError } from './errors.js';
import type { Pacer, TimeSource } from './pacing.js';
import { localClock } from './pacing.js';
import type { ApplyLogger } from './types.js';

/** Ids per DescribeInstances call (EC2's limit of filter values in one call). */
const IDS_PER_CALL = 200;
/**
 * Least time between two rounds: longer the more instances are waited for (every round reads
 * them all), up to a cap — 40 waits and more are read every 10 s at most. The waits' own backoff
 * (a couple of seconds at first) paces the rounds of a few.
 */
const SPACING_PER_WAIT_MS = 250;
const MAX_SPACING_MS = 10_000;
/**
 * Longest backoff of a wait between reads: lower than the executor's other waits (30 s) because
 * a round reads every wait of the Region in one call, so a wait's last reading costs the account
 * little, and an apply's end comes sooner after its last instance settles.
 */
const WAIT_BACKOFF_CAP_MS = 15_000;
/** Default limit of one wait, as the executor's other waits. */
const DEFAULT_MAX_WAIT_MS = 900_000;

/** Batched reads of instances. */
export interface InstanceReader {
  /** The instance as the next round of its Region reads it; undefined while EC2 does not show it. */
  read(region: string, instanceId: string): Promise<InstanceDescription | undefined>;
  /**
   * Waits until `check` returns a value for the instance (called with each reading, undefined
   * while EC2 does not show it); a `check` that throws ends the wait with its error.
   * @throws {ApplyError} `wait-timeout` once the wait has lasted `maxWaitMs`
   */
  watch<T>(
    region: string,
    instanceId: string,
    what: string,
    check: (instance: InstanceDescription | undefined) => T | undefined,
  ): Promise<T>;
}

/** What the reader needs. */
export interface InstanceReaderOptions {
  ec2: Ec2Port;
  pacer: Pacer;
  time: TimeSource;
  random(): number;
  /** Longest one wait lasts. @default 900000 */
  maxWaitMs?: number;
  log?: ApplyLogger;
}

interface Watch {
  instanceId: string;
  what: string;
  check(instance: InstanceDescription | undefined): unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  since: number;
  due: number;
}

interface RegionReader {
  add(watch: Omit<Watch, 'since' | 'due'>): void;
}

/** The readings of one round: instances by id, and the error of each id whose call failed. */
async function readRound(
  options: InstanceReaderOptions,
  region: string,
  ids: string[],
): Promise<{ found: Map<string, InstanceDescription>; failed: Map<string, unknown> }> {
  const found = new Map<string, InstanceDescription>();
  const failed = new Map<string, unknown>();
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
    const chunk = ids.slice(i, i + IDS_PER_CALL);
    try {
      await options.pacer.take(region, 'DescribeInstances');
      for (const instance of await options.ec2.listInstances(region, chunk)) found.set(instance.instanceId, instance);
    } catch (err: unknown) {
      for (const id of chunk) failed.set(id, err);
    }
  }
  return { found, failed };
}

function regionReader(options: InstanceReaderOptions, region: string): RegionReader {
  const clock = localClock(options.time);
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const watches = new Set<Watch>();
  let running = false;
  let lastRound = Number.NEGATIVE_INFINITY;
  /** Wakes the loop early when a wait due sooner than its planned round arrives. */
  let wake: (() => void) | undefined;
  let plannedAt = Number.POSITIVE_INFINITY;

  function nextRoundAt(): number {
    let due = Number.POSITIVE_INFINITY;
    for (const w of watches) due = Math.min(due, w.due);
    return Math.max(due, lastRound + Math.min(MAX_SPACING_MS, watches.size * SPACING_PER_WAIT_MS));
  }

  /**
   * Answers `w` from a round; unanswered, its next poll is due after its backoff by age, jittered
   * by the round's `jitter` (one draw for all: the round, not the wait, is what polls AWS).
   */
  function settle(w: Watch, now: number, jitter: number, reading: InstanceDescription | undefined): void {
    let value: unknown;
    try {
      value = w.check(reading);
    } catch (err: unknown) {
      watches.delete(w);
      w.reject(err);
      return;
    }
    if (value !== undefined) {
      watches.delete(w);
      w.resolve(value);
    } else if (now - w.since >= maxWaitMs) {
      watches.delete(w);
      w.reject(
        new ApplyError('wait-timeout', `gave up waiting for ${w.what} after ${Math.round((now - w.since) / 1000)} s`, {
          retryable: true,
          resource: w.what,
        }),
      );
    } else {
      w.due = now + Math.round(backoffByAge(now - w.since, { capMs: WAIT_BACKOFF_CAP_MS }) * jitter);
    }
  }

  async function round(): Promise<void> {
    lastRound = clock.now();
    const batch = [...watches];
    const { found, failed } = await readRound(options, region, [...new Set(batch.map((w) => w.instanceId))]);
    const now = clock.now();
    // Equal jitter, as the executor's other waits: never under half the backoff.
    const jitter = 0.5 + options.random() / 2;
    for (const w of batch) {
      const err = failed.get(w.instanceId);
      if (err === undefined) {
        settle(w, now, jitter, found.get(w.instanceId));
      } else if (isTransient(err)) {
        // Throttled or 5xx past the SDK's retries: a round without an answer, the wait goes on.
        options.log?.warn({ region, code: err.code, what: w.what }, 'instance read failed, waiting on');
        settle(w, now, jitter, undefined);
      } else {
        watches.delete(w);
        w.reject(err);
      }
    }
  }

  async function loop(): Promise<void> {
    while (watches.size > 0) {
      plannedAt = nextRoundAt();
      const delay = plannedAt - clock.now();
      if (delay > 0) await new Promise<void>((resolve) => ((wake = resolve), void clock.sleep(delay).then(resolve)));
      wake = undefined;
      plannedAt = Number.POSITIVE_INFINITY;
      if (clock.now() < nextRoundAt()) continue;
      // Waits asked for in this same moment join the round.
      await clock.sleep(0);
      await round();
    }
    running = false;
  }

  return {
    add(watch) {
      const now = clock.now();
      watches.add({ ...watch, since: now, due: now });
      if (!running) {
        running = true;
        void loop().catch((err: unknown) => {
          running = false;
          for (const w of watches) w.reject(err);
          watches.clear();
        });
      } else if (wake !== undefined && nextRoundAt() < plannedAt) {
        wake();
      }
    },
  };
}

/** A reader for one apply: a round loop per Region, started by the first wait there. */
export function createInstanceReader(options: InstanceReaderOptions): InstanceReader {
  const regions = new Map<string, RegionReader>();
  function readerOf(region: string): RegionReader {
    let reader = regions.get(region);
    if (reader === undefined) {
      reader = regionReader(options, region);
      regions.set(region, reader);
    }
    return reader;
  }
  function watch<T>(
    region: string,
    instanceId: string,
    what: string,
    check: (instance: InstanceDescription | undefined) => T | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      readerOf(region).add({ instanceId, what, check, resolve, reject });
    });
  }
  return {
    watch,
    async read(region, instanceId) {
      const reading = await watch(region, instanceId, `${instanceId} read`, (instance) => ({ instance }));
      return reading.instance;
    },
  };
}
