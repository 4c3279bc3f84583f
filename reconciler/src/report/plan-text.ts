/** The plan as a terminal table: symbol, resource, action, rule and reason, monthly Δ$. */
import type { Action, Plan } from '../model/plan.js';
import { refusalTone } from '../model/plan.js';
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
  'create-aws-budget': ['+$', 'green'],
  'update-aws-budget': ['~$', 'yellow'],
  'delete-aws-budget': ['-$', 'red'],
  'create-compute-environment': ['+', 'green'],
  'create-job-queue': ['+', 'green'],
  'update-compute-environment': ['~', 'yellow'],
  'update-job-queue': ['~', 'yellow'],
  'delete-compute-environment': ['-', 'red'],
  'delete-job-queue': ['-', 'red'],
  'create-image-resource': ['+', 'green'],
  'build-image': ['+', 'green'],
  'retire-image': ['-', 'red'],
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
  for (const refusal of plan.refusals) {
    const tone = refusalTone(refusal.code);
    const label =
      tone === 'wait'
        ? paint(style, 'yellow', '… waiting:')
        : tone === 'budget'
          ? paint(style, 'yellow', '! budget:')
          : paint(style, 'red', '✗ apply refused:');
    out.push(`${label} ${escapeControls(refusal.message)}`);
  }
  if (plan.partial) out.push(paint(style, 'yellow', partialWarning(plan.partial)));
  if (!plan.actions.length) {
    // A partial plan says nothing of what it left out.
    out.push(
      plan.partial ? `No changes to ${escapeControls(plan.partial.target)}.` : 'No changes. AWS matches the specs.',
    );
    return `${out.join('\n')}\n`;
  }
  // Names, rules and reasons come from specs and AWS tags: each cell escaped before it is measured.
  const rows = plan.actions.map((a) => ({
    colour: ACTION_SYMBOLS[a.kind][1],
    symbol: escapeControls(ACTION_SYMBOLS[a.kind][0]),
    name: escapeControls(`${a.resource.kind}/${a.resource.name}`),
    kind: escapeControls(a.kind),
    rule: escapeControls(a.rule === a.reason || !a.reason ? a.rule : `${a.rule}: ${a.reason}`),
    cost: escapeControls(costCell(a)),
  }));
  const width = (cell: (row: (typeof rows)[number]) => string): number => Math.max(...rows.map((r) => cell(r).length));
  const [symbolWidth, nameWidth, kindWidth] = [width((r) => r.symbol), width((r) => r.name), width((r) => r.kind)];
  out.push('');
  for (const { colour, symbol, name, kind, rule, cost } of rows) {
    const cells = `${paint(style, colour, symbol.padEnd(symbolWidth))}  ${name.padEnd(nameWidth)}  ${paint(style, colour, kind.padEnd(kindWidth))}`;
    out.push(`  ${cells}  ${rule}${cost ? `  ${paint(style, 'dim', cost)}` : ''}`);
  }
  out.push('', summaryLine(plan));
  return `${out.join('\n')}\n`;
}

/** The warning a `--target` plan carries: it is not the whole difference between the specs and AWS. */
export function partialWarning(partial: NonNullable<Plan['partial']>): string {
  return `warning: partial plan: only ${escapeControls(partial.target)} and what it waits for (--target); ${partial.omitted} other action(s) left out — run without --target to converge the lab`;
}
