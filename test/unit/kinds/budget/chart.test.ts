/** The cost chart: its points (at most 12), the two forecasts to the period end, a short title and the legend line. */
import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '../../../../reconciler/src/model/budget.js';
import {
  MAX_CHART_LABELS,
  MAX_TITLE_LENGTH,
  axisTop,
  chartSeries,
  chartTicks,
  chartTitle,
  mermaidChart,
} from '../../../../reconciler/src/kinds/budget/chart.js';

function status(
  period: { start: string; end: string },
  figures: { spent: number; forecast: number; costExplorer?: number; daily?: { date: string; usd: number }[] },
  name = 'r01-fall-2026',
): BudgetStatus {
  return {
    budget: { name, project: 'neuro-lab', limitUSD: 6000, period, thresholds: [], actions: [], notify: [] },
    window: { key: `${period.start}..${period.end}`, ...period, startMs: 0, endMs: 0 },
    known: true,
    spend: { actualUSD: figures.spent, estimatedSinceUSD: 0, daily: figures.daily ?? [] },
    spentUSD: figures.spent,
    forecastUSD: figures.forecast,
    ...(figures.costExplorer === undefined ? {} : { costExplorerForecastUSD: figures.costExplorer }),
    spentPercent: (figures.spent / 6000) * 100,
    forecastPercent: (figures.forecast / 6000) * 100,
    newAlerts: [],
    actionsInForce: [],
  };
}

describe('chart ticks', () => {
  it.each([
    ['7 days', '2026-11-01', '2026-11-07', 'day', ['11-01', '11-02', '11-03', '11-04', '11-05', '11-06', '11-07']],
    ['12 days', '2026-11-01', '2026-11-12', 'day', 12],
    ['13 days', '2026-11-01', '2026-11-13', 'week', ['11-07', '11-13']],
    ['30 days (a month)', '2026-11-01', '2026-11-30', 'week', ['11-07', '11-14', '11-21', '11-28', '11-30']],
    ['84 days', '2026-09-01', '2026-11-23', 'week', 12],
    ['90 days', '2026-09-01', '2026-11-29', '2 weeks', ['09-14', '09-28', '10-12', '10-26', '11-09', '11-23', '11-29']],
    ['a quarter', '2026-10-01', '2026-12-31', '2 weeks', 7],
    ['a 117-day semester', '2026-08-24', '2026-12-18', '2 weeks', 9],
    ['200 days', '2026-03-01', '2026-09-16', 'month', ['Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep']],
    [
      '365 days (a year)',
      '2026-01-01',
      '2026-12-31',
      'month',
      ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    ],
    [
      '366 days from mid-month',
      '2026-08-15',
      '2027-08-15',
      'quarter',
      ['2026-Q3', '2026-Q4', '2027-Q1', '2027-Q2', '2027-Q3'],
    ],
    ['a 3-year grant', '2025-01-01', '2027-12-31', 'quarter', 12],
    ['a 5-year grant', '2025-07-01', '2030-06-30', 'half-year', 10],
    ['20 years', '2020-01-01', '2039-12-31', 'year', 10],
  ])('%s: at most 12 points, one per %s', (_name, start, end, unit, expected) => {
    const { unit: got, ticks } = chartTicks(start, end);

    expect(got).toBe(unit);
    expect(ticks.length).toBeLessThanOrEqual(MAX_CHART_LABELS);
    if (typeof expected === 'number') expect(ticks).toHaveLength(expected);
    else expect(ticks.map((t) => t.label)).toEqual(expected);
    expect(ticks.at(-1)?.date).toBe(end);
    expect(new Set(ticks.map((t) => t.label)).size).toBe(ticks.length);
    expect(ticks.map((t) => t.date)).toEqual([...ticks.map((t) => t.date)].sort());
  });
});

describe('chart series', () => {
  const november = { start: '2026-11-01', end: '2026-11-30' };
  const daily = [
    { date: '2026-11-03', usd: 300 },
    { date: '2026-11-10', usd: 1000 },
    { date: '2026-11-14', usd: 1400 },
  ];

  it('bars of cumulative spend to today, then both forecasts in straight lines to the period end', () => {
    const series = chartSeries(
      status(november, { spent: 1450, forecast: 3600, costExplorer: 4500, daily }),
      '2026-11-16',
    );

    expect(series.labels).toEqual(['11-07', '11-14', '11-21', '11-28', '11-30']);
    expect(series.spent).toEqual([300, 1400, 1450, 0, 0]);
    expect(series.forecast).toEqual([300, 1400, 1450 + (2150 * 5) / 14, 1450 + (2150 * 12) / 14, 3600].map(cents));
    expect(series.costExplorer).toEqual([300, 1400, 1450 + (3050 * 5) / 14, 1450 + (3050 * 12) / 14, 4500].map(cents));
  });

  it('climbs after today when spend does, never flat at spend to date', () => {
    const series = chartSeries(status(november, { spent: 1450, forecast: 3600, daily }), '2026-11-16');
    const after = series.forecast.slice(2);

    expect(after.every((v, i) => i === 0 || v > after[i - 1]!)).toBe(true);
    expect(series.costExplorer).toBeUndefined();
  });

  it.each([
    ['the period is over', '2026-12-05', [300, 1400, 1400, 1400, 1450]],
    ['today is its last day', '2026-11-30', [300, 1400, 1400, 1400, 1450]],
    ['it has not begun', '2026-10-20', [1450, 0, 0, 0, 0]],
  ])('when %s', (_name, today, spent) => {
    const series = chartSeries(status(november, { spent: 1450, forecast: 1450, daily }), today);

    expect(series.spent).toEqual(spent);
    expect(series.forecast.at(-1)).toBe(1450);
  });
});

describe('the chart in markdown', () => {
  it('a Mermaid block coloured by an init directive, then the legend line naming each colour', () => {
    const s = status(
      { start: '2026-11-01', end: '2026-11-30' },
      {
        spent: 1450,
        forecast: 3600,
        costExplorer: 4500,
        daily: [{ date: '2026-11-14', usd: 1400 }],
      },
    );

    expect(mermaidChart(s, '2026-11-16')).toBe(
      [
        '```mermaid',
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#4e79a7, #e15759, #f28e2b, #59a14f, #b07aa1, #9c755f"}}}}%%',
        'xychart-beta',
        '    title "r01-fall-2026: spend vs $6,000"',
        '    x-axis ["11-07", "11-14", "11-21", "11-28", "11-30"]',
        '    y-axis "USD" 0 --> 8000',
        '    bar [0, 1400, 1450, 0, 0]',
        '    line [6000, 6000, 6000, 6000, 6000]',
        '    line [0, 1400, 2217.86, 3292.86, 3600]',
        '    line [0, 1400, 2539.29, 4064.29, 4500]',
        '```',
        '',
        "_Legend: blue bars: spent to date $1,450 · red line: budget $6,000 · orange line: forecast at the planned run-rate $3,600 · green line: Cost Explorer's forecast $4,500; one point per week, 2026-11-01..2026-11-30, forecasts from 2026-11-16 to the period end._",
      ].join('\n'),
    );
  });

  it.each([
    ['a short name as it is', 'neuro', ': spend vs $6,000', 'neuro: spend vs $6,000'],
    [
      'a long name elided',
      'r01-neuro-lab-fall-2026-nih-grant-allocation',
      ': spend vs $6,000',
      'r01-neuro-lab-fall-202…: spend vs $6,000',
    ],
    ['quotes and line breaks made inert', 'a"b\nc`d', ': daily spend', 'a b c d: daily spend'],
  ])('title: %s', (_name, name, suffix, title) => {
    expect(chartTitle(name, suffix)).toBe(title);
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
  });

  it.each([
    [43, 50],
    [100, 120],
    [5400, 6000],
    [6000, 8000],
    [18000, 20000],
    [0, 1],
  ])('axis top above %d is %d', (value, top) => {
    expect(axisTop(value)).toBe(top);
  });
});

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
