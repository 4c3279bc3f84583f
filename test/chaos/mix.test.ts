/**
 * Chaos (e): everything at once — 20% throttling everywhere, 5xx bursts on launches, tags and
 * Batch, 60-second consistency windows on half the EC2 and Batch reads, and capacity and quota
 * errors on RunInstances. Each fault alone converges within its own bound; together their
 * failures add up per run (throttling alone: about one run in three fails its observation).
 * Measured 3–12 runs per stage; bound 40.
 */
import { describe, it } from 'vitest';
import { casesOf, report, runChaos } from './chaos-scenario.js';

const MIX = [
  { operation: '*', kind: 'throttle' as const, probability: 0.2 },
  { operation: 'EC2.RunInstances', kind: '5xx' as const, count: 6, probability: 0.7 },
  { operation: 'EC2.CreateTags', kind: '5xx' as const, count: 6, probability: 0.7 },
  { operation: 'Batch.SubmitJob', kind: '5xx' as const, count: 3, probability: 0.7 },
  { operation: 'EC2.Describe*', kind: 'consistency' as const, delaySeconds: 60, probability: 0.5 },
  { operation: 'Batch.*', kind: 'consistency' as const, delaySeconds: 60, probability: 0.5 },
  { operation: 'EC2.RunInstances', kind: 'capacity' as const, probability: 0.3 },
  { operation: 'EC2.RunInstances', kind: 'quota' as const, probability: 0.2 },
];

describe('chaos (e): a mix of every fault', () => {
  it.each(casesOf({ name: 'mix', rules: MIX, bound: 40 }, [61, 62, 63]))(
    '$scenario.name, seed $seed: converges, no duplicate, attempts within the maximum',
    async ({ scenario, seed }) => {
      report(await runChaos(scenario, seed));
    },
    60_000,
  );
});
