/**
 * Issue 18 item 7, the JobQueue kind and the sim's Batch compute together: queues declared in a
 * lab and made by the pipeline run the lab's Jobs as AWS Batch would — a Spot reclaim (the
 * `spotReclaim` fault) is retried by the kind's default retry strategy and the job succeeds, an
 * application failure is not retried; a compute environment's `maxVcpus` caps how many jobs run at
 * once; a Budget at 100% (Cost Explorer spend of the queue's instances, tagged by the kind with the
 * project) disables the project's queues (`block-launches`) or also zeroes their environments'
 * vCPUs (`stop`), and the next period restores the spec.
 */
import {
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
} from '@aws-sdk/client-batch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { afterEach, describe, expect, it } from 'vitest';
import { TAG } from '../../reconciler/src/model/tags.js';
import { billed, billedCrossing, costBudget, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';
import { failures, startRunHarness } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

/** A JobQueue of project atmos with one compute environment `ce` of `capacity`. */
function queueYaml(name: string, capacity: 'spot' | 'onDemand', types: string, maxVcpus: number): string {
  return `apiVersion: labops/v1
kind: JobQueue
metadata: { name: ${name}, owner: bob, project: atmos }
spec:
  priority: 10
  computeEnvironments:
    - name: ce
      capacity: ${capacity}
      instanceTypes: [${types}]
      maxVcpus: ${maxVcpus}
      subnets: [subnet-0a1b2c3d4e5f60718]
      securityGroupIds: [sg-0a1b2c3d4e5f60718]
`;
}

/** A Job of project atmos on `queue` running `duration` and exiting with `exitCodes` (per attempt). */
function jobYaml(name: string, queue: string, vcpus: number, duration: string, exitCodes = '0', extra = ''): string {
  return `apiVersion: labops/v1
kind: Job
metadata: { name: ${name}, owner: bob, project: atmos }
spec:
  queue: ${queue}
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: ${vcpus}
    memoryMiB: 4096
    environment: { LABOPS_SIM_DURATION: "${duration}", LABOPS_SIM_EXIT_CODE: "${exitCodes}" }
  timeout: 24h
${extra}`;
}

async function jobOf(rh: RunHarness, name: string) {
  const id = (await rh.record()).jobs.find((j) => j.name === name)?.jobId ?? '';
  return (await rh.h.sim.batch('us-east-1').send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0];
}

const HOUR = 3_600_000;

let rh: RunHarness | undefined;
let ch: CostHarness | undefined;
afterEach(async () => {
  await rh?.close();
  await ch?.close();
  rh = undefined;
  ch = undefined;
});

describe('Jobs on a declared Spot queue', () => {
  // The kind's default evaluateOnExit retries `Host EC2*` (a reclaim) and exits on anything else.
  it.each([
    [
      'a Spot reclaim is retried and the job succeeds',
      true,
      '0',
      ['SUCCEEDED', 2],
      [/^Host EC2 \(instance i-/, /^Essential/],
    ],
    ['an application failure (exit 1) is not retried', false, '1', ['FAILED', 1], [/^Essential container/]],
  ] as const)('%s', async (_case, reclaim, exitCode, expected, reasons) => {
    rh = await startRunHarness(
      {
        'queues/spot.yaml': queueYaml('atmos-spot', 'spot', 'm6i', 64),
        'jobs/model.yaml': jobYaml('model', 'atmos-spot', 2, '1h', exitCode),
      },
      { handMadeQueues: false },
    );
    if (reclaim) {
      await rh.h.sim.control.faults({
        rules: [{ operation: 'Batch.*', kind: 'spotReclaim', count: 1, afterSeconds: 600 }],
      });
    }

    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('4h');
    await rh.reconcile();
    const job = await jobOf(rh, 'model');

    expect(failures(first)).toEqual([]);
    expect(job?.retryStrategy?.evaluateOnExit).toEqual([
      { onStatusReason: 'Host EC2*', action: 'RETRY' },
      { onReason: '*', action: 'EXIT' },
    ]);
    expect([job?.status, job?.attempts?.length]).toEqual(expected);
    expect(job?.attempts?.map((a) => a.statusReason)).toEqual(reasons.map((r) => expect.stringMatching(r)));
  });
});

describe('maxVcpus caps concurrency', () => {
  // Children of 2 vCPUs, an hour each, sampled every half hour: the cap, not the queue, sets the width.
  it.each([
    [4, [2, 2, 2, 2, 2, 2, 0, 0]],
    [12, [6, 6, 0, 0, 0, 0, 0, 0]],
  ] as const)('a 6-child array of 2 vCPUs under maxVcpus %i runs as %j', async (maxVcpus, expected) => {
    rh = await startRunHarness(
      {
        'queues/capped.yaml': queueYaml('capped', 'onDemand', 'm6i.large, m6i.xlarge', maxVcpus),
        'jobs/sweep.yaml': jobYaml('sweep', 'capped', 2, '1h', '0', '  array: 6\n'),
      },
      { handMadeQueues: false },
    );
    const batch = rh.h.sim.batch('us-east-1');
    expect(failures(await rh.reconcile('2026-11-16T12:00:00Z'))).toEqual([]);
    const sweep = (await rh.record()).jobs.find((j) => j.name === 'sweep')?.jobId ?? '';
    const running = async (): Promise<number> =>
      (await batch.send(new ListJobsCommand({ arrayJobId: sweep, jobStatus: 'RUNNING' }))).jobSummaryList?.length ?? 0;

    const seen: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      await rh.h.sim.control.advance('30m');
      seen.push(await running());
    }
    const parent = (await batch.send(new DescribeJobsCommand({ jobs: [sweep] }))).jobs?.[0];

    expect(seen).toEqual(expected);
    expect([parent?.status, parent?.arrayProperties?.statusSummary?.SUCCEEDED]).toEqual(['SUCCEEDED', 6]);
  });
});

describe('a Budget at 100% reaches the project queues', () => {
  /** Tue 2026-11-24 08:00 in New York; the month ends 2026-12-01T05:00Z. */
  const START = '2026-11-24T13:00:00Z';
  const FILES = (action: string, duration: string): Record<string, string> => ({
    // Four 16-vCPU jobs on m6i.4xlarge ($0.768/h each): about $3.07 an hour.
    'queues/batch.yaml': queueYaml('atmos-batch', 'onDemand', 'm6i.4xlarge', 64),
    ...Object.fromEntries(
      [1, 2, 3, 4].map((i) => [`jobs/run-${i}.yaml`, jobYaml(`run-${i}`, 'atmos-batch', 16, duration)]),
    ),
    'budgets/atmos.yaml': costBudget(
      'atmos-monthly',
      'atmos',
      10,
      `  period: { every: month }\n  actions: [ { atPercent: 100, do: ${action} } ]\n`,
    ),
  });

  async function observed(h: CostHarness) {
    const batch = h.h.sim.batch('us-east-1');
    const q = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['atmos-batch'] }))).jobQueues?.[0];
    const ces = (await batch.send(new DescribeComputeEnvironmentsCommand({}))).computeEnvironments ?? [];
    const mine = ces.filter((c) => c.computeEnvironmentName?.startsWith('atmos-batch-'));
    return { state: q?.state, maxvCpus: mine.map((c) => c.computeResources?.maxvCpus) };
  }

  it.each([
    ['block-launches', { state: 'DISABLED', maxvCpus: [64] }],
    ['stop', { state: 'DISABLED', maxvCpus: [0] }],
  ] as const)(
    '%s at 100 percent of Batch spend holds to the period end; the next period restores the spec',
    async (action, held) => {
      ch = await startCostHarness(FILES(action, '24h'), START);
      const first = await ch.reconcile(START);
      const batch = ch.h.sim.batch('us-east-1');
      const ids = (await ch.record()).jobs.map((j) => j.jobId);
      const statuses = async (): Promise<(string | undefined)[]> =>
        ((await batch.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? []).map((j) => j.status);

      // Hourly runs through the day after, past the Cost Explorer fetch whose data covers the jobs' first hours.
      const runs: { at: string; spent: number; actual: number; since: number; queueActions: string[] }[] = [];
      for (let hour = 1; hour <= 18; hour += 1) {
        const at = new Date(Date.parse(START) + hour * HOUR).toISOString();
        const result = await ch.reconcile(at);
        const status = result.budgets?.statuses[0];
        runs.push({
          at,
          spent: status?.spentUSD ?? 0,
          actual: status?.spend.actualUSD ?? 0,
          since: status?.spend.estimatedSinceUSD ?? 0,
          queueActions: (result.plan?.actions ?? []).filter((a) => a.resource.kind === 'JobQueue').map((a) => a.kind),
        });
      }
      const fired = runs.find((r) => r.queueActions.length > 0);
      const caughtUp = runs.findIndex((r) => r.actual > 0);
      const during = await observed(ch);
      const atFire = await statuses();
      const usage = (await ch.h.sim.control.state()).usage;
      const crossedAt = billedCrossing(usage, 'atmos', 10, Date.parse(START), Date.parse(START) + 30 * HOUR) ?? 0;
      await ch.reconcile('2026-11-30T12:00:00Z');
      const later = await observed(ch);
      const finished = await statuses();
      const restore = await ch.reconcile('2026-12-01T06:00:00Z');
      const after = await observed(ch);
      const steady = await ch.reconcile('2026-12-01T07:00:00Z');
      console.log(
        `issue 18 budget ${action}: true crossing ${new Date(crossedAt).toISOString()}, fired at ${fired?.at} ` +
          `with spent $${fired?.spent.toFixed(2)} (${fired?.queueActions.join(', ')}); Cost Explorer caught up at ` +
          `${runs[caughtUp]?.at}: actuals $${runs[caughtUp]?.actual.toFixed(2)} + estimate ` +
          `$${runs[caughtUp]?.since.toFixed(2)} (estimate before: $${runs[caughtUp - 1]?.since.toFixed(2)})`,
      );

      expect(failures(first)).toEqual([]);
      // Four jobs at $3.07/h pass $10 about 3¼ h after they start. Cost Explorer's data ends 8 h
      // behind and is fetched every 8 h, so labops counts the jobs' attempts since its data end
      // itself (cost/job-ledger.ts): the action is in force within one reconcile interval (1 h).
      expect(Math.abs(Date.parse(fired?.at ?? '') - crossedAt)).toBeLessThanOrEqual(HOUR);
      // The spent figure is what the sim bills to the cent, and never drops, including the run where
      // Cost Explorer's data reaches the jobs' first hours (the estimate of that stretch leaves).
      expect(runs.map((r) => r.spent)).toEqual(
        runs.map((r) => expect.closeTo(billed(usage, 'atmos', Date.parse(START), Date.parse(r.at)), 2)),
      );
      expect(runs.slice(1).filter((r, i) => r.spent < (runs[i]?.spent ?? 0))).toEqual([]);
      expect(caughtUp).toBeGreaterThan(0);
      expect(runs[caughtUp]?.since).toBeLessThan(runs[caughtUp - 1]?.since ?? 0);
      expect(fired?.queueActions).toEqual(
        action === 'stop' ? ['update-compute-environment', 'update-job-queue'] : ['update-job-queue'],
      );
      expect(during).toEqual(held);
      // Jobs already running finish: the budget action interrupts none of them.
      expect(atFire).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
      expect(finished).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      expect(later).toEqual(held);
      expect(failures(restore)).toEqual([]);
      expect(after).toEqual({ state: 'ENABLED', maxvCpus: [64] });
      expect(steady.plan?.actions).toEqual([]);
    },
  );

  it('Cost Explorer grouped by labops:project counts the queue instances, and the budget spend shows them', async () => {
    ch = await startCostHarness(FILES('notify', '12h'), START);
    await ch.reconcile(START);
    const result = await ch.reconcile('2026-11-25T13:00:00Z');
    const usage = (await ch.h.sim.control.state()).usage.filter((s) => s.usageType.startsWith('BoxUsage:'));
    const settings = ch.h.sim.settings();
    const ce = new CostExplorerClient({ ...settings, region: 'us-east-1' });
    const out = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-11-24', End: '2026-11-26' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG', Key: TAG.project }],
      }),
    );
    ce.destroy();
    const groups = Object.fromEntries(
      (out.ResultsByTime?.[0]?.Groups ?? []).map((g) => [g.Keys?.[0], Number(g.Metrics?.UnblendedCost?.Amount)]),
    );

    // Every instance the queue ran carries the project tag; 4 × 12 h × $0.768 = $36.86, all before the data end.
    expect(usage.map((s) => [s.tags[TAG.project], s.usageType])).toEqual(
      Array.from({ length: 4 }, () => ['atmos', 'BoxUsage:m6i.4xlarge']),
    );
    expect(groups[`${TAG.project}$atmos`]).toBeCloseTo(4 * 12 * 0.768, 2);
    expect(result.budgets?.statuses[0]?.spentUSD).toBeCloseTo(4 * 12 * 0.768, 2);
  });
});
