/**
 * Charts of a budget's spend: a Mermaid `xychart-beta` (GitHub renders it in comments and files)
 * of cumulative spend against the budget line and the two forecasts, with a markdown legend line
 * under it, and compact terminal bars and sparklines.
 *
 * GitHub draws every x-axis category's label, so a chart has at most {@link MAX_CHART_LABELS}
 * points: one per day, week, two weeks, month, quarter, half or year of the period, the first of
 * those that fits. xychart has no legend of its own; the colours are set with an init directive
 * (`themeVariables.xyChart.plotColorPalette`, one colour per plot in the order they are declared)
 * so that the legend line can name them.
 */
import type { BudgetStatus } from '../../model/budget.js';
import { addDays, daysBetween } from '../../model/budget-period.js';
import { escapeControls } from '../../report/safe-text.js';
import { formatWholeUSD } from './report.js';

/** Most points (and so labels) on a chart's x-axis. */
export const MAX_CHART_LABELS = 12;
/** Longest chart title, in characters: longer ones are clipped by the 700-pixel-wide chart. */
export const MAX_TITLE_LENGTH = 40;

/** Plot colours, in the order plots are declared, and the words the legend uses for them. */
export const CHART_COLOURS = [
  { hex: '#4e79a7', name: 'blue' },
  { hex: '#e15759', name: 'red' },
  { hex: '#f28e2b', name: 'orange' },
  { hex: '#59a14f', name: 'green' },
  { hex: '#b07aa1', name: 'purple' },
  { hex: '#9c755f', name: 'brown' },
] as const;

/** How long one point of a chart stands for. */
export type TickUnit = 'day' | 'week' | '2 weeks' | 'month' | 'quarter' | 'half-year' | 'year';

/** One point of the x-axis: the last day it covers (inclusive) and its label. */
export interface Tick {
  date: string;
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayTicks(start: string, end: string, days: number): Tick[] {
  const ticks: Tick[] = [];
  for (let d = addDays(start, days - 1); ; d = addDays(d, days)) {
    const date = d < end ? d : end;
    ticks.push({ date, label: date.slice(5) });
    if (date === end) return ticks;
  }
}

/** The last day of the calendar `months`-month block (aligned on January) holding `date`. */
function blockEnd(date: string, months: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  const next = Math.floor(month / months) * months + months;
  return addDays(`${year + Math.floor(next / 12)}-${String((next % 12) + 1).padStart(2, '0')}-01`, -1);
}

function monthLabel(date: string, months: number): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7)) - 1;
  if (months === 1) return MONTHS[month] ?? date.slice(0, 7);
  if (months === 3) return `${year}-Q${Math.floor(month / 3) + 1}`;
  if (months === 6) return `${year}-H${Math.floor(month / 6) + 1}`;
  return months === 12 ? year : `${Number(year) - months / 12 + 1}-${year}`;
}

function monthTicks(start: string, end: string, months: number): Tick[] {
  const ticks: Tick[] = [];
  for (let from = start; from <= end;) {
    const last = blockEnd(from, months);
    const date = last < end ? last : end;
    ticks.push({ date, label: monthLabel(last, months) });
    from = addDays(last, 1);
  }
  return ticks;
}

/**
 * The points of a chart of `start..end` (inclusive): each the last day of a day, week, two weeks,
 * calendar month, quarter, half-year or year (then every 2, 4, … years), the shortest unit that
 * gives at most {@link MAX_CHART_LABELS} points. Weeks count from the first day; the last point is
 * always the period's last day.
 */
export function chartTicks(start: string, end: string): { unit: TickUnit; ticks: Tick[] } {
  const days = daysBetween(start, end) + 1;
  if (days <= MAX_CHART_LABELS) return { unit: 'day', ticks: dayTicks(start, end, 1) };
  if (days <= MAX_CHART_LABELS * 7) return { unit: 'week', ticks: dayTicks(start, end, 7) };
  if (days <= MAX_CHART_LABELS * 14) return { unit: '2 weeks', ticks: dayTicks(start, end, 14) };
  const units: [TickUnit, number][] = [
    ['month', 1],
    ['quarter', 3],
    ['half-year', 6],
  ];
  for (const [unit, months] of units) {
    const ticks = monthTicks(start, end, months);
    if (ticks.length <= MAX_CHART_LABELS) return { unit, ticks };
  }
  for (let years = 1; ; years *= 2) {
    const ticks = monthTicks(start, end, 12 * years);
    if (ticks.length <= MAX_CHART_LABELS) return { unit: 'year', ticks };
  }
}

/** A chart's points: cumulative spend to today, then the two forecasts' straight paths to the period end. */
export interface ChartSeries {
  unit: TickUnit;
  labels: string[];
  /** Cumulative spend at each point up to today (the point holding today shows spend to date); 0 after it. */
  spent: number[];
  /** Spend to date, then a straight line to labops' forecast (the planned run-rate) at the period end. */
  forecast: number[];
  /** The same to Cost Explorer's forecast; absent when Cost Explorer gave none. */
  costExplorer?: number[];
}

/**
 * Samples the period at {@link chartTicks}: Cost Explorer's cumulative spend at each point before
 * today, spend to date (with the estimate since Cost Explorer's data) at the point holding today
 * (or the last, once the period is over), and each forecast as a straight line from there.
 */
export function chartSeries(s: BudgetStatus, today: string): ChartSeries {
  const { unit, ticks } = chartTicks(s.window.start, s.window.end);
  const now = today < s.window.end ? today : s.window.end;
  const daily = [...s.spend.daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const actualBy = (date: string): number => daily.filter((d) => d.date <= date).at(-1)?.usd ?? 0;
  const toEnd = daysBetween(now, s.window.end);
  const path = (target: number) => (date: string) =>
    toEnd <= 0 ? target : s.spentUSD + ((target - s.spentUSD) * Math.max(0, daysBetween(now, date))) / toEnd;
  const planned = path(s.forecastUSD);
  const ce = s.costExplorerForecastUSD === undefined ? undefined : path(s.costExplorerForecastUSD);
  const series: ChartSeries = { unit, labels: [], spent: [], forecast: [], ...(ce ? { costExplorer: [] } : {}) };
  let reached = false;
  for (const tick of ticks) {
    const past = tick.date < now;
    const current: boolean = !past && !reached;
    if (current) reached = true;
    const spent = past ? actualBy(tick.date) : s.spentUSD;
    series.labels.push(tick.label);
    series.spent.push(round(past || current ? spent : 0));
    series.forecast.push(round(past ? spent : planned(tick.date)));
    if (ce) series.costExplorer?.push(round(past ? spent : ce(tick.date)));
  }
  return series;
}

/** Text safe inside a Mermaid quoted string: no quotes, backslashes, backticks or line breaks. */
export function mermaidText(text: string): string {
  return escapeControls(text).replace(/["\\`\n\r]/g, ' ');
}

/** `text` cut to `max` characters, ending in `…` when cut. */
export function elide(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** A title of at most {@link MAX_TITLE_LENGTH} characters: `name` elided so that `suffix` fits. */
export function chartTitle(name: string, suffix: string): string {
  return `${elide(mermaidText(name), Math.max(8, MAX_TITLE_LENGTH - suffix.length))}${suffix}`;
}

/** An axis top a tenth or so above `value`: a round figure (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × a power of ten). */
export function axisTop(value: number): number {
  const want = Math.max(1, value * 1.1);
  const power = 10 ** Math.floor(Math.log10(want));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= want - 1e-9) ?? 10;
  return Math.round(step * power * 100) / 100;
}

/** What a chart draws: bars first, then lines, coloured by {@link CHART_COLOURS} in that order. */
export interface XyChart {
  title: string;
  labels: string[];
  top: number;
  bars: number[];
  lines: number[][];
}

/** The fenced `xychart-beta` block, with the init directive that sets the plots' colours. */
export function xyChartBlock(chart: XyChart): string {
  const list = (values: number[]): string => `[${values.join(', ')}]`;
  const palette = CHART_COLOURS.map((c) => c.hex).join(', ');
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `    title "${mermaidText(chart.title)}"`,
    `    x-axis [${chart.labels.map((l) => `"${mermaidText(l)}"`).join(', ')}]`,
    `    y-axis "USD" 0 --> ${chart.top}`,
    `    bar ${list(chart.bars)}`,
    ...chart.lines.map((line) => `    line ${list(line)}`),
    '```',
  ].join('\n');
}

/** The colour word of the plot at `index` (bars are plot 0). */
export function colourOf(index: number): string {
  return CHART_COLOURS[index % CHART_COLOURS.length]?.name ?? 'grey';
}

const PER: Record<TickUnit, string> = {
  day: 'day',
  week: 'week',
  '2 weeks': 'two weeks',
  month: 'month',
  quarter: 'quarter',
  'half-year': 'half-year',
  year: 'year',
};

/**
 * A budget's chart in markdown: the Mermaid block of cumulative spend (bars), the budget, the
 * forecast at the planned run-rate and Cost Explorer's forecast (lines), then the legend line.
 */
export function mermaidChart(s: BudgetStatus, today: string): string {
  const series = chartSeries(s, today);
  const limit = formatWholeUSD(s.budget.limitUSD);
  const lines = [series.labels.map(() => s.budget.limitUSD), series.forecast];
  if (series.costExplorer) lines.push(series.costExplorer);
  const block = xyChartBlock({
    title: chartTitle(s.budget.name, `: spend vs ${limit}`),
    labels: series.labels,
    top: axisTop(Math.max(s.budget.limitUSD, s.forecastUSD, s.costExplorerForecastUSD ?? 0, ...series.spent)),
    bars: series.spent,
    lines,
  });
  const parts = [
    `${colourOf(0)} bars: spent to date ${formatWholeUSD(s.spentUSD)}`,
    `${colourOf(1)} line: budget ${limit}`,
    `${colourOf(2)} line: forecast at the planned run-rate ${formatWholeUSD(s.forecastUSD)}`,
    ...(s.costExplorerForecastUSD === undefined
      ? []
      : [`${colourOf(3)} line: Cost Explorer's forecast ${formatWholeUSD(s.costExplorerForecastUSD)}`]),
  ];
  const when = today < s.window.end ? `, forecasts from ${today} to the period end` : ', period over';
  return `${block}\n\n${legend(parts, `one point per ${PER[series.unit]}, ${s.window.start}..${s.window.end}${when}`)}`;
}

/** The legend line under a chart: `_Legend: blue bars: … · red line: …; one point per week._` */
export function legend(parts: readonly string[], note: string): string {
  return `_Legend: ${parts.join(' · ')}; ${note}._`;
}

/**
 * `████████▒▒▒▒░░░░│░░░` : spent (█), forecast beyond it (▒), the limit (│), on a scale of
 * the larger of limit and forecast.
 */
export function budgetBar(s: BudgetStatus, width = 40): string {
  const scale = Math.max(s.budget.limitUSD, s.forecastUSD, 1);
  const cells = (usd: number): number => Math.min(width, Math.round((usd / scale) * width));
  const spent = cells(s.spentUSD);
  const forecast = Math.max(spent, cells(s.forecastUSD));
  const limit = Math.min(width - 1, cells(s.budget.limitUSD));
  let bar = '';
  for (let i = 0; i < width; i++) bar += i === limit ? '│' : i < spent ? '█' : i < forecast ? '▒' : '░';
  return bar;
}

const TICKS = '▁▂▃▄▅▆▇█';

/** Daily (not cumulative) spend of the last `days` days of data as a sparkline, with its peak. */
export function sparkline(s: BudgetStatus, days = 30): string {
  const daily = s.spend.daily.map((d, i, all) => d.usd - (all[i - 1]?.usd ?? 0)).slice(-days);
  if (!daily.length) return '';
  const peak = Math.max(...daily);
  const line = daily.map((v) => TICKS[peak <= 0 ? 0 : Math.min(7, Math.floor((v / peak) * 7.999))]).join('');
  return `${line}  daily, last ${daily.length} day${daily.length === 1 ? '' : 's'} (peak ${formatWholeUSD(peak)})`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
