import { describe, expect, it } from 'vitest';
import { backoffDelay, pollUntil } from '../../../reconciler/src/engine/apply/backoff.js';
import { ApplyError } from '../../../reconciler/src/engine/apply/errors.js';

describe('backoffDelay', () => {
  it.each([
    [0, 0, 1000],
    [0, 0.999999, 2000],
    [1, 0, 1500],
    [2, 0.5, 3375],
    [5, 1, 15188],
    [8, 0, 15000],
    [8, 1, 30000],
    [30, 0.5, 22500],
  ])('attempt %i with random %f waits %i ms (base 2 s, ×1.5, cap 30 s, equal jitter)', (attempt, random, expected) => {
    const delay = backoffDelay(attempt, () => random);

    expect(delay).toBe(expected);
  });

  it('never goes below half nor above the nominal delay', () => {
    const nominal = [2000, 3000, 4500, 6750, 10125, 15188, 22781, 30000, 30000];

    const spans = nominal.map((n, attempt) => [backoffDelay(attempt, () => 0), backoffDelay(attempt, () => 0.9999999)]);

    expect(
      spans.every(([low, high], i) => low === Math.round((nominal[i] ?? 0) / 2) && (high ?? 0) <= (nominal[i] ?? 0)),
    ).toBe(true);
  });

  it('takes other settings', () => {
    expect(backoffDelay(3, () => 0.5, { baseMs: 100, factor: 2, capMs: 500 })).toBe(375);
  });
});

describe('pollUntil', () => {
  it('polls until the probe answers, sleeping the backoff delays in between', async () => {
    const sleeps: number[] = [];
    const answers = [undefined, undefined, undefined, 'running'];

    const value = await pollUntil(() => Promise.resolve(answers.shift()), {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      what: 'i-1 running',
    });

    expect(value).toBe('running');
    expect(sleeps).toEqual([1500, 2250, 3375]);
  });

  it('gives up with wait-timeout once the total sleep reaches the limit', async () => {
    const sleeps: number[] = [];

    const outcome = await pollUntil(() => Promise.resolve(undefined), {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 1,
      what: 'i-1 stopped',
      maxTotalMs: 60_000,
    }).catch((err: unknown) => err);

    expect(outcome).toBeInstanceOf(ApplyError);
    expect(outcome).toMatchObject({ code: 'wait-timeout', retryable: true, resource: 'i-1 stopped' });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
  });

  it('stops at once when the probe throws', async () => {
    let calls = 0;

    const outcome = await pollUntil(
      () => {
        calls += 1;
        return Promise.reject(new Error('terminated'));
      },
      { sleep: async () => {}, random: () => 0, what: 'x' },
    ).catch((err: unknown) => (err as Error).message);

    expect([outcome, calls]).toEqual(['terminated', 1]);
  });
});
