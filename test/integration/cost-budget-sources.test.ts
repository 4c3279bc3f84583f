/**
 * Issue 17 item 2 on the sim with a manual clock: a Budget's stop reaches every source of the
 * project's spend. Two always-on workstations against a $1.50 monthly stop; `nightly` snapshots
 * ana every hour, `critical` (budgetExempt) snapshots ben every hour. Once the stop is in force
 * nightly takes no new snapshot (a plan note says why and since when) while retention still
 * deletes its expired ones; critical keeps going and its actions say which budget it overrides; a
 * Job of the project is not submitted. The forecast past 100% alerts on the first run, naming
 * the source that drives it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';
import type { RunView } from '../support/run-view.js';

let harness: CostHarness | undefined;
afterEach(async () => harness?.close());

const START = Date.parse('2026-10-05T12:00:00Z');
const at = (hours: number): string => new Date(START + hours * 3_600_000).toISOString();

function schedule(name: string, workstation: string, extra = ''): string {
  return `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: ${name} }
spec:
  selector: { workstations: [${workstation}] }
  cron: "0 * * * *"
  timezone: UTC
  retain: { maxAgeDays: 1 }
${extra}`;
}

const FILES = {
  'workstations/ana.yaml': costWorkstation('ana', 'neuro'),
  'workstations/ben.yaml': costWorkstation('ben', 'neuro'),
  'snapshots/nightly.yaml': schedule('nightly', 'ana'),
  'snapshots/critical.yaml': schedule('critical', 'ben', '  budgetExempt: true\n'),
  'budgets/neuro.yaml': costBudget(
    'neuro-monthly',
    'neuro',
    1.5,
    '  period: { every: month }\n  thresholds: []\n  actions: [ { atPercent: 100, do: stop } ]\n',
  ),
};

const JOB = `apiVersion: labops/v1
kind: Job
metadata: { name: train, owner: ana, project: neuro }
spec:
  queue: research-spot
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 2
    memoryMiB: 4096
  timeout: 2h
`;

function kinds(result: RunView, schedule: string): string[] {
  return result
    .plan!.actions.filter((a) => a.resource.kind === 'SnapshotSchedule' && a.resource.name === schedule)
    .map((a) => a.kind);
}

describe('a budget stop reaches every source of the project (issue 17)', () => {
  it('pauses the project’s snapshots but not retention, lets an exempt schedule go on, blocks Jobs, and alerts on the forecast', async () => {
    harness = await startCostHarness(FILES, at(0));

    const first = await harness.reconcile(at(0));
    const before = [await harness.reconcile(at(1)), await harness.reconcile(at(2))];
    const stopped = await harness.reconcile(at(9));
    harness.write({ 'jobs/train.yaml': JOB });
    const next = await harness.reconcile(at(10));
    const dayLater = await harness.reconcile(at(30));

    // The forecast (two always-on workstations for the rest of October) passes 100% on the first run.
    const alert = first.budgets!.statuses[0]!.newAlerts;
    expect(alert.map((a) => [a.percent, a.basis])).toEqual([[100, 'forecast']]);
    expect(alert[0]!.driver).toMatch(/^compute \(~\$\d+ to the period's end\)$/);
    // Before the stop both schedules snapshot every hour.
    expect(before.map((r) => [kinds(r, 'nightly'), kinds(r, 'critical')])).toEqual([
      [['snapshot'], ['snapshot']],
      [['snapshot'], ['snapshot']],
    ]);
    expect(stopped.budgets!.statuses[0]!.actionsInForce.map((a) => a.do)).toEqual(['stop']);
    const since = stopped.budgets!.statuses[0]!.actionsInForce[0]!.since!;
    for (const r of [stopped, next, dayLater]) {
      // nightly: no new snapshot, and the plan says why.
      expect(kinds(r, 'nightly')).not.toContain('snapshot');
      expect(r.plan!.refusals.filter((x) => x.resource?.kind === 'SnapshotSchedule')).toEqual([
        {
          code: 'budget-withheld',
          message: expect.stringMatching(
            new RegExp(
              `^snapshot schedule nightly: snapshot paused \\(snapshots of ana\\): budget neuro-monthly at \\d+% of \\$2, its stop in force since ${since.replace(/\./g, '\\.')}; retention still deletes expired snapshots`,
            ),
          ) as unknown,
          resource: { kind: 'SnapshotSchedule', name: 'nightly' },
        },
      ]);
      // critical: exempt, still snapshotting, saying so.
      const exempt = r.plan!.actions.filter((a) => a.resource.name === 'critical' && a.kind === 'snapshot');
      expect(exempt).toHaveLength(1);
      expect(exempt[0]!.reason).toMatch(/its stop in force since .*; budgetExempt keeps this schedule snapshotting$/);
    }
    // A day on, nightly's snapshots from before the stop expire: retention deletes them all the same.
    expect(kinds(dayLater, 'nightly')).toEqual(['delete-snapshot']);
    const deleted = dayLater.plan!.actions.find((a) => a.resource.name === 'nightly')!;
    expect(deleted.details.kind === 'delete-snapshot' ? deleted.details.expired.length : 0).toBe(2);
    // The Job of the stopped project is not submitted.
    expect(next.plan!.actions.filter((a) => a.kind === 'submit-job')).toEqual([]);
    expect(next.plan!.refusals.filter((r) => r.resource?.kind === 'Job').map((r) => [r.code, r.message])).toEqual([
      [
        'budget-blocked',
        expect.stringMatching(
          /^job train: submission blocked by budget neuro-monthly at \d+% of \$2, its stop in force since .* \(project neuro\): a budget stop holds back new Jobs/,
        ) as unknown,
      ],
    ]);
    // And the sim agrees: only critical's snapshots were taken after the stop.
    const state = (await harness.h.sim.control.state()) as unknown as {
      ec2: { snapshots: Record<string, { tags?: Record<string, string>; startTime?: string }> };
    };
    const after = Object.values(state.ec2.snapshots).filter(
      (s) => (s.startTime ?? '') > since && s.tags?.['labops:schedule'] !== undefined,
    );
    expect([...new Set(after.map((s) => s.tags!['labops:schedule']))]).toEqual(['critical']);
  }, 180_000);
});
