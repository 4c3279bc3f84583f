/** `labops validate [DIR]`: parse and validate every spec; touches no cloud. Exit 0 valid, 1 invalid. */
import { resolve } from 'node:path';
import { loadCatalog } from '../../environments/catalog.js';
import { renderProblemsGithub, renderProblemsJson, renderProblemsText, renderSummary } from '../../report/problems.js';
import { styleFor } from '../../report/style.js';
import { validateLab } from '../../specs/validate.js';
import { formatOption, parseCommand } from '../args.js';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';

/** Runs `labops validate`; returns the exit status. */
export function runValidateCommand(argv: string[], io: Io): number {
  const { values, positionals } = parseCommand('validate', argv, {});
  if (positionals.length > 1)
    throw new UsageError(`labops validate: expected at most one DIR, got ${positionals.length}`);
  const format = formatOption('validate', values.format, ['text', 'json', 'github']);
  const catalog = loadCatalog();
  if (catalog.problems.length) {
    io.stderr(renderProblemsText(catalog.problems, () => '', { color: false }));
    io.stderr('labops: the built-in environment catalog is broken; reinstall labops\n');
    return 1;
  }
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const result = validateLab(dir, { catalog: catalog.environments });
  const specCount = Object.values(result.specs).flat().filter(Boolean).length;
  if (format === 'json') io.stdout(renderProblemsJson(result.problems, result.files));
  else if (format === 'github') io.stdout(renderProblemsGithub(result.problems, io.env.LABOPS_PATH_PREFIX ?? ''));
  else {
    const style = styleFor({ isTTY: io.isTTY }, Boolean(values['no-color']), io.env);
    const shown = values.quiet ? result.problems.filter((p) => p.severity === 'error') : result.problems;
    io.stdout(renderProblemsText(shown, result.sourceLine, style));
    if (!values.quiet || !result.valid)
      io.stdout(renderSummary(result.problems, result.files.length, specCount, style, result.unread.length));
  }
  return result.valid ? 0 : 1;
}
