/**
 * The cost charts as GitHub readers see them: labops' own markdown (the `labops cost` report and
 * STATUS.md for a 90-day, a yearly and a 7-day budget with spend and both forecasts), each
 * ```mermaid block rendered by Mermaid's browser bundle in headless Chromium (Debian's package,
 * no network), and the SVG measured: at most 12 x-axis labels, none overlapping, the title inside
 * the SVG (not clipped), the plots in the colours the legend line under the chart names.
 * Screenshots are kept under test-artifacts/charts/ (gitignored). Needs /usr/bin/chromium:
 * CI installs it (`apt-get install -y chromium`); without it this test fails, it never skips.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { DesiredBudget } from '../../reconciler/src/model/budget.js';
import type { CostCacheRecord, RunRecord } from '../../reconciler/src/model/record.js';
import { emptyRecord } from '../../reconciler/src/model/record.js';
import { addDays } from '../../reconciler/src/model/budget-period.js';
import { assessBudgets, forecastKey } from '../../reconciler/src/kinds/budget/status.js';
import { renderCostMarkdown } from '../../reconciler/src/kinds/budget/cost-report.js';
import { CHART_COLOURS, MAX_CHART_LABELS, MAX_TITLE_LENGTH } from '../../reconciler/src/kinds/budget/chart.js';
import { recordBudgets } from '../../reconciler/src/kinds/budget/record.js';
import { recordResources } from '../../reconciler/src/kinds/workstation/record.js';
import { renderStatusFile } from '../../reconciler/src/record/status-md.js';
import { desired, instanceOf, observed, workstation } from '../unit/kinds/workstation/plan-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = `${CHROMIUM} is missing: the chart rendering test needs Debian's chromium (apt-get install -y chromium)`;
const MERMAID = resolve('node_modules/mermaid/dist/mermaid.min.js');
const ARTIFACTS = resolve('test-artifacts/charts');
/** Cost Explorer's forecast from its data end to each budget's last day. */
const FORECASTS: [string, number][] = [
  ['2026-11-29', 1900],
  ['2026-12-31', 3000],
  ['2026-10-18', 160],
];
/** Thursday 2026-10-15, 16:00 UTC: 45 days into the 90-day budget. */
const NOW = new Date('2026-10-15T16:00:00Z');

/** Runs in the page: renders one diagram and measures what a reader would see. */
const MEASURE = `
window.labopsRender = async (code, legend, id) => {
  const out = document.getElementById('out');
  out.innerHTML = '';
  const { svg } = await window.mermaid.render(id, code);
  out.innerHTML = svg + (legend ? '<p class="legend"></p>' : '');
  if (legend) out.querySelector('p.legend').textContent = legend;
  const el = out.querySelector('svg');
  const box = (node) => { const r = node.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
  const title = el.querySelector('g.chart-title text');
  return {
    svg: box(el),
    title: title ? { text: title.textContent, box: box(title) } : null,
    labels: [...el.querySelectorAll('g.bottom-axis g.label text')].map((t) => ({ text: t.textContent, box: box(t) })),
    bars: [...new Set([...el.querySelectorAll('g.plot [class^="bar-plot"] rect')].map((r) => r.getAttribute('fill')))],
    lines: [...el.querySelectorAll('g.plot [class^="line-plot"] path')].map((p) => p.getAttribute('stroke')),
  };
};`;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface Rendered {
  svg: Box;
  title: { text: string; box: Box } | null;
  labels: { text: string; box: Box }[];
  bars: string[];
  lines: string[];
}

function budget(name: string, period: DesiredBudget['period'], limitUSD: number): DesiredBudget {
  return { name, project: 'neuro-lab', limitUSD, period, thresholds: [50, 90], actions: [], notify: [] };
}

/** $38 a day from 2026-01-01 to yesterday, and Cost Explorer's forecast (mean to the end) of each budget's period. */
function costs(forecasts: readonly [string, number][]): CostCacheRecord {
  const daily: Record<string, number> = {};
  for (let d = '2026-01-01'; d < '2026-10-15'; d = addDays(d, 1)) daily[d] = 38;
  return {
    fetchedAt: '2026-10-15T11:00:00.000Z',
    start: '2026-01-01',
    end: '2026-10-15',
    dailyByProject: { 'neuro-lab': daily },
    estimatedDates: ['2026-10-14'],
    forecastByProject: Object.fromEntries(
      forecasts.map(([end, meanUSD]) => [forecastKey('neuro-lab', end), { end, meanUSD }]),
    ),
  };
}

/** The two reports, built by labops' own code from one budget assessment. */
function reports(): { name: string; markdown: string }[] {
  const ws = workstation({ name: 'alice-neuro', owner: 'alice', volumes: [] });
  const budgets = [
    budget('r01-neuro-lab-fall-2026-nih-grant-allocation', { start: '2026-09-01', end: '2026-11-29' }, 6000),
    budget('neuro-2026', { every: 'year' }, 18000),
    budget('hackathon', { start: '2026-10-12', end: '2026-10-18' }, 600),
  ];
  const instance = instanceOf(ws, { launchTime: '2026-09-01T12:00:00.000Z' });
  const { statuses } = assessBudgets({
    budgets,
    desired: desired([ws]),
    observed: observed([instance], { observedAt: NOW.toISOString(), images: [] }),
    now: NOW,
    costs: costs(FORECASTS),
    dataUntilMs: Date.parse('2026-10-15T00:00:00Z'),
    alerts: [],
  });
  const costExplorer = { callsThisRun: 1, callsInAll: 9, fromCache: false };
  const cost = renderCostMarkdown({
    now: NOW.toISOString(),
    budgets: { statuses, overrides: [], costExplorer, projects: [], impacts: [] },
    projects: [],
  });
  let record: RunRecord = { ...emptyRecord(), updatedAt: NOW.toISOString(), costExplorerCalls: 9 };
  record = recordResources([instance], NOW)(record);
  record = recordBudgets(statuses, NOW)(record);
  record.costCache = costs(FORECASTS);
  return [
    { name: 'cost', markdown: cost },
    { name: 'status', markdown: renderStatusFile(record) },
  ];
}

/** Each ```mermaid block of `markdown`, with the paragraph right after it (the legend line). */
function mermaidBlocks(markdown: string): { code: string; after: string }[] {
  const out: { code: string; after: string }[] = [];
  const fence = /```mermaid\n([\s\S]*?)\n```\n*([^\n]*)/g;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) out.push({ code: m[1]!, after: m[2]! });
  return out;
}

function inside(inner: Box, outer: Box): boolean {
  return (
    inner.left >= outer.left - 0.5 &&
    inner.right <= outer.right + 0.5 &&
    inner.top >= outer.top - 0.5 &&
    inner.bottom <= outer.bottom + 0.5
  );
}

function overlapping(boxes: readonly Box[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push([i, j]);
    }
  return out;
}

let browser: Browser | undefined;
let page: Page;
let renders = 0;

async function render(code: string, legend: string, shot: string): Promise<Rendered> {
  if (!browser) throw new Error(MISSING);
  renders += 1;
  const rendered = await page.evaluate(
    ([c, l, id]) =>
      (globalThis as unknown as { labopsRender: (c: string, l: string, id: string) => Promise<Rendered> }).labopsRender(
        c,
        l,
        id,
      ),
    [code, legend, `chart${renders}`] as const,
  );
  await page.locator('#out').screenshot({ path: join(ARTIFACTS, `${shot}.png`) });
  return rendered;
}

beforeAll(async () => {
  // Without Chromium every test below fails with MISSING (none is skipped).
  if (!existsSync(CHROMIUM)) return;
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 760, height: 900 } });
  // Nothing leaves the machine: every request but the page itself is refused.
  await page.route('**/*', (route) => route.abort());
  await page.setContent(
    '<!doctype html><html><body style="margin:0;font-family:sans-serif;background:#fff"><div id="out" style="width:740px;padding:8px"></div></body></html>',
  );
  await page.addScriptTag({ path: MERMAID });
  await page.addScriptTag({ content: MEASURE });
  await page.evaluate(() =>
    (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
    }),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('cost charts rendered in Chromium', () => {
  const all = reports();

  it(`finds Debian's Chromium at ${CHROMIUM}`, () => {
    expect(existsSync(CHROMIUM), MISSING).toBe(true);
  });

  it.each(all)('$name markdown: every chart has a legend line and reads well', async ({ name, markdown }) => {
    const blocks = mermaidBlocks(markdown);
    expect(blocks.length).toBeGreaterThanOrEqual(3);

    for (const [i, block] of blocks.entries()) {
      const rendered = await render(block.code, block.after, `${name}-${i + 1}`);
      if (i === 0) await writeFile(join(ARTIFACTS, `${name}.md`), markdown);
      const plots = rendered.bars.length + rendered.lines.length;

      expect(block.after, block.code).toMatch(/^_Legend: blue bars: .*\._$/);
      expect(rendered.title?.text.length ?? 0).toBeGreaterThan(0);
      expect(rendered.title!.text.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
      expect(inside(rendered.title!.box, rendered.svg), `title clipped: ${rendered.title!.text}`).toBe(true);
      expect(rendered.labels.length).toBeGreaterThan(1);
      expect(rendered.labels.length).toBeLessThanOrEqual(MAX_CHART_LABELS);
      expect(overlapping(rendered.labels.map((l) => l.box))).toEqual([]);
      for (const label of rendered.labels) expect(inside(label.box, rendered.svg)).toBe(true);
      expect(rendered.bars).toEqual([CHART_COLOURS[0].hex]);
      expect(rendered.lines).toEqual(CHART_COLOURS.slice(1, plots).map((c) => c.hex));
      for (const [p, colour] of CHART_COLOURS.slice(0, plots).entries())
        expect(block.after).toContain(`${colour.name} ${p === 0 ? 'bars' : 'line'}`);
    }
  });

  it('the 90-day budget: one point per two weeks, both forecasts drawn to the period end', async () => {
    const cost = all.find((r) => r.name === 'cost')!.markdown;
    const block = mermaidBlocks(cost).find((b) => b.after.includes('2026-09-01..2026-11-29'))!;

    const rendered = await render(block.code, block.after, 'cost-90-day');

    expect(rendered.labels.map((l) => l.text)).toEqual(['09-14', '09-28', '10-12', '10-26', '11-09', '11-23', '11-29']);
    expect(rendered.title!.text).toBe('r01-neuro-lab-fall-202…: spend vs $6,000');
    expect(rendered.lines).toHaveLength(3);
    expect(block.after).toContain("green line: Cost Explorer's forecast");
  });

  it('the measures can fail: a long title is clipped and 60 daily labels overlap', async () => {
    const labels = Array.from({ length: 60 }, (_, i) => `"${addDays('2026-09-01', i).slice(5)}"`);
    const code = [
      'xychart-beta',
      '    title "r01-neuro-lab-fall-2026-nih-grant-allocation: cumulative spend vs $6,000 (bars: spent, lines: budget, forecast)"',
      `    x-axis [${labels.join(', ')}]`,
      '    y-axis "USD" 0 --> 7000',
      `    bar [${labels.map((_, i) => i * 40).join(', ')}]`,
    ].join('\n');

    const rendered = await render(code, '', 'before-60-daily-labels');

    expect(inside(rendered.title!.box, rendered.svg)).toBe(false);
    expect(rendered.labels).toHaveLength(60);
    expect(overlapping(rendered.labels.map((l) => l.box)).length).toBeGreaterThan(0);
  });
});
