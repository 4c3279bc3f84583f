/** The `labops` command: dispatches to one file per command and turns every failure into one line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { redact, redactedMessage } from '../record/redact.js';
import { UsageError } from '../errors.js';
import { LabopsError } from '../errors.js';
import type { Io } from './io.js';

type Command = (argv: string[], io: Io) => number | Promise<number>;

/** Commands by name, loaded on first use so `labops validate` never loads the simulator. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: {
    summary: 'scaffold a lab repository: labops.yaml, an example workstation and budget, the workflows',
    load: async () => (await import('./commands/init.js')).runInitCommand,
  },
  validate: {
    summary: 'parse and validate every spec; touches no cloud',
    load: async () => (await import('./commands/validate.js')).runValidateCommand,
  },
  env: {
    summary: 'the environment catalog: `env list`, `env show NAME [--user-data]`',
    load: async () => (await import('./commands/env.js')).runEnvCommand,
  },
  plan: {
    summary: 'validate, observe the cloud, print the plan and its cost',
    load: async () => (await import('./commands/plan.js')).runPlanCommand,
  },
  apply: {
    summary: 'plan, then carry it out, then print what happened',
    load: async () => (await import('./commands/apply.js')).runApplyCommand,
  },
  reconcile: {
    summary: 'the scheduled job: apply, again every --interval with --watch',
    load: async () => (await import('./commands/reconcile.js')).runReconcileCommand,
  },
  status: {
    summary: 'what each workstation is doing now, whether that is as desired, and its run-rate; never changes AWS',
    load: async () => (await import('./commands/status.js')).runStatusCommand,
  },
  connect: {
    summary: 'a shell on a workstation, or a port forward to its services, through SSM Session Manager',
    load: async () => (await import('./commands/connect.js')).runConnectCommand,
  },
  cleanup: {
    summary: 'list kept volumes, orphans and expired images with their cost; delete the ones named',
    load: async () => (await import('./commands/cleanup.js')).runCleanupCommand,
  },
  cost: {
    summary: 'spend, forecast and estimate per project and budget, with a chart',
    load: async () => (await import('./commands/cost.js')).runCostCommand,
  },
  record: {
    summary: 'the run record: `record migrate --from file --to git` copies it and verifies the copy',
    load: async () => (await import('./commands/record.js')).runRecordCommand,
  },
  adopt: {
    summary: 'retag resources made under an old lab id (`--from OLD-ID`) or a hand-made instance (`--instance`)',
    load: async () => (await import('./commands/adopt.js')).runAdoptCommand,
  },
  sim: {
    summary: 'the local AWS-compatible cloud for rehearsal and tests (loopback only)',
    load: () => Promise.resolve(simCommand),
  },
};

async function simCommand(argv: string[]): Promise<number> {
  const { runSimCommand } = await import('./commands/sim.js');
  return runSimCommand(argv);
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: labops <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`labops <command> --help\` for a command's options.\n`;
}

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      io.stdout(usage());
      return name === undefined ? 1 : 0;
    }
    if (name === '--version' || name === 'version') {
      io.stdout(
        `${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}\n`,
      );
      return 0;
    }
    const command = COMMANDS[name];
    if (!command)
      throw new UsageError(`labops: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
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
