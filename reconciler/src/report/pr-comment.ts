/**
 * The pull request comment: a one-line summary, destructive actions first and never collapsed,
 * approvals needed, validation errors, budget impact, then the rest of the plan in a collapsible
 * block. It must fit GitHub's 65,536-character limit, so it degrades — full, then collapsed (the
 * long lists cut short), then a summary with a pointer to the job summary, which always has the
 * whole plan. Every user string is escaped (markdown-safe.ts).
 */
import type { ApprovalCheck } from '../trust/approvals.js';
import type { Action, Plan } from '../model/plan.js';
import type { Problem } from '../model/problem.js';
import type { BudgetReport } from '../kinds/budget/decide.js';
import { renderBudgetMarkdown } from '../kinds/budget/report.js';
import { commentSize, cutText, fencedBlock, inlineText } from './markdown-safe.js';
import { PLAN_TABLE_HEADER, planTableRow } from './plan-markdown.js';
import { countActions, summaryLine } from './plan-summary.js';

/** What the comment shows. */
export interface PlanCommentInput {
  /** Heading, e.g. `labops plan — lab/`. */
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
  /** Link to the run's job summary (the whole plan). */
  summaryUrl: string;
}

/** How much of the comment is shown. */
export type CommentLevel = 'full' | 'collapsed' | 'summary';

const LIST_CAP = 50;

/** Renders the comment body in at most `limit` characters (see `commentSize`), and says at which level. */
export function renderPlanComment(input: PlanCommentInput, limit: number): { body: string; level: CommentLevel } {
  for (const level of ['full', 'collapsed'] as const) {
    const body = render(input, level);
    if (commentSize(body) <= limit) return { body, level };
  }
  return { body: renderSummary(input, limit), level: 'summary' };
}

function headline(input: PlanCommentInput): string[] {
  const out = [`### ${inlineText(input.title)}`, ''];
  const errors = input.problems.filter((p) => p.severity === 'error').length;
  if (input.plan) out.push(`**${summaryLine(input.plan)}**`);
  else
    out.push(
      `**Not planned: ${errors ? `${errors} validation error${errors === 1 ? '' : 's'}` : 'labops.yaml is missing or invalid'}**`,
    );
  out.push('');
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
    out.push(`> [!CAUTION]\n> ${r.resource ? 'Left out' : 'Apply refused'}: ${inlineText(r.message)}`, '');
  return out;
}

function table(actions: readonly Action[]): string[] {
  return [...PLAN_TABLE_HEADER, ...actions.map(planTableRow)];
}

function destructiveSection(plan: Plan | undefined): string[] {
  const destructive = plan?.actions.filter((a) => a.destructive) ?? [];
  if (!destructive.length) return [];
  return [`#### ⚠️ Destructive (${destructive.length})`, '', ...table(destructive), ''];
}

function approvalsSection(input: PlanCommentInput, cap: number): string[] {
  if (!input.approvals.length) return [];
  const out = ['#### Approvals', ''];
  const shown = [...input.approvals].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, cap);
  for (const c of shown) {
    const what = `\`${c.spec.kind}\` ${inlineText(c.spec.name)} (${inlineText(c.spec.file)}, ${c.spec.change})`;
    const need = c.needs === 'admin' ? 'a Lab admin' : `${c.spec.owners.map(inlineText).join(' and ')} or a Lab admin`;
    out.push(c.ok ? `- ✅ ${what}: approved by ${inlineText(c.by ?? '')}` : `- ❌ ${what}: needs ${need}`);
  }
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

function restSection(plan: Plan | undefined, level: CommentLevel): string[] {
  if (!plan) return [];
  const rest = plan.actions.filter((a) => !a.destructive);
  if (!rest.length) return plan.actions.length ? [] : ['No changes. AWS matches the specs.', ''];
  if (level === 'full')
    return [
      '<details><summary>Plan: ' + `${rest.length} more action${rest.length === 1 ? '' : 's'}</summary>`,
      '',
      ...table(rest),
      '',
      '</details>',
      '',
    ];
  const counts = Object.entries(countActions({ ...plan, actions: rest })).filter(([, n]) => n > 0);
  return [
    '<details><summary>Plan: ' +
      `${rest.length} more action${rest.length === 1 ? '' : 's'} (too many to list here)</summary>`,
    '',
    ...counts.map(([kind, n]) => `- ${n} ${kind}`),
    '',
    '</details>',
    '',
  ];
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
    ...destructiveSection(input.plan),
    ...approvalsSection(input, cap),
    ...problemsSection(input, cap, level === 'full'),
    ...(level === 'full' ? budgets : []),
    ...restSection(input.plan, level),
    ...footer(input),
  ].join('\n');
}

/** The last resort: headline, missing approvals, then destructive rows for as long as they fit. */
function renderSummary(input: PlanCommentInput, limit: number): string {
  const end = [
    `Too large for a comment: the whole plan${input.problems.length ? ` and ${input.problems.length} validation problem(s)` : ''} are in the [job summary](${input.summaryUrl}).`,
  ];
  const head = [
    ...headline(input),
    ...input.missing.slice(0, 10).map((m) => `- ❌ ${inlineText(m)}`),
    ...(input.missing.length > 10 ? [`- … and ${input.missing.length - 10} more`] : []),
    '',
  ];
  let body = [...head, ...end].join('\n');
  if (commentSize(body) > limit) return cutText(body, Math.floor(limit / 2));
  const destructive = input.plan?.actions.filter((a) => a.destructive) ?? [];
  if (!destructive.length) return body;
  const rows = [`#### ⚠️ Destructive (${destructive.length})`, '', ...PLAN_TABLE_HEADER];
  const reserve = 200;
  let shown = 0;
  for (const a of destructive) {
    const candidate = [...head, ...rows, planTableRow(a), '', ...end].join('\n');
    if (commentSize(candidate) > limit - reserve) break;
    rows.push(planTableRow(a));
    shown++;
  }
  if (shown < destructive.length)
    rows.push('', `… and ${destructive.length - shown} more destructive action(s) in the job summary.`);
  body = [...head, ...rows, '', ...end].join('\n');
  return body;
}
