/** STATUS.md on the status branch: the run record as a dashboard people read on GitHub. */
import type { RunRecord } from '../model/record.js';
import { markdownCell } from '../report/plan-markdown.js';
import { formatUSD } from '../report/money.js';
import { mermaidChart } from '../report/cost-chart.js';
import type { BudgetStatus } from '../model/budget.js';

function cell(value: unknown): string {
  return value === undefined || value === null || value === '' ? '-' : markdownCell(String(value));
}

function resourcesTable(record: RunRecord): string[] {
  const rows = Object.entries(record.resources).filter(([key]) => !key.startsWith('Budget/')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!rows.length) return ['No resources recorded yet.'];
  const out = ['| Resource | Instance | State | Region | Type | IP | Last snapshot | $/month |', '| --- | --- | --- | --- | --- | --- | --- | ---: |'];
  for (const [key, r] of rows) {
    const monthly = typeof r.monthlyUSD === 'number' ? formatUSD(r.monthlyUSD) : '-';
    out.push(`| ${cell(key)} | ${cell(r.instanceId)} | ${cell(r.state)} | ${cell(r.region)} | ${cell(r.instanceType)} | ${cell(r.privateIp)} | ${cell(r.lastSnapshot)} | ${monthly} |`);
  }
  return out;
}

/** The dashboard for a record; deterministic for a given record. */
export function renderStatusMarkdown(record: RunRecord): string {
  const out = ['# labops status', '', `Last run: ${record.updatedAt ?? 'never'}`, '', '## Resources', '', ...resourcesTable(record), ''];
  const schedules = Object.entries(record.schedules).sort(([a], [b]) => (a < b ? -1 : 1));
  if (schedules.length) {
    out.push('## Snapshot schedules', '', '| Schedule | Last slot | Ran at |', '| --- | --- | --- |');
    for (const [name, s] of schedules) out.push(`| ${cell(name)} | ${cell(s.lastSlot)} | ${cell(s.lastRunAt)} |`);
    out.push('');
  }
  if (record.jobs.length) {
    out.push('## Batch jobs', '', '| Job | Batch job | Submitted | Status |', '| --- | --- | --- | --- |');
    for (const j of record.jobs) out.push(`| ${cell(j.name)} | ${cell(j.jobName)} | ${cell(j.submittedAt)} | ${cell(j.status)} |`);
    out.push('');
  }
  if (record.alerts.length) {
    out.push('## Budget alerts sent', '', '| Budget | Period | Threshold | Basis | At |', '| --- | --- | ---: | --- | --- |');
    for (const a of record.alerts) out.push(`| ${cell(a.budget)} | ${cell(a.period)} | ${a.percent}% | ${a.basis} | ${cell(a.at)} |`);
    out.push('');
  }
  const budgets = Object.entries(record.resources).filter(([key]) => key.startsWith('Budget/')).sort(([a], [b]) => (a < b ? -1 : 1));
  if (budgets.length) {
    out.push('## Budgets', '');
    for (const [, entry] of budgets) out.push(mermaidChart(entry.budget as BudgetStatus, String(entry.observedAt).slice(0, 10)), '');
  }
  out.push('## Cost Explorer', '', record.costCache ? `Figures fetched ${record.costCache.fetchedAt} (${record.costCache.start} to ${record.costCache.end}); ${record.costExplorerCalls} call(s) in all.` : `No figures cached; ${record.costExplorerCalls} call(s) in all.`, '');
  return out.join('\n');
}
