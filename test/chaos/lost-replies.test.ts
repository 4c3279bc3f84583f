/**
 * Chaos (f): replies lost after the effect — a mutation is carried out, then answered with a 5xx
 * (as a server error or a timeout can be on AWS). Count-limited bursts on each kind of mutation
 * the lab makes. Found: the SDK sent SubmitJob, CreateSnapshot and CopySnapshot again, and each
 * retry made a second job, snapshot or copy (up to 3 jobs of one spec). Those calls are now
 * retried only when throttled; the next run finds what the lost reply made (by name or tags).
 * RunInstances (ClientToken), CreateTags and StopInstances are safe to send again. Each lost
 * reply costs at most one more run; measured 2–5 runs per stage, bound 10.
 */
import { describe, it } from 'vitest';
import { casesOf, report, runChaos } from './chaos-scenario.js';

const LOST = [
  'EC2.RunInstances',
  'EC2.CreateTags',
  'EC2.StopInstances',
  'EC2.CreateSnapshot',
  'EC2.CopySnapshot',
  'Batch.SubmitJob',
  'Batch.RegisterJobDefinition',
].map((operation) => ({
  operation,
  kind: '5xx' as const,
  count: 3,
  probability: 0.7,
  afterEffect: true,
}));

describe('chaos (f): replies lost after the effect', () => {
  it.each(casesOf({ name: 'lost replies', rules: LOST, bound: 10 }, [71, 72, 73]))(
    '$scenario.name, seed $seed: converges, no duplicate',
    async ({ scenario, seed }) => {
      report(await runChaos(scenario, seed));
    },
    60_000,
  );
});
