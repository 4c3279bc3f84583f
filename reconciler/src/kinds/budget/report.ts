/**
 * The budget section of plan, apply and reconcile reports: each budget's spend and forecast, the
 * plan's effect on it ("this change adds $412/month; r01-fall-2026 forecast goes from $4,980 to
 * $6,210 of $6,000"), actions in force, alerts, per-project totals, and Cost Explorer's bill.
 */
import type { BudgetStatus } from '../../model/budget.js';
import type { BudgetImpact } from './impact.js';
import type { BudgetReport, CostExplorerUse } from './decide.js';
import { formatDeltaUSD, formatUSD } from '../../report/money.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { escapeControls } from '../../report/safe-text.js';
import { paint } from '../../report/style.js';
import type { Style } from '../../report/style.js';

const whole = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** `$6,210`: whole dollars, for sentences about budgets. */
export function formatWholeUSD(amount: number): string {
  return whole.format(Math.round(amount));
}

/** `Cost Explorer: 1 call ($0.01) this run, 14 in all`, with the cache's age or the error when there is one. */
export function costExplorerLine(use: CostExplorerUse): string {
  const calls = `${use.callsThisRun} call${use.callsThisRun === 1 ? '' : 's'} (${formatUSD(use.callsThisRun * 0.01)}) this run, ${use.callsInAll} in all`;
  const cached = use.fromCache && use.fetchedAt ? `; figures cached at ${use.fetchedAt}` : '';
  const error = use.error ? `; failed: ${use.error}` : '';
  const noForecast = use.forecastUnavailable?.length
    ? `; no forecast for ${use.forecastUnavailable.join(', ')}, labops' own estimate used`
    : '';
  return `Cost Explorer: ${calls}${cached}${error}${noForecast}`;
}

/** The sentence a PR plan shows when it changes a budget's forecast; undefined when it does not. */
export function impactSentence(impact: BudgetImpact): string | undefined {
  if (Math.abs(impact.monthlyDeltaUSD) < 0.005) return undefined;
  const verb = impact.monthlyDeltaUSD > 0 ? 'adds' : 'saves';
  const monthly = `${formatWholeUSD(Math.abs(impact.monthlyDeltaUSD))}/month`;
  return `this change ${verb} ${monthly}; ${impact.budget} forecast goes from ${formatWholeUSD(impact.forecastBeforeUSD)} to ${formatWholeUSD(impact.forecastAfterUSD)} of ${formatWholeUSD(impact.limitUSD)}`;
}

/** `spent $2,480.12 (49.6%) · forecast $4,980.00 (99.6%) of $5,000.00`. */
export function statusLine(s: BudgetStatus): string {
  if (!s.known) return `unknown (no Cost Explorer figures); estimated since: ${formatUSD(s.spend.estimatedSinceUSD)}`;
  const ce =
    s.costExplorerForecastUSD === undefined ? '' : ` · Cost Explorer forecast ${formatUSD(s.costExplorerForecastUSD)}`;
  return `spent ${formatUSD(s.spentUSD)} (${s.spentPercent.toFixed(1)}%) · forecast ${formatUSD(s.forecastUSD)} (${s.forecastPercent.toFixed(1)}%)${ce} of ${formatUSD(s.budget.limitUSD)}`;
}

function alertLine(s: BudgetStatus, a: BudgetStatus['newAlerts'][number]): string {
  const who = s.budget.notify.length ? ` → ${s.budget.notify.join(' ')}` : '';
  const driver = a.driver === undefined ? '' : `, driven by ${a.driver}`;
  return `alert: ${a.percent}% of ${formatWholeUSD(s.budget.limitUSD)} reached (${a.basis}${driver})${who}`;
}

/** `stop since 2026-12-02T16:00:00.000Z (budget … at 101% of $43)`: an action in force and when it fired. */
export function inForce(a: BudgetStatus['actionsInForce'][number]): string {
  return `${a.do}${a.since === undefined ? '' : ` since ${a.since}`} (${a.rule})`;
}

/** Lines of detail under a budget: impact, actions in force, new alerts. */
function details(report: BudgetReport, s: BudgetStatus): string[] {
  const out: string[] = [];
  const impact = report.impacts.find((i) => i.budget === s.budget.name);
  const sentence = impact && impactSentence(impact);
  if (sentence) out.push(sentence);
  for (const a of s.actionsInForce) out.push(`in force: ${inForce(a)}`);
  for (const a of s.newAlerts) out.push(alertLine(s, a));
  return out;
}

/** The section as terminal text. */
export function renderBudgetText(report: BudgetReport, style: Style): string {
  const out = ['', paint(style, 'bold', 'Budgets')];
  for (const s of report.statuses) {
    const over = s.forecastUSD > s.budget.limitUSD;
    out.push(
      `  ${escapeControls(s.budget.name)} (${escapeControls(s.budget.project)}, ${s.window.start}..${s.window.end}): ${paint(style, over ? 'red' : 'green', statusLine(s))}`,
    );
    for (const line of details(report, s)) out.push(`    ${escapeControls(line)}`);
  }
  if (!report.statuses.length) out.push('  no Budget specs');
  if (report.projects.length)
    out.push(
      `  Projects: ${report.projects.map((p) => `${escapeControls(p.project)} ${formatDeltaUSD(p.monthlyDeltaUSD)}/month (${p.actions} action${p.actions === 1 ? '' : 's'})`).join(', ')}`,
    );
  out.push(paint(style, 'dim', `  ${costExplorerLine(report.costExplorer)}`));
  return `${out.join('\n')}\n`;
}

/** The section as markdown: a table, then the impact sentences, actions and alerts. */
export function renderBudgetMarkdown(report: BudgetReport): string {
  const out = ['', '#### Budgets', ''];
  if (report.statuses.length) {
    out.push(
      '| Budget | Project | Period | Spent | Forecast | Limit | Used |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const s of report.statuses) {
      out.push(
        `| ${markdownCell(s.budget.name)} | ${markdownCell(s.budget.project)} | ${s.window.start}..${s.window.end} | ${formatUSD(s.spentUSD)} | ${formatUSD(s.forecastUSD)} | ${formatUSD(s.budget.limitUSD)} | ${s.known ? `${s.spentPercent.toFixed(1)}%` : 'unknown'} |`,
      );
    }
    out.push('');
  }
  for (const s of report.statuses)
    for (const line of details(report, s)) out.push(`- **${markdownCell(s.budget.name)}**: ${markdownCell(line)}`);
  if (report.projects.length)
    out.push(
      '',
      `Plan by project: ${report.projects.map((p) => `${markdownCell(p.project)} ${formatDeltaUSD(p.monthlyDeltaUSD)}/month`).join(', ')}`,
    );
  out.push('', `_${costExplorerLine(report.costExplorer)}_`);
  return `${out.join('\n')}\n`;
}

/** One status as stable JSON: a budget of schemas/output/budgets.schema.json (and of cost.schema.json). */
export function budgetStatusToJson(s: BudgetStatus): Record<string, unknown> {
  return {
    name: s.budget.name,
    project: s.budget.project,
    period: { key: s.window.key, start: s.window.start, end: s.window.end },
    limitUSD: s.budget.limitUSD,
    known: s.known,
    actualUSD: round(s.spend.actualUSD),
    estimatedSinceUSD: round(s.spend.estimatedSinceUSD),
    spentUSD: round(s.spentUSD),
    spentPercent: round(s.spentPercent),
    forecastUSD: round(s.forecastUSD),
    forecastPercent: round(s.forecastPercent),
    costExplorerForecastUSD: s.costExplorerForecastUSD === undefined ? null : round(s.costExplorerForecastUSD),
    actionsInForce: s.actionsInForce,
    newAlerts: s.newAlerts,
    notify: s.budget.notify,
  };
}

/** The section as stable JSON. */
export function budgetReportToJson(report: BudgetReport): Record<string, unknown> {
  return {
    budgets: report.statuses.map(budgetStatusToJson),
    projects: report.projects,
    impacts: report.impacts,
    costExplorer: report.costExplorer,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
