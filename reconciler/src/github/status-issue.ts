/**
 * The tracking issue: one per lab repository and lab path, titled "labops status", found by its
 * label and hidden marker, created once and edited in place after every apply or reconcile. It
 * lists drift, failed actions and budget alerts; it is open while there is something to look at
 * and closed when all is well. A budget alert mentions its `notify` handles exactly once: in a
 * comment posted only for alerts that are new in this run (the run record keeps the alerts
 * already sent, so the next run does not see them as new).
 */
import type { ApplyResult } from '../engine/apply/types.js';
import type { BudgetStatus } from '../model/budget.js';
import type { Plan } from '../model/plan.js';
import type { BudgetReport } from '../kinds/budget/decide.js';
import { formatWholeUSD, renderBudgetMarkdown } from '../kinds/budget/report.js';
import { inlineText } from '../report/markdown-safe.js';
import { redact } from '../record/redact.js';
import { escapeControls } from '../report/safe-text.js';
import { summaryLine } from '../report/plan-summary.js';
import type { Forge, RepoId } from './forge.js';
import { isEmailAddress } from '../model/aws-budget.js';

/** The issue's label and title. */
export const STATUS_LABEL = 'labops-status';
export const STATUS_TITLE = 'labops status';

/** What one apply or reconcile saw and did. */
export interface StatusInput {
  repo: string;
  path: string;
  /** ISO-8601. */
  at: string;
  /** `apply of abc1234` or `reconcile`. */
  what: string;
  runUrl: string;
  plan?: Plan;
  applied?: ApplyResult;
  budgets?: BudgetReport;
  /** Why the run changed nothing (a refusal before apply). */
  refused?: string[];
}

/** A handle GitHub would turn into a mention: `@login` or `@org/team`. */
const HANDLE = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]{1,100})?$/;

function marker(repo: string, path: string): string {
  return `<!-- labops:status repo=${repo} path=${path} -->`;
}

/** The issue body, and whether anything needs attention. */
export function renderStatusIssue(input: StatusInput): { body: string; attention: boolean } {
  const drift = input.plan?.actions.filter((a) => a.kind === 'drift' || a.kind === 'orphan') ?? [];
  const failed = input.applied?.results.filter((r) => r.status === 'failed') ?? [];
  const alerts = input.budgets?.statuses.filter((s) => s.newAlerts.length || s.actionsInForce.length) ?? [];
  const refused = [...(input.refused ?? []), ...(input.applied?.error ? [input.applied.error.message] : [])];
  const out = [
    marker(input.repo, input.path),
    `### labops status — ${inlineText(input.path)}`,
    '',
    `Last run: ${inlineText(input.what)} at ${input.at} ([log](${input.runUrl}))`,
    '',
  ];
  if (input.plan) out.push(`Plan: ${summaryLine(input.plan)}`, '');
  if (refused.length) out.push('#### Refused', '', ...refused.map((r) => `- ${inlineText(r)}`), '');
  if (failed.length)
    out.push(
      '#### Failed actions',
      '',
      ...failed.map(
        (r) =>
          `- \`${r.kind}\` ${inlineText(`${r.resourceKind ?? 'Workstation'}/${r.name}`)}: ${inlineText(r.error ? `${r.error.code}: ${r.error.message}` : (r.detail ?? 'failed'))}`,
      ),
      '',
    );
  if (drift.length)
    out.push(
      '#### Drift and orphans',
      '',
      ...drift.map(
        (a) =>
          `- ${inlineText(`${a.resource.kind}/${a.resource.name}`)} (${a.kind}): ${inlineText(a.reason || a.rule)}`,
      ),
      '',
    );
  if (input.budgets && input.budgets.statuses.length) out.push(renderBudgetMarkdown(input.budgets).trim(), '');
  const attention = drift.length > 0 || failed.length > 0 || alerts.length > 0 || refused.length > 0;
  if (!attention) out.push('✅ Nothing needs attention: no drift, no failures, no budget alerts.');
  return { body: escapeControls(redact(out.join('\n'))), attention };
}

/** The comment announcing new alerts, mentioning each budget's `notify` handles; undefined when there are none. */
export function renderAlertComment(statuses: readonly BudgetStatus[]): string | undefined {
  const lines: string[] = [];
  for (const s of statuses) {
    if (!s.newAlerts.length) continue;
    // Email addresses are AWS Budgets subscribers (the mirror), never mentioned on GitHub.
    const handles = s.budget.notify.filter((h) => !isEmailAddress(h)).map((h) => (h.startsWith('@') ? h : `@${h}`));
    const mention = handles.filter((h) => HANDLE.test(h));
    const inert = handles.filter((h) => !HANDLE.test(h)).map(inlineText);
    for (const a of s.newAlerts)
      lines.push(
        `- Budget **${inlineText(s.budget.name)}** (${inlineText(s.budget.project)}) reached ${a.percent}% of ${formatWholeUSD(s.budget.limitUSD)} (${a.basis}${a.driver === undefined ? '' : `, driven by ${inlineText(a.driver)}`}) ${[...mention, ...inert].join(' ')}`.trimEnd(),
      );
  }
  return lines.length ? escapeControls(['#### Budget alerts', '', ...lines].join('\n')) : undefined;
}

/** Creates or edits the tracking issue and posts new alerts to it; returns its number (undefined when all is well and there is none yet). */
export async function updateStatusIssue(forge: Forge, repo: RepoId, input: StatusInput): Promise<number | undefined> {
  const { body, attention } = renderStatusIssue(input);
  const [issues, author] = await Promise.all([forge.issuesWithLabel(repo, STATUS_LABEL), forge.identity()]);
  // Anyone who can label an issue could plant the marker: only an issue labops itself opened is its status issue.
  const existing = issues.find(
    (i) => !i.isPullRequest && i.author === author && i.body.startsWith(marker(input.repo, input.path)),
  );
  let number: number;
  if (existing === undefined) {
    if (!attention) return undefined;
    number = await forge.createIssue(repo, { title: STATUS_TITLE, body, labels: [STATUS_LABEL] });
  } else {
    number = existing.number;
    const state = attention ? 'open' : 'closed';
    if (existing.body.replace(/\r\n/g, '\n') !== body || existing.state !== state)
      await forge.updateIssue(repo, number, { body, state });
  }
  const alerts = renderAlertComment(input.budgets?.statuses ?? []);
  if (alerts) await forge.createComment(repo, number, alerts);
  return number;
}
