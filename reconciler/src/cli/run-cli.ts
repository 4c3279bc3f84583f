/** The `labops` command: dispatches to one file per command and turns every failure into one line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { redact, redactedMessage } from '../record/redact.js';
import { UsageError } from '../errors.js';
import { LabopsError } from '../errors.js';
import type { Io } from './io.js';
import type { CommandDef } from './definitions.js';
import { COMMANDS, findCommand, helpText, usage as usageText } from './definitions.js';
import { closest } from '../model/suggest.js';

/**
 * `--help` or `-h` anywhere before `--`: the help of the deepest (sub)command the leading words
 * name (`labops env list --help`), generated from its definition.
 */
function helpFor(argv: readonly string[]): string | undefined {
  const words = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  if (!words.some((w) => w === '--help' || w === '-h')) return undefined;
  const path: string[] = [];
  let def: CommandDef | undefined;
  for (const word of words) {
    const next = findCommand([...path, word]);
    if (!next) break;
    path.push(word);
    def = next;
  }
  return def ? helpText(path, def) : undefined;
}

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      io.stdout(usageText());
      return name === undefined ? 1 : 0;
    }
    if (name === '--version' || name === 'version') {
      io.stdout(
        `${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}\n`,
      );
      return 0;
    }
    const command = findCommand([name]);
    if (!command?.load) {
      const guess = closest(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw new UsageError(
        `labops: unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
      );
    }
    const help = helpFor(argv);
    if (help !== undefined) {
      io.stdout(help);
      return 0;
    }
    return await (
      await command.load()
    )(rest, io);
  } catch (err) {
    // labops' own failures — a bad flag, an unreadable run record, AWS, git or GitHub refusing —
    // are one line and their exit status; anything else is a programming error.
    if (err instanceof LabopsError) {
      io.stderr(`${redact(err.message)}\n`);
      return err.exitStatus;
    }
    if (io.env.LABOPS_DEBUG === '1')
      io.stderr(`${redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    else io.stderr(`labops: internal error: ${redactedMessage(err)} (set LABOPS_DEBUG=1 for details)\n`);
    return 1;
  }
}
