/**
 * Simulated time for a client of a manual-clock `labops sim`: the client's injected sleep
 * registers a wake-up, and {@link VirtualTime.drive} moves time (and the simulator's clock, through
 * `setClock`) to the earliest wake-up once nothing is in flight — no tracked call pending and the
 * event loop idle. The client's own CPU time then costs no simulated time, and concurrent sleeps
 * overlap as they would in real time, so the time measured is what the work would take against
 * AWS (its transitions, its token buckets with `rateLimitClock: 'simulated'`), not this machine's
 * speed. Benchmarks and tests of an apply's timing use it.
 */

/** A virtual clock and its driver. */
export interface VirtualTime {
  /** Milliseconds since the start. */
  now(): number;
  /** Resolves once time reaches now + `ms`. */
  sleep(ms: number): Promise<void>;
  /** An object whose methods' promises count as in flight until they settle (wrap the AWS ports). */
  tracked<T extends object>(target: T): T;
  /** Runs time forward until `work` settles; resolves or rejects with it. */
  drive<T>(work: Promise<T>): Promise<T>;
}

interface Sleeper {
  at: number;
  resolve(): void;
}

/** One turn of the event loop (timers and I/O callbacks already queued run first). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Creates a clock at 0 with no sleeper.
 * @param setClock moves the simulator's clock to the start plus `atMs` (e.g. `POST /_sim/clock {"set": …}`)
 */
export function createVirtualTime(setClock: (atMs: number) => Promise<void>): VirtualTime {
  let now = 0;
  let inFlight = 0;
  const sleepers: Sleeper[] = [];

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight += 1;
    const done = (): void => void (inFlight -= 1);
    promise.then(done, done);
    return promise;
  }

  async function idle(): Promise<boolean> {
    await turn();
    if (inFlight > 0) return false;
    await turn();
    return inFlight === 0;
  }

  return {
    now: () => now,
    sleep(ms) {
      return new Promise<void>((resolve) => {
        const at = now + Math.max(0, ms);
        let i = sleepers.length;
        while (i > 0 && (sleepers[i - 1] as Sleeper).at > at) i -= 1;
        sleepers.splice(i, 0, { at, resolve });
      });
    },
    tracked<T extends object>(target: T): T {
      return new Proxy(target, {
        get(obj, key) {
          const value: unknown = Reflect.get(obj, key);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const out: unknown = value.apply(obj, args);
            return out instanceof Promise ? track(out) : out;
          };
        },
      });
    },
    async drive<T>(work: Promise<T>): Promise<T> {
      let over = false;
      const settled = work.finally(() => {
        over = true;
      });
      settled.catch(() => undefined);
      // Read through a call: the promise's callback sets the flag, which TypeScript's narrowing cannot see.
      const done = (): boolean => over;
      while (!done()) {
        if (!(await idle()) || done()) continue;
        const first = sleepers[0];
        if (first === undefined) {
          // Nothing sleeping and nothing tracked in flight: untracked work (CPU, files) goes on.
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        if (first.at > now) {
          now = first.at;
          await setClock(now);
        }
        while (sleepers.length > 0 && (sleepers[0] as Sleeper).at <= now) (sleepers.shift() as Sleeper).resolve();
      }
      return settled;
    },
  };
}
