/**
 * Renders validation problems for people (compiler-style, with the source line and a caret),
 * for programs (JSON), and for GitHub Actions (workflow commands that become annotations).
 */
import type { Problem } from '../model/problem.js';
import { paint } from './style.js';
import type { Style } from './style.js';

/** Gets the text of a line of a file, for context under a problem. */
export type SourceLines = (file: string, line: number) => string;

/** `file:line:col: error: message (path)` followed by the source line and a caret. */
export function renderProblemsText(problems: readonly Problem[], source: SourceLines, style: Style): string {
  const out: string[] = [];
  for (const p of problems) {
    const label = p.severity === 'error' ? paint(style, 'red', 'error') : paint(style, 'yellow', 'warning');
    const field = p.path ? paint(style, 'dim', ` (${p.path})`) : '';
    out.push(`${paint(style, 'bold', `${p.file}:${p.line}:${p.column}`)}: ${label}: ${p.message}${field}`);
    const text = source(p.file, p.line);
    if (text.trim()) {
      const gutter = String(p.line).padStart(5);
      const shown = text.replace(/\t/g, ' ').slice(0, 200);
      out.push(`${paint(style, 'dim', `${gutter} |`)} ${shown}`);
      out.push(`${paint(style, 'dim', `${' '.repeat(5)} |`)} ${' '.repeat(Math.min(Math.max(0, p.column - 1), 200))}${paint(style, p.severity === 'error' ? 'red' : 'yellow', '^')}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** One summary line: what was checked and how it went. */
export function renderSummary(problems: readonly Problem[], fileCount: number, specCount: number, style: Style): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  const warned = warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
  if (errors) return `${paint(style, 'red', '✗')} ${errors} error${errors === 1 ? '' : 's'}${warned} in ${files}\n`;
  return `${paint(style, 'green', '✓')} ${specCount} spec${specCount === 1 ? '' : 's'} in ${files} valid${warned}\n`;
}

/** Stable JSON: `{ valid, errors, warnings, files, problems }`. */
export function renderProblemsJson(problems: readonly Problem[], files: readonly string[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const body = {
    valid: errors === 0,
    errors,
    warnings: problems.length - errors,
    files,
    problems: problems.map(({ file, line, column, path, message, severity }) => ({ file, line, column, path, message, severity })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `::error file=…,line=…,col=…,title=…::message` per problem (escaped as the runner requires). */
export function renderProblemsGithub(problems: readonly Problem[], prefix = ''): string {
  return problems
    .map((p) => {
      const props = [`file=${escapeProperty(prefix + p.file)}`, `line=${p.line}`, `col=${p.column}`, `title=${escapeProperty(`labops: ${p.path || 'spec'}`)}`];
      return `::${p.severity} ${props.join(',')}::${escapeData(p.message)}\n`;
    })
    .join('');
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
