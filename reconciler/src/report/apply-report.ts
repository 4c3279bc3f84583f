/** What an apply did, per action: done, failed (AWS code and message) or skipped, and why. */
import type { ActionResult, ApplyResult } from '../engine/apply/types.js';
import { markdownCell } from './plan-markdown.js';
import { escapeControls } from './safe-text.js';
import { paint } from './style.js';
import type { Style } from './style.js';

const MARKS: Record<ActionResult['status'], [string, 'green' | 'red' | 'dim']> = {
  done: ['✓', 'green'],
  failed: ['✗', 'red'],
  skipped: ['-', 'dim'],
};

/** Counts per status: `4 done, 1 failed, 0 skipped`. */
export function applySummary(result: ApplyResult): string {
  const count = (status: ActionResult['status']): number => result.results.filter((r) => r.status === status).length;
  return `${count('done')} done, ${count('failed')} failed, ${count('skipped')} skipped`;
}

/** `label id, id` for the ids the detail does not already name (a snapshot's detail lists its ids), or undefined. */
function idList(label: string, ids: readonly string[] | undefined, detail: string | undefined): string | undefined {
  const named = new Set(detail?.split(/[^A-Za-z0-9-]+/) ?? []);
  const rest = (ids ?? []).filter((id) => !named.has(id));
  return rest.length > 0 ? `${label} ${rest.join(', ')}` : undefined;
}

function describe(r: ActionResult): string {
  const parts = [
    r.instanceId,
    r.detail,
    idList('volumes', r.volumeIds, r.detail),
    idList('snapshots', r.snapshotIds, r.detail),
  ].filter(Boolean);
  if (r.error) parts.push(`${r.error.code}: ${r.error.message}`);
  return parts.join('; ');
}

/** A line per action and a summary line. */
export function renderApplyText(result: ApplyResult, style: Style): string {
  const out: string[] = [];
  if (result.error) out.push(`${paint(style, 'red', '✗ apply refused:')} ${escapeControls(result.error.message)}`);
  const name = (r: ActionResult): string => escapeControls(`${r.resourceKind ?? 'Workstation'}/${r.name}`);
  const nameWidth = Math.max(0, ...result.results.map((r) => name(r).length));
  const kindWidth = Math.max(0, ...result.results.map((r) => r.kind.length));
  for (const r of result.results) {
    const [mark, colour] = MARKS[r.status];
    const what = escapeControls(describe(r));
    out.push(
      `  ${paint(style, colour, mark)} ${name(r).padEnd(nameWidth)}  ${r.kind.padEnd(kindWidth)}  ${paint(style, colour, r.status.padEnd(7))}${what ? ` ${what}` : ''}`.trimEnd(),
    );
  }
  out.push('', `Apply: ${applySummary(result)}`);
  return `${out.join('\n')}\n`;
}

/** The apply result as stable JSON. */
export function applyToJson(result: ApplyResult): Record<string, unknown> {
  return { ok: result.ok, error: result.error ?? null, results: result.results };
}

/** The apply result as a markdown list. */
export function renderApplyMarkdown(result: ApplyResult): string {
  const out = ['', `**Apply: ${applySummary(result)}**`, ''];
  if (result.error) out.push(`> Apply refused: ${markdownCell(result.error.message)}`, '');
  for (const r of result.results)
    out.push(
      `- ${MARKS[r.status][0]} \`${r.kind}\` ${markdownCell(`${r.resourceKind ?? 'Workstation'}/${r.name}`)} ${markdownCell(describe(r))}`,
    );
  return `${out.join('\n')}\n`;
}
