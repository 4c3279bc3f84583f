/** The run record on the labops-status branch: real git repositories in temp folders, no network. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRecord } from '../../reconciler/src/model/record.js';
import type { BudgetStatus } from '../../reconciler/src/model/budget.js';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { gitRecordStore } from '../../reconciler/src/record/git-store.js';
import { mergeRecords } from '../../reconciler/src/record/merge.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** A bare origin whose main branch holds a lab file. */
function origin(): string {
  root = mkdtempSync(join(tmpdir(), 'labops-record-'));
  const bare = join(root, 'origin.git');
  execFileSync('git', ['init', '--bare', '--initial-branch=main', bare]);
  const author = join(root, 'author');
  execFileSync('git', ['clone', bare, author], { stdio: 'ignore' });
  writeFileSync(join(author, 'labops.yaml'), 'kind: Lab\n');
  git(author, 'add', '-A');
  git(author, 'commit', '-m', 'lab');
  git(author, 'push', 'origin', 'main');
  return bare;
}

function withAlert(budget: string, at: string): RunRecord {
  return { ...emptyRecord(), updatedAt: at, alerts: [{ budget, period: '2026-11', percent: 50, basis: 'actual', at }] };
}

describe('git record store', () => {
  it('writes record.json and STATUS.md to the status branch and reads them back elsewhere; main is untouched', async () => {
    const bare = origin();
    const mainBefore = git(bare, 'rev-parse', 'main');
    const record = withAlert('neuro-fall', '2026-11-23T15:00:00.000Z');

    await gitRecordStore({ remote: bare, workdir: join(root, 'writer') }).save(record);
    const read = await gitRecordStore({ remote: bare, workdir: join(root, 'reader') }).load();

    expect(read).toEqual(record);
    expect(git(bare, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(bare, 'ls-tree', '--name-only', 'labops-status').split('\n')).toEqual(['STATUS.md', 'record.json']);
    expect(git(bare, 'show', 'labops-status:STATUS.md')).toContain('| neuro-fall | 2026-11 | 50% | actual | 2026-11-23T15:00:00.000Z |');
  });

  it('reads an empty record before the branch exists', async () => {
    const bare = origin();

    expect(await gitRecordStore({ remote: bare, workdir: join(root, 'reader') }).load()).toEqual(emptyRecord());
  });

  it('lets two concurrent writers both land: the loser of the push race merges on top, history stays linear', async () => {
    const bare = origin();
    const a = gitRecordStore({ remote: bare, workdir: join(root, 'a') });
    const b = gitRecordStore({ remote: bare, workdir: join(root, 'b') });

    await Promise.all([a.save(withAlert('neuro-fall', '2026-11-23T15:00:00.000Z')), b.save(withAlert('atmos-monthly', '2026-11-23T15:01:00.000Z'))]);
    await Promise.all([a.save(withAlert('neuro-fall', '2026-11-23T16:00:00.000Z')), b.save(withAlert('geo-year', '2026-11-23T16:01:00.000Z'))]);

    const final = JSON.parse(git(bare, 'show', 'labops-status:record.json')) as RunRecord;
    expect(final.alerts.map((x) => x.budget).sort()).toEqual(['atmos-monthly', 'geo-year', 'neuro-fall']);
    const history = git(bare, 'rev-list', '--parents', 'labops-status').split('\n').map((line) => line.split(' '));
    expect(history.every((commit) => commit.length <= 2)).toBe(true);
    expect(history.length).toBeGreaterThanOrEqual(2);
  });
});

describe('STATUS.md', () => {
  it('draws each recorded budget as a Mermaid chart and lists workstations, not budgets, as resources', async () => {
    const { renderStatusMarkdown } = await import('../../reconciler/src/record/status-md.js');
    const { recordBudgets, recordResources } = await import('../../reconciler/src/record/resources.js');
    const record = emptyRecord();
    const now = new Date('2026-11-23T15:00:00Z');
    const budget: BudgetStatus = {
      budget: { name: 'neuro-fall', project: 'neuro', limitUSD: 6000, period: { every: 'month' }, thresholds: [50], actions: [], notify: [] },
      window: { key: '2026-11', start: '2026-11-01', end: '2026-11-30', startMs: Date.parse('2026-11-01'), endMs: Date.parse('2026-12-01') },
      known: true,
      spend: { actualUSD: 100, estimatedSinceUSD: 0, daily: [{ date: '2026-11-22', usd: 100 }] },
      spentUSD: 100,
      forecastUSD: 900,
      spentPercent: 1.7,
      forecastPercent: 15,
      newAlerts: [],
      actionsInForce: [],
    };
    recordResources(record, [{ instanceId: 'i-1', region: 'us-east-1', state: 'running', instanceType: 't3.large', launchTime: '2026-11-23T14:00:00Z', imageId: 'ami-1', tags: { 'labops:name': 'ann' }, hibernationConfigured: false, attachments: [] }], now);
    recordBudgets(record, [budget], now);

    const markdown = renderStatusMarkdown(record);

    expect(markdown).toContain('| Workstation/ann | i-1 | running | us-east-1 | t3.large |');
    expect(markdown).not.toContain('| Budget/neuro-fall');
    expect(markdown).toContain('xychart-beta');
  });
});

describe('mergeRecords', () => {
  it('unions alerts and jobs and keeps the newest schedule slot and cache', () => {
    const ours: RunRecord = { ...withAlert('a', '2026-11-02T00:00:00Z'), schedules: { nightly: { lastSlot: '2026-11-02T07:00:00Z' } }, costExplorerCalls: 3, costCache: { fetchedAt: '2026-11-02T00:00:00Z', start: '2026-11-01', end: '2026-11-02', dailyByProject: {}, estimatedDates: [] } };
    const theirs: RunRecord = { ...withAlert('b', '2026-11-01T00:00:00Z'), schedules: { nightly: { lastSlot: '2026-11-01T07:00:00Z' }, weekly: { lastSlot: '2026-11-01T08:00:00Z' } }, costExplorerCalls: 5, jobs: [{ name: 'j', specHash: 'h', rerun: 0, region: 'us-east-1', jobId: 'job-1', jobName: 'labops-j', submittedAt: '2026-11-01T00:00:00Z' }] };

    const merged = mergeRecords(ours, theirs);

    expect(merged.alerts.map((x) => x.budget)).toEqual(['b', 'a']);
    expect(merged.schedules).toEqual({ nightly: { lastSlot: '2026-11-02T07:00:00Z' }, weekly: { lastSlot: '2026-11-01T08:00:00Z' } });
    expect(merged.jobs.map((j) => j.jobId)).toEqual(['job-1']);
    expect(merged.costCache?.fetchedAt).toBe('2026-11-02T00:00:00Z');
    expect(merged.costExplorerCalls).toBe(5);
  });
});
