/**
 * The budget section of `labops status`: the `stop`, `hibernate` and `block-launches` actions the
 * run record says fired in a period, each in force for the rest of it (docs/budgets.md). Record
 * text is escaped by the renderers that print it.
 */
import type { StatusSection } from '../../engine/kind.js';
import type { RunRecord } from '../../model/record.js';
import { recordedTime } from '../../model/record-time.js';
import { escapeControls } from '../../report/safe-text.js';
import { inlineText } from '../../report/markdown-safe.js';
import { formatWholeUSD } from './report.js';

/** One fired action, as `labops status --format json` lists it. */
interface FiredRow {
  budget: string;
  period: string;
  do: 'hibernate' | 'stop' | 'block-launches';
  atPercent: number;
  limitUSD: number;
  since: string;
}

/** The section: rows sorted by budget and time; no text when none fired. */
export function budgetActionsSection(record: RunRecord, now: Date): StatusSection {
  const rows: FiredRow[] = (record.budgetActions ?? [])
    .filter((f) => recordedTime(f.at, now) !== undefined)
    .map((f) => ({
      budget: f.budget,
      period: f.period,
      do: f.do,
      atPercent: f.atPercent,
      limitUSD: f.limitUSD,
      since: f.at,
    }))
    .sort((a, b) => (a.budget < b.budget ? -1 : a.budget > b.budget ? 1 : a.since < b.since ? -1 : 1));
  const line = (r: FiredRow): string =>
    `budget ${r.budget} (${r.period}): ${r.do} in force since ${r.since} (fired at ${r.atPercent}% of ${formatWholeUSD(r.limitUSD)})`;
  if (!rows.length) return { key: 'budgetActions', rows, text: '', markdown: '' };
  return {
    key: 'budgetActions',
    rows,
    text: `\nBudget actions in force\n${rows.map((r) => `  ${escapeControls(line(r))}\n`).join('')}`,
    markdown: `\n### Budget actions in force\n\n${rows.map((r) => `- ${inlineText(line(r))}\n`).join('')}`,
  };
}
