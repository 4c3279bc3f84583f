/**
 * Reaching a workstation, through the built CLI against `labops sim`: the instance profile from the
 * Lab, a Workstation's override and `--instance-profile` over both (RunInstances IamInstanceProfile
 * as DescribeInstances shows it); `labops connect` building the `aws ssm start-session` command,
 * printing it when `aws` or `session-manager-plugin` is missing, and running it when both are (a
 * stand-in `aws` that records its arguments: AWS is never called).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const REPO = 'lab-org/access-lab';
let sim: TestSim;
let labDir: string;
const cleanups: (() => void)[] = [];

/** The built CLI with the simulator's environment; `env` adds to (or replaces) it. */
async function labops(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, ...sim.env(), NO_COLOR: '1', LABOPS_DEBUG: '', ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Instance id and instance profile name of each live workstation, by labops:name. */
async function launched(): Promise<Record<string, { id: string; profile: string | null; state: string }>> {
  const out = await sim.ec2().send(new DescribeInstancesCommand({}));
  const rows: Record<string, { id: string; profile: string | null; state: string }> = {};
  for (const i of (out.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
    const name = i.Tags?.find((t) => t.Key === 'labops:name')?.Value ?? '';
    rows[name] = {
      id: i.InstanceId ?? '',
      profile: i.IamInstanceProfile?.Arn?.split('/').pop() ?? null,
      state: i.State?.Name ?? '',
    };
  }
  return rows;
}

/** A folder of stand-in executables: each records its arguments in `args.txt` beside it. */
function toolDir(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'labops-tools-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of names) {
    writeFileSync(join(dir, name), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir, 'args.txt')}"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
  const lab = makeLab(
    {
      'labops.yaml': `${LAB_YAML.replace('PRUNE', 'false')}  access: { instanceProfile: lab-default }\n`,
      'workstations/alice.yaml': workstationYaml('alice-ws'),
      'workstations/bob.yaml': workstationYaml('bob-ws', '  access: { instanceProfile: bob-s3-reader }\n'),
      'workstations/carol.yaml': workstationYaml('carol-ws', '  state: stopped\n'),
    },
    null,
  );
  cleanups.push(lab.cleanup);
  labDir = lab.dir;
  const applied = await labops(['apply', '.', '--repo', REPO, '--record', 'off'], labDir);
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stdout}${applied.stderr}`);
}, 60_000);
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});

describe('instance profile (built CLI against the sim)', { timeout: 60_000 }, () => {
  it('launches with the Lab default, a Workstation override wins over it', async () => {
    const rows = await launched();

    expect([rows['alice-ws']?.profile, rows['bob-ws']?.profile, rows['carol-ws']?.profile]).toEqual([
      'lab-default',
      'bob-s3-reader',
      'lab-default',
    ]);
  });

  it('--instance-profile overrides the specs', async () => {
    const lab = makeLab(
      {
        'labops.yaml': `${LAB_YAML.replace('PRUNE', 'false')}  access: { instanceProfile: lab-default }\n`,
        'workstations/dave.yaml': workstationYaml('dave-ws', '  access: { instanceProfile: dave-own }\n'),
      },
      null,
    );
    cleanups.push(lab.cleanup);

    const result = await labops(
      ['apply', '.', '--repo', 'lab-org/other-lab', '--record', 'off', '--instance-profile', 'ops-override'],
      lab.dir,
    );

    expect(result.status, result.stderr).toBe(0);
    expect((await launched())['dave-ws']?.profile).toBe('ops-override');
  });

  it.each([
    ['labops.yaml', 'instanceProfile: "arn:aws:iam::123456789012:instance-profile/x"'],
    ['workstations/bad.yaml', 'instanceProfile: "has space"'],
  ])('refuses a malformed profile name in %s with file:line:col', async (file, line) => {
    const lab = makeLab(
      file === 'labops.yaml'
        ? { 'labops.yaml': `${LAB_YAML.replace('PRUNE', 'false')}  access: { ${line} }\n` }
        : {
            'labops.yaml': LAB_YAML.replace('PRUNE', 'false'),
            [file]: workstationYaml('bad-ws', `  access: { ${line} }\n`),
          },
      null,
    );
    cleanups.push(lab.cleanup);

    const result = await labops(['validate', '.'], lab.dir);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+: error: .*instanceProfile`));
  });

  it('refuses a malformed --instance-profile in one line', async () => {
    const result = await labops(['plan', '.', '--repo', REPO, '--instance-profile', 'arn:aws:iam::1:x'], labDir);

    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toBe(
      'labops plan: --instance-profile must be an IAM instance profile name (letters, digits, _+=,.@-; not an ARN) (got arn:aws:iam::1:x)\n',
    );
  });
});

describe('labops connect (built CLI against the sim)', { timeout: 60_000 }, () => {
  it.each([
    ['a shell', [], (id: string) => `aws ssm start-session --target ${id} --region us-east-1`],
    [
      'a service by name',
      ['--port', 'jupyterlab'],
      (id: string) =>
        `aws ssm start-session --target ${id} --region us-east-1 --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["8888"],"localPortNumber":["8888"]}'`,
    ],
    [
      'a port number to another local port',
      ['--port', '8080', '--local-port', '18080'],
      (id: string) =>
        `aws ssm start-session --target ${id} --region us-east-1 --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["8080"],"localPortNumber":["18080"]}'`,
    ],
  ])('--print shows the exact command for %s', async (_case, flags, expected) => {
    const id = (await launched())['alice-ws']!.id;

    const result = await labops(['connect', 'alice-ws', '--repo', REPO, '--print', ...flags], labDir);

    expect(result).toEqual({ status: 0, stdout: `${expected(id)}\n`, stderr: '' });
  });

  it.each([
    ['neither tool', [], 'aws is not installed'],
    ['aws without the plugin', ['aws'], 'session-manager-plugin is not installed'],
  ])('with %s on PATH: prints the command, says what to install, exit 1', async (_case, tools, words) => {
    const id = (await launched())['alice-ws']!.id;
    const path = toolDir(tools);

    const result = await labops(['connect', 'alice-ws', '--repo', REPO], labDir, { PATH: path });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe(`aws ssm start-session --target ${id} --region us-east-1\n`);
    expect(result.stderr).toContain(`labops connect: ${words}`);
    expect(result.stderr).toContain('https://docs.aws.amazon.com/');
  });

  it('runs aws ssm start-session when both tools are there, with its exit status', async () => {
    const id = (await launched())['alice-ws']!.id;
    const path = toolDir(['aws', 'session-manager-plugin']);

    const result = await labops(['connect', '.', 'alice-ws', '--repo', REPO, '--port', 'code-server'], labDir, {
      PATH: path,
    });

    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(path, 'args.txt'), 'utf8').split('\n')).toEqual([
      'ssm',
      'start-session',
      '--target',
      id,
      '--region',
      'us-east-1',
      '--document-name',
      'AWS-StartPortForwardingSession',
      '--parameters',
      '{"portNumber":["8080"],"localPortNumber":["8080"]}',
      '',
    ]);
    expect(result.stderr).toContain('code-server on alice-ws → http://localhost:8080/');
  });

  it.each([
    ['a stopped workstation', ['carol-ws'], /carol-ws \(i-[0-9a-f]+\) is stopped; Session Manager needs it running/],
    ['an unknown workstation', ['nobody'], /no valid Workstation named "nobody" \(known: alice-ws, bob-ws, carol-ws\)/],
    [
      'an unknown service',
      ['alice-ws', '--port', 'rstudio'],
      /has no service "rstudio" \(services: jupyterlab \(8888\), code-server \(8080\)\)/,
    ],
    ['--local-port alone', ['alice-ws', '--local-port', '9000'], /--local-port goes with --port/],
    ['a bad port', ['alice-ws', '--port', '70000'], /--port must be a port number from 1 to 65535/],
  ])('refuses %s in one line, exit 1', async (_case, args, message) => {
    const result = await labops(['connect', ...args, '--repo', REPO, '--print'], labDir);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
