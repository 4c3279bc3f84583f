/**
 * A problem with a spec, as data: where it is and what is wrong. Validation returns every
 * problem at once, sorted; shells decide how to show them (text with a caret, JSON, GitHub
 * annotations).
 */
export type Severity = 'error' | 'warning';

/** One problem in one place. Lines and columns are 1-based. */
export interface Problem {
  /** File path as shown to people, relative to the lab repository root. */
  file: string;
  line: number;
  column: number;
  /** Field path, e.g. `spec.storage.volumes[0].sizeGiB`; empty for the whole document. */
  path: string;
  message: string;
  severity: Severity;
}

/** A field path as its parts: object keys and array indexes. */
export type FieldPath = readonly (string | number)[];

/** `['spec', 'volumes', 0, 'size']` → `spec.volumes[0].size`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Sorts by file, line, column, then errors before warnings, then message; drops exact duplicates. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique: Problem[] = [];
  for (const p of problems) {
    const key = `${p.file}\0${p.line}\0${p.column}\0${p.path}\0${p.severity}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(p);
  }
  return unique.sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      compareText(a.message, b.message),
  );
}

/** Locale-independent string order, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when any problem is an error (warnings alone leave specs valid). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
