/** STATUS.md on the status branch, and the per-resource facts it shows (last snapshot, cost to date). */
import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '../../../reconciler/src/model/budget.js';
import type { ObservedInstance } from '../../../reconciler/src/model/observed.js';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import type { RunRecord } from '../../../reconciler/src/model/record.js';
import { costToDateUSD, recordResources } from '../../../reconciler/src/kinds/workstation/record.js';
import { recordBudgets } from '../../../reconciler/src/kinds/budget/record.js';
import { recordNextSlots } from '../../../reconciler/src/kinds/snapshot-schedule/record.js';
import { age, renderStatusFile } from '../../../reconciler/src/record/status-md.js';

const NOW = new Date('2026-11-23T15:00:00Z');

function instance(patch: Partial<ObservedInstance> = {}): ObservedInstance {
  return {
    instanceId: 'i-1',
    region: 'us-east-1',
    state: 'running',
    instanceType: 't3.large',
    launchTime: '2026-11-23T05:00:00Z',
    imageId: 'ami-1',
    tags: { 'labops:name': 'ann', 'labops:owner': 'ann-lee' },
    hibernationConfigured: false,
    attachments: [
      { volumeId: 'vol-1', device: '/dev/xvda', name: 'root', sizeGiB: 730, type: 'gp3', deleteOnTermination: true },
    ],
    publicIp: '203.0.113.7',
    ...patch,
  };
}

function budget(): BudgetStatus {
  return {
    budget: {
      name: 'neuro-fall',
      project: 'neuro',
      limitUSD: 3000,
      period: { every: 'month' },
      thresholds: [50],
      actions: [],
      notify: [],
    },
    window: {
      key: '2026-11',
      start: '2026-11-01',
      end: '2026-11-30',
      startMs: Date.parse('2026-11-01'),
      endMs: Date.parse('2026-12-01'),
    },
    known: true,
    spend: { actualUSD: 100, estimatedSinceUSD: 0, daily: [{ date: '2026-11-22', usd: 100 }] },
    spentUSD: 100,
    forecastUSD: 900,
    spentPercent: 3.3,
    forecastPercent: 30,
    newAlerts: [],
    actionsInForce: [],
  };
}

/** A record as after a reconcile: one workstation, a schedule, an array job, an alert, a budget and Cost Explorer figures. */
function fullRecord(): RunRecord {
  let record: RunRecord = {
    ...emptyRecord(),
    updatedAt: NOW.toISOString(),
    timezone: 'America/New_York',
    costExplorerCalls: 3,
  };
  record = recordResources([instance()], NOW, new Map([['ann', '2026-11-23T07:00:00.000Z']]))(record);
  record = recordBudgets([budget()], NOW)(record);
  record.schedules.nightly = { lastSlot: '2026-11-23T07:00:00.000Z', lastRunAt: '2026-11-23T07:04:00.000Z' };
  record = recordNextSlots([{ name: 'nightly', cron: '0 7 * * *', timezone: 'UTC' }], NOW)(record);
  record.jobs.push({
    name: 'align',
    specHash: 'h',
    rerun: 0,
    region: 'us-east-1',
    jobId: 'job-1',
    jobName: 'labops-align-0',
    submittedAt: '2026-11-23T08:00:00.000Z',
    status: 'RUNNING',
    children: { RUNNING: 3, SUCCEEDED: 6, FAILED: 1 },
    statusAt: NOW.toISOString(),
  });
  record.alerts.push({
    budget: 'neuro-fall',
    period: '2026-11',
    percent: 50,
    basis: 'forecast',
    at: '2026-11-20T10:00:00.000Z',
  });
  record.costCache = {
    fetchedAt: '2026-11-23T11:40:00.000Z',
    start: '2026-11-01',
    end: '2026-11-23',
    dailyByProject: { neuro: { '2026-11-21': 40, '2026-11-22': 60.5 } },
    estimatedDates: ['2026-11-22'],
  };
  return record;
}

describe('STATUS.md', () => {
  it('shows each workstation with its owner, state, type, instance, IP, last snapshot and cost to date, in the Lab’s time', () => {
    const markdown = renderStatusFile(fullRecord());

    expect(markdown).toContain('Last run: 2026-11-23 10:00 America/New_York. Times are America/New_York.');
    expect(markdown).toContain(
      '| Workstation | Owner | State | Type | Instance | IP | Last snapshot | Cost to date (est.) |',
    );
    expect(markdown).toMatch(
      /\| ann \| ann-lee \| running \| t3\.large \| i-1 \(us-east-1\) \| 203\.0\.113\.7 \| 2026-11-23 02:00 \| \$\d+\.\d\d since 2026-11-23 \|/,
    );
    expect(markdown).not.toContain('Budget/neuro-fall |');
  });

  it.each([
    ['no zone recorded', undefined, 'Last run: 2026-11-23 15:00 UTC. Times are UTC.'],
    ['a zone this platform does not know', 'Mars/Olympus_Mons', 'Last run: 2026-11-23 15:00 UTC. Times are UTC.'],
    ['Tokyo', 'Asia/Tokyo', 'Last run: 2026-11-24 00:00 Asia/Tokyo. Times are Asia/Tokyo.'],
  ])('shows times in the recorded zone: %s', (_name, timezone, line) => {
    const { timezone: _lab, ...record } = fullRecord();

    const markdown = renderStatusFile(timezone === undefined ? record : { ...record, timezone });

    expect(markdown).toContain(line);
  });

  it('shows each budget’s figures in a table that fits a page', () => {
    const markdown = renderStatusFile(fullRecord());

    expect(markdown).toContain(
      '| Budget | Project | Period | Spent | Forecast | Cost Explorer forecast | Limit | Used |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n| neuro-fall | neuro | 2026-11-01..2026-11-30 | $100 | $900 | - | $3,000 | 3.3% |',
    );
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|')))
      expect(line.split(' | ').length, line).toBeLessThanOrEqual(8);
  });

  it('shows schedules with last and next slot, jobs with progress, and alerts sent', () => {
    const markdown = renderStatusFile(fullRecord());

    expect(markdown).toContain('| nightly | 2026-11-23 02:00 | 2026-11-23 02:04 | 2026-11-24 02:00 |');
    expect(markdown).toContain(
      '| align | labops-align-0 | job-1 | us-east-1 | 2026-11-23 03:00 | RUNNING (7/10 done: 1 failed, 3 running, 6 succeeded) | 2026-11-23 10:00 |',
    );
    expect(markdown).toContain('| neuro-fall | 2026-11 | 50% | forecast | 2026-11-20 05:00 |');
  });

  it('says how old the Cost Explorer figures were and draws daily spend per project against the budget', () => {
    const markdown = renderStatusFile(fullRecord());

    expect(markdown).toContain(
      'fetched 2026-11-23 06:40, 3h 20m before the last run; 3 call(s) in all ($0.03). Estimated (not final) days: 2026-11-22.',
    );
    expect(markdown).toContain(
      [
        '    title "neuro: daily spend"',
        '    x-axis ["11-11", "11-12", "11-13", "11-14", "11-15", "11-16", "11-17", "11-18", "11-19", "11-20", "11-21", "11-22"]',
        '    y-axis "USD" 0 --> 120',
        '    bar [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 60.5]',
        '    line [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]',
        '```',
        '',
        "_Legend: blue bars: spent each day (total $101) · red line: neuro-fall's even share $100.00/day; Cost Explorer's last 12 days, 2026-11-11..2026-11-22._",
      ].join('\n'),
    );
    expect(markdown).toContain('title "neuro-fall: spend vs $3,000"');
  });

  it('renders an empty record plainly, and the same record to the same bytes', () => {
    expect(renderStatusFile(emptyRecord())).toBe(
      '# labops status\n\nLast run: never. Times are UTC. Written by labops: a cache of facts from AWS, not desired state (the specs are on the default branch).\n\n## Workstations\n\nNo workstations recorded yet.\n\n## Cost Explorer\n\nNo figures cached; 0 call(s) in all ($0.00).\n',
    );
    expect(renderStatusFile(fullRecord())).toBe(renderStatusFile(fullRecord()));
  });

  it('keeps names inert: no HTML, no mentions, no table breakout', () => {
    const record = recordResources([instance({ tags: { 'labops:name': '<img src=x>|@team' } })], NOW)(emptyRecord());

    const markdown = renderStatusFile(record);

    expect(markdown).toContain('\\<img src=x\\>\\|@\u200bteam');
  });

  it.each([
    ['2026-11-23T15:00:00Z', '2026-11-23T15:07:00Z', '7m'],
    ['2026-11-23T11:40:00Z', '2026-11-23T15:00:00Z', '3h 20m'],
    ['2026-11-20T11:00:00Z', '2026-11-23T15:00:00Z', '3d 4h'],
  ])('age(%s, %s) is %s', (from, to, expected) => {
    expect(age(from, to)).toBe(expected);
  });
});

describe('per-resource facts', () => {
  it('counts a new instance from its launch: running hours at the on-demand rate plus storage', () => {
    const running = costToDateUSD(undefined, instance(), NOW);
    const stopped = costToDateUSD(undefined, instance({ state: 'stopped' }), NOW);

    expect(running.costSince).toBe('2026-11-23T05:00:00Z');
    expect(stopped.costToDateUSD).toBeCloseTo((730 * 0.08 * 10) / 730, 1);
    expect(running.costToDateUSD).toBeGreaterThan(stopped.costToDateUSD + 0.5);
  });

  it('adds the time since the last run at the state recorded then, and restarts for a new instance id', () => {
    const previous = {
      observedAt: '2026-11-23T14:00:00.000Z',
      instanceId: 'i-1',
      state: 'stopped',
      costToDateUSD: 10,
      costSince: '2026-11-01T00:00:00Z',
    };

    const same = costToDateUSD(previous, instance(), NOW);
    const replaced = costToDateUSD(previous, instance({ instanceId: 'i-2' }), NOW);

    expect(same.costSince).toBe('2026-11-01T00:00:00Z');
    expect(same.costToDateUSD).toBeCloseTo(10.08, 2);
    expect(replaced.costSince).toBe('2026-11-23T05:00:00Z');
  });

  it('replaces workstation entries, keeps the last snapshot of the same instance, and notes the listing time', () => {
    const first = recordResources(
      [instance(), instance({ instanceId: 'i-9', tags: { 'labops:name': 'ben' } })],
      NOW,
      new Map([['ann', '2026-11-23T07:00:00.000Z']]),
    )(emptyRecord());
    const later = new Date('2026-11-23T16:00:00Z');

    const record = recordResources([instance()], later)(first);

    expect(Object.keys(record.resources)).toEqual(['Workstation/ann']);
    expect(record.resources['Workstation/ann']!.lastSnapshot).toBe('2026-11-23T07:00:00.000Z');
    expect(record.listedAt).toEqual({ Workstation: later.toISOString() });
  });
});
