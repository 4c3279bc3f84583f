/**
 * `labops record migrate [DIR] --from PLACE --to PLACE`: copies the run record from one store to
 * another (the file `DIR/.labops/record.json`, a file path, or the lab repository's status branch)
 * and reads it back to verify the copy. Moving the record this way, instead of pointing `--record`
 * somewhere new, keeps the Batch submissions and alerts sent: a run that finds live resources and
 * no record withholds Jobs and alerts (docs/run-record.md).
 */
import { join, resolve } from 'node:path';
import { LabopsError, UsageError } from '../../errors.js';
import { recordIsEmpty } from '../../engine/identity.js';
import type { RunRecord } from '../../model/record.js';
import { canonicalJson } from '../../model/tags.js';
import { parseRecordOption, recordStoreAt } from '../../runtime/record-option.js';
import type { RecordChoice } from '../../runtime/record-option.js';
import { parseCommand } from '../args.js';
import type { Io } from '../io.js';
import { RECORD_MIGRATE_FLAGS, findCommand, helpText } from '../definitions.js';

/** The failure of a migration: nothing to copy, a record in the way, or a copy that reads back differently. */
export class MigrationError extends LabopsError {
  constructor(message: string) {
    super('record-migrate', message);
  }
}

/** `file`, `file:PATH`, `git`, `git:BRANCH` as a record choice (`off` is not a place). */
export function parsePlace(flag: '--from' | '--to', value: string | undefined, dir: string): RecordChoice {
  if (value === undefined || value === '') throw new UsageError(`labops record migrate: ${flag} is required`);
  if (value === 'file') return { kind: 'file', path: join(dir, '.labops', 'record.json') };
  if (value.startsWith('file:') && value.length > 'file:'.length) return { kind: 'file', path: value.slice(5) };
  if (value === 'git' || value.startsWith('git:')) return parseRecordOption(value, { kind: 'off' }, flag);
  throw new UsageError(`labops record migrate: ${flag} must be file, file:PATH, git or git:BRANCH (got ${value})`);
}

function describe(choice: RecordChoice): string {
  if (choice.kind === 'file') return choice.path;
  if (choice.kind === 'git') return `git:${choice.branch ?? 'labops-status'}`;
  return 'off';
}

function summary(record: RunRecord): string {
  return `${record.jobs.length} job(s), ${record.alerts.length} alert(s), ${Object.keys(record.schedules).length} snapshot schedule(s)`;
}

/** Runs `labops record`; returns the exit status. */
export async function runRecordCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help') {
    const def = findCommand(['record']);
    if (def) io.stdout(helpText(['record'], def));
    return sub === undefined ? 1 : 0;
  }
  if (sub !== 'migrate') throw new UsageError(`labops record: unknown subcommand "${sub}"; subcommands: migrate`);
  const { values, positionals } = parseCommand('record migrate', rest, RECORD_MIGRATE_FLAGS);
  if (positionals.length > 1)
    throw new UsageError(`labops record migrate: expected at most one DIR, got ${positionals.length}`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const from = parsePlace('--from', values.from, dir);
  const to = parsePlace('--to', values.to, dir);
  if (canonicalJson(from) === canonicalJson(to))
    throw new UsageError(`labops record migrate: --from and --to are the same place (${describe(from)})`);
  const place = (choice: RecordChoice) => ({ choice, base: io.cwd, remote: { originOf: dir } });
  const source = await recordStoreAt(place(from));
  const target = await recordStoreAt(place(to));
  if (!source || !target) throw new UsageError('labops record migrate: off is not a place');

  const record = await source.load();
  if (record.updatedAt === undefined && recordIsEmpty(record))
    throw new MigrationError(
      `labops record migrate: no run record at ${describe(from)}; nothing was copied (is --from the place the lab's runs used?)`,
    );
  const existing = await target.load();
  if (existing.updatedAt !== undefined && !values.force)
    throw new MigrationError(
      `labops record migrate: ${describe(to)} already holds a run record (written ${existing.updatedAt}, ${summary(existing)}); nothing was copied (pass --force to overwrite it)`,
    );
  await target.save(record);
  const back = await target.load();
  if (canonicalJson(back) !== canonicalJson(record))
    throw new MigrationError(
      `labops record migrate: the copy at ${describe(to)} reads back differently from ${describe(from)}; keep using ${describe(from)}`,
    );
  io.stdout(
    `labops record migrate: copied the run record (${summary(record)}) from ${describe(from)} to ${describe(to)} and read it back: identical\n` +
      `Now pass --record ${to.kind === 'file' ? to.path : describe(to)} to plan, apply and reconcile.\n`,
  );
  return 0;
}
