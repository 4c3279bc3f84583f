/**
 * Chaos (a): 50% of every call to every service throttled, seeded. With the SDK's 3 attempts a
 * call fails past its retries one time in 8; a run reads about 20 times before it plans and fails
 * closed when one read fails (it never plans from half a view), so only about one run in five
 * gets to apply, and an apply loses about one action in eight. Measured over 16 seeds: 10–45 runs
 * to converge per stage, so the bound is 100. With maxAttempts 5 (AWS_MAX_ATTEMPTS=5, the knob for
 * a throttled account) a call fails one time in 32: 2–9 runs measured, bound 25.
 */
import { describe, it } from 'vitest';
import { casesOf, report, runChaos } from './chaos-scenario.js';

const HALF = [{ operation: '*', kind: 'throttle' as const, probability: 0.5 }];

describe('chaos (a): 50% throttling on all operations', () => {
  it.each([
    ...casesOf({ name: 'throttle 50%, maxAttempts 3', rules: HALF, bound: 100 }, [11, 12]),
    ...casesOf({ name: 'throttle 50%, maxAttempts 5', rules: HALF, bound: 25, maxAttempts: 5 }, [21, 22, 23]),
  ])(
    '$scenario.name, seed $seed: converges, one instance each, attempts within the maximum',
    async ({ scenario, seed }) => {
      report(await runChaos(scenario, seed));
    },
    60_000,
  );
});
