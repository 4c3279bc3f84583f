/**
 * Chaos (d): RunInstances (and StartInstances) answered InsufficientInstanceCapacity (a 500, so
 * the SDK retries it) or VcpuLimitExceeded (a 400, never retried), seeded. A failed launch fails
 * its create as retryable and the next run launches with the same ClientToken: with capacity
 * missing on half the attempts (one SDK call in 8 fails) and the quota on a third of the launches,
 * a create fails about 40% of the time; five workstations need about 5 runs in the worst seed of
 * those measured (2–5); bound 15.
 */
import { describe, it } from 'vitest';
import { casesOf, report, runChaos } from './chaos-scenario.js';

const SHORT = [
  { operation: 'EC2.RunInstances', kind: 'capacity' as const, probability: 0.5 },
  { operation: 'EC2.RunInstances', kind: 'quota' as const, probability: 0.3 },
  { operation: 'EC2.StartInstances', kind: 'capacity' as const, probability: 0.5 },
];

describe('chaos (d): capacity and quota errors', () => {
  it.each(
    casesOf(
      { name: 'InsufficientInstanceCapacity 50% + VcpuLimitExceeded 30%', rules: SHORT, bound: 15 },
      [51, 52, 53],
    ),
  )(
    '$scenario.name, seed $seed: converges, one instance each',
    async ({ scenario, seed }) => {
      report(await runChaos(scenario, seed));
    },
    60_000,
  );
});
