/**
 * The pull request comment shows the change first: the title names the lab, a summary line and
 * the monthly run-rate before → after; then the pull request's own actions in a table (symbol,
 * kind/name, what happens — with the downtime of a disruptive change and what an orphan keeps
 * costing —, why, Δ$/month), apart from them what the clock (schedules, idle, budgets) or drift
 * makes due now; then approvals, each missing one @-mentioning who can give it (owner, then Lab
 * admins; only valid GitHub logins are ever mentioned), validation errors and budget impact.
 * It must fit GitHub's 65,536-character limit, so it degrades — full, then collapsed (at least
 * 30 rows of the change, every destructive or disruptive one, the rest counted), then a summary
 * with a pointer to the job summary, which always has the whole plan. Every user string is
 * escaped (markdown-safe.ts).
 */
import type { ApprovalCheck } from '../trust/approvals.js';
import type { Action, Plan } from '../model/plan.js';
import { refusalTone } from '../model/plan.js';
import type { Problem } from '../model/problem.js';
import type { BudgetReport } from '../kinds/budget/decide.js';
import { renderBudgetMarkdown } from '../kinds/budget/report.js';
import { commentSize, cutText, fencedBlock, inlineText } from './markdown-safe.js';
import { formatDeltaUSD, formatUSD } from './money.js';
import { PLAN_TABLE_HEADER, planTableRow, refusalCallout } from './plan-markdown.js';
import { SYMBOL_LEGEND, changeDeltaUSD, isImportant, notFromChange } from './plan-rows.js';
import type { RowContext } from './plan-rows.js';
import { countActions, summaryLine } from './plan-summary.js';

/** What the comment shows. */
export interface PlanCommentInput {
  /** Heading, e.g. `labops plan — acme/neuro-lab (labs/neuro)`. */
  title: string;
  /** The plan was made without AWS (a fork): every workstation as if it had to be created. */
  desiredOnly: boolean;
  problems: readonly Problem[];
  /** Text of a problem's line, shown under it. @default none */
  sourceLine?(file: string, line: number): string;
  /** Absent when the specs could not be planned. */
  plan?: Plan;
  budgets?: BudgetReport;
  approvals: readonly ApprovalCheck[];
  /** Sentences for approvals that are missing. */
  missing: readonly string[];
  /** The Lab's admins (GitHub handles from the base's labops.yaml), mentioned for missing approvals. @default none */
  admins?: readonly string[];
  /** Live instance states and orphans' run-rates, for downtime and orphan costs. @default none */
  rows?: RowContext;
  /** The lab's planned monthly run-rate with this change applied (workstations, orphans, kept volumes). @default not shown */
  runRateAfterUSD?: number;
  /** Link to the run's job summary (the whole plan). */
  summaryUrl: string;
}

/** How much of the comment is shown. */
export type CommentLevel = 'full' | 'collapsed' | 'summary';

const LIST_CAP = 50;
/** Rows of the change never collapsed away; past them only destructive and disruptive ones are listed. */
export const CHANGE_ROWS_KEPT = 30;

/** A GitHub login: letters, digits and single inner hyphens, at most 39 characters. */
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** `@login` for a valid GitHub login; anything else (handles come from specs: untrusted) as inert text. */
export function mention(handle: string): string {
  return GITHUB_LOGIN.test(handle) ? `@${handle}` : inlineText(handle);
}

/** Renders the comment body in at most `limit` characters (see `commentSize`), and says at which level. */
export function renderPlanComment(input: PlanCommentInput, limit: number): { body: string; level: CommentLevel } {
  for (const level of ['full', 'collapsed'] as const) {
    const body = render(input, level);
    if (commentSize(body) <= limit) return { body, level };
  }
  return { body: renderSummary(input, limit), level: 'summary' };
}

/** The pull request's own actions, destructive and disruptive ones first. */
function changeActions(input: PlanCommentInput): Action[] {
  const own = (input.plan?.actions ?? []).filter((a) => !notFromChange(a));
  const rank = (a: Action): number => (a.destructive ? 0 : isImportant(a, input.rows) ? 1 : 2);
  return own
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map((x) => x.a);
}

/** Infracost-style totals: `Monthly run-rate: $1,200.00 → $1,270.00 (+$70.00, +5.8%)`, from the change's own deltas. */
function totalsLine(input: PlanCommentInput): string[] {
  if (input.runRateAfterUSD === undefined || !input.plan) return [];
  const delta = changeDeltaUSD(input.plan);
  const after = input.runRateAfterUSD;
  const before = after - delta;
  const percent =
    Math.abs(before) < 0.005
      ? Math.abs(delta) < 0.005
        ? ''
        : ', new spend'
      : `, ${delta >= 0 ? '+' : '-'}${Math.abs((delta / before) * 100).toFixed(1)}%`;
  return [
    `Monthly run-rate: **${formatUSD(before)} → ${formatUSD(after)}** (${formatDeltaUSD(delta)}${percent}) from this change`,
    '',
  ];
}

function headline(input: PlanCommentInput): string[] {
  const out = [`### ${inlineText(input.title)}`, ''];
  const errors = input.problems.filter((p) => p.severity === 'error').length;
  if (input.plan) out.push(`**${summaryLine(input.plan)}**`);
  else
    out.push(
      `**Not planned: ${errors ? `${errors} validation error${errors === 1 ? '' : 's'}` : 'labops.yaml is missing or invalid'}**`,
    );
  out.push('', ...totalsLine(input));
  if (input.desiredOnly)
    out.push(
      '> [!NOTE]',
      '> desired-only: no AWS access from forks. Every workstation is shown as if it had to be created, with list-price estimates; the real plan is made after merge.',
      '',
    );
  if (errors && input.plan)
    out.push(
      `> [!WARNING]\n> ${errors} validation error${errors === 1 ? '' : 's'}: the resources of invalid specs are left alone.`,
      '',
    );
  if (input.missing.length)
    out.push(
      `> [!IMPORTANT]\n> ${input.missing.length} change${input.missing.length === 1 ? '' : 's'} lack${input.missing.length === 1 ? 's' : ''} the approval ${input.missing.length === 1 ? 'it needs' : 'they need'}; apply will refuse ${input.missing.length === 1 ? 'it' : 'them'}.`,
      '',
    );
  for (const r of input.plan?.refusals ?? [])
    out.push(refusalCallout(refusalTone(r.code), r.resource ? 'Left out' : 'Apply refused', inlineText(r.message)), '');
  return out;
}

function table(actions: readonly Action[], rows: RowContext | undefined): string[] {
  return [...PLAN_TABLE_HEADER, ...actions.map((a) => planTableRow(a, rows))];
}

/** The change: every row at full level; collapsed, the first 30 and every destructive or disruptive one past them. */
function changeSection(input: PlanCommentInput, level: 'full' | 'collapsed'): string[] {
  if (!input.plan) return [];
  const own = changeActions(input);
  if (!input.plan.actions.length) return ['No changes. AWS matches the specs.', ''];
  if (!own.length) return ['This change plans no actions.', ''];
  const shown = level === 'full' ? own : own.filter((a, i) => i < CHANGE_ROWS_KEPT || isImportant(a, input.rows));
  const out = [`#### This change (${own.length})`, '', ...table(shown, input.rows), ''];
  if (shown.length < own.length) {
    const left = { ...input.plan, actions: own.filter((a) => !shown.includes(a)) };
    const counts = Object.entries(countActions(left)).filter(([, n]) => n > 0);
    out.push(
      `… and ${left.actions.length} more (${counts.map(([kind, n]) => `${n} ${kind}`).join(', ')}) in the [job summary](${input.summaryUrl}).`,
      '',
    );
  }
  out.push(`<sub>${SYMBOL_LEGEND}</sub>`, '');
  return out;
}

/** What the clock (schedules, idle, budgets) or drift makes due now, apart from the change. */
function dueSection(input: PlanCommentInput, level: 'full' | 'collapsed'): string[] {
  const due = (input.plan?.actions ?? []).filter(notFromChange);
  if (!due.length || !input.plan) return [];
  const heading = `#### Also due now, not from this change (${due.length})`;
  if (level === 'full') return [heading, '', ...table(due, input.rows), ''];
  const counts = Object.entries(countActions({ ...input.plan, actions: due })).filter(([, n]) => n > 0);
  return [heading, '', ...counts.map(([kind, n]) => `- ${n} ${kind}`), ''];
}

/** Who can give a missing approval: the spec's owners, then the Lab admins (each once), mentioned by handle. */
function whoCanApprove(check: ApprovalCheck, admins: readonly string[]): string {
  const owners = check.needs === 'admin' ? [] : check.spec.owners;
  const others = [...new Set(admins.map((a) => a.toLowerCase()))].filter((a) => !owners.includes(a));
  const adminPart = others.length
    ? `a Lab admin: ${others.map(mention).join(', ')}`
    : admins.length
      ? 'a Lab admin'
      : 'a Lab admin (labops.yaml names none)';
  return owners.length ? `${owners.map(mention).join(' and ')} or ${adminPart}` : adminPart;
}

function checkLine(c: ApprovalCheck, admins: readonly string[]): string {
  const what = `\`${c.spec.kind}\` ${inlineText(c.spec.name)} (${inlineText(c.spec.file)}, ${c.spec.change})`;
  const note = c.spec.note ? `; ${inlineText(c.spec.note)}` : '';
  return c.ok
    ? `- ✅ ${what}: approved by ${inlineText(c.by ?? '')}`
    : `- ❌ ${what}: needs ${whoCanApprove(c, admins)}${note}`;
}

function approvalsSection(input: PlanCommentInput, cap: number): string[] {
  if (!input.approvals.length) return [];
  const out = ['#### Approvals', ''];
  const shown = [...input.approvals].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, cap);
  for (const c of shown) out.push(checkLine(c, input.admins ?? []));
  if (input.approvals.length > shown.length)
    out.push(`- … and ${input.approvals.length - shown.length} more in the [job summary](${input.summaryUrl})`);
  return [...out, ''];
}

function problemsSection(input: PlanCommentInput, cap: number, withSource: boolean): string[] {
  if (!input.problems.length) return [];
  const out = [`#### Validation (${input.problems.length})`, ''];
  for (const p of input.problems.slice(0, cap)) {
    const mark = p.severity === 'error' ? '❌' : '⚠️';
    const line = withSource ? input.sourceLine?.(p.file, p.line) : undefined;
    // With its source line, a problem is a paragraph and a top-level code block (never nested in a list, where indentation could unfence it).
    out.push(
      `${line?.trim() ? '' : '- '}${mark} ${inlineText(`${p.file}:${p.line}:${p.column}`)} ${inlineText(p.message)}${p.path ? ` (${inlineText(p.path)})` : ''}`,
    );
    if (line?.trim()) out.push(fencedBlock(cutText(line, 300), 'yaml'), '');
  }
  if (input.problems.length > cap)
    out.push(`- … and ${input.problems.length - cap} more in the [job summary](${input.summaryUrl})`);
  return [...out, ''];
}

function footer(input: PlanCommentInput): string[] {
  return [`<sub>The whole plan is in the [job summary](${input.summaryUrl}).</sub>`];
}

function render(input: PlanCommentInput, level: 'full' | 'collapsed'): string {
  const cap = level === 'full' ? Number.MAX_SAFE_INTEGER : LIST_CAP;
  const budgets =
    input.budgets && (input.budgets.statuses.length || input.budgets.projects.length)
      ? [renderBudgetMarkdown(input.budgets).trim(), '']
      : [];
  return [
    ...headline(input),
    ...changeSection(input, level),
    ...dueSection(input, level),
    ...approvalsSection(input, cap),
    ...problemsSection(input, cap, level === 'full'),
    ...(level === 'full' ? budgets : []),
    ...footer(input),
  ].join('\n');
}

/** The last resort: headline, missing approvals (with mentions), then destructive and disruptive rows of the change for as long as they fit. */
function renderSummary(input: PlanCommentInput, limit: number): string {
  const end = [
    `Too large for a comment: the whole plan${input.problems.length ? ` and ${input.problems.length} validation problem(s)` : ''} are in the [job summary](${input.summaryUrl}).`,
  ];
  const missing = input.approvals.filter((c) => !c.ok);
  const head = [
    ...headline(input),
    ...missing.slice(0, 10).map((c) => checkLine(c, input.admins ?? [])),
    ...(missing.length > 10 ? [`- … and ${missing.length - 10} more`] : []),
    '',
  ];
  let body = [...head, ...end].join('\n');
  if (commentSize(body) > limit) return cutText(body, Math.floor(limit / 2));
  const important = changeActions(input).filter((a) => isImportant(a, input.rows));
  if (!important.length) return body;
  const rows = [`#### ⚠️ Destructive or disruptive (${important.length})`, '', ...PLAN_TABLE_HEADER];
  const reserve = 200;
  let shown = 0;
  for (const a of important) {
    const row = planTableRow(a, input.rows);
    const candidate = [...head, ...rows, row, '', ...end].join('\n');
    if (commentSize(candidate) > limit - reserve) break;
    rows.push(row);
    shown++;
  }
  if (shown < important.length)
    rows.push('', `… and ${important.length - shown} more destructive action(s) in the job summary.`);
  body = [...head, ...rows, '', ...end].join('\n');
  return body;
}
