/**
 * STATUS.md on the status branch: the run record as a dashboard people read on GitHub —
 * workstations (instance, state, IP, last snapshot, cost to date), snapshot schedules (last and
 * next slot), Batch jobs and their progress, budget alerts sent, the Cost Explorer cache and its
 * age, and Mermaid charts of spend. Deterministic: the same record gives the same bytes.
 */
import type { BudgetStatus } from '../model/budget.js';
import type { JobRecord, RunRecord } from '../model/record.js';
import { addDays, daysBetween } from '../model/budget-period.js';
import { mermaidChart } from '../kinds/budget/chart.js';
import { formatUSD } from '../report/money.js';
import { markdownCell } from '../report/plan-markdown.js';
import { escapeControls } from '../report/safe-text.js';
import type { ObservedInstance } from '../model/observed.js';
import { workstationState } from '../model/workstation-inventory.js';
import { COST_SOURCES, SOURCE_LABEL } from '../cost/sources.js';

/** Most days of daily spend drawn per project. */
const CHART_DAYS = 31;

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return markdownCell(plain ? String(value) : JSON.stringify(value));
}

function byKey<T>([a]: [string, T], [b]: [string, T]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entries(record: RunRecord, kind: string): [string, Record<string, unknown>][] {
  return Object.entries(record.resources)
    .filter(([key]) => key.startsWith(`${kind}/`))
    .sort(byKey);
}

function workstationsTable(record: RunRecord): string[] {
  const rows = entries(record, 'Workstation');
  if (!rows.length) return ['No workstations recorded yet.'];
  const out = [
    '| Workstation | Instance | State | Region | Type | IP | Last snapshot | Cost to date (est.) |',
    '| --- | --- | --- | --- | --- | --- | --- | ---: |',
  ];
  for (const [key, r] of rows) {
    const cost =
      typeof r.costToDateUSD === 'number'
        ? `${formatUSD(r.costToDateUSD)} since ${cell(typeof r.costSince === 'string' ? r.costSince.slice(0, 10) : '')}`
        : '-';
    out.push(
      `| ${cell(key.slice('Workstation/'.length))} | ${cell(r.instanceId)} | ${cell(recordedState(r))} | ${cell(r.region)} | ${cell(r.instanceType)} | ${cell(r.publicIp ?? r.privateIp)} | ${cell(r.lastSnapshot)} | ${cost} |`,
    );
  }
  return out;
}

function schedulesTable(record: RunRecord): string[] {
  const schedules = Object.entries(record.schedules).sort(byKey);
  if (!schedules.length) return [];
  const out = [
    '## Snapshot schedules',
    '',
    '| Schedule | Last slot | Ran at | Next slot |',
    '| --- | --- | --- | --- |',
  ];
  for (const [name, s] of schedules)
    out.push(`| ${cell(name)} | ${cell(s.lastSlot)} | ${cell(s.lastRunAt)} | ${cell(s.nextSlot)} |`);
  return [...out, ''];
}

/** `RUNNING (7/10 done: 3 running, 6 succeeded, 1 failed)` for an array job; the status otherwise. */
/**
 * A recorded workstation's state in the words status and cost use (workstationState): the record
 * keeps the EC2 state and the instance it was read from, whose state reason tells a hibernate.
 */
function recordedState(r: { state?: unknown; instance?: unknown }): unknown {
  const instance = r.instance as ObservedInstance | undefined;
  return instance && typeof instance === 'object' && typeof instance.state === 'string'
    ? workstationState(instance)
    : r.state;
}

export function jobProgress(job: JobRecord): string {
  const status =
    job.cancelledAt !== undefined && job.status !== 'SUCCEEDED' ? 'CANCELLED' : (job.status ?? 'SUBMITTED');
  const { children } = job;
  if (children === undefined) return status;
  const total = Object.values(children).reduce((a, b) => a + b, 0);
  const done = (children.SUCCEEDED ?? 0) + (children.FAILED ?? 0);
  const parts = Object.entries(children)
    .sort(byKey)
    .map(([k, count]) => `${count} ${k.toLowerCase()}`);
  return `${status} (${done}/${total} done: ${parts.join(', ')})`;
}

function jobsTable(record: RunRecord): string[] {
  if (!record.jobs.length) return [];
  const out = [
    '## Batch jobs',
    '',
    '| Job | Batch job | Job id | Region | Submitted | Progress | Seen at |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const j of record.jobs)
    out.push(
      `| ${cell(j.name)} | ${cell(j.jobName)} | ${cell(j.jobId)} | ${cell(j.region)} | ${cell(j.submittedAt)} | ${cell(jobProgress(j))} | ${cell(j.statusAt)} |`,
    );
  return [...out, ''];
}

function alertsTable(record: RunRecord): string[] {
  if (!record.alerts.length) return [];
  const out = [
    '## Budget alerts sent',
    '',
    '| Budget | Period | Threshold | Basis | At |',
    '| --- | --- | ---: | --- | --- |',
  ];
  for (const a of record.alerts)
    out.push(`| ${cell(a.budget)} | ${cell(a.period)} | ${a.percent}% | ${a.basis} | ${cell(a.at)} |`);
  return [...out, ''];
}

/** Budget actions fired and holding for the rest of their period (the record's `budgetActions`). */
function budgetActionsTable(record: RunRecord): string[] {
  const fired = record.budgetActions ?? [];
  if (!fired.length) return [];
  const out = [
    '## Budget actions in force',
    '',
    "Each holds for the rest of its period unless the Budget's limit or the action's percent is raised.",
    '',
    '| Budget | Period | Action | Fired at | Limit then | Since |',
    '| --- | --- | --- | ---: | ---: | --- |',
  ];
  for (const f of fired)
    out.push(`| ${cell(f.budget)} | ${cell(f.period)} | ${f.do} | ${f.atPercent}% | $${f.limitUSD} | ${cell(f.at)} |`);
  return [...out, ''];
}

/** `3h 20m`, `2d 4h`: how long before `to` the time `from` was. */
export function age(from: string, to: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return `${Math.floor(minutes / 1440)}d ${Math.floor((minutes % 1440) / 60)}h`;
}

function mermaidText(text: string): string {
  return escapeControls(text).replace(/["\\\n\r`]/g, ' ');
}

/**
 * One `xychart-beta` per project in the Cost Explorer cache: bars of daily spend over the last
 * days cached, and for each budget of the project a line at its even daily share of the limit.
 */
export function dailySpendCharts(record: RunRecord): string[] {
  const cache = record.costCache;
  if (!cache) return [];
  const budgets = entries(record, 'Budget')
    .map(([, r]) => r.budget as BudgetStatus | undefined)
    .filter((b): b is BudgetStatus => b !== undefined);
  const out: string[] = [];
  for (const [project, byDate] of Object.entries(cache.dailyByProject).sort(byKey)) {
    const last = addDays(cache.end, -1);
    const earliest = addDays(last, -(CHART_DAYS - 1));
    const first = cache.start > earliest ? cache.start : earliest;
    const dates = Array.from({ length: daysBetween(first, last) + 1 }, (_, i) => addDays(first, i));
    if (!dates.length) continue;
    const spend = dates.map((d) => Math.round((byDate[d] ?? 0) * 100) / 100);
    const lines = budgets
      .filter((b) => b.budget.project === project)
      .map((b) => ({
        name: b.budget.name,
        perDay: Math.round((b.budget.limitUSD / (daysBetween(b.window.start, b.window.end) + 1)) * 100) / 100,
      }));
    const top = Math.max(1, Math.ceil(Math.max(...spend, ...lines.map((l) => l.perDay)) * 1.1));
    const vs = lines.length
      ? ` vs ${lines.map((l) => `${mermaidText(l.name)} ${formatUSD(l.perDay)}/day`).join(', ')}`
      : '';
    out.push(
      '```mermaid',
      'xychart-beta',
      `    title "${mermaidText(project)}: daily spend${vs}"`,
      `    x-axis [${dates.map((d) => `"${d.slice(5)}"`).join(', ')}]`,
      `    y-axis "USD" 0 --> ${top}`,
      `    bar [${spend.join(', ')}]`,
      ...lines.map((l) => `    line [${dates.map(() => l.perDay).join(', ')}]`),
      '```',
      '',
    );
  }
  return out;
}

function costExplorer(record: RunRecord): string[] {
  const cache = record.costCache;
  const calls = `${record.costExplorerCalls} call(s) in all ($${(record.costExplorerCalls * 0.01).toFixed(2)})`;
  if (!cache) return ['## Cost Explorer', '', `No figures cached; ${calls}.`, ''];
  const ageText =
    record.updatedAt === undefined ? '' : `, ${age(cache.fetchedAt, record.updatedAt)} before the last run`;
  const estimated = cache.estimatedDates.length
    ? ` Estimated (not final) days: ${cache.estimatedDates.map(cell).join(', ')}.`
    : '';
  return [
    '## Cost Explorer',
    '',
    `Figures for ${cell(cache.start)} to ${cell(cache.end)} (end exclusive) fetched ${cell(cache.fetchedAt)}${ageText}; ${calls}.${estimated}`,
    '',
    ...dailySpendCharts(record),
  ];
}

/**
 * Where each budget's money goes: spent and forecast per source, then each snapshot schedule's
 * storage (Region by Region, copies apart). Budgets from a record written before labops split
 * costs have no rows.
 */
function budgetSourcesTable(record: RunRecord): string[] {
  const budgets = entries(record, 'Budget')
    .map(([, r]) => r.budget as BudgetStatus | undefined)
    .filter((b): b is BudgetStatus => b?.spentBySource !== undefined);
  if (!budgets.length) return [];
  const out = ['## Spend by source', '', '| Budget | Source | Spent | Forecast |', '| --- | --- | ---: | ---: |'];
  for (const b of budgets) {
    for (const source of COST_SOURCES)
      out.push(
        `| ${cell(b.budget.name)} | ${SOURCE_LABEL[source]} | ${formatUSD(b.spentBySource?.[source] ?? 0)} | ${formatUSD(b.forecastBySource?.[source] ?? 0)} |`,
      );
  }
  const rows = budgets.flatMap((b) => (b.schedules ?? []).map((row) => ({ budget: b.budget.name, row })));
  if (rows.length) {
    out.push(
      '',
      'Snapshot storage per schedule, at full size (an upper bound: EBS bills only the blocks each snapshot adds):',
      '',
      '| Budget | Schedule | Region | Snapshots now | Kept by retention | Per month | To period end |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const { budget, row } of rows)
      out.push(
        `| ${cell(budget)} | ${cell(row.schedule)} | ${cell(row.region)}${row.copy ? ' (copies)' : ''} | ${row.snapshotsNow} | ${row.snapshotsKept} | ${formatUSD(Math.max(row.monthlyNowUSD, row.monthlyKeptUSD))} | ${formatUSD(row.toEndUSD)} |`,
      );
  }
  out.push('');
  return out;
}

function budgetCharts(record: RunRecord): string[] {
  const budgets = entries(record, 'Budget');
  if (!budgets.length) return [];
  const out = ['## Budgets', ''];
  for (const [, entry] of budgets)
    out.push(mermaidChart(entry.budget as BudgetStatus, String(entry.observedAt).slice(0, 10)), '');
  return out;
}

/** The STATUS.md dashboard for a record (ends with a newline). */
export function renderStatusFile(record: RunRecord): string {
  const out = [
    '# labops status',
    '',
    `Last run: ${record.updatedAt ?? 'never'}. Written by labops: a cache of facts from AWS, not desired state (the specs are on the default branch).`,
    '',
    '## Workstations',
    '',
    ...workstationsTable(record),
    '',
    ...schedulesTable(record),
    ...jobsTable(record),
    ...alertsTable(record),
    ...budgetActionsTable(record),
    ...budgetSourcesTable(record),
    ...budgetCharts(record),
    ...costExplorer(record),
  ];
  // The record is data anyone with push access to the status branch could have written: nothing raw reaches the page.
  return `${escapeControls(out.join('\n')).trimEnd()}\n`;
}
