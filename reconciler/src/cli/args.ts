/** Command-line parsing shared by every command (node:util parseArgs, strict). */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

/** Output formats a command may offer. */
export type Format = 'text' | 'json' | 'markdown' | 'github';

/** Flags every command accepts (cli.md "Common flags"). */
export const COMMON_OPTIONS = {
  format: { type: 'string' },
  now: { type: 'string' },
  region: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Parses argv strictly; unknown flags and bad values become a {@link UsageError}. */
export function parseCommand<T extends OptionSpec>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    const [message = ''] = (err instanceof Error ? err.message : String(err)).split('\n');
    throw new UsageError(`labops ${command}: ${message.replace(/^Unknown option '([^']+)'.*$/, 'unknown option $1')}`);
  }
}

/** Checks `--format` against the formats a command supports. */
export function formatOption(command: string, value: string | undefined, allowed: readonly Format[]): Format {
  const format = (value ?? 'text') as Format;
  if (!allowed.includes(format))
    throw new UsageError(`labops ${command}: --format must be one of ${allowed.join(', ')} (got ${value})`);
  return format;
}

/** `--now` as a Date (default: the real time). */
export function nowOption(command: string, value: string | undefined): Date {
  if (value === undefined) return new Date();
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `labops ${command}: --now must be an ISO-8601 time such as 2026-11-23T15:00:00Z (got ${value})`,
    );
  }
  return date;
}
