/**
 * `labops connect [DIR] NAME [--port SERVICE]`: a shell on a workstation, or a port forward to one
 * of its environment's services, through AWS Systems Manager Session Manager — the AWS CLI's
 * `aws ssm start-session` with the session-manager-plugin. No inbound port is opened: the SSM
 * agent on the instance dials out, and IAM decides who may start a session. labops finds the
 * instance (its `labops:repo` and `labops:name` tags) and builds the command; when `aws` or the
 * plugin is not installed it prints the exact command to run once they are.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { AwsError } from '../../aws/errors.js';
import { shellQuote } from '../../environments/quote.js';
import { LabopsError, UsageError } from '../../errors.js';
import { liveInstancesByName } from '../../model/workstation-inventory.js';
import { createRuntime } from '../../runtime/runtime.js';
import { validateLab } from '../../specs/validate.js';
import { parseCommand } from '../args.js';
import { inCommand } from '../command-error.js';
import type { Io } from '../io.js';
import { CONNECT_FLAGS } from '../definitions.js';
import { resolveRepoName } from '../repo-name.js';

/** The Session Manager document that forwards a port of the instance to this machine. */
export const PORT_FORWARD_DOCUMENT = 'AWS-StartPortForwardingSession';

/** What to install when a tool is missing. */
const INSTALL = {
  aws: 'the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)',
  'session-manager-plugin':
    'the Session Manager plugin (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html)',
} as const;

/** A service to forward: the environment's service by name, or a bare port. */
interface Forward {
  service: string;
  port: number;
  localPort: number;
}

/** The `aws ssm start-session` arguments for a shell or a port forward. */
export function startSessionArgs(instanceId: string, region: string, forward?: Forward): string[] {
  const args = ['ssm', 'start-session', '--target', instanceId, '--region', region];
  if (forward === undefined) return args;
  return [
    ...args,
    '--document-name',
    PORT_FORWARD_DOCUMENT,
    '--parameters',
    JSON.stringify({ portNumber: [String(forward.port)], localPortNumber: [String(forward.localPort)] }),
  ];
}

/** The first of `names` not found as an executable on PATH. */
function missingTool(
  env: NodeJS.ProcessEnv,
  names: readonly (keyof typeof INSTALL)[],
): keyof typeof INSTALL | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  const found = (name: string): boolean =>
    dirs.some((dir) =>
      exts.some((ext) => {
        try {
          accessSync(join(dir, name + ext), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    );
  return names.find((name) => !found(name));
}

function portNumber(flag: string, value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new UsageError(`labops connect: ${flag} must be a port number from 1 to 65535 (got ${value})`);
  return port;
}

/** Runs `labops connect`; returns the exit status (the session's, when it ran). */
export async function runConnectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('connect', argv, CONNECT_FLAGS);
  const [first, second, ...extra] = positionals;
  if (first === undefined || extra.length > 0)
    throw new UsageError(`labops connect: expected [DIR] NAME, got ${positionals.length} arguments`);
  const name = second ?? first;
  const dir = resolve(io.cwd, second === undefined ? '.' : first);
  if (values['local-port'] !== undefined && values.port === undefined)
    throw new UsageError('labops connect: --local-port goes with --port');

  const runtime = await createRuntime({ env: io.env });
  try {
    const validation = validateLab(dir, { catalog: runtime.catalog });
    const lab = validation.specs.lab?.spec;
    if (lab === undefined)
      throw new LabopsError(
        'invalid-lab',
        `labops connect: ${dir}/labops.yaml is missing or invalid; run labops validate`,
      );
    const spec = validation.specs.workstations.find((w) => w.spec.metadata.name === name)?.spec;
    if (spec === undefined) {
      const known = validation.specs.workstations.map((w) => w.spec.metadata.name).sort();
      throw new UsageError(
        `labops connect: no valid Workstation named "${name}" (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
    const forward =
      values.port === undefined
        ? undefined
        : serviceForward(
            name,
            values.port,
            values['local-port'],
            validation.environments.get(name)?.spec.services ?? [],
          );
    const region = spec.spec.region ?? lab.spec.aws.defaultRegion;
    const repo = await resolveRepoName({ flag: values.repo, env: io.env, dir, labName: lab.metadata.name });
    const instanceId = await runningInstance(runtime.ports(region), region, repo, name);
    const args = startSessionArgs(instanceId, region, forward);
    const command = ['aws', ...args].map(shellQuote).join(' ');
    if (values.print) {
      io.stdout(`${command}\n`);
      return 0;
    }
    const missing = missingTool(io.env, ['aws', 'session-manager-plugin']);
    if (missing !== undefined) {
      io.stdout(`${command}\n`);
      throw new LabopsError(
        'session-tool-missing',
        `labops connect: ${missing} is not installed (or not on PATH): install ${INSTALL[missing]}, then run the command above`,
      );
    }
    if (forward)
      io.stderr(
        `labops connect: ${forward.service} on ${name} → http://localhost:${forward.localPort}/ (Ctrl-C ends it)\n`,
      );
    return await runAws(args, io.env);
  } finally {
    runtime.close();
  }
}

/** The service to forward: by name among the environment's services, or a port number. */
function serviceForward(
  name: string,
  value: string,
  localPortFlag: string | undefined,
  services: readonly { name: string; port: number }[],
): Forward {
  const byName = services.find((s) => s.name === value);
  const port = byName?.port ?? (/^\d+$/.test(value) ? portNumber('--port', value) : undefined);
  if (port === undefined) {
    const list = services.map((s) => `${s.name} (${s.port})`).join(', ');
    throw new UsageError(
      `labops connect: ${name}'s environment has no service "${value}" (services: ${list || 'none'}); give a service name or a port number`,
    );
  }
  return {
    service: byName?.name ?? `port ${port}`,
    port,
    localPort: localPortFlag === undefined ? port : portNumber('--local-port', localPortFlag),
  };
}

/** The newest live instance of workstation `name`; refused unless it is running (SSM needs its agent up). */
async function runningInstance(
  ports: ReturnType<Awaited<ReturnType<typeof createRuntime>>['ports']>,
  region: string,
  repo: string,
  name: string,
): Promise<string> {
  let observed;
  try {
    observed = await ports.ec2.observe([region], repo, { images: [] });
  } catch (err) {
    throw err instanceof AwsError ? inCommand('connect', err, '', 'AWS ') : err;
  }
  const [newest] = liveInstancesByName(observed.instances, repo).get(name) ?? [];
  if (newest === undefined)
    throw new LabopsError(
      'not-launched',
      `labops connect: ${name} has no instance in ${region} (tagged labops:repo=${repo}); run labops apply to launch it`,
    );
  if (newest.state !== 'running')
    throw new LabopsError(
      'not-running',
      `labops connect: ${name} (${newest.instanceId}) is ${newest.state}; Session Manager needs it running — set spec.state: running (or wait for its schedule) and apply`,
    );
  return newest.instanceId;
}

/** Runs the AWS CLI with this terminal; resolves to its exit status. */
function runAws(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn('aws', args, { stdio: 'inherit', env });
    child.on('error', (err) =>
      fail(new LabopsError('session-tool-missing', `labops connect: could not run aws: ${err.message}`)),
    );
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}
