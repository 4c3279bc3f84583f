/** The plan as a terminal table: symbol, resource, action, rule and reason, monthly Δ$. */
import type { Action, Plan } from '../model/plan.js';
import { formatDeltaUSD } from './money.js';
import { summaryLine } from './plan-summary.js';
import { escapeControls } from './safe-text.js';
import { paint } from './style.js';
import type { Colour, Style } from './style.js';

/** Symbol and colour per action kind (terraform's where it has one). */
export const ACTION_SYMBOLS: Record<Action['kind'], [string, Colour]> = {
  create: ['+', 'green'],
  destroy: ['-', 'red'],
  replace: ['-/+', 'red'],
  resize: ['~', 'yellow'],
  retag: ['~', 'cyan'],
  start: ['>', 'green'],
  stop: ['.', 'yellow'],
  hibernate: ['z', 'yellow'],
  drift: ['!', 'yellow'],
  orphan: ['?', 'dim'],
  snapshot: ['@', 'cyan'],
  'copy-snapshot': ['@>', 'cyan'],
  'delete-snapshot': ['-@', 'red'],
  'submit-job': ['+', 'green'],
  'cancel-job': ['x', 'red'],
};

/** The cost column of one action: one-off estimates for jobs, the monthly change otherwise. */
function costCell(a: Action): string {
  if (a.kind === 'orphan' || a.kind === 'drift') return '';
  if (a.kind === 'submit-job')
    return a.estimatedUSD === undefined ? 'cost unknown' : `~${formatDeltaUSD(a.estimatedUSD)} once`;
  return `${formatDeltaUSD(a.monthlyDeltaUSD)}/mo`;
}

/** Renders the plan; refusals first, destructive actions first in the table (the planner's order). */
export function renderPlanText(plan: Plan, style: Style, title: string): string {
  const out: string[] = [paint(style, 'bold', escapeControls(title))];
  for (const refusal of plan.refusals)
    out.push(`${paint(style, 'red', '✗ apply refused:')} ${escapeControls(refusal.message)}`);
  if (!plan.actions.length) {
    out.push('No changes. AWS matches the specs.');
    return `${out.join('\n')}\n`;
  }
  // Names, rules and reasons come from specs and AWS tags: each cell escaped before it is measured.
  const rows = plan.actions.map((a) =>
    [
      ACTION_SYMBOLS[a.kind][0],
      `${a.resource.kind}/${a.resource.name}`,
      a.kind,
      a.rule === a.reason || !a.reason ? a.rule : `${a.rule}: ${a.reason}`,
      costCell(a),
    ].map(escapeControls),
  );
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  out.push('');
  for (const [i, row] of rows.entries()) {
    const colour = ACTION_SYMBOLS[plan.actions[i]!.kind][1];
    const cells = row.slice(0, 3).map((cell, c) => cell.padEnd(widths[c]!));
    out.push(
      `  ${paint(style, colour, cells[0]!)}  ${cells[1]}  ${paint(style, colour, cells[2]!)}  ${row[3]}${row[4] ? `  ${paint(style, 'dim', row[4])}` : ''}`,
    );
  }
  out.push('', summaryLine(plan));
  return `${out.join('\n')}\n`;
}
