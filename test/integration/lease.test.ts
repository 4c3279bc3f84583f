/**
 * The lease on both registers it lives in — a file beside a local run record (under a lock file)
 * and a branch of a real git remote (a push that only fast-forwards) — with an injected clock:
 * taken when free, busy for others, taken over after expiry, released, renewed, and lost.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LeaseRegister } from '../../reconciler/src/model/lease.js';
import { fileLeaseRegister } from '../../reconciler/src/record/file-store.js';
import { gitLeaseRegister } from '../../reconciler/src/record/git-store.js';
import { LeaseBusyError, acquireLease } from '../../reconciler/src/record/lease.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'labops-lease-'));
  roots.push(dir);
  return dir;
}

const registers: { name: string; make: () => LeaseRegister }[] = [
  { name: 'file', make: () => fileLeaseRegister(join(tempDir(), 'record.json.lease')) },
  {
    name: 'git branch',
    make: () => {
      const bare = join(tempDir(), 'lab.git');
      execFileSync('git', ['init', '-q', '--bare', bare]);
      return gitLeaseRegister({ remote: `file://${bare}`, branch: 'labops-status-lease' });
    },
  },
];

/** A clock the test moves. */
function clock(start = Date.parse('2026-11-23T12:00:00Z')): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe.each(registers)('lease on a $name', ({ make }) => {
  it('is taken when free and busy for another run until released', async () => {
    const register = make();
    const c = clock();

    const first = await acquireLease(register, { kind: 'apply', holder: 'container', now: c.now, waitSeconds: 0 });
    const busy = await acquireLease(register, {
      kind: 'action apply',
      holder: 'action',
      now: c.now,
      waitSeconds: 0,
    }).catch((e: unknown) => e);
    await first.release();
    const second = await acquireLease(register, { kind: 'action apply', holder: 'action', now: c.now, waitSeconds: 0 });
    await second.release();

    expect(busy).toBeInstanceOf(LeaseBusyError);
    expect((busy as LeaseBusyError).message).toMatch(
      /another labops run holds the lease on .*: apply by container on .* since 2026-11-23T12:00:00.000Z \(expires 2026-11-23T12:10:00.000Z\)/,
    );
    expect(second.lease).toMatchObject({ holder: 'action', kind: 'action apply' });
    expect((await register.read()).lease).toMatchObject({ holder: 'action', releasedAt: '2026-11-23T12:00:00.000Z' });
  });

  it('waits with backoff for a holder that releases, and takes over one that crashed once its lease expires', async () => {
    const register = make();
    const c = clock();
    await acquireLease(register, { kind: 'apply', holder: 'crashed', now: c.now, ttlSeconds: 60 });
    const waits: number[] = [];

    const taken = await acquireLease(register, {
      kind: 'reconcile',
      holder: 'next',
      now: c.now,
      waitSeconds: 300,
      sleep: (ms) => {
        waits.push(ms);
        c.advance(ms);
        return Promise.resolve();
      },
    });
    await taken.release();

    expect(taken.lease.holder).toBe('next');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
    expect(waits.every((ms) => ms <= 15_000)).toBe(true);
  });

  it.each([
    ['has exited: taken at once', true],
    ['is alive: busy', false],
  ])('a lease whose holder on this host %s', async (_, exited) => {
    const register = make();
    const c = clock();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const stamp = {
      holder: 'killed',
      kind: 'apply',
      host: hostname(),
      pid: child.pid!,
      acquiredAt: new Date(c.now()).toISOString(),
      expiresAt: new Date(c.now() + 600_000).toISOString(),
    };
    expect(await register.write((await register.read()).version, stamp)).toBe(true);
    if (exited) await new Promise((resolve) => (child.on('exit', resolve), child.kill('SIGKILL')));

    const outcome = await acquireLease(register, { kind: 'apply', holder: 'next', now: c.now, waitSeconds: 0 }).catch(
      (e: unknown) => e,
    );
    child.kill('SIGKILL');

    if (exited) expect(outcome).toMatchObject({ lease: { holder: 'next' } });
    else expect(outcome).toBeInstanceOf(LeaseBusyError);
    if (!(outcome instanceof LeaseBusyError)) await (outcome as Awaited<ReturnType<typeof acquireLease>>).release();
  });

  it('lets exactly one of two runs racing for a free lease win', async () => {
    const register = make();
    const c = clock();

    const results = await Promise.allSettled(
      ['a', 'b'].map((holder) => acquireLease(register, { kind: 'apply', holder, now: c.now, waitSeconds: 0 })),
    );

    const won = results.filter(
      (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLease>>> => r.status === 'fulfilled',
    );
    expect(won).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(LeaseBusyError) });
    await won[0]!.value.release();
  });
});

describe('lease renewal', () => {
  it('renews while held, and signals `lost` when another run took it after it expired', async () => {
    const register = registers[0]!.make();
    const c = clock();
    const held = await acquireLease(register, { kind: 'apply', holder: 'slow', now: c.now, ttlSeconds: 3 });

    await new Promise((r) => setTimeout(r, 1_300)); // one renewal (every ttl/3, at least 1 s)
    const renewed = (await register.read()).lease;
    c.advance(10_000);
    const other = await acquireLease(register, { kind: 'apply', holder: 'other', now: c.now, waitSeconds: 0 });
    await new Promise((r) => setTimeout(r, 1_300));

    expect(renewed?.holder).toBe('slow');
    expect(held.lost.aborted).toBe(true);
    await held.release();
    expect((await register.read()).lease).toMatchObject({ holder: 'other' });
    await other.release();
  }, 10_000);
});
