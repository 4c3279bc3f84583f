/**
 * Issue 17 item 7 on the sim with a manual clock: three months of a lab, reconciled every 6 h
 * (363 runs; the user's 182 were every 12 h, aligned with the work hours, which would hide a
 * budget stop behind the evening's schedule stop). Three workstations on work hours, a nightly
 * SnapshotSchedule copying to us-west-2 and keeping 3, a Job, and a $130 monthly Budget that
 * stops the project at 100% and emails the PI; the AWS Budgets mirror on. Each month:
 * (a) the stop comes within one interval of the moment Cost Explorer's true spend crosses the
 * limit; (b) after it no workstation starts, no snapshot or copy is taken, no Job is submitted;
 * (c) the overshoot in what labops controls (compute, new snapshots and copies, Batch) is at most
 * one interval of the project's burn at the crossing, while storage of the data kept (stopped
 * workstations' volumes, retained snapshots) goes on accruing by design — measured apart;
 * (d) the next month starts the workstations again; (e) labops' spent figure never drops within a
 * month; (f) the mirror converges after its first apply and the sim shows AWS's ACTUAL 100% alert.
 */
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageSegment } from '../../reconciler/src/sim/core/contract.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import type { RunView } from '../support/run-view.js';
import { COST_LAB_YAML, costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const HOUR = 3_600_000;
const INTERVAL = 6 * HOUR;
/** Tue 2026-09-01 09:00 in New York (EDT): runs at 13:00, 19:00, 01:00 and 07:00 UTC (09:00 EDT/08:00 EST starts the work hours, 21:00 EDT/20:00 EST stops them). */
const START = Date.parse('2026-09-01T13:00:00Z');
/** Mon 2026-11-30 20:00 in New York (EST): the 363rd run. */
const END = Date.parse('2026-12-01T01:00:00Z');
const LIMIT = 130;
/** The Budget's months, in the Lab calendar's zone (America/New_York). */
const MONTHS = [
  { period: '2026-09', start: Date.parse('2026-09-01T04:00:00Z'), end: Date.parse('2026-10-01T04:00:00Z') },
  { period: '2026-10', start: Date.parse('2026-10-01T04:00:00Z'), end: Date.parse('2026-11-01T04:00:00Z') },
  { period: '2026-11', start: Date.parse('2026-11-01T04:00:00Z'), end: Date.parse('2026-12-01T05:00:00Z') },
];
const AWS_BUDGET = 'labops lab/neuro neuro-monthly';

const SCHEDULE = '  schedule: { workHours: "Mon-Fri 08:00-20:00", offHoursAction: stop }\n';
const job = (name: string): string => `apiVersion: labops/v1
kind: Job
metadata: { name: ${name}, owner: ana, project: neuro }
spec:
  queue: research-spot
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 2
    memoryMiB: 4096
  timeout: 2h
`;
/** Three workstations (~$0.83/h of compute with public IPv4, 3 × 80 GiB gp3) on work hours. */
const FILES = {
  'labops.yaml': COST_LAB_YAML.replace('regions: [us-east-1]', 'regions: [us-east-1, us-west-2]').concat(
    '  budgets: { mirror: true }\n',
  ),
  'workstations/ana.yaml': costWorkstation('ana', 'neuro', SCHEDULE)
    .replace('m6i.large', 'm6i.xlarge')
    .replace('rootGiB: 60', 'rootGiB: 80'),
  'workstations/ben.yaml': costWorkstation('ben', 'neuro', SCHEDULE)
    .replace('m6i.large', 't3.xlarge')
    .replace('rootGiB: 60', 'rootGiB: 80'),
  'workstations/cy.yaml': costWorkstation('cy', 'neuro', SCHEDULE).replace('rootGiB: 60', 'rootGiB: 80'),
  'snapshots/nightly.yaml': `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: nightly }
spec:
  selector: { project: neuro }
  cron: "0 2 * * *"
  retain: { count: 3 }
  copyTo: [us-west-2]
`,
  'jobs/train.yaml': job('train'),
  'budgets/neuro.yaml': costBudget(
    'neuro-monthly',
    'neuro',
    LIMIT,
    '  period: { every: month }\n  actions: [ { atPercent: 100, do: stop } ]\n  notify: ["@pi", "pi@uni.edu"]\n',
  ),
};

const ours = (s: UsageSegment): boolean => s.tags[TAG.project] === 'neuro';

/** What the sim bills the project over `[from, to)`, of the segments `keep` selects. */
function spend(usage: readonly UsageSegment[], from: number, to: number, keep = (_: UsageSegment) => true): number {
  let usd = 0;
  for (const s of usage) {
    if (!ours(s) || !keep(s)) continue;
    const a = Math.max(from, Date.parse(s.start));
    const b = Math.min(to, s.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(s.end));
    if (b > a) usd += ((b - a) / HOUR) * s.hourlyUSD;
  }
  return usd;
}

/** The project's hourly burn at `at` (every segment open then). */
function burnAt(usage: readonly UsageSegment[], at: number): number {
  return usage
    .filter((s) => ours(s) && Date.parse(s.start) <= at && (s.end === undefined || Date.parse(s.end) > at))
    .reduce((n, s) => n + s.hourlyUSD, 0);
}

/** When the month's true spend first reaches `usd` (to the second), or undefined. */
function crossing(usage: readonly UsageSegment[], usd: number, from: number, to: number): number | undefined {
  if (spend(usage, from, to) < usd) return undefined;
  let [lo, hi] = [from, to];
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (spend(usage, from, mid) >= usd) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Sources labops controls: instances, Batch, and snapshots (and copies) taken at or after `since`. */
const controlled =
  (since: number) =>
  (s: UsageSegment): boolean =>
    s.usageType === 'EBS:SnapshotUsage' ? Date.parse(s.start) >= since : !s.usageType.startsWith('EBS:VolumeUsage');
/** Storage of data kept: volumes, and snapshots that existed before `since`. */
const kept =
  (since: number) =>
  (s: UsageSegment): boolean =>
    s.usageType.startsWith('EBS:VolumeUsage') || (s.usageType === 'EBS:SnapshotUsage' && Date.parse(s.start) < since);

interface Row {
  at: number;
  spent: number;
  stopInForce: boolean;
  starts: number;
  stops: number;
  snapshots: number;
  copies: number;
  deletions: number;
  submits: string[];
  jobsBlocked: string[];
  mirror: string[];
}

function row(at: number, result: RunView): Row {
  const status = result.budgets!.statuses[0]!;
  const actions = result.plan!.actions;
  const count = (kind: string): number => actions.filter((a) => a.kind === kind).length;
  return {
    at,
    spent: status.spentUSD,
    stopInForce: status.actionsInForce.some((a) => a.do === 'stop'),
    starts: count('start'),
    stops: count('stop'),
    snapshots: count('snapshot'),
    copies: count('copy-snapshot'),
    deletions: count('delete-snapshot'),
    submits: actions.filter((a) => a.kind === 'submit-job').map((a) => a.resource.name),
    jobsBlocked: result
      .plan!.refusals.filter((r) => r.code === 'budget-blocked' && r.resource?.kind === 'Job')
      .map((r) => r.resource!.name),
    mirror: actions.filter((a) => a.kind.endsWith('-aws-budget')).map((a) => a.kind),
  };
}

interface Alert {
  at: string;
  budgetName: string;
  notificationType: string;
  threshold: number;
  period: string;
  actualUSD: number;
}

describe('three months of a lab under a stopping budget (issue 17 item 7)', () => {
  it('stops within one interval of each month’s crossing, holds, overshoots at most one interval of burn, restarts next month; the AWS budget mirror converges and alerts', async () => {
    harness = await startCostHarness(FILES, new Date(START).toISOString());
    const rows: Row[] = [];
    const alerts = new Map<string, Alert>();
    const started = Date.now();
    for (let at = START; at <= END; at += INTERVAL) {
      const r = row(at, await harness.reconcile(new Date(at).toISOString()));
      rows.push(r);
      // The mirror's first apply: from here on no run may change the AWS budget.
      if (rows.length === 1) await harness.h.sim.control.resetCalls();
      // After each stop a new Job is committed: it waits for the next month.
      if (r.stopInForce && !rows[rows.length - 2]?.stopInForce) {
        const month = MONTHS.find((m) => at >= m.start && at < m.end)!;
        harness.write({ [`jobs/late-${month.period}.yaml`]: job(`late-${month.period}`) });
      }
      // AWS Budgets checks as time passes; the sim sends its alerts when asked, within the period.
      const out = await harness.h.sim.control.request('POST', 'budget-alerts', { budgetName: AWS_BUDGET });
      for (const a of (out.body as { alerts: Alert[] }).alerts)
        alerts.set(`${a.period} ${a.notificationType} ${a.threshold}`, a);
    }
    const seconds = (Date.now() - started) / 1000;
    const budgetsMutations = Object.entries(await harness.h.sim.control.calls()).filter(
      ([op]) => op.startsWith('Budgets.') && !/\.(Describe|List)/.test(op),
    );
    // Past Cost Explorer's 8 h lag, its totals of the months the test ran.
    await harness.h.sim.control.setClock('2026-12-02T00:00:00Z');
    const usage = (await harness.h.sim.control.state()).usage;
    const ce = await harness.h.sim.costExplorer().send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-09-01', End: '2026-12-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        Filter: { Tags: { Key: TAG.project, Values: ['neuro'], MatchOptions: ['EQUALS'] } },
      }),
    );
    const ceByMonth = (ce.ResultsByTime ?? []).map((r) => Number(r.Total?.UnblendedCost?.Amount));
    const state = (await harness.h.sim.control.state()) as unknown as {
      ec2: { snapshots: Record<string, { tags?: Record<string, string>; startTime?: string; region?: string }> };
    };

    const report: string[] = [`${rows.length} runs every 6 h in ${seconds.toFixed(0)} s`];
    for (const [i, month] of MONTHS.entries()) {
      const inMonth = rows.filter((r) => r.at >= month.start && r.at < month.end);
      const crossedAt = crossing(usage, LIMIT, month.start, month.end)!;
      const stop = inMonth.find((r) => r.stopInForce)!;
      const after = inMonth.filter((r) => r.at >= stop.at);
      const burn = burnAt(usage, crossedAt) * (INTERVAL / HOUR);
      const from = Math.min(crossedAt, stop.at);
      const overshoot = {
        controlled: spend(usage, crossedAt, month.end, controlled(from)),
        kept: spend(usage, crossedAt, month.end, kept(from)),
      };
      const total = spend(usage, month.start, month.end);
      const utc = spend(usage, Date.UTC(2026, 8 + i, 1), Date.UTC(2026, 9 + i, 1));
      report.push(
        `${month.period}: true spend $${total.toFixed(2)} of $${LIMIT} (Cost Explorer, UTC month: $${ceByMonth[i]!.toFixed(2)}); ` +
          `crossed ${new Date(crossedAt).toISOString()}, stop in force ${new Date(stop.at).toISOString()} ` +
          `(${((stop.at - crossedAt) / HOUR).toFixed(1)} h); burn at the crossing $${(burn / (INTERVAL / HOUR)).toFixed(3)}/h; ` +
          `overshoot controlled $${overshoot.controlled.toFixed(2)} (≤ one interval $${burn.toFixed(2)}), kept storage $${overshoot.kept.toFixed(2)}; ` +
          `AWS ACTUAL 100% alert ${alerts.get(`${month.period}-01..${MONTHS[i + 1]?.period ?? '2026-12'}-01 ACTUAL 100`)?.at ?? 'none'}`,
      );

      // The sim's Cost Explorer prices the same segments this test sums.
      expect(Math.abs(ceByMonth[i]! - utc)).toBeLessThan(0.01);
      // (a) the stop within one interval of the true crossing.
      expect(crossedAt, month.period).toBeDefined();
      expect(Math.abs(stop.at - crossedAt), month.period).toBeLessThanOrEqual(INTERVAL);
      // (b) held to the month's end: no start, no snapshot or copy, no Job submitted.
      expect(after.map((r) => [r.starts, r.snapshots, r.copies, r.submits.length])).toEqual(
        after.map(() => [0, 0, 0, 0]),
      );
      const taken = Object.values(state.ec2.snapshots).filter(
        (s) =>
          s.tags?.['labops:schedule'] === 'nightly' &&
          Date.parse(s.startTime ?? '') >= stop.at &&
          Date.parse(s.startTime ?? '') < month.end,
      );
      expect(taken, month.period).toEqual([]);
      expect(after.some((r) => r.jobsBlocked.includes(`late-${month.period}`))).toBe(true);
      // (c) what labops controls overshoots by at most one interval of burn; kept storage accrues (by design).
      expect(overshoot.controlled, month.period).toBeLessThanOrEqual(burn);
      expect(overshoot.kept, month.period).toBeGreaterThan(0);
      // (e) spent never drops within the month.
      const drops = inMonth.slice(1).filter((r, j) => r.spent < inMonth[j]!.spent - 1e-9);
      expect(drops.map((r) => new Date(r.at).toISOString())).toEqual([]);
      // (f) AWS emails the PI once the project's actual spend passes 100%, this period.
      const alert = alerts.get(`${month.period}-01..${MONTHS[i + 1]?.period ?? '2026-12'}-01 ACTUAL 100`);
      expect(alert, month.period).toBeDefined();
      expect(alert!.actualUSD).toBeGreaterThan(LIMIT);
    }
    console.log(report.join('\n'));

    // Before the stops the schedule snapshots, copies, and retention deletes beyond the newest 3.
    expect(rows.reduce((n, r) => n + r.snapshots, 0)).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.copies, 0)).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.deletions, 0)).toBeGreaterThan(0);
    // A stop that comes in the work hours stops running workstations (not only the schedule's evening stop).
    const stopRuns = MONTHS.map((m) => rows.find((r) => r.at >= m.start && r.at < m.end && r.stopInForce)!);
    expect(stopRuns.some((r) => r.stops === 3 && r.starts === 0)).toBe(true);
    // The Job goes in on the first run.
    expect(rows[0]!.submits).toEqual(['train']);
    // (d) each next month starts again: the workstations, the snapshots, the Job held back.
    for (const [i, month] of MONTHS.slice(1).entries()) {
      const inMonth = rows.filter((r) => r.at >= month.start && r.at < month.end);
      const first = inMonth.find((r) => !r.stopInForce && r.starts > 0);
      expect(first, month.period).toBeDefined();
      expect(inMonth.find((r) => r.submits.length > 0)?.submits).toEqual([`late-${MONTHS[i]!.period}`]);
      expect(inMonth.some((r) => r.snapshots > 0 && r.at < inMonth.find((x) => x.stopInForce)!.at)).toBe(true);
    }
    // (f) the mirror is created once and never changed after.
    expect(rows.flatMap((r) => r.mirror)).toEqual(['create-aws-budget']);
    expect(rows[0]!.mirror).toEqual(['create-aws-budget']);
    expect(budgetsMutations).toEqual([]);
  }, 600_000);
});
