/** The lease register is as untrusted as the run record: a lease is believed for one TTL after its holder last wrote it, at most. */
import { describe, expect, it } from 'vitest';
import type { LeaseRecord } from '../../../reconciler/src/model/lease.js';
import { leaseExpiry, parseLease } from '../../../reconciler/src/record/lease.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const TTL = 600_000;
const at = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString();

function lease(patch: Partial<LeaseRecord>): LeaseRecord {
  return {
    holder: 'h',
    kind: 'apply',
    host: 'elsewhere',
    pid: 7,
    acquiredAt: at(-60_000),
    expiresAt: at(540_000),
    ...patch,
  };
}

describe('leaseExpiry', () => {
  it.each([
    ['as written, within its TTL', lease({}), NOW + 540_000],
    [
      'a far-future expiry: one TTL after it was taken',
      lease({ expiresAt: '2999-01-01T00:00:00.000Z' }),
      NOW - 60_000 + TTL,
    ],
    [
      'a far-future expiry of a lease renewed a minute ago: one TTL after the renewal',
      lease({ acquiredAt: at(-3_600_000), renewedAt: at(-60_000), expiresAt: '2999-01-01T00:00:00.000Z' }),
      NOW - 60_000 + TTL,
    ],
    [
      'taken in the future beyond the clock skew: free now',
      lease({ acquiredAt: at(6 * 60_000), expiresAt: '2999-01-01T00:00:00.000Z' }),
      -Infinity,
    ],
    [
      'renewed in the future beyond the clock skew: free now',
      lease({ renewedAt: '2999-01-01T00:00:00.000Z' }),
      -Infinity,
    ],
    [
      'taken within the clock skew ahead: believed',
      lease({ acquiredAt: at(4 * 60_000), expiresAt: at(4 * 60_000 + TTL) }),
      NOW + 4 * 60_000 + TTL,
    ],
    ['times that do not parse: free now', lease({ acquiredAt: 'soon' }), -Infinity],
  ])('%s', (_case, value, expected) => {
    expect(leaseExpiry(value, TTL, NOW)).toBe(expected);
  });
});

describe('parseLease', () => {
  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a pid that is not a number', JSON.stringify({ ...lease({}), pid: 'x' })],
    ['no holder', JSON.stringify({ ...lease({}), holder: undefined })],
  ])('reads %s as no lease (free)', (_case, text) => {
    expect(parseLease(text)).toBeUndefined();
  });

  it('reads a lease', () => {
    expect(parseLease(JSON.stringify(lease({})))).toEqual(lease({}));
  });
});
