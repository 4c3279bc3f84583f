/**
 * Chaos (b): bursts of 5xx, count-limited, on reads and on each kind of mutation the lab makes
 * (launch, tags, stop/hibernate, snapshots, copies, Batch submission), each hitting a matching
 * call with probability 0.7 until its count is spent. A call fails past the SDK's 3 attempts only
 * when 3 hits land on it in a row, so the bursts (60 hits in all, across both stages) can fail at
 * most 20 calls, each costing at most one extra run: the bound is the 3 runs a calm lab needs per
 * stage plus 20.
 */
import { describe, it } from 'vitest';
import { casesOf, report, runChaos } from './chaos-scenario.js';

const BURSTS = [
  { operation: 'EC2.Describe*', kind: '5xx' as const, count: 12, probability: 0.7 },
  { operation: 'EC2.RunInstances', kind: '5xx' as const, count: 6, probability: 0.7 },
  { operation: 'EC2.CreateTags', kind: '5xx' as const, count: 8, probability: 0.7 },
  { operation: 'EC2.StopInstances', kind: '5xx' as const, count: 6, probability: 0.7 },
  { operation: 'EC2.CreateSnapshot', kind: '5xx' as const, count: 6, probability: 0.7 },
  { operation: 'EC2.CopySnapshot', kind: '5xx' as const, count: 6, probability: 0.7 },
  { operation: 'Batch.*', kind: '5xx' as const, count: 8, probability: 0.7 },
  { operation: 'STS.*', kind: '5xx' as const, count: 4, probability: 0.7 },
  { operation: 'CloudWatch.*', kind: '5xx' as const, count: 4, probability: 0.7 },
];

describe('chaos (b): 5xx bursts', () => {
  it.each(casesOf({ name: '5xx bursts', rules: BURSTS, bound: 23 }, [31, 32, 33]))(
    '$scenario.name, seed $seed: converges, no duplicate, attempts within the maximum',
    async ({ scenario, seed }) => {
      report(await runChaos(scenario, seed));
    },
    60_000,
  );
});
