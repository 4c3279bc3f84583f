/**
 * `labops env list [--format text|json]` and
 * `labops env show NAME[@RANGE] [--user-data] [--format text|json]`: the built-in catalog.
 */
import semver from 'semver';

import type { Problem } from '../../model/problem.js';
import { loadCatalog, renderUserData, resolveEnvironment } from '../../environments/index.js';
import type { EnvironmentCandidate, ResolvedEnvironment } from '../../environments/index.js';

/** Where a command writes; each call is one chunk of text. */
export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Output formats `env` accepts. */
export type EnvFormat = 'text' | 'json';

interface EnvArgs {
  subcommand: string | undefined;
  ref: string | undefined;
  format: EnvFormat;
  userData: boolean;
}

const USAGE =
  'usage: labops env list [--format text|json] | labops env show NAME[@RANGE] [--user-data] [--format text|json]';

/** Runs `labops env ...` (argv after `env`); returns the exit status. Never throws. */
export function runEnvCommand(argv: string[], io: CommandIo): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`labops env: ${args}\n${USAGE}\n`);
    return 1;
  }
  const catalog = loadCatalog();
  if (catalog.problems.some((problem) => problem.severity === 'error')) {
    io.stderr(catalog.problems.map(formatProblem).join(''));
    return 1;
  }
  if (args.subcommand === 'list') {
    io.stdout(
      args.format === 'json'
        ? `${JSON.stringify(listRows(catalog.environments), null, 2)}\n`
        : listText(catalog.environments),
    );
    return 0;
  }
  const result = resolveEnvironment(args.ref ?? '', catalog.environments);
  if (!result.ok) {
    io.stderr(`labops env show: ${result.message}\n`);
    return 1;
  }
  if (args.userData) {
    io.stdout(renderUserData(result.env));
  } else {
    io.stdout(args.format === 'json' ? `${JSON.stringify(result.env, null, 2)}\n` : showText(result.env));
  }
  return 0;
}

function parseArgs(argv: readonly string[]): EnvArgs | string {
  const args: EnvArgs = { subcommand: undefined, ref: undefined, format: 'text', userData: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (flag === '--format') {
      const value = inline ?? argv[(i += 1)];
      if (value !== 'text' && value !== 'json') return `--format must be text or json (got ${value ?? 'nothing'})`;
      args.format = value;
    } else if (flag === '--user-data' && inline === undefined) {
      args.userData = true;
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  [args.subcommand, args.ref] = positional;
  if (args.subcommand === 'list' && positional.length === 1 && !args.userData) return args;
  if (args.subcommand === 'show' && positional.length === 2) return args;
  if (args.subcommand === 'show' && positional.length === 1)
    return 'show needs an environment name, e.g. neuroimaging@^1';
  return args.subcommand === undefined || ['list', 'show'].includes(args.subcommand)
    ? 'unexpected arguments'
    : `unknown subcommand ${args.subcommand}`;
}

interface ListRow {
  name: string;
  version: string;
  os: string;
  architecture: string;
  description: string;
  inherits: string | null;
}

function listRows(candidates: readonly EnvironmentCandidate[]): ListRow[] {
  const rows = candidates.map((candidate): ListRow => {
    const { metadata, spec } = candidate.environment;
    const resolved = resolveEnvironment(`${metadata.name}@${metadata.version}`, candidates);
    return {
      name: metadata.name,
      version: metadata.version,
      os: resolved.ok ? resolved.env.os : (spec.os ?? '?'),
      architecture: resolved.ok ? resolved.env.architecture : (spec.architecture ?? 'x86_64'),
      description: metadata.description ?? '',
      inherits: spec.inherits ?? null,
    };
  });
  return rows.sort((a, b) => compare(a.name, b.name) || semver.compare(a.version, b.version));
}

function listText(candidates: readonly EnvironmentCandidate[]): string {
  const rows = listRows(candidates).map((row) => [
    row.name,
    row.version,
    `${row.os}/${row.architecture}`,
    row.description,
  ]);
  return table([['NAME', 'VERSION', 'OS/ARCH', 'DESCRIPTION'], ...rows]);
}

function showText(env: ResolvedEnvironment): string {
  const spec = env.spec;
  const packages = spec.packages ?? {};
  const rows: [string, string][] = [
    ['environment', `${env.name}@${env.version}`],
    ['description', env.description ?? ''],
    ['lineage', env.lineage.join(' → ')],
    ['os/arch', `${env.os}/${env.architecture}`],
    ['os packages', (packages.apt ?? []).join(' ')],
    ['conda channels', (packages.conda?.channels ?? []).join(' ')],
    ['conda', (packages.conda?.packages ?? []).join(' ')],
    ['pip', (packages.pip ?? []).join(' ')],
    ['spack', (packages.spack ?? []).join(', ')],
    ['containers', (packages.containers ?? []).join(' ')],
    ['services', (spec.services ?? []).map((service) => `${service.name}:${service.port}`).join(' ')],
    ['instance types', (spec.recommended?.instanceTypes ?? []).join(' ')],
    ['min root GiB', String(spec.recommended?.minRootGiB ?? '')],
    ['gpu', String(spec.recommended?.gpu ?? false)],
  ];
  return table(rows.filter(([, value]) => value !== '').map(([key, value]) => [`${key}:`, value]));
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function table(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function formatProblem(problem: Problem): string {
  const path = problem.path === '' ? '' : ` (${problem.path})`;
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}${path}\n`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
