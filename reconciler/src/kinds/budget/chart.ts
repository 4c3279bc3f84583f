/**
 * Charts of a budget's spend: a Mermaid `xychart-beta` (GitHub renders it in comments) of
 * cumulative daily spend against the budget line and the path to the forecast, and compact
 * terminal bars and sparklines.
 */
import type { BudgetStatus } from '../../model/budget.js';
import { addDays, daysBetween } from '../../model/budget-period.js';
import { formatWholeUSD } from './report.js';

/** Most points on a Mermaid chart's x-axis; longer periods are sampled every few days. */
export const MAX_CHART_POINTS = 60;

/** One point per sampled day of the period: cumulative actual (to today), and the forecast path. */
export interface ChartSeries {
  labels: string[];
  spent: number[];
  forecast: number[];
}

/** Samples the period: cumulative Cost Explorer spend up to `today`, then a straight line to the forecast. */
export function chartSeries(s: BudgetStatus, today: string): ChartSeries {
  const days = daysBetween(s.window.start, s.window.end) + 1;
  const step = Math.max(1, Math.ceil(days / MAX_CHART_POINTS));
  const lastActual = today < s.window.end ? today : s.window.end;
  const elapsed = Math.max(0, daysBetween(s.window.start, lastActual));
  const byDate = new Map(s.spend.daily.map((d) => [d.date, d.usd]));
  const series: ChartSeries = { labels: [], spent: [], forecast: [] };
  let running = 0;
  for (let i = 0; i < days; i++) {
    const date = addDays(s.window.start, i);
    running = byDate.get(date) ?? running;
    const isLast = i === days - 1;
    if (i % step !== 0 && !isLast) continue;
    const past = date <= lastActual;
    const spentHere = past ? running : 0;
    const forecastHere = past
      ? running
      : s.spentUSD + ((s.forecastUSD - s.spentUSD) * (i - elapsed)) / Math.max(1, days - 1 - elapsed);
    series.labels.push(date.slice(5));
    series.spent.push(round(spentHere));
    series.forecast.push(round(forecastHere));
  }
  return series;
}

/** A Mermaid `xychart-beta` block: bars of cumulative spend, the budget line and the forecast path. */
export function mermaidChart(s: BudgetStatus, today: string): string {
  const series = chartSeries(s, today);
  const top = Math.ceil(Math.round(Math.max(s.budget.limitUSD, s.forecastUSD, ...series.spent) * 1.1) / 100) * 100;
  const list = (values: number[]): string => `[${values.join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `    title "${s.budget.name}: cumulative spend vs ${formatWholeUSD(s.budget.limitUSD)} (bars: spent, lines: budget, forecast)"`,
    `    x-axis [${series.labels.map((l) => `"${l}"`).join(', ')}]`,
    `    y-axis "USD" 0 --> ${top}`,
    `    bar ${list(series.spent)}`,
    `    line ${list(series.labels.map(() => s.budget.limitUSD))}`,
    `    line ${list(series.forecast)}`,
    '```',
  ].join('\n');
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
