/**
 * The lease: one labops run at a time may change AWS for a lab. Two reconcilers on one repository
 * and account — the Action on a merge and the scheduled container, say — would otherwise both
 * find a Job unsubmitted and both submit it (Batch SubmitJob has no idempotency token), or both
 * take a snapshot slot. The lease lives where the run record lives, so everything that can write
 * the record can see it: a `labops-lease` branch beside the status branch (taken by a push that
 * only fast-forwards from the tip the taker read — a compare-and-swap the git server arbitrates),
 * or a lease file beside a local record (read and written under a lock file).
 *
 * A lease expires (`ttlSeconds`, renewed while the run lasts), so a holder that crashed or was
 * killed blocks others for at most one TTL — and not at all when it ran on this host and its
 * process is gone (a container whose labops was killed takes it straight back). Wall-clock time,
 * not the lab's clock. The register is as untrusted as the run record (anyone who can push the
 * lease branch writes it): a lease is believed for at most one TTL after its holder last wrote it,
 * whatever `expiresAt` says; one written in the future (beyond {@link CLOCK_SKEW_MS}) or not
 * shaped like a lease is free.
 */
import { hostname } from 'node:os';
import type { LeaseRecord, LeaseRegister } from '../model/lease.js';
import { CLOCK_SKEW_MS } from '../model/record-time.js';
import { LabopsError } from '../errors.js';

export type { LeaseRecord, LeaseRegister } from '../model/lease.js';

/** How to ask for the lease. */
export interface LeaseRequest {
  kind: string;
  /** @default 600 */
  ttlSeconds?: number;
  /** How long to wait for a busy lease before giving up. @default 900 */
  waitSeconds?: number;
  /** @default a random id with host and pid */
  holder?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Told once, when the lease is found busy and this run starts to wait: who holds it and until
   * when it is believed (its expiry, capped at one TTL after its holder last wrote it). @default silent
   */
  onWait?: (holder: LeaseRecord, until: string, where: string) => void;
}

/** A lease held. */
export interface HeldLease {
  lease: LeaseRecord;
  /** Fires when a renewal finds the lease lost (taken by another after expiry): stop changing AWS. */
  lost: AbortSignal;
  release(): Promise<void>;
}

/** The lease stayed busy for the whole wait. */
export class LeaseBusyError extends LabopsError {
  override readonly name = 'LeaseBusyError';
  constructor(
    readonly holder: LeaseRecord,
    readonly where: string,
  ) {
    super(
      'lease-busy',
      `another labops run holds the lease on ${where}: ${holder.kind} by ${holder.holder} on ${holder.host} since ${holder.acquiredAt} (expires ${holder.expiresAt})`,
      { retryable: true },
    );
  }
}

/**
 * When `lease` really expires (epoch ms): its `expiresAt`, but never later than `ttlMs` after its
 * holder last wrote it (`renewedAt`, else `acquiredAt`); -Infinity (free now) when it was taken or
 * written in the future, beyond the clock skew allowed, or its times do not parse.
 */
export function leaseExpiry(lease: LeaseRecord, ttlMs: number, now: number): number {
  const taken = Date.parse(lease.acquiredAt);
  const written = Date.parse(lease.renewedAt ?? lease.acquiredAt);
  const expires = Date.parse(lease.expiresAt);
  if (![taken, written, expires].every(Number.isFinite) || Math.max(taken, written) > now + CLOCK_SKEW_MS)
    return -Infinity;
  return Math.min(expires, written + ttlMs);
}

/** The lease in a register's text; undefined (no lease: free) when it is not JSON shaped like one. */
export function parseLease(text: string): LeaseRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const lease = value as Record<string, unknown>;
  const strings = ['holder', 'kind', 'host', 'acquiredAt', 'expiresAt'].every((key) => typeof lease[key] === 'string');
  const optional = ['releasedAt', 'renewedAt'].every(
    (key) => lease[key] === undefined || typeof lease[key] === 'string',
  );
  return strings && optional && Number.isInteger(lease.pid) ? (value as LeaseRecord) : undefined;
}

function free(lease: LeaseRecord, holder: string, now: number, ttl: number): boolean {
  return (
    lease.releasedAt !== undefined || leaseExpiry(lease, ttl, now) <= now || lease.holder === holder || deadHere(lease)
  );
}

/**
 * True when the holder ran on this host and its process no longer exists. Another host's process
 * cannot be seen, and a pid in use (perhaps reused) counts as alive: both wait for the expiry.
 */
function deadHere(lease: LeaseRecord): boolean {
  if (lease.host !== hostname() || lease.pid === process.pid || !Number.isInteger(lease.pid) || lease.pid <= 0)
    return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes the lease, waiting (jittered backoff) while another run holds it; renews it every third of its TTL until released. */
export async function acquireLease(register: LeaseRegister, request: LeaseRequest): Promise<HeldLease> {
  const now = request.now ?? Date.now;
  const sleep = request.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = request.random ?? Math.random;
  const ttl = (request.ttlSeconds ?? 600) * 1000;
  const deadline = now() + (request.waitSeconds ?? 900) * 1000;
  const holder = request.holder ?? `${hostname()}-${process.pid}-${Math.floor(random() * 1e9).toString(36)}`;
  const stamp = (acquiredAt?: string): LeaseRecord => {
    const at = new Date(now()).toISOString();
    return {
      holder,
      kind: request.kind,
      host: hostname(),
      pid: process.pid,
      acquiredAt: acquiredAt ?? at,
      renewedAt: at,
      expiresAt: new Date(now() + ttl).toISOString(),
    };
  };
  let announced = false;
  for (let n = 0; ; n++) {
    const { version, lease } = await register.read();
    if (lease === undefined || free(lease, holder, now(), ttl)) {
      const mine = stamp();
      if (await register.write(version, mine)) return held(register, mine, ttl, { now, stamp });
      continue; // someone wrote between our read and write: read again
    }
    const until = new Date(leaseExpiry(lease, ttl, now())).toISOString();
    if (now() >= deadline) throw new LeaseBusyError({ ...lease, expiresAt: until }, register.where);
    if (!announced) request.onWait?.(lease, until, register.where);
    announced = true;
    const backoff = Math.min(10_000, 250 * 2 ** Math.min(n, 6)) * (0.5 + random());
    await sleep(Math.max(0, Math.min(backoff, deadline - now())));
  }
}

function held(
  register: LeaseRegister,
  first: LeaseRecord,
  ttl: number,
  clock: { now(): number; stamp(acquiredAt?: string): LeaseRecord },
): HeldLease {
  const lost = new AbortController();
  let current = first;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async (): Promise<void> => {
    const { version, lease } = await register.read();
    if (lease?.holder !== current.holder || lease.releasedAt !== undefined) {
      lost.abort(new Error(`the lease on ${register.where} was taken by ${lease?.holder ?? 'nobody'}`));
      return;
    }
    const next = { ...clock.stamp(current.acquiredAt) };
    if (await register.write(version, next)) current = next;
  };
  const timer = setInterval(
    () => {
      renewing = renewing.then(renew).catch(() => undefined);
    },
    Math.max(1000, ttl / 3),
  );
  timer.unref();
  return {
    get lease() {
      return current;
    },
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await renewing;
      for (let n = 0; n < 5; n++) {
        const { version, lease } = await register.read();
        if (lease?.holder !== current.holder || lease.releasedAt !== undefined) return;
        if (await register.write(version, { ...lease, releasedAt: new Date(clock.now()).toISOString() })) return;
      }
    },
  };
}
