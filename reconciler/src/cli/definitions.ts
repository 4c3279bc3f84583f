/**
 * The one definition of labops' commands: each command's name, summary, usage, flags (with their
 * help) and subcommands, and how to load it. Parsing (args.ts), `--help` on every command and
 * subcommand, the command list of `labops --help`, and "did you mean" for a mistyped flag are all
 * generated from it. Adding a command is one entry in {@link COMMANDS}: its flags are parsed with
 * `parseCommand('NAME', argv)` and its help comes for free.
 */
import type { Io } from './io.js';

/** A command's entry point: argv after the command name; returns the exit status. */
export type CommandMain = (argv: string[], io: Io) => number | Promise<number>;

/** One flag: its parse type and the line `--help` shows. */
export interface FlagDef {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in help, e.g. `DIR`, `text|json`. @default none (a boolean flag) */
  value?: string;
  /** What it does; further lines are indented under it. */
  help: string;
}

/** One command or subcommand. */
export interface CommandDef {
  name: string;
  /** One line for `labops --help`. */
  summary: string;
  /** Everything after `labops NAME` in the usage line, e.g. `[DIR] [options]`. */
  usage: string;
  /** Paragraphs shown under the usage line. @default none */
  description?: string;
  /** Its own flags; `common` says which of {@link COMMON_FLAGS} it also takes. */
  flags: Readonly<Record<string, FlagDef>>;
  /** The common flags it takes. @default all of them */
  common?: readonly (keyof typeof COMMON_FLAGS)[];
  /** Subcommands (`env list`), each with its own help. @default none */
  subcommands?: readonly CommandDef[];
  /** Loaded on first use, so `labops validate` never loads the simulator. Subcommands share their parent's. */
  load?: () => Promise<CommandMain>;
}

/** Flags every command accepts unless its `common` says otherwise (cli.md "Common flags"). */
export const COMMON_FLAGS = {
  format: { type: 'string', value: 'FORMAT', help: 'output format (the formats the command offers are in its usage)' },
  now: { type: 'string', value: 'ISO-8601', help: 'the clock for schedules, calendar and budgets (default: now)' },
  region: { type: 'string', value: 'REGION', help: 'the AWS Region to use (default AWS_REGION, else the lab’s)' },
  quiet: { type: 'boolean', short: 'q', help: 'print only changes and errors' },
  'no-color': { type: 'boolean', help: 'no colour, also on a terminal (NO_COLOR does the same)' },
  help: { type: 'boolean', short: 'h', help: 'show this help and exit' },
} as const satisfies Record<string, FlagDef>;

const RECORD_FLAGS = {
  record: {
    type: 'string',
    value: 'PATH|git[:BRANCH]|off',
    help: 'the run record: Cost Explorer cache, alerts sent, snapshot slots taken, Batch jobs\nsubmitted (default DIR/.labops/record.json; git = a branch of the lab repository,\ndefault labops-status, with a STATUS.md dashboard; off = remember nothing)',
  },
  'record-branch': { type: 'string', value: 'NAME', help: 'the same as --record git:NAME' },
} as const satisfies Record<string, FlagDef>;

const REPO_FLAG = {
  repo: {
    type: 'string',
    value: 'OWNER/NAME',
    help: 'repository identity for the labops:repo tag (default GITHUB_REPOSITORY, the origin\nremote, or local/<lab name>); a GIT-URL here is the same as --git GIT-URL',
  },
} as const satisfies Record<string, FlagDef>;

/** Flags of plan, apply and reconcile (cli/pipeline-command.ts). */
export const PIPELINE_FLAGS = {
  ...REPO_FLAG,
  ...RECORD_FLAGS,
  git: {
    type: 'string',
    value: 'GIT-URL',
    help: 'reconcile a clone of this repository, fetched before every run (into LABOPS_WORKDIR\nor a temp folder; DIR is then a path inside it; default LABOPS_GIT_URL)',
  },
  'trust-main': {
    type: 'boolean',
    help: 'with --git: apply the branch as it is, without checking that each change came\nthrough an approved pull request (by default changes lacking approval are held)',
  },
  target: {
    type: 'string',
    value: 'NAME',
    help: 'plan/apply only the actions of the resource NAME and those they wait for, like\nTerraform’s -target; the plan is partial and says so',
  },
  out: {
    type: 'string',
    value: 'FILE',
    help: 'plan: save the plan to FILE for `labops apply FILE`, which applies it only when the\nspecs and AWS are unchanged since (otherwise it refuses: stale)',
  },
  'detailed-exitcode': { type: 'boolean', help: 'plan: exit 0 no changes, 2 changes, 1 error' },
  'allow-destroy-all': { type: 'boolean', help: 'let a plan destroy every workstation' },
  'allow-duplicates': {
    type: 'boolean',
    help: 'create a workstation even where one of the same name runs under another lab id\n(by default refused: see labops adopt)',
  },
  'accept-empty-record': {
    type: 'boolean',
    help: 'submit Jobs, take snapshots and send alerts although the run record is missing\nwhile the lab has live resources (by default withheld)',
  },
  'instance-profile': {
    type: 'string',
    value: 'NAME',
    help: "IAM instance profile for new workstations (SSM access); overrides the specs'\naccess.instanceProfile",
  },
  watch: {
    type: 'boolean',
    help: 'reconcile: run again every --interval (±10% jitter) until SIGINT/SIGTERM, which stop\nbetween actions (exit 0 unless one failed)',
  },
  interval: {
    type: 'string',
    value: 'DURATION',
    help: 'reconcile --watch: time between runs (default 15m, at least 1m)',
  },
  'lease-wait': {
    type: 'string',
    value: 'DURATION',
    help: 'apply/reconcile take the lease beside the run record, so one run at a time changes\nAWS; wait this long for another run (default 15m for apply; 2m for reconcile, which\nthen skips this round and exits 0). The wait is announced with who holds the lease.',
  },
} as const satisfies Record<string, FlagDef>;

/**
 * Flags of `labops env build`: apply's, less those that choose what to apply (the request does:
 * `--target`, a saved plan's `--out`), where the lab comes from (`--git`: the command reads the
 * local lab to check the request) and those for workstations or reconcile only.
 */
export const ENV_BUILD_FLAGS = {
  ...REPO_FLAG,
  ...RECORD_FLAGS,
  'lease-wait': PIPELINE_FLAGS['lease-wait'],
} as const satisfies Record<string, FlagDef>;

export const INIT_FLAGS = {
  name: {
    type: 'string',
    value: 'NAME',
    help: "the lab's name (labops.yaml metadata.name; the example's project and budget)",
  },
  account: { type: 'string', value: 'ID', help: 'the 12-digit AWS account id labops may change' },
  region: {
    type: 'string',
    multiple: true,
    value: 'REGION',
    help: 'an AWS Region the lab uses; repeat for more, the first is the default',
  },
  admin: {
    type: 'string',
    multiple: true,
    value: 'LOGIN',
    help: 'a GitHub login who may approve any change; repeat for more, the first owns the example',
  },
  id: {
    type: 'string',
    value: 'OWNER/NAME',
    help: "the lab's id (spec.id, the labops:repo tag on everything labops makes); default\nGITHUB_REPOSITORY, else DIR's GitHub origin remote, else local/NAME",
  },
} as const satisfies Record<string, FlagDef>;

export const ENV_LIST_FLAGS = {
  dir: {
    type: 'string',
    value: 'DIR',
    help: 'the lab folder whose own environments are listed too (default: the current folder)',
  },
} as const satisfies Record<string, FlagDef>;

export const ENV_SHOW_FLAGS = {
  dir: {
    type: 'string',
    value: 'DIR',
    help: 'the lab folder whose own environments are searched too (default: the current folder)',
  },
  'user-data': { type: 'boolean', help: 'print the cloud-init user data a workstation of it boots with' },
} as const satisfies Record<string, FlagDef>;

export const STATUS_FLAGS = {
  ...REPO_FLAG,
  ...RECORD_FLAGS,
  'from-record': {
    type: 'boolean',
    help: 'read instances from the run record instead of AWS: no AWS credentials needed\n(what the last apply/reconcile left); also the fallback when the SDK finds no credentials',
  },
} as const satisfies Record<string, FlagDef>;

export const COST_FLAGS = { repo: REPO_FLAG.repo, record: RECORD_FLAGS.record } as const satisfies Record<
  string,
  FlagDef
>;

export const CONNECT_FLAGS = {
  port: {
    type: 'string',
    value: 'SERVICE|PORT',
    help: 'forward a service of the environment (e.g. jupyterlab, rstudio) or a port number,\nvia AWS-StartPortForwardingSession',
  },
  'local-port': {
    type: 'string',
    value: 'PORT',
    help: "the port on this machine (default: the same as the service's)",
  },
  print: { type: 'boolean', help: 'print the command instead of running it' },
  repo: REPO_FLAG.repo,
} as const satisfies Record<string, FlagDef>;

export const CLEANUP_FLAGS = {
  delete: {
    type: 'string',
    multiple: true,
    value: 'ID',
    help: 'delete this listed volume (vol-…), instance (i-…, terminated) or image (ami-…,\nderegistered with its snapshots); repeatable',
  },
  yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation (needed off a terminal)' },
  repo: REPO_FLAG.repo,
} as const satisfies Record<string, FlagDef>;

export const ADOPT_FLAGS = {
  from: {
    type: 'string',
    value: 'OLD-ID',
    help: 'retag every instance, volume, image, snapshot, Batch compute environment and job\nqueue tagged labops:repo=OLD-ID in the lab’s Regions (a renamed repository, an id that\nused to come from the origin remote)',
  },
  instance: {
    type: 'string',
    value: 'ID',
    help: 'with NAME: make a hand-made instance workstation NAME: NAME must be a Workstation\nspec, the instance in its Region with its instance type, running or stopped, and not\nowned by another lab id',
  },
  apply: { type: 'boolean', help: 'make the change (default: only show it)' },
  repo: { type: 'string', value: 'OWNER/NAME', help: "the lab's id when labops.yaml declares none" },
} as const satisfies Record<string, FlagDef>;

export const RECORD_MIGRATE_FLAGS = {
  from: {
    type: 'string',
    value: 'PLACE',
    help: 'where the record is: file (DIR/.labops/record.json), file:PATH (relative to the\nworking folder) or git[:BRANCH] (the status branch of the origin; default labops-status)',
  },
  to: { type: 'string', value: 'PLACE', help: 'where to copy it: the same forms as --from' },
  force: { type: 'boolean', help: 'overwrite a record already at --to (by default refused)' },
} as const satisfies Record<string, FlagDef>;

export const SIM_FLAGS = {
  port: { type: 'string', value: 'N', help: 'the port to listen on (default 4566)' },
  state: { type: 'string', value: 'FILE', help: 'load the state from FILE, save it there when stopped' },
  seed: { type: 'string', value: 'N', help: 'seed of the simulated randomness (ids, faults)' },
  'account-id': { type: 'string', value: 'ID', help: 'the 12-digit account the simulator is (default 123456789012)' },
  speed: { type: 'string', value: 'X', help: 'simulated time runs X times real time (default: a manual clock)' },
  realtime: { type: 'boolean', help: 'simulated time is real time' },
  start: { type: 'string', value: 'ISO', help: 'the simulated clock starts at this ISO-8601 time' },
} as const satisfies Record<string, FlagDef>;

const PIPELINE_OUTPUT = `Output (text): the plan first, then one line as each action starts and ends (ISO timestamps
when stdout is not a terminal), then the summary. --quiet prints only changes and errors.
--format json|markdown print one document on stdout; the action lines then go to stderr.`;

/** Every command, in the order `labops --help` lists them. */
export const COMMANDS: readonly CommandDef[] = [
  {
    name: 'init',
    summary: 'scaffold a lab repository: labops.yaml, an example workstation and budget, the workflows',
    usage:
      '[DIR] [--name NAME] [--account ID] [--region REGION]... [--admin LOGIN]... [--id OWNER/NAME] [--format text|json]',
    description: `Scaffolds a lab repository in DIR (default: the current folder; created when missing):
labops.yaml, an example workstation and budget, .gitignore, and the three GitHub workflows
(.github/workflows/labops-*.yml). Never overwrites: when any of these files exists, nothing is
written. On a terminal it asks for what the flags leave out; otherwise a missing value is an error.
Then it prints the AWS and GitHub set-up still to do (docs/action.md).
Exit status: 0 written, 1 bad input or a file that already exists.`,
    flags: INIT_FLAGS,
    common: ['format', 'quiet', 'no-color', 'help'],
    load: async () => (await import('./commands/init.js')).runInitCommand,
  },
  {
    name: 'validate',
    summary: 'parse and validate every spec; touches no cloud',
    usage: '[DIR] [--format text|json|github] [--quiet] [--no-color]',
    description: `Parses and validates every spec of the lab repository in DIR (default: the current folder):
schemas, references, lab policy and semantics. Touches no cloud. --quiet shows errors only.
Exit status: 0 valid (warnings allowed), 1 invalid.`,
    flags: {},
    load: async () => (await import('./commands/validate.js')).runValidateCommand,
  },
  {
    name: 'env',
    summary:
      'the environment catalog and the lab’s own environments: `env list`, `env show NAME`, `env build NAME@VERSION`',
    usage: 'list|show|build ... [--format text|json]',
    description: `The built-in environment catalog and the lab's own Environment specs (those in the lab's
spec.paths, marked "lab"); run in the lab folder, or pass --dir.`,
    flags: {},
    common: ['format', 'help'],
    subcommands: [
      {
        name: 'list',
        summary: 'every environment: name, version, OS/architecture, source (built-in or lab), description',
        usage: '[--dir DIR] [--format text|json]',
        flags: ENV_LIST_FLAGS,
        common: ['format', 'help'],
      },
      {
        name: 'show',
        summary: 'one environment resolved: lineage, packages, services, recommended instance types',
        usage: 'NAME[@RANGE] [--dir DIR] [--user-data] [--format text|json]',
        flags: ENV_SHOW_FLAGS,
        common: ['format', 'help'],
      },
      {
        name: 'build',
        summary: 'build the image of an environment version now (an EnvironmentImage must declare it)',
        usage: 'NAME@VERSION [DIR] [options]',
        description: `Applies the EnvironmentImage that declares NAME@VERSION with a request to build its
image now, outside its rebuild schedule (\`labops apply DIR --target EnvironmentImage/NAME\`
with the request): the plan shows \`build image NAME@VERSION (requested)\`, and nothing else of
the lab is changed. A build of that version already under way satisfies the request (the plan
says so; none is started); a failed build is retried. Refuses in one line, exit 1, when no
EnvironmentImage of the lab declares that exact version or the plan refuses the build.`,
        flags: ENV_BUILD_FLAGS,
      },
    ],
    load: async () => {
      const { runEnvCommand } = await import('./commands/env.js');
      const { runEnvBuildCommand } = await import('./commands/env-build.js');
      return (argv, io) =>
        argv[0] === 'build' ? runEnvBuildCommand(argv.slice(1), io) : runEnvCommand(argv, io, io.cwd);
    },
  },
  {
    name: 'plan',
    summary: 'validate, observe the cloud, print the plan and its cost',
    usage: '[DIR] [options]',
    description: `Validates the specs in DIR, observes AWS, prints the plan and its cost. Changes nothing.
With --out FILE the plan is saved for \`labops apply FILE\`.`,
    flags: PIPELINE_FLAGS,
    load: async () => (await import('./commands/plan.js')).runPlanCommand,
  },
  {
    name: 'apply',
    summary: 'plan, then carry it out, then print what happened',
    usage: '[DIR | FILE [DIR]] [options]',
    description: `Plans, then carries the plan out under the lease, then prints what happened. Given FILE
(written by \`labops plan --out FILE\`) it applies that plan, refusing in one line when the
specs, AWS or the plan changed since it was saved (stale).
${PIPELINE_OUTPUT}`,
    flags: PIPELINE_FLAGS,
    load: async () => (await import('./commands/apply.js')).runApplyCommand,
  },
  {
    name: 'reconcile',
    summary: 'the scheduled job: apply, again every --interval with --watch',
    usage: '[DIR] [options]',
    description: `Apply for the scheduled job; a run that finds another holding the lease skips this round
(exit 0). --watch keeps going every --interval.
${PIPELINE_OUTPUT}`,
    flags: PIPELINE_FLAGS,
    load: async () => (await import('./commands/reconcile.js')).runReconcileCommand,
  },
  {
    name: 'status',
    summary: 'what each workstation is doing now, whether that is as desired, and its run-rate; never changes AWS',
    usage: '[DIR] [NAME] [options]',
    description: `What each workstation is doing now: instance, state and whether it is as the rules want
it now (with the rule), type, IPs, launch time and monthly run-rate, plus orphans.
NAME shows one workstation in detail (volumes, tags, environment, AMI). Never changes AWS.
READY: a running workstation is provisioning until its provisioning script prints its marker
on the console (GetConsoleOutput), then ready (with how long it took) or failed (the failed
steps); an impaired EC2 status check (DescribeInstanceStatus) is failed too.
With one argument, it is DIR when that folder holds labops.yaml, otherwise NAME.`,
    flags: STATUS_FLAGS,
    load: async () => (await import('./commands/status.js')).runStatusCommand,
  },
  {
    name: 'connect',
    summary: 'a shell on a workstation, or a port forward to its services, through SSM Session Manager',
    usage: '[DIR] NAME [--port SERVICE|PORT] [--local-port PORT] [--print]',
    description: `A shell on workstation NAME through AWS Systems Manager Session Manager (no inbound ports),
or with --port a forward from this machine to one of its environment's services. Runs
\`aws ssm start-session\`, which needs the AWS CLI and its session-manager-plugin; when either
is missing, prints the exact command to run once they are installed. The workstation needs an
instance profile whose role has AmazonSSMManagedInstanceCore (spec.access.instanceProfile).
Exit status: the session's; 1 when it cannot start.`,
    flags: CONNECT_FLAGS,
    load: async () => (await import('./commands/connect.js')).runConnectCommand,
  },
  {
    name: 'cleanup',
    summary: 'list kept volumes, orphans and expired images with their cost; delete the ones named',
    usage: '[DIR] [--delete ID]... [--yes] [--format text|json]',
    description: `Lists what labops left costing money until a person decides, with its monthly cost: data
volumes kept after a workstation was destroyed, orphaned instances (spec removed while
prune is off, older duplicates) and images of SnapshotSchedules that no longer exist.
Deletes only the ids named with --delete, after a confirmation on a terminal (or --yes).
Exit status: 0; 1 when something named was not deleted.`,
    flags: CLEANUP_FLAGS,
    load: async () => (await import('./commands/cleanup.js')).runCleanupCommand,
  },
  {
    name: 'cost',
    summary: 'spend, forecast and estimate per project and budget, with a chart',
    usage: '[DIR] [options]',
    description: `Spend, estimate since Cost Explorer's last update, forecast, limit and % used per budget,
with a chart; each project's run-rate and top spenders. Changes nothing in AWS.
--format text draws bars in the terminal; markdown a Mermaid chart.`,
    flags: COST_FLAGS,
    load: async () => (await import('./commands/cost.js')).runCostCommand,
  },
  {
    name: 'record',
    summary: 'the run record: `record migrate --from file --to git` copies it and verifies the copy',
    usage: 'migrate ...',
    flags: {},
    common: ['help'],
    subcommands: [
      {
        name: 'migrate',
        summary: 'copy the run record to another place, read the copy back and compare',
        usage: '[DIR] --from PLACE --to PLACE [--force]',
        description: `Copies the run record (Batch jobs submitted, alerts sent, snapshot slots taken, the Cost
Explorer cache) from one place to another, then reads the copy back and compares it.
Afterwards pass the same place to --record (or the Action's record input).
Exit status: 0 copied and verified, 1 refused or the read-back differs.`,
        flags: RECORD_MIGRATE_FLAGS,
        common: ['help'],
      },
    ],
    load: async () => (await import('./commands/record.js')).runRecordCommand,
  },
  {
    name: 'adopt',
    summary: 'retag resources made under an old lab id (`--from OLD-ID`) or a hand-made instance (`--instance`)',
    usage: '[DIR] (--from OLD-ID | --instance INSTANCE-ID NAME) [--apply]',
    description: `Brings resources under this lab's id (labops.yaml spec.id, the labops:repo tag) with EC2
CreateTags. Prints what it would change; --apply changes it. Running it again changes nothing.
Exit status: 0 done or nothing to do, 1 refused or failed.`,
    flags: ADOPT_FLAGS,
    load: async () => (await import('./commands/adopt.js')).runAdoptCommand,
  },
  {
    name: 'sim',
    summary: 'the local AWS-compatible cloud for rehearsal and tests (loopback only)',
    usage: '[--port N] [--state FILE] [--seed N] [--account-id ID] [--speed X | --realtime] [--start ISO]',
    description: `Runs the simulator (EC2, Batch, EC2 Image Builder, Cost Explorer, CloudWatch, STS) on loopback until SIGINT or
SIGTERM, then saves the state and exits 0.`,
    flags: SIM_FLAGS,
    common: ['help'],
    // The simulator writes with console (its own io), not the command's.
    load: async () => {
      const { runSimCommand } = await import('./commands/sim.js');
      return (argv) => runSimCommand(argv);
    },
  },
];

/** The command or subcommand `path` names (`['env', 'list']`); undefined when there is none. */
export function findCommand(path: readonly string[]): CommandDef | undefined {
  let found: CommandDef | undefined;
  let list: readonly CommandDef[] = COMMANDS;
  for (const name of path) {
    found = list.find((c) => c.name === name);
    if (!found) return undefined;
    list = found.subcommands ?? [];
  }
  return found;
}

/** Every flag `def` takes, its own first (they win over a common flag of the same name). */
export function flagsOf(def: CommandDef): Record<string, FlagDef> {
  const common = Object.fromEntries(
    (def.common ?? (Object.keys(COMMON_FLAGS) as (keyof typeof COMMON_FLAGS)[])).map((name) => [
      name,
      COMMON_FLAGS[name],
    ]),
  );
  return { ...common, ...def.flags };
}

/** `labops PATH --help`: usage, description, subcommands, then every flag with its help. */
export function helpText(path: readonly string[], def: CommandDef): string {
  const out = [`Usage: labops ${[...path].join(' ')} ${def.usage}`.trimEnd(), ''];
  if (def.description) out.push(def.description, '');
  else out.push(`${def.summary[0]?.toUpperCase() ?? ''}${def.summary.slice(1)}.`, '');
  if (def.subcommands?.length) {
    out.push('Commands:');
    const width = Math.max(...def.subcommands.map((s) => s.name.length));
    for (const sub of def.subcommands) out.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`);
    out.push('', `Run \`labops ${path.join(' ')} <command> --help\` for a command's options.`, '');
  }
  const flags = Object.entries(flagsOf(def)).map(([name, flag]) => ({
    left: `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}${flag.multiple ? '...' : ''}`,
    lines: flag.help.split('\n'),
  }));
  const width = Math.max(...flags.map((f) => f.left.length));
  out.push('Options:');
  for (const { left, lines } of flags) {
    out.push(`  ${left.padEnd(width)}  ${lines[0] ?? ''}`);
    for (const line of lines.slice(1)) out.push(`  ${' '.repeat(width)}  ${line}`);
  }
  return `${out.join('\n')}\n`;
}

/** `labops --help`: every command with its summary. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: labops <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`labops <command> --help\` for a command's options.\n`;
}
