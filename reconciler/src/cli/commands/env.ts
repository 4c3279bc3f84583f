/**
 * `labops env list [--dir DIR] [--format text|json]` and
 * `labops env show NAME[@RANGE] [--dir DIR] [--user-data] [--format text|json]`: the built-in
 * catalog and the lab's own Environment specs (read from the lab folder's spec.paths, marked `lab`),
 * resolved together exactly as a plan resolves a workstation's environment.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { validateLab } from '../../specs/validate.js';
import { flagsOf, findCommand } from '../definitions.js';
import { closest } from '../../model/suggest.js';

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
  /** The lab folder (`--dir`). @default undefined: the current folder */
  dir: string | undefined;
}

const USAGE = `usage: ${['list', 'show'].map((sub) => `labops env ${sub} ${findCommand(['env', sub])?.usage ?? ''}`).join(' | ')}`;

/**
 * The lab's own environments: the valid Environment specs of the lab in `dir` (spec.paths), when
 * it holds labops.yaml; none elsewhere. Invalid ones are left out, as a plan leaves them out.
 */
function labEnvironments(dir: string, catalog: readonly EnvironmentCandidate[]): EnvironmentCandidate[] {
  if (!existsSync(join(dir, 'labops.yaml'))) return [];
  const validation = validateLab(dir, { catalog });
  return validation.specs.environments.map((e) => ({ environment: e.spec, origin: 'lab' as const, file: e.doc.file }));
}

/** Runs `labops env ...` (argv after `env`); returns the exit status. Never throws. */
export function runEnvCommand(argv: string[], io: CommandIo, cwd: string = process.cwd()): number {
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
  const candidates = [...catalog.environments, ...labEnvironments(resolve(cwd, args.dir ?? '.'), catalog.environments)];
  if (args.subcommand === 'list') {
    io.stdout(args.format === 'json' ? `${JSON.stringify(listRows(candidates), null, 2)}\n` : listText(candidates));
    return 0;
  }
  const result = resolveEnvironment(args.ref ?? '', candidates);
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
  const args: EnvArgs = { subcommand: undefined, ref: undefined, format: 'text', userData: false, dir: undefined };
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
    } else if (flag === '--dir') {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined || value === '') return '--dir needs the lab folder';
      args.dir = value;
    } else if (flag === '--user-data' && inline === undefined) {
      args.userData = true;
    } else if (arg.startsWith('-')) {
      const known = Object.keys(
        flagsOf(findCommand(['env', 'show']) ?? { name: '', summary: '', usage: '', flags: {} }),
      );
      const guess = arg.startsWith('--') ? closest(flag.slice(2), known) : undefined;
      return `unknown option ${arg}${guess ? `; did you mean --${guess}?` : ''}`;
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
  /** `catalog` (built in) or `lab` (the lab's own Environment spec). */
  origin: 'catalog' | 'lab';
  /** The lab spec's file, relative to the lab folder; null for the catalog. */
  file: string | null;
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
      origin: candidate.origin,
      file: candidate.origin === 'lab' ? (candidate.file ?? null) : null,
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
    row.origin === 'lab' ? `lab (${row.file ?? '?'})` : 'built-in',
    row.description,
  ]);
  return table([['NAME', 'VERSION', 'OS/ARCH', 'SOURCE', 'DESCRIPTION'], ...rows]);
}

function showText(env: ResolvedEnvironment): string {
  const spec = env.spec;
  const packages = spec.packages ?? {};
  const rows: [string, string][] = [
    ['environment', `${env.name}@${env.version}`],
    ['source', env.origin === 'lab' ? "lab (the lab's own Environment spec)" : 'built-in catalog'],
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
