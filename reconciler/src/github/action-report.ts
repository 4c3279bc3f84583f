/**
 * What the Action shows besides the pull request comment: annotations on the changed lines, the
 * job summary (the whole plan, always), and the comment on a merged pull request saying what the
 * apply did and whether it applied the plan the pull request showed.
 */
import { posix } from 'node:path';
import type { ApplyResult } from '../engine/apply/types.js';
import type { Plan } from '../model/plan.js';
import type { Problem } from '../model/problem.js';
import type { BudgetReport } from '../kinds/budget/decide.js';
import { renderApplyMarkdown } from '../report/apply-report.js';
import { renderBudgetMarkdown } from '../kinds/budget/report.js';
import { inlineText } from '../report/markdown-safe.js';
import { escapeControls } from '../report/safe-text.js';
import { ANNOTATIONS_PER_KIND, TEXT_PROBLEM_LIMIT } from '../report/problems.js';
import { renderPlanMarkdown } from '../report/plan-markdown.js';
import type { ApprovalCheck } from '../trust/approvals.js';

/** One annotation, as `core.error`/`core.warning` take it. */
export interface Annotation {
  severity: 'error' | 'warning' | 'notice';
  message: string;
  /** Repository-relative path. */
  file: string;
  startLine: number;
  startColumn?: number;
  title: string;
}

/** GitHub's limit on a step's job summary is 1 MiB (bytes, not characters); keep well under it. */
const SUMMARY_LIMIT_BYTES = 900_000;

/**
 * Missing approvals on the first line of their file, then validation problems on their lines: at
 * most {@link ANNOTATIONS_PER_KIND} per severity (GitHub drops the rest), then one notice counting
 * what was left out.
 */
export function annotations(
  problems: readonly Problem[],
  checks: readonly ApprovalCheck[],
  prefix: string,
): Annotation[] {
  const at = (file: string): string => (prefix ? posix.join(prefix, file) : file);
  const all: Annotation[] = [];
  for (const c of checks) {
    if (c.ok) continue;
    const who = c.needs === 'admin' ? 'a Lab admin' : `${c.spec.owners.join(' and ')} or a Lab admin`;
    all.push({
      severity: 'error',
      message: `${c.spec.kind} ${c.spec.name} (${c.spec.change}) needs an approving review from ${who} on the current head commit`,
      file: at(c.spec.file),
      startLine: 1,
      title: 'labops: approval needed',
    });
  }
  for (const p of problems)
    all.push({
      severity: p.severity,
      message: p.message,
      file: at(p.file),
      startLine: p.line,
      startColumn: p.column,
      title: `labops: ${p.path || 'spec'}`,
    });
  const shown = { error: 0, warning: 0, notice: 0 };
  // Messages quote spec text and names: GitHub shows annotations as they are, so no raw control characters.
  const out = all
    .filter((a) => shown[a.severity]++ < ANNOTATIONS_PER_KIND)
    .map((a) => ({
      ...a,
      message: escapeControls(a.message),
      file: escapeControls(a.file),
      title: escapeControls(a.title),
    }));
  const left = all.length - out.length;
  if (left)
    out.push({
      severity: 'notice',
      message: `${left} more problem(s) not annotated (GitHub shows ${ANNOTATIONS_PER_KIND} of each kind per step): the job summary lists them`,
      file: at('labops.yaml'),
      startLine: 1,
      title: 'labops: more problems',
    });
  return out;
}

/** Everything a run learned, for the job summary. */
export interface SummaryInput {
  title: string;
  desiredOnly: boolean;
  problems: readonly Problem[];
  plan?: Plan;
  applied?: ApplyResult;
  budgets?: BudgetReport;
  checks: readonly ApprovalCheck[];
  missing: readonly string[];
  notes: readonly string[];
}

/** The job summary: notes, approvals, every problem, the whole plan, budgets and what apply did. */
export function renderJobSummary(input: SummaryInput): string {
  const out: string[] = [];
  if (input.plan) out.push(renderPlanMarkdown(input.plan, input.title));
  else {
    const errors = input.problems.filter((p) => p.severity === 'error').length;
    out.push(
      `### ${inlineText(input.title)}`,
      '',
      errors ? `**${errors} validation error${errors === 1 ? '' : 's'}; nothing planned.**` : '**✓ Specs are valid.**',
      '',
    );
  }
  if (input.desiredOnly)
    out.push(
      '> [!NOTE]\n> desired-only: no AWS access from forks. Every workstation is shown as if it had to be created.',
      '',
    );
  for (const note of input.notes) out.push(`> ${inlineText(note)}`, '');
  if (input.checks.length) {
    out.push('#### Approvals', '');
    for (const c of input.checks)
      out.push(
        `- ${c.ok ? `✅ ${inlineText(c.spec.file)} (${c.spec.kind} ${inlineText(c.spec.name)}): approved by ${inlineText(c.by ?? '')}` : `❌ ${inlineText(input.missing.find((m) => m.startsWith(`${c.spec.file} (${c.spec.kind} ${c.spec.name})`)) ?? c.spec.file)}`}`,
      );
    out.push('');
  }
  if (input.problems.length) {
    out.push(`#### Validation (${input.problems.length})`, '');
    for (const p of input.problems.slice(0, TEXT_PROBLEM_LIMIT))
      out.push(
        `- ${p.severity === 'error' ? '❌' : '⚠️'} ${inlineText(`${p.file}:${p.line}:${p.column}`)} ${inlineText(p.message)}${p.path ? ` (${inlineText(p.path)})` : ''}`,
      );
    if (input.problems.length > TEXT_PROBLEM_LIMIT)
      out.push(
        `- … and ${input.problems.length - TEXT_PROBLEM_LIMIT} more (\`labops validate --format json\` lists every problem)`,
      );
    out.push('');
  }
  if (input.budgets && (input.budgets.statuses.length || input.budgets.projects.length))
    out.push(renderBudgetMarkdown(input.budgets));
  if (input.applied) out.push(renderApplyMarkdown(input.applied));
  const text = escapeControls(out.join('\n'));
  return Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES
    ? text
    : `${cutBytes(text, SUMMARY_LIMIT_BYTES)}\n\n… cut at ${SUMMARY_LIMIT_BYTES} bytes (GitHub's job summary limit is 1 MiB); \`plan-json\` has the whole plan.\n`;
}

/** The longest start of `text` within `maxBytes` of UTF-8, never cutting a character. */
function cutBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text);
  let end = Math.min(maxBytes, bytes.length);
  // A UTF-8 continuation byte (10xxxxxx) is the middle of a character: step back to its start.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** What the comment on a merged pull request says. */
export interface ResultCommentInput {
  sha: string;
  runUrl: string;
  plan?: Plan;
  applied?: ApplyResult;
  /** Missing approvals: nothing was applied. */
  refused: readonly string[];
  /** The plan hash the pull request's comment recorded, and the hash of the plan applied. */
  shownHash?: string;
  appliedHash?: string;
}

/** The merged pull request's comment: refused (and why), or what happened and whether the plan diverged. */
export function renderResultComment(input: ResultCommentInput): string {
  const out = [`### labops apply of ${input.sha.slice(0, 12)}`, ''];
  if (input.refused.length && !input.applied) {
    out.push(
      '> [!CAUTION]',
      '> Apply refused: these changes were merged without the approval they need. Nothing was changed in AWS.',
      '',
    );
    for (const r of input.refused) out.push(`- ❌ ${inlineText(r)}`);
    out.push('', 'Approve them in a new pull request (or revert them); labops will not apply them until then.');
  } else if (input.refused.length) {
    out.push(
      '> [!CAUTION]',
      '> Held: these changes were merged without the approval they need. labops keeps applying the last approved version of their files; the rest of this merge was applied.',
      '',
    );
    for (const r of input.refused) out.push(`- ❌ ${inlineText(r)}`);
    out.push(
      '',
      'An approved pull request changing those files (or a revert) releases them; scheduled reconciles keep the hold until then.',
      '',
    );
    if (input.plan && input.applied) out.push(renderApplyMarkdown(input.applied).trim(), '');
  } else {
    if (input.shownHash === 'desired-only')
      out.push(
        'The plan shown on this pull request was desired-only (a fork): there was no AWS plan to compare with.',
        '',
      );
    else if (input.shownHash && input.appliedHash && input.shownHash !== input.appliedHash)
      out.push(
        '> [!WARNING]',
        `> The plan applied differs from the plan this pull request showed (shown \`${input.shownHash.slice(0, 19)}\`, applied \`${input.appliedHash.slice(0, 19)}\`): AWS or the clock changed between review and merge (a schedule, drift, another merge).`,
        '',
      );
    else if (input.shownHash && input.appliedHash)
      out.push(`The plan applied is the plan this pull request showed (\`${input.appliedHash.slice(0, 19)}\`).`, '');
    else out.push('No plan comment was found on this pull request to compare with.', '');
    if (input.plan && input.applied) out.push(renderApplyMarkdown(input.applied).trim(), '');
  }
  out.push('', `[Run log](${input.runUrl})`);
  return escapeControls(out.join('\n'));
}
