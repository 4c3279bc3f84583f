/**
 * `labops cost`: per budget spent, estimated since Cost Explorer's data, forecast (labops' and
 * Cost Explorer's), limit and % used, with a chart; per project the run-rate and top spenders.
 * Text (with terminal bars), markdown (with Mermaid charts) and stable JSON.
 */
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import { TAG } from '../../model/tags.js';
import { workstationState } from '../../model/workstation-inventory.js';
import { desiredMonthlyUSD } from '../../cost/monthly.js';
import { observedHourlyUSD } from '../../cost/estimates.js';
import { HOURS_PER_MONTH } from '../../cost/prices/index.js';
import type { BudgetReport } from './decide.js';
import { budgetStatusToJson, costExplorerLine, inForce, statusLine } from './report.js';
import { budgetBar, mermaidChart, sparkline } from './chart.js';
import { formatUSD } from '../../report/money.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { escapeControls } from '../../report/safe-text.js';
import { paint } from '../../report/style.js';
import type { Style } from '../../report/style.js';

/** Version of `labops cost --format json`; bumped on any incompatible change. */
export const COST_JSON_VERSION = 1;
/** Spenders listed per project. */
export const TOP_SPENDERS = 5;

/** One workstation's run-rate. */
export interface Spender {
  name: string;
  /** Observed state, or `absent` when declared but not launched. */
  state: string;
  instanceType: string;
  /** Planned monthly run-rate (schedule-aware); for an undeclared instance, its current hourly rate × 730. */
  monthlyUSD: number;
  /** What it costs per hour right now (0 when absent). */
  hourlyNowUSD: number;
}

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

/** Per-project run-rates from the desired workstations (planned) and the live instances no spec declares. */
export function projectCosts(desired: Desired, observed: Observed): ProjectCost[] {
  const live = new Map(
    observed.instances.filter((i) => i.state !== 'terminated').map((i) => [i.tags[TAG.name] ?? i.instanceId, i]),
  );
  const byProject = new Map<string, Spender[]>();
  const add = (project: string, spender: Spender): void =>
    void byProject.set(project, [...(byProject.get(project) ?? []), spender]);
  for (const ws of desired.workstations) {
    const instance = live.get(ws.name);
    add(ws.project, {
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
      name,
      state: workstationState(instance),
      instanceType: instance.instanceType,
      monthlyUSD: hourly * HOURS_PER_MONTH,
      hourlyNowUSD: hourly,
    });
  }
  return [...byProject.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([project, spenders]) => ({
      project,
      monthlyRunRateUSD: round(spenders.reduce((sum, s) => sum + s.monthlyUSD, 0)),
      top: spenders
        .sort((a, b) => b.monthlyUSD - a.monthlyUSD || (a.name < b.name ? -1 : 1))
        .slice(0, TOP_SPENDERS)
        .map((s) => ({ ...s, monthlyUSD: round(s.monthlyUSD), hourlyNowUSD: round(s.hourlyNowUSD) })),
    }));
}

function spenderLine(s: Spender): string {
  return `${s.name} (${s.instanceType}, ${s.state}): ${formatUSD(s.monthlyUSD)}/month, ${formatUSD(s.hourlyNowUSD)}/h now`;
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
      '| Budget | Project | Period | Spent | Estimated since | Forecast | Cost Explorer forecast | Limit | Used |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const s of statuses) {
      const ce = s.costExplorerForecastUSD === undefined ? '—' : formatUSD(s.costExplorerForecastUSD);
      out.push(
        `| ${markdownCell(s.budget.name)} | ${markdownCell(s.budget.project)} | ${s.window.start}..${s.window.end} | ${formatUSD(s.spentUSD)} | ${formatUSD(s.spend.estimatedSinceUSD)} | ${formatUSD(s.forecastUSD)} | ${ce} | ${formatUSD(s.budget.limitUSD)} | ${s.known ? `${s.spentPercent.toFixed(1)}%` : 'unknown'} |`,
      );
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
