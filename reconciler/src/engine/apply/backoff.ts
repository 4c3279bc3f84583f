/**
 * Polling with exponential backoff and jitter, on an injected sleep: waits for EC2 state changes
 * the way AWS asks (start at a couple of seconds, grow gradually, cap, give up after a while).
 * Polls are plain reads; the SDK's own retries of a single read are not multiplied here.
 */
import { ApplyError } from './errors.js';

/** Backoff settings. */
export interface BackoffOptions {
  /** First delay. @default 2000 */
  baseMs?: number;
  /** Growth per attempt. @default 1.5 */
  factor?: number;
  /** Largest delay. @default 30000 */
  capMs?: number;
  /** Give up once this much time has been slept. @default 900000 (15 minutes) */
  maxTotalMs?: number;
}

const DEFAULTS: Required<BackoffOptions> = { baseMs: 2000, factor: 1.5, capMs: 30_000, maxTotalMs: 900_000 };

/**
 * The delay before poll `attempt` (0-based): nominal `min(cap, base × factor^attempt)`, jittered
 * into [nominal / 2, nominal) by `random` ("equal jitter": never shorter than half, so a fleet
 * of waits spreads out without hammering the API).
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const { baseMs, factor, capMs } = { ...DEFAULTS, ...options };
  const nominal = Math.min(capMs, baseMs * factor ** attempt);
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}

/**
 * The nominal delay before the next poll of a wait that has lasted `ageMs`, on the curve of
 * {@link backoffDelay} but by age rather than by count of polls: the gaps of a geometric series
 * grow by `factor - 1` times the time elapsed, so `min(cap, base + (factor - 1) × age)`. A wait
 * polled more often than its own backoff asks (reads shared with younger waits) still slows down
 * as it ages, and no faster. Jitter is the caller's.
 */
export function backoffByAge(ageMs: number, options: BackoffOptions = {}): number {
  const { baseMs, factor, capMs } = { ...DEFAULTS, ...options };
  return Math.min(capMs, baseMs + (factor - 1) * Math.max(0, ageMs));
}

/** What {@link pollUntil} needs besides the probe. */
export interface PollOptions extends BackoffOptions {
  sleep(ms: number): Promise<void>;
  random: () => number;
  /** Named in the timeout error, e.g. `i-0abc running`. */
  what: string;
  /** Called before each sleep (progress display). */
  onWait?(attempt: number, delayMs: number): void;
}

/**
 * Calls `probe` until it returns a value (not undefined), sleeping with backoff in between.
 * A probe that throws ends the wait with its error.
 * @throws {ApplyError} `wait-timeout` once `maxTotalMs` has been slept
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const maxTotalMs = options.maxTotalMs ?? DEFAULTS.maxTotalMs;
  let slept = 0;
  for (let attempt = 0; ; attempt += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    if (slept >= maxTotalMs) {
      throw new ApplyError('wait-timeout', `gave up waiting for ${options.what} after ${Math.round(slept / 1000)} s`, {
        retryable: true,
        resource: options.what,
      });
    }
    const delay = Math.min(backoffDelay(attempt, options.random, options), Math.max(1, maxTotalMs - slept));
    options.onWait?.(attempt, delay);
    await options.sleep(delay);
    slept += delay;
  }
}
