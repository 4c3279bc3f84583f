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
import { COST_SOURCES, SOURCE_LABEL, roundSplit } from '../../cost/sources.js';
import type { SourceSplit } from '../../cost/sources.js';

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

/**
 * The sentence a PR plan shows when it changes a budget's forecast, with the change by source
 * (`this change adds $412/month (compute +$400, snapshots & images +$12); …`); undefined when it
 * does not change it.
 */
export function impactSentence(impact: BudgetImpact): string | undefined {
  if (Math.abs(impact.monthlyDeltaUSD) < 0.005) return undefined;
  const verb = impact.monthlyDeltaUSD > 0 ? 'adds' : 'saves';
  const monthly = `${formatWholeUSD(Math.abs(impact.monthlyDeltaUSD))}/month`;
  const parts = COST_SOURCES.filter((source) => Math.abs(impact.bySource?.[source] ?? 0) >= 0.005).map(
    (source) => `${SOURCE_LABEL[source]} ${formatDeltaUSD(impact.bySource?.[source] ?? 0)}`,
  );
  const split = parts.length ? ` (${parts.join(', ')})` : '';
  return `this change ${verb} ${monthly}${split}; ${impact.budget} forecast goes from ${formatWholeUSD(impact.forecastBeforeUSD)} to ${formatWholeUSD(impact.forecastAfterUSD)} of ${formatWholeUSD(impact.limitUSD)}`;
}

/**
 * `compute $1,200.00 · EBS volumes $80.00 · snapshots & images $32,177.00 · Batch $0.00 · other $12.00`:
 * every source, in order; undefined for a status without the split (a record from before it).
 */
export function sourceLine(split: SourceSplit | undefined): string | undefined {
  if (split === undefined) return undefined;
  return COST_SOURCES.map((source) => `${SOURCE_LABEL[source]} ${formatUSD(split[source])}`).join(' · ');
}

/** The source with the most spend, or undefined when nothing was spent. */
export function topSource(split: SourceSplit | undefined): string | undefined {
  if (split === undefined) return undefined;
  const [source] = [...COST_SOURCES].sort((a, b) => split[b] - split[a]);
  return source === undefined || split[source] < 0.005 ? undefined : SOURCE_LABEL[source];
}

/** `nightly in us-east-1: 14 snapshots now, 14 kept, $70.00/month, $140.00 to period end` (copies: `copies in eu-west-1`). */
export function scheduleLine(row: NonNullable<BudgetStatus['schedules']>[number]): string {
  const where = `${row.copy ? 'copies in' : 'in'} ${row.region}`;
  const monthly = Math.max(row.monthlyNowUSD, row.monthlyKeptUSD);
  return `schedule ${row.schedule} ${where}: ${row.snapshotsNow} snapshot${row.snapshotsNow === 1 ? '' : 's'} now, ${row.snapshotsKept} kept by retention, ${formatUSD(monthly)}/month, ${formatUSD(row.toEndUSD)} to period end`;
}

/** The lines every report shows under a budget: spent and forecast by source, and each schedule's storage. */
export function sourceDetails(s: BudgetStatus): string[] {
  const out: string[] = [];
  const spent = sourceLine(s.spentBySource);
  if (spent !== undefined) out.push(`spent by source: ${spent}`);
  const forecast = sourceLine(s.forecastBySource);
  if (forecast !== undefined) out.push(`forecast by source: ${forecast}`);
  for (const row of s.schedules ?? []) out.push(scheduleLine(row));
  return out;
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
  out.push(...sourceDetails(s));
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
    spentBySource: s.spentBySource === undefined ? null : roundSplit(s.spentBySource),
    forecastBySource: s.forecastBySource === undefined ? null : roundSplit(s.forecastBySource),
    schedules: (s.schedules ?? []).map((row) => ({
      schedule: row.schedule,
      region: row.region,
      copy: row.copy,
      snapshotsNow: row.snapshotsNow,
      snapshotsKept: row.snapshotsKept,
      monthlyNowUSD: round(row.monthlyNowUSD),
      monthlyKeptUSD: round(row.monthlyKeptUSD),
      toEndUSD: round(row.toEndUSD),
    })),
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
