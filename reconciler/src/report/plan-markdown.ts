/** The plan as GitHub-flavoured markdown: summary, refusals, then a table, destructive rows first. */
import type { Action, Plan } from '../model/plan.js';
import { refusalTone } from '../model/plan.js';
import { formatDeltaUSD } from './money.js';
import { actionSymbol, whatHappens } from './plan-rows.js';
import type { RowContext } from './plan-rows.js';
import { summaryLine } from './plan-summary.js';
import { escapeControls } from './safe-text.js';

/** Escapes text for a markdown table cell: no HTML, no pipes, no @mentions, no line breaks, no control characters. */
export function markdownCell(text: string): string {
  return escapeControls(text)
    .replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/** A refusal as a GitHub callout: a wait is a note, a budget hold a warning, anything else `refused` (its label). */
export function refusalCallout(tone: ReturnType<typeof refusalTone>, refused: string, text: string): string {
  if (tone === 'wait') return `> [!NOTE]\n> Waiting: ${text}`;
  if (tone === 'budget') return `> [!WARNING]\n> Budget: ${text}`;
  return `> [!CAUTION]\n> ${refused}: ${text}`;
}

/** Renders the plan as markdown. */
export function renderPlanMarkdown(plan: Plan, title: string): string {
  const out = [`### ${markdownCell(title)}`, '', `**${summaryLine(plan)}**`, ''];
  for (const refusal of plan.refusals)
    out.push(refusalCallout(refusalTone(refusal.code), 'Apply refused', markdownCell(refusal.message)), '');
  if (!plan.actions.length) {
    const none = plan.partial
      ? `No changes to ${markdownCell(plan.partial.target)}.`
      : 'No changes. AWS matches the specs.';
    return `${[...out, none].join('\n')}\n`;
  }
  out.push(...PLAN_TABLE_HEADER);
  for (const a of plan.actions) out.push(planTableRow(a));
  return `${out.join('\n')}\n`;
}

/** The two header lines of the plan table. */
export const PLAN_TABLE_HEADER: readonly string[] = [
  '| | Kind/name | What happens | Why | Δ$/month |',
  '| :-: | --- | --- | --- | ---: |',
];

/**
 * One row of the plan table: symbol (⚠️ beside it when destructive), kind/name, what happens (with
 * the downtime of a disruptive change, an orphan's cost), rule and reason, monthly Δ$ (or a job's
 * one-off estimate).
 */
export function planTableRow(a: Action, ctx: RowContext = {}): string {
  const mark = `${actionSymbol(a)}${a.destructive ? ' ⚠️' : ''}`;
  const delta =
    a.kind === 'orphan' || a.kind === 'drift'
      ? ''
      : a.kind === 'submit-job'
        ? a.estimatedUSD === undefined
          ? 'cost unknown'
          : `~${formatDeltaUSD(a.estimatedUSD)} once`
        : formatDeltaUSD(a.monthlyDeltaUSD);
  const why = a.reason && a.reason !== a.rule ? `${a.rule}: ${a.reason}` : a.rule;
  // whatHappens is labops' own text (no user strings): its markdown is kept.
  return `| ${mark} | ${markdownCell(`${a.resource.kind}/${a.resource.name}`)} | ${whatHappens(a, ctx)} | ${markdownCell(why)} | ${delta} |`;
}
