/** Command-line parsing shared by every command (node:util parseArgs, strict). */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { COMMON_FLAGS, findCommand, flagsOf } from './definitions.js';
import { closest } from '../model/suggest.js';
import type { FlagDef } from './definitions.js';

/** Output formats a command may offer. */
export type Format = 'text' | 'json' | 'markdown' | 'github';

type OptionSpec = Readonly<Record<string, FlagDef>>;

/**
 * Parses argv strictly against the flags of command `command` (`'env list'` for a subcommand) from
 * the one definition (definitions.ts): its own `flags` (the same object its entry there names; passed
 * for their types) and the common flags it takes. Unknown
 * flags and bad values become a {@link UsageError}; a mistyped flag gets "did you mean --format?".
 */
export function parseCommand<T extends OptionSpec>(command: string, argv: string[], flags: T) {
  const def = findCommand(command.split(' '));
  const all = def ? flagsOf(def) : { ...COMMON_FLAGS, ...flags };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, f]) => [
      name,
      { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
    ]),
  ) as unknown as Omit<typeof COMMON_FLAGS, keyof T> & T;
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const [message = ''] = (err instanceof Error ? err.message : String(err)).split('\n');
    const unknown = /^Unknown option '(-{1,2})([^'=]+)'/.exec(message);
    if (unknown) {
      const [, dashes, name = ''] = unknown;
      const guess = dashes === '--' ? closest(name, Object.keys(all)) : undefined;
      throw new UsageError(
        `labops ${command}: unknown option ${dashes}${name}${guess ? `; did you mean --${guess}?` : ''}`,
      );
    }
    throw new UsageError(`labops ${command}: ${message}`);
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
