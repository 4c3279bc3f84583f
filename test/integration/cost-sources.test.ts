/**
 * Every dollar counted (issue 17 item 1), through the built CLI against `labops sim`: most of a
 * month of a nightly SnapshotSchedule with a copy Region, on a workstation writing 300 GiB a day,
 * so its snapshots (billed incrementally, in both Regions) outgrow everything else. `labops cost`
 * in text, markdown and JSON, and STATUS.md, then split spend and forecast by source: snapshots
 * are the most spent on, the schedule is the top spender (originals and copies apart), and the
 * forecast carries the storage its retention keeps to the end of the month.
 *
 * Needs `npm run build` (dist/reconciler/src/cli/main.js).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { renderStatusFile } from '../../reconciler/src/record/status-md.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import { outputChecker } from '../support/output-schemas.js';
import { REPO } from './apply-harness.js';
import { COST_LAB_YAML, costBudget, costWorkstation, startCostHarness } from './cost-harness.js';
import type { CostHarness } from './cost-harness.js';

const BIN = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const NOW = '2026-10-25T12:00:00Z';
const check = outputChecker();

/** The cost lab in us-east-1 and us-west-2 (the copies' Region). */
const LAB_YAML = COST_LAB_YAML.replace('regions: [us-east-1]', 'regions: [us-east-1, us-west-2]');

const SCHEDULE = `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: nightly }
spec:
  selector: { project: neuro }
  cron: "0 2 * * *"
  timezone: UTC
  type: volumes
  retain: { count: 30 }
  copyTo: [us-west-2]
`;

let harness: CostHarness;

/** The built CLI as a child process against the harness's simulator. */
function labops(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...harness.h.sim.env('us-east-1'), NO_COLOR: '1', LABOPS_DEBUG: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

function cost(format: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = dirname(dirname(harness.recordPath));
  return labops(['cost', dir, '--format', format, '--now', NOW, '--repo', REPO, '--record', harness.recordPath]);
}

beforeAll(async () => {
  harness = await startCostHarness(
    {
      'labops.yaml': LAB_YAML,
      'workstations/ana.yaml': costWorkstation(
        'ana',
        'neuro',
        '  storage: { rootGiB: 60, volumes: [{ name: data, sizeGiB: 500, type: gp3 }] }\n',
      ).replace('  storage: { rootGiB: 60 }\n', ''),
      'snapshots/nightly.yaml': SCHEDULE,
      'budgets/october.yaml': costBudget('neuro-october', 'neuro', 300, '  period: { every: month }\n'),
    },
    '2026-10-01T00:00:00Z',
  );
  await harness.reconcile('2026-10-01T00:00:00Z');
  const state = (await harness.h.sim.control.state()) as unknown as {
    ec2: { instances: Record<string, { tags: Record<string, string> }> };
  };
  const [instanceId] = Object.entries(state.ec2.instances).find(([, i]) => i.tags[TAG.name] === 'ana') ?? [];
  // 300 GiB written a day: each nightly snapshot (and its copy) stores 300 GiB more.
  await harness.h.sim.control.load([
    { instanceId, cpuPercent: 40, ebsWriteGiBPerDay: 300, from: '2026-10-01T00:00:00Z' },
  ]);
  for (let day = 1; day <= 25; day++) {
    const date = `2026-10-${String(day).padStart(2, '0')}`;
    await harness.reconcile(`${date}T02:05:00Z`); // the nightly slot
    await harness.reconcile(`${date}T03:30:00Z`); // its snapshots complete: the copies
  }
  await harness.reconcile(NOW);
  await harness.h.sim.control.setClock(NOW);
}, 600_000);

afterAll(async () => harness.close());

describe('labops cost splits every dollar by source', { timeout: 120_000 }, () => {
  it('JSON: snapshots are most of the spend, the schedule the top spender, and the forecast holds its storage', async () => {
    const result = await cost('json');
    const json = JSON.parse(result.stdout) as Record<string, any>;

    expect(check('cost', json), result.stderr).toEqual([]);
    const [budget] = json.budgets;
    type Split = Record<'compute' | 'volumes' | 'snapshots' | 'batch' | 'other', number>;
    const spent = budget.spentBySource as Split;
    const forecast = budget.forecastBySource as Split;
    // Snapshots outgrow compute and volumes together; every source sums to the totals.
    expect(spent.snapshots).toBeGreaterThan(spent.compute + spent.volumes);
    const total = (split: Split): number => Object.values(split).reduce((a, b) => a + b, 0);
    expect(total(spent)).toBeCloseTo(budget.spentUSD, 1);
    expect(total(forecast)).toBeCloseTo(budget.forecastUSD, 1);
    // The forecast adds the storage retention keeps for the 7 days left, originals and copies.
    const schedules = budget.schedules as { region: string; copy: boolean; toEndUSD: number; snapshotsNow: number }[];
    expect(schedules.map((s) => [s.region, s.copy])).toEqual([
      ['us-east-1', false],
      ['us-west-2', true],
    ]);
    expect(schedules.every((s) => s.snapshotsNow > 0 && s.toEndUSD > 0)).toBe(true);
    const toEnd = schedules.reduce((sum, s) => sum + s.toEndUSD, 0);
    expect(forecast.snapshots - spent.snapshots).toBeCloseTo(toEnd, 1);
    // Top spenders: the schedule, originals and copies apart, ahead of the workstation.
    const [project] = json.projects;
    expect(project.top.slice(0, 2).map((s: { kind: string; region: string }) => [s.kind, s.region])).toEqual(
      expect.arrayContaining([
        ['schedule', 'us-east-1'],
        ['schedule', 'us-west-2'],
      ]),
    );
    expect(project.top.map((s: { kind: string }) => s.kind)).toContain('workstation');
    expect(json.version).toBe(2);
    expect(json.costExplorer.callsThisRun).toBeLessThanOrEqual(2);
  });

  it('text and markdown name the sources, the schedule per Region and the top spender', async () => {
    const text = await cost('text');
    const markdown = await cost('markdown');

    expect(text.status).toBe(0);
    expect(text.stdout).toContain('most spent on: snapshots & images');
    expect(text.stdout).toMatch(/spent by source: compute \$[\d,.]+ · EBS volumes \$[\d,.]+ · snapshots & images \$/);
    expect(text.stdout).toMatch(/forecast by source: compute/);
    expect(text.stdout).toMatch(/schedule nightly in us-east-1: \d+ snapshots now/);
    expect(text.stdout).toMatch(/schedule nightly copies in us-west-2: \d+ snapshots now/);
    expect(text.stdout).toMatch(/neuro: .*\n {2}nightly \(snapshot schedule, (copies )?in us-/);
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain('| Most spent on |');
    expect(markdown.stdout).toMatch(/\| snapshots & images \|/);
    expect(markdown.stdout).toMatch(/- spent by source: compute/);
  });

  it('STATUS.md tables spend by source and the schedule per Region', async () => {
    const status = renderStatusFile(await harness.record());

    expect(status).toContain('## Spend by source');
    const row = (source: string): number => {
      const match = new RegExp(`\\| neuro-october \\| ${source} \\| \\$([\\d,.]+) \\|`).exec(status);
      return Number(match?.[1]?.replace(/,/g, '') ?? Number.NaN);
    };
    const [snapshots, compute, volumes] = ['snapshots & images', 'compute', 'EBS volumes'].map(row) as [
      number,
      number,
      number,
    ];
    expect(snapshots).toBeGreaterThan(compute + volumes);
    expect(status).toMatch(/\| neuro-october \| nightly \| us-east-1 \| \d+ \| 60 \|/);
    expect(status).toMatch(/\| neuro-october \| nightly \| us-west-2 \(copies\) \| \d+ \| 60 \|/);
  });
});
