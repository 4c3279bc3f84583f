/**
 * Renders validation problems for people (compiler-style, with the source line and a caret),
 * for programs (JSON), and for GitHub Actions (workflow commands that become annotations).
 */
import type { Problem } from '../model/problem.js';
import { escapeControls } from './safe-text.js';
import { paint } from './style.js';
import type { Style } from './style.js';

/** Gets the text of a line of a file, for context under a problem. */
export type SourceLines = (file: string, line: number) => string;

/** Problems shown in text before the rest are counted in one line (a terminal cannot use 100,000). */
export const TEXT_PROBLEM_LIMIT = 1_000;

/** Annotations of one severity GitHub shows per step (10 errors, 10 warnings, 10 notices; 50 per job). */
export const ANNOTATIONS_PER_KIND = 10;

/** `N errors and M warnings` for problems not shown. */
function countOf(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return [
    errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/**
 * `file:line:col: error: message (path)` followed by the source line and a caret; past `limit`
 * problems, one line counts the rest.
 */
export function renderProblemsText(
  problems: readonly Problem[],
  source: SourceLines,
  style: Style,
  limit = TEXT_PROBLEM_LIMIT,
): string {
  const out: string[] = [];
  for (const p of problems.slice(0, limit)) {
    // File names, messages quoting spec text and source lines are user input: no raw control characters.
    const label = p.severity === 'error' ? paint(style, 'red', 'error') : paint(style, 'yellow', 'warning');
    const field = p.path ? paint(style, 'dim', ` (${escapeControls(p.path)})`) : '';
    out.push(
      `${paint(style, 'bold', `${escapeControls(p.file)}:${p.line}:${p.column}`)}: ${label}: ${escapeControls(p.message)}${field}`,
    );
    const text = source(p.file, p.line);
    if (text.trim()) {
      const gutter = String(p.line).padStart(5);
      const shown = escapeControls(text.replace(/\t/g, ' ')).slice(0, 200);
      // The caret moves right by what the escapes before the column added.
      const before = text.replace(/\t/g, ' ').slice(0, Math.max(0, p.column - 1));
      const caret = escapeControls(before).length + Math.max(0, p.column - 1 - before.length);
      out.push(`${paint(style, 'dim', `${gutter} |`)} ${shown}`);
      out.push(
        `${paint(style, 'dim', `${' '.repeat(5)} |`)} ${' '.repeat(Math.min(caret, 200))}${paint(style, p.severity === 'error' ? 'red' : 'yellow', '^')}`,
      );
    }
  }
  if (problems.length > limit)
    out.push(
      `… and ${countOf(problems.slice(limit))} not shown (\`labops validate --format json\` lists every problem)`,
    );
  return out.length ? `${out.join('\n')}\n` : '';
}

/**
 * One summary line: what was checked and how it went. `notRead` files hold a spec (or are named
 * like one) but were not read: the line says so, so it never claims the whole lab was checked.
 */
export function renderSummary(
  problems: readonly Problem[],
  fileCount: number,
  specCount: number,
  style: Style,
  notRead = 0,
): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  const warned = warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
  const unread = notRead ? `; ${notRead} file${notRead === 1 ? '' : 's'} not read` : '';
  if (errors)
    return `${paint(style, 'red', '✗')} ${errors} error${errors === 1 ? '' : 's'}${warned} in ${files}${unread}\n`;
  return `${paint(style, 'green', '✓')} ${specCount} spec${specCount === 1 ? '' : 's'} in ${files} valid${warned}${unread}\n`;
}

/** Stable JSON: `{ valid, errors, warnings, files, problems }`. */
export function renderProblemsJson(problems: readonly Problem[], files: readonly string[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const body = {
    valid: errors === 0,
    errors,
    warnings: problems.length - errors,
    files,
    problems: problems.map(({ file, line, column, path, message, severity }) => ({
      file,
      line,
      column,
      path,
      message,
      severity,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * `::error file=…,line=…,col=…,title=…::message` per problem (escaped as the runner requires), at
 * most {@link ANNOTATIONS_PER_KIND} of each severity — GitHub drops the rest — then one notice
 * counting what was left out.
 */
export function renderProblemsGithub(problems: readonly Problem[], prefix = ''): string {
  const shown = { error: 0, warning: 0 };
  const left: Problem[] = [];
  const out: string[] = [];
  for (const p of problems) {
    if (shown[p.severity]++ >= ANNOTATIONS_PER_KIND) {
      left.push(p);
      continue;
    }
    const props = [
      `file=${escapeProperty(prefix + p.file)}`,
      `line=${p.line}`,
      `col=${p.column}`,
      `title=${escapeProperty(`labops: ${p.path || 'spec'}`)}`,
    ];
    out.push(`::${p.severity} ${props.join(',')}::${escapeData(p.message)}\n`);
  }
  if (left.length)
    out.push(
      `::notice title=labops::${escapeData(`${countOf(left)} not annotated (GitHub shows ${ANNOTATIONS_PER_KIND} of each per step); \`labops validate --format json\` lists every problem`)}\n`,
    );
  return out.join('');
}

function escapeData(text: string): string {
  return escapeControls(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
