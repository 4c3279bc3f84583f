/**
 * STATUS.md on the status branch: the run record as a dashboard people read on GitHub —
 * workstations (owner, state, type, instance, IP, last snapshot, cost to date), snapshot schedules
 * (last and next slot), Batch jobs and their progress, budget alerts sent, each budget's figures
 * and chart, the Cost Explorer cache and its age, and a chart of daily spend per project. Tables
 * keep to 8 columns so they fit a page; times are on the Lab's clock (the record's `timezone`).
 * Deterministic: the same record gives the same bytes.
 */
import type { BudgetStatus } from '../model/budget.js';
import type { JobRecord, RunRecord } from '../model/record.js';
import { addDays, daysBetween } from '../model/budget-period.js';
import { TAG } from '../model/tags.js';
import { isTimeZone, localTime } from '../model/time-zone.js';
import {
  CHART_COLOURS,
  MAX_CHART_LABELS,
  axisTop,
  chartTitle,
  colourOf,
  legend,
  mermaidChart,
  xyChartBlock,
} from '../kinds/budget/chart.js';
import { formatWholeUSD } from '../kinds/budget/report.js';
import { formatUSD } from '../report/money.js';
import { markdownCell } from '../report/plan-markdown.js';
import { escapeControls } from '../report/safe-text.js';
import type { ObservedInstance } from '../model/observed.js';
import { workstationState } from '../model/workstation-inventory.js';
import { COST_SOURCES, SOURCE_LABEL } from '../cost/sources.js';

/** Days of daily spend drawn per project: one label each, so no more than a chart shows. */
const CHART_DAYS = MAX_CHART_LABELS;

/** The zone STATUS.md shows times in: the record's (the Lab's), or UTC when it names none it can trust. */
export function statusZone(record: RunRecord): string {
  return record.timezone !== undefined && isTimeZone(record.timezone) ? record.timezone : 'UTC';
}

/** `2026-11-23 10:00`: an ISO-8601 time on the wall clock of `zone` (the text as it is when not a time). */
export function localStamp(iso: unknown, zone: string): string {
  if (typeof iso !== 'string' || iso === '') return '-';
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d\d-\d\dT/.test(iso) || Number.isNaN(ms)) return cell(iso);
  const local = localTime(new Date(ms), zone);
  const hh = String(Math.floor(local.minutes / 60)).padStart(2, '0');
  const mm = String(local.minutes % 60).padStart(2, '0');
  return `${local.date} ${hh}:${mm}`;
}

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

/** The owner tag of the instance a workstation entry recorded. */
function ownerOf(r: Record<string, unknown>): unknown {
  const instance = r.instance as { tags?: Record<string, unknown> } | undefined;
  return instance?.tags?.[TAG.owner];
}

function workstationsTable(record: RunRecord, zone: string): string[] {
  const rows = entries(record, 'Workstation');
  if (!rows.length) return ['No workstations recorded yet.'];
  const out = [
    '| Workstation | Owner | State | Type | Instance | IP | Last snapshot | Cost to date (est.) |',
    '| --- | --- | --- | --- | --- | --- | --- | ---: |',
  ];
  for (const [key, r] of rows) {
    const cost =
      typeof r.costToDateUSD === 'number'
        ? `${formatUSD(r.costToDateUSD)} since ${cell(typeof r.costSince === 'string' ? localStamp(r.costSince, zone).slice(0, 10) : '')}`
        : '-';
    const where = typeof r.region === 'string' ? ` (${r.region})` : '';
    out.push(
      `| ${cell(key.slice('Workstation/'.length))} | ${cell(ownerOf(r))} | ${cell(recordedState(r))} | ${cell(r.instanceType)} | ${cell(`${typeof r.instanceId === 'string' ? r.instanceId : '-'}${where}`)} | ${cell(r.publicIp ?? r.privateIp)} | ${localStamp(r.lastSnapshot, zone)} | ${cost} |`,
    );
  }
  return out;
}

function schedulesTable(record: RunRecord, zone: string): string[] {
  const schedules = Object.entries(record.schedules).sort(byKey);
  if (!schedules.length) return [];
  const out = [
    '## Snapshot schedules',
    '',
    '| Schedule | Last slot | Ran at | Next slot |',
    '| --- | --- | --- | --- |',
  ];
  for (const [name, s] of schedules)
    out.push(
      `| ${cell(name)} | ${localStamp(s.lastSlot, zone)} | ${localStamp(s.lastRunAt, zone)} | ${localStamp(s.nextSlot, zone)} |`,
    );
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

function jobsTable(record: RunRecord, zone: string): string[] {
  if (!record.jobs.length) return [];
  const out = [
    '## Batch jobs',
    '',
    '| Job | Batch job | Job id | Region | Submitted | Progress | Seen at |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const j of record.jobs)
    out.push(
      `| ${cell(j.name)} | ${cell(j.jobName)} | ${cell(j.jobId)} | ${cell(j.region)} | ${localStamp(j.submittedAt, zone)} | ${cell(jobProgress(j))} | ${localStamp(j.statusAt, zone)} |`,
    );
  return [...out, ''];
}

function alertsTable(record: RunRecord, zone: string): string[] {
  if (!record.alerts.length) return [];
  const out = [
    '## Budget alerts sent',
    '',
    '| Budget | Period | Threshold | Basis | At |',
    '| --- | --- | ---: | --- | --- |',
  ];
  for (const a of record.alerts)
    out.push(`| ${cell(a.budget)} | ${cell(a.period)} | ${a.percent}% | ${a.basis} | ${localStamp(a.at, zone)} |`);
  return [...out, ''];
}

/** Budget actions fired and holding for the rest of their period (the record's `budgetActions`). */
function budgetActionsTable(record: RunRecord, zone: string): string[] {
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
    out.push(
      `| ${cell(f.budget)} | ${cell(f.period)} | ${f.do} | ${f.atPercent}% | $${f.limitUSD} | ${localStamp(f.at, zone)} |`,
    );
  return [...out, ''];
}

/** `3h 20m`, `2d 4h`: how long before `to` the time `from` was. */
export function age(from: string, to: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return `${Math.floor(minutes / 1440)}d ${Math.floor((minutes % 1440) / 60)}h`;
}

/** The budget statuses the record keeps (the last run's), by budget name. */
function budgetStatuses(record: RunRecord): BudgetStatus[] {
  return entries(record, 'Budget')
    .map(([, r]) => r.budget as BudgetStatus | undefined)
    .filter((b): b is BudgetStatus => b !== undefined);
}

/**
 * One `xychart-beta` per project in the Cost Explorer cache: bars of daily spend over the last
 * {@link CHART_DAYS} days cached, and for each budget of the project a line at its even daily
 * share of the limit (as many as there are colours), with the legend line under it.
 */
export function dailySpendCharts(record: RunRecord): string[] {
  const cache = record.costCache;
  if (!cache) return [];
  const budgets = budgetStatuses(record);
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
      .slice(0, CHART_COLOURS.length - 1)
      .map((b) => ({
        name: b.budget.name,
        perDay: Math.round((b.budget.limitUSD / (daysBetween(b.window.start, b.window.end) + 1)) * 100) / 100,
      }));
    const block = xyChartBlock({
      title: chartTitle(project, ': daily spend'),
      labels: dates.map((d) => d.slice(5)),
      top: axisTop(Math.max(...spend, ...lines.map((l) => l.perDay))),
      bars: spend,
      lines: lines.map((l) => dates.map(() => l.perDay)),
    });
    const parts = [
      `${colourOf(0)} bars: spent each day (total ${formatWholeUSD(spend.reduce((a, b) => a + b, 0))})`,
      ...lines.map(
        (l, i) => `${colourOf(i + 1)} line: ${markdownCell(l.name)}'s even share ${formatUSD(l.perDay)}/day`,
      ),
    ];
    out.push(block, '', legend(parts, `Cost Explorer's last ${dates.length} days, ${first}..${last}`), '');
  }
  return out;
}

function costExplorer(record: RunRecord, zone: string): string[] {
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
    `Figures for ${cell(cache.start)} to ${cell(cache.end)} (end exclusive) fetched ${localStamp(cache.fetchedAt, zone)}${ageText}; ${calls}.${estimated}`,
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

/** The budget figures as a table, then each budget's chart and legend. */
function budgetCharts(record: RunRecord, zone: string): string[] {
  const budgets = entries(record, 'Budget').filter(([, entry]) => entry.budget !== undefined);
  if (!budgets.length) return [];
  const out = [
    '## Budgets',
    '',
    '| Budget | Project | Period | Spent | Forecast | Cost Explorer forecast | Limit | Used |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [, entry] of budgets) {
    const s = entry.budget as BudgetStatus;
    const ce = s.costExplorerForecastUSD === undefined ? '-' : formatWholeUSD(s.costExplorerForecastUSD);
    const used = s.known ? `${s.spentPercent.toFixed(1)}%` : 'unknown';
    out.push(
      `| ${cell(s.budget.name)} | ${cell(s.budget.project)} | ${cell(s.window.start)}..${cell(s.window.end)} | ${formatWholeUSD(s.spentUSD)} | ${formatWholeUSD(s.forecastUSD)} | ${ce} | ${formatWholeUSD(s.budget.limitUSD)} | ${used} |`,
    );
  }
  out.push('');
  for (const [, entry] of budgets)
    out.push(mermaidChart(entry.budget as BudgetStatus, localStamp(entry.observedAt, zone).slice(0, 10)), '');
  return out;
}

/** The STATUS.md dashboard for a record (ends with a newline). */
export function renderStatusFile(record: RunRecord): string {
  const zone = statusZone(record);
  const last = record.updatedAt === undefined ? 'never' : `${localStamp(record.updatedAt, zone)} ${zone}`;
  const out = [
    '# labops status',
    '',
    `Last run: ${last}. Times are ${zone}. Written by labops: a cache of facts from AWS, not desired state (the specs are on the default branch).`,
    '',
    '## Workstations',
    '',
    ...workstationsTable(record, zone),
    '',
    ...schedulesTable(record, zone),
    ...jobsTable(record, zone),
    ...alertsTable(record, zone),
    ...budgetActionsTable(record, zone),
    ...budgetSourcesTable(record),
    ...budgetCharts(record, zone),
    ...costExplorer(record, zone),
  ];
  // The record is data anyone with push access to the status branch could have written: nothing raw reaches the page.
  return `${escapeControls(out.join('\n')).trimEnd()}\n`;
}
