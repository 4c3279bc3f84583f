/**
 * Client-side pacing of EC2 calls, so an apply stays inside AWS's request buckets instead of
 * learning them from RequestLimitExceeded. EC2 keeps a token bucket per account, Region and API
 * (plus resource buckets counting instances for Run/Start/Stop/TerminateInstances); the pacer
 * keeps the same buckets, with the sizes and refill rates AWS documents, and makes a call wait
 * for its token. The SDK has no per-operation limiter (its adaptive retry mode only slows down
 * after a throttle, and for the whole client), and no limiter library runs on an injected clock:
 * the executor's time is its injected sleep (tests and benchmarks run it on a simulated clock),
 * so the buckets are kept here, on {@link localClock}s of that time.
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */

/** The executor's time source: its injected sleep, and a clock (ms) on the same time. */
export interface TimeSource {
  sleep(ms: number): Promise<void>;
  now(): number;
}

/**
 * Time as one sequential user of the injected sleep sees it: the clock's advance, and at least
 * every millisecond it slept itself (a sleep that returns at once — a simulated clock moved
 * instead — still counts as the time asked for). Concurrent users each keep their own.
 */
export function localClock(time: TimeSource): TimeSource {
  let elapsed = 0;
  let last = time.now();
  function now(): number {
    const at = time.now();
    elapsed += Math.max(0, at - last);
    last = at;
    return elapsed;
  }
  return {
    now,
    async sleep(ms) {
      const before = now();
      await time.sleep(ms);
      if (now() - before < ms) elapsed = before + ms;
    },
  };
}

/** [bucket size, refill per second] of the request buckets AWS documents by API. */
const REQUEST_BUCKETS: Record<string, [number, number]> = {
  RunInstances: [5, 2],
  StartInstances: [5, 2],
  TerminateInstances: [100, 5],
  CreateTags: [100, 10],
  DeleteTags: [100, 10],
  CreateSnapshot: [100, 5],
  CreateSnapshots: [100, 5],
  DeleteSnapshot: [100, 5],
  DeregisterImage: [100, 5],
  CreateVolume: [100, 5],
  DeleteVolume: [100, 5],
  CopyImage: [100, 1],
};
/** Non-mutating calls (Describe*, filtered or by id, as labops makes them). */
const NON_MUTATING: [number, number] = [100, 20];
/** Every other mutating call (StopInstances, CreateImage, ModifyInstanceAttribute, …). */
const MUTATING: [number, number] = [50, 5];
/** Resource buckets: tokens are instances. */
const RESOURCE_BUCKETS: Record<string, [number, number]> = {
  RunInstances: [1000, 2],
  StartInstances: [1000, 2],
  StopInstances: [1000, 20],
  TerminateInstances: [1000, 20],
};

/** Bucket key and [size, refill/s] of an operation's request bucket. */
function requestBucket(operation: string): [string, [number, number]] {
  const own = REQUEST_BUCKETS[operation];
  if (own !== undefined) return [operation, own];
  return /^(Describe|List|Get|Search)/.test(operation) ? ['non-mutating', NON_MUTATING] : ['mutating', MUTATING];
}

interface Bucket {
  size: number;
  perSecond: number;
  tokens: number;
  at: number;
  clock: TimeSource;
  /** The waiters' turn: one at a time, first come first served. */
  queue: Promise<void>;
}

/**
 * The pacer's request buckets hold half of AWS's (refilled at AWS's rate): a call reaches AWS a
 * little after it took its token, and calls queued behind a slow one arrive together, so EC2's
 * bucket may see them later and closer than the pacer did. What EC2's fuller bucket holds beyond
 * the pacer's absorbs that (RunInstances: 3 tokens, 1.5 s of refill), and leaves room for the
 * other tools of the account. Resource buckets (instances) stay whole: one call may take 1,000.
 */
function pacerSize(size: number): number {
  return Math.max(1, Math.floor(size / 2));
}

/** Calls wait for their tokens here. */
export interface Pacer {
  /** Waits until `operation` in `region` may be sent, taking its request token and `instances` resource tokens. */
  take(region: string, operation: string, instances?: number): Promise<void>;
}

/** A hair of a token the pacer keeps back, so rounding never makes it send a call AWS's bucket refuses. */
const MARGIN = 1e-6;

/** Creates full buckets, one set per Region, made as each is first used. */
export function createPacer(time: TimeSource): Pacer {
  const buckets = new Map<string, Bucket>();
  function bucket(key: string, [size, perSecond]: [number, number]): Bucket {
    let b = buckets.get(key);
    if (b === undefined) {
      const clock = localClock(time);
      b = { size, perSecond, tokens: size, at: clock.now(), clock, queue: Promise.resolve() };
      buckets.set(key, b);
    }
    return b;
  }
  function takeFrom(b: Bucket, count: number): Promise<void> {
    const need = Math.min(count, b.size);
    const turn = b.queue.then(async () => {
      for (;;) {
        const now = b.clock.now();
        b.tokens = Math.min(b.size, b.tokens + ((now - b.at) / 1000) * b.perSecond);
        b.at = now;
        // Whole tokens are exact; a refilled fraction keeps a hair back (rounding, here and at AWS).
        if (b.tokens >= (Number.isInteger(b.tokens) ? need : need + MARGIN)) {
          b.tokens -= need;
          return;
        }
        await b.clock.sleep(Math.max(1, Math.ceil(((need - b.tokens) / b.perSecond) * 1000)));
      }
    });
    b.queue = turn.catch(() => undefined);
    return turn;
  }
  return {
    async take(region, operation, instances = 0) {
      const [key, [size, perSecond]] = requestBucket(operation);
      await takeFrom(bucket(`${region}|${key}`, [pacerSize(size), perSecond]), 1);
      const resource = RESOURCE_BUCKETS[operation];
      if (resource !== undefined && instances > 0)
        await takeFrom(bucket(`${region}|${operation}:instances`, resource), instances);
    },
  };
}
