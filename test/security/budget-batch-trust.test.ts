/**
 * The Batch part of the spend ledger against a forged run record (issue 18): Batch is the
 * authority on what a job ran. A record claiming hours of Batch run time — for jobs that do not
 * exist, or for real jobs outside the span Batch shows them running — adds nothing, so it cannot
 * fire a budget stop; a record claiming less than Batch shows — its ledger dropped and the jobs
 * recorded as ended, so labops would not ask about them — subtracts nothing: the jobs running in
 * the lab's queues are found by ListJobs, and the stop fires on time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { costBudget, startCostHarness } from '../integration/cost-harness.js';
import type { CostHarness } from '../integration/cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const HOUR = 3_600_000;
const START = Date.parse('2026-11-24T13:00:00Z');
const at = (hours: number): string => new Date(START + hours * HOUR).toISOString();

/** Four 16-vCPU jobs on m6i.4xlarge ($0.768/h each) running `duration`, and a $10 stop. */
function files(duration: string): Record<string, string> {
  const jobs = [1, 2, 3, 4].map((i) => [
    `jobs/run-${i}.yaml`,
    `apiVersion: labops/v1
kind: Job
metadata: { name: run-${i}, owner: bob, project: atmos }
spec:
  queue: atmos-batch
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 16
    memoryMiB: 4096
    environment: { LABOPS_SIM_DURATION: "${duration}" }
  timeout: 24h
`,
  ]);
  return {
    'queues/batch.yaml': `apiVersion: labops/v1
kind: JobQueue
metadata: { name: atmos-batch, owner: bob, project: atmos }
spec:
  priority: 10
  computeEnvironments:
    - { name: ce, capacity: onDemand, instanceTypes: [m6i.4xlarge], maxVcpus: 64 }
`,
    ...Object.fromEntries(jobs),
    'budgets/atmos.yaml': costBudget(
      'atmos-monthly',
      'atmos',
      10,
      '  period: { every: month }\n  thresholds: []\n  actions: [ { atPercent: 100, do: stop } ]\n',
    ),
  };
}

function forge(h: CostHarness, change: (record: RunRecord) => RunRecord): void {
  const record = JSON.parse(readFileSync(h.recordPath, 'utf8')) as RunRecord;
  writeFileSync(h.recordPath, `${JSON.stringify(change(record), null, 2)}\n`);
}

/** Hours of run time since well before Cost Explorer's data end, to now. */
const HUGE = [{ from: at(-20), to: at(3) }];

describe('a forged run record cannot fire a budget stop with Batch run time', () => {
  it.each<[string, (record: RunRecord) => RunRecord]>([
    [
      'hours of run time for jobs that do not exist',
      (record) => {
        const ghosts = [1, 2, 3, 4].map((i) => `0badc0de-0000-4000-8000-00000000000${i}`);
        const model = record.jobs[0]!;
        return {
          ...record,
          jobs: [...record.jobs, ...ghosts.map((jobId) => ({ ...model, jobId }))],
          jobRuns: {
            ...record.jobRuns,
            ...Object.fromEntries(
              ghosts.map((id) => [id, { project: 'atmos', region: 'us-east-1', lastSeen: at(2), runs: HUGE }]),
            ),
          },
        };
      },
    ],
    [
      'the real jobs’ run time stretched before their start and past their end',
      (record) => ({
        ...record,
        jobRuns: Object.fromEntries(Object.entries(record.jobRuns ?? {}).map(([id, e]) => [id, { ...e, runs: HUGE }])),
      }),
    ],
  ])(
    '%s: spent stays what Batch shows, nothing is stopped',
    async (_name, change) => {
      harness = await startCostHarness(files('1h'), at(0));
      await harness.reconcile(at(0));
      await harness.reconcile(at(1));
      const honest = (await harness.reconcile(at(2))).budgets!.statuses[0]!;
      expect(honest.spentUSD).toBeGreaterThan(3);
      expect(honest.spentUSD).toBeLessThan(3.2);
      expect(Object.keys((await harness.record()).jobRuns ?? {})).toHaveLength(4);
      forge(harness, change);

      const next = await harness.reconcile(at(3));

      expect(next.budgets!.statuses[0]!.spentUSD).toBeCloseTo(honest.spentUSD, 2);
      expect(next.plan!.actions.filter((a) => a.resource.kind === 'JobQueue')).toEqual([]);
    },
    120_000,
  );
});

describe('a forged run record cannot delay a budget stop on Batch spend', () => {
  it.each<[string, (record: RunRecord) => RunRecord]>([
    [
      'the ledger dropped and the jobs recorded as ended',
      ({ jobRuns: _dropped, ...record }) => ({
        ...record,
        jobs: record.jobs.map((j) => ({ ...j, status: 'SUCCEEDED', statusAt: at(2) })),
      }),
    ],
    [
      'the ledger shortened to a minute each, dated in the future',
      (record) => ({
        ...record,
        jobRuns: Object.fromEntries(
          Object.entries(record.jobRuns ?? {}).map(([id, e]) => [
            id,
            { ...e, lastSeen: at(900), runs: [{ from: at(1), to: new Date(START + HOUR + 60_000).toISOString() }] },
          ]),
        ),
      }),
    ],
  ])(
    '%s: the stop fires when the spend reaches it',
    async (_name, change) => {
      harness = await startCostHarness(files('24h'), at(0));
      await harness.reconcile(at(0));
      await harness.reconcile(at(1));
      const before = await harness.reconcile(at(2));
      expect(before.plan!.actions.filter((a) => a.resource.kind === 'JobQueue')).toEqual([]);
      forge(harness, change);

      const next = await harness.reconcile(at(3));

      // Four jobs at $3.07/h since about 13:02: $9.1 by 16:00, past $10 before the next run.
      expect(next.budgets!.statuses[0]!.spentUSD).toBeGreaterThan(9);
      expect(next.plan!.actions.filter((a) => a.resource.kind === 'JobQueue').map((a) => a.kind)).toEqual([
        'update-compute-environment',
        'update-job-queue',
      ]);
    },
    120_000,
  );
});
