/**
 * Markdown that user strings cannot break: text escaped so it renders literally (no HTML, no
 * links, no @mentions fired), code blocks whose fence is longer than any backtick run inside,
 * control characters shown escaped (safe-text.ts), and GitHub's comment size counted conservatively.
 */
import { markdownCell } from './plan-markdown.js';
import { escapeControls } from './safe-text.js';

/** Inline text: markdown metacharacters escaped, `@` followed by a zero-width joiner, one line. */
export function inlineText(text: string): string {
  return markdownCell(text).replace(/@\u200b/g, '@\u200d');
}

/** A fenced code block that no line of `text` can close early (` ``` ` inside gets a longer fence). */
export function fencedBlock(text: string, info = 'text', indent = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = escapeControls(text.replace(/\r?\n/g, '\n')).replace(/@/g, '@\u200d').replace(/\n/g, `\n${indent}`);
  return `${indent}${fence}${info}\n${indent}${body}\n${indent}${fence}`;
}

/**
 * Size of a comment body as GitHub may count it, erring high: UTF-16 code units (never fewer than
 * characters, whatever GitHub counts) plus one per line break (in case `\n` is stored as `\r\n`).
 */
export function commentSize(body: string): number {
  let breaks = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) breaks++;
  return body.length + breaks;
}

/** GitHub's limit on an issue or pull request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}
