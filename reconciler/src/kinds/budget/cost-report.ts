/**
 * `labops cost`: per budget spent, estimated since Cost Explorer's data, forecast (labops' and
 * Cost Explorer's), limit and % used, with a chart, all split by source (compute, EBS volumes,
 * snapshots & images per schedule, Batch, other); per project the run-rate and top spenders
 * (workstations, snapshot schedules and job queues). Text (with terminal bars), markdown (with
 * Mermaid charts) and stable JSON.
 */
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import { TAG } from '../../model/tags.js';
import { workstationState } from '../../model/workstation-inventory.js';
import { desiredMonthlyUSD } from '../../cost/monthly.js';
import { observedHourlyUSD } from '../../cost/estimates.js';
import { HOURS_PER_MONTH } from '../../cost/prices/index.js';
import type { BudgetReport } from './decide.js';
import { budgetStatusToJson, costExplorerLine, inForce, sourceDetails, statusLine, topSource } from './report.js';
import { scheduleStorage } from '../../cost/snapshot-storage.js';
import { jobEstimate } from '../../cost/job-estimate.js';
import { FINAL_JOB_STATES, jobTaggedFor } from '../../model/job.js';
import { budgetBar, mermaidChart, sparkline } from './chart.js';
import { formatUSD } from '../../report/money.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { escapeControls } from '../../report/safe-text.js';
import { paint } from '../../report/style.js';
import type { Style } from '../../report/style.js';

/** Version of `labops cost --format json`; bumped on any incompatible change. */
export const COST_JSON_VERSION = 2;
/** Spenders listed per project. */
export const TOP_SPENDERS = 5;

/** One spender: a workstation, a snapshot schedule's storage in one Region, or a job queue's jobs still to run. */
export type Spender =
  | {
      kind: 'workstation';
      name: string;
      /** Observed state, or `absent` when declared but not launched. */
      state: string;
      instanceType: string;
      /** Planned monthly run-rate (schedule-aware); for an undeclared instance, its current hourly rate × 730. */
      monthlyUSD: number;
      /** What it costs per hour right now (0 when absent). */
      hourlyNowUSD: number;
    }
  | {
      kind: 'schedule';
      name: string;
      region: string;
      /** True for the copies its `copyTo` keeps in `region`. */
      copy: boolean;
      /** Snapshots there now, and those retention keeps. */
      snapshotsNow: number;
      snapshotsKept: number;
      /** The larger of what its snapshots cost now and what those retention keeps cost, per month (full size: an upper bound). */
      monthlyUSD: number;
      hourlyNowUSD: number;
    }
  | {
      kind: 'queue';
      name: string;
      /** Jobs of the queue not finished (not yet submitted, queued or running). */
      jobs: number;
      /** Their estimate (each job runs once). */
      monthlyUSD: number;
    };

/** A project's run-rate and top spenders. */
export interface ProjectCost {
  project: string;
  monthlyRunRateUSD: number;
  top: Spender[];
}

/** Everything `labops cost` shows. */
export interface CostSummary {
  now: string;
  budgets: BudgetReport;
  projects: ProjectCost[];
}

/** Per-project run-rates: the desired workstations (planned), the live instances no spec declares, the schedules' snapshot storage and the jobs still to run, by queue. */
export function projectCosts(desired: Desired, observed: Observed, now: Date): ProjectCost[] {
  const live = new Map(
    observed.instances.filter((i) => i.state !== 'terminated').map((i) => [i.tags[TAG.name] ?? i.instanceId, i]),
  );
  const byProject = new Map<string, Spender[]>();
  const add = (project: string, spender: Spender): void =>
    void byProject.set(project, [...(byProject.get(project) ?? []), spender]);
  for (const ws of desired.workstations) {
    const instance = live.get(ws.name);
    add(ws.project, {
      kind: 'workstation',
      name: ws.name,
      state: workstationState(instance),
      instanceType: ws.instanceType,
      monthlyUSD: desiredMonthlyUSD(ws),
      hourlyNowUSD: instance ? observedHourlyUSD(instance) : 0,
    });
    live.delete(ws.name);
  }
  for (const [name, instance] of live) {
    const hourly = observedHourlyUSD(instance);
    add(instance.tags[TAG.project] ?? '(untagged)', {
      kind: 'workstation',
      name,
      state: workstationState(instance),
      instanceType: instance.instanceType,
      monthlyUSD: hourly * HOURS_PER_MONTH,
      hourlyNowUSD: hourly,
    });
  }
  const month = now.getTime() + HOURS_PER_MONTH * 3_600_000;
  for (const row of scheduleStorage(desired, observed.snapshots, now, month)) {
    add(row.project, {
      kind: 'schedule',
      name: row.schedule,
      region: row.region,
      copy: row.copy,
      snapshotsNow: row.snapshotsNow,
      snapshotsKept: row.snapshotsKept,
      monthlyUSD: Math.max(row.monthlyNowUSD, row.monthlyKeptUSD),
      hourlyNowUSD: row.monthlyNowUSD / HOURS_PER_MONTH,
    });
  }
  const queues = new Map<string, { project: string; queue: string; jobs: number; usd: number }>();
  for (const job of desired.jobs) {
    const seen = observed.jobs.filter((j) => jobTaggedFor(j, desired.lab.repo, job.name));
    if (seen.some((j) => FINAL_JOB_STATES.includes(j.status))) continue;
    const estimate = jobEstimate(job);
    if (estimate === undefined) continue;
    const key = `${job.project}\u0000${job.queue}`;
    const entry = queues.get(key) ?? { project: job.project, queue: job.queue, jobs: 0, usd: 0 };
    entry.jobs += 1;
    entry.usd += estimate.usd;
    queues.set(key, entry);
  }
  for (const q of queues.values()) add(q.project, { kind: 'queue', name: q.queue, jobs: q.jobs, monthlyUSD: q.usd });
  return [...byProject.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([project, spenders]) => ({
      project,
      monthlyRunRateUSD: round(spenders.filter((s) => s.kind !== 'queue').reduce((sum, s) => sum + s.monthlyUSD, 0)),
      top: spenders
        .sort((a, b) => b.monthlyUSD - a.monthlyUSD || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, TOP_SPENDERS)
        .map((s) =>
          s.kind === 'queue'
            ? { ...s, monthlyUSD: round(s.monthlyUSD) }
            : { ...s, monthlyUSD: round(s.monthlyUSD), hourlyNowUSD: round(s.hourlyNowUSD) },
        ),
    }));
}

/** One line per spender: `nightly (snapshot schedule, copies in eu-west-1, 28 snapshots, 14 kept): $70.00/month, $0.10/h now`. */
export function spenderLine(s: Spender): string {
  if (s.kind === 'workstation')
    return `${s.name} (${s.instanceType}, ${s.state}): ${formatUSD(s.monthlyUSD)}/month, ${formatUSD(s.hourlyNowUSD)}/h now`;
  if (s.kind === 'schedule')
    return `${s.name} (snapshot schedule, ${s.copy ? 'copies in' : 'in'} ${s.region}, ${s.snapshotsNow} snapshot${s.snapshotsNow === 1 ? '' : 's'}, ${s.snapshotsKept} kept by retention): ${formatUSD(s.monthlyUSD)}/month, ${formatUSD(s.hourlyNowUSD)}/h now`;
  return `${s.name} (job queue, ${s.jobs} job${s.jobs === 1 ? '' : 's'} to run): ${formatUSD(s.monthlyUSD)} estimated`;
}

/** Terminal text: a bar per budget (█ spent, ▒ forecast, │ limit), a daily sparkline, then projects. */
export function renderCostText(summary: CostSummary, style: Style): string {
  const out = [paint(style, 'bold', `labops cost at ${summary.now}`), ''];
  const today = summary.now.slice(0, 10);
  for (const s of summary.budgets.statuses) {
    out.push(
      `${paint(style, 'bold', escapeControls(s.budget.name))} (${escapeControls(s.budget.project)}, ${s.window.start}..${s.window.end})`,
    );
    out.push(
      `  ${paint(style, s.forecastUSD > s.budget.limitUSD ? 'red' : 'green', budgetBar(s))}  ${s.known ? `${s.spentPercent.toFixed(1)}% used` : 'unknown'}`,
    );
    out.push(`  ${statusLine(s)}`);
    out.push(
      `  Cost Explorer ${formatUSD(s.spend.actualUSD)} + estimated since its data ${formatUSD(s.spend.estimatedSinceUSD)}`,
    );
    const most = topSource(s.spentBySource);
    if (most !== undefined) out.push(`  most spent on: ${most}`);
    for (const line of sourceDetails(s)) out.push(`  ${escapeControls(line)}`);
    const spark = sparkline(s);
    if (spark) out.push(`  ${spark}`);
    for (const a of s.actionsInForce) out.push(`  in force: ${escapeControls(inForce(a))}`);
    if (s.window.end < today) out.push('  period ended');
    out.push('');
  }
  if (!summary.budgets.statuses.length) out.push('No Budget specs.', '');
  for (const p of summary.projects) {
    out.push(
      `${paint(style, 'bold', escapeControls(p.project))}: ${formatUSD(p.monthlyRunRateUSD)}/month planned run-rate`,
    );
    for (const s of p.top) out.push(`  ${escapeControls(spenderLine(s))}`);
  }
  out.push('', paint(style, 'dim', costExplorerLine(summary.budgets.costExplorer)));
  return `${out.join('\n')}\n`;
}

/** Markdown: a table of budgets, a Mermaid chart each, and the top spenders per project. */
export function renderCostMarkdown(summary: CostSummary): string {
  const out = [`### labops cost at ${summary.now}`, ''];
  const statuses = summary.budgets.statuses;
  if (statuses.length) {
    out.push(
      '| Budget | Project | Period | Spent | Estimated since | Forecast | Cost Explorer forecast | Limit | Used | Most spent on |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const s of statuses) {
      const ce = s.costExplorerForecastUSD === undefined ? '—' : formatUSD(s.costExplorerForecastUSD);
      out.push(
        `| ${markdownCell(s.budget.name)} | ${markdownCell(s.budget.project)} | ${s.window.start}..${s.window.end} | ${formatUSD(s.spentUSD)} | ${formatUSD(s.spend.estimatedSinceUSD)} | ${formatUSD(s.forecastUSD)} | ${ce} | ${formatUSD(s.budget.limitUSD)} | ${s.known ? `${s.spentPercent.toFixed(1)}%` : 'unknown'} | ${topSource(s.spentBySource) ?? '—'} |`,
      );
    }
    for (const s of statuses) {
      const lines = sourceDetails(s);
      if (lines.length)
        out.push('', `**${markdownCell(s.budget.name)}**`, '', ...lines.map((l) => `- ${markdownCell(l)}`));
    }
    for (const s of statuses) out.push('', mermaidChart(s, summary.now.slice(0, 10)));
  } else out.push('No Budget specs.');
  for (const p of summary.projects) {
    out.push('', `**${markdownCell(p.project)}**: ${formatUSD(p.monthlyRunRateUSD)}/month planned run-rate`, '');
    for (const s of p.top) out.push(`- ${markdownCell(spenderLine(s))}`);
  }
  out.push('', `_${costExplorerLine(summary.budgets.costExplorer)}_`);
  return `${out.join('\n')}\n`;
}

/** Stable JSON: `labops cost --format json`, the shape schemas/output/cost.schema.json states. */
export function costToJson(summary: CostSummary): Record<string, unknown> {
  return {
    version: COST_JSON_VERSION,
    now: summary.now,
    budgets: summary.budgets.statuses.map((s) => ({
      ...budgetStatusToJson(s),
      daily: s.spend.daily.map((d) => ({ date: d.date, cumulativeUSD: round(d.usd) })),
    })),
    projects: summary.projects,
    costExplorer: summary.budgets.costExplorer,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
