/**
 * Chaos (c): eventual-consistency windows — for 90 simulated seconds after it is made, a new
 * instance, volume or Batch job is missing from EC2 and Batch reads (listings, reads by id,
 * ListJobs by name). Not found is not absent: a run that misses a young instance plans its create
 * again, and RunInstances with the same ClientToken returns the same instance; a job the record
 * holds is never submitted again. Every run moves the clock on by its own waits, so a window
 * outlasts at most a few runs: measured 2–4 per stage, bound 8.
 */
import { describe, it } from 'vitest';
import { casesOf, report, runChaos } from './chaos-scenario.js';

const WINDOWS = (probability: number) => [
  { operation: 'EC2.Describe*', kind: 'consistency' as const, delaySeconds: 90, probability },
  { operation: 'Batch.*', kind: 'consistency' as const, delaySeconds: 90, probability },
];

describe('chaos (c): eventual-consistency windows on EC2 and Batch reads', () => {
  it.each([
    ...casesOf({ name: 'consistency 90 s on every read', rules: WINDOWS(1), bound: 8 }, [41]),
    ...casesOf({ name: 'consistency 90 s on half the reads', rules: WINDOWS(0.5), bound: 8 }, [42, 43]),
  ])(
    '$scenario.name, seed $seed: converges, no duplicate launch or submission',
    async ({ scenario, seed }) => {
      report(await runChaos(scenario, seed));
    },
    60_000,
  );
});
