/** `labops validate` as a person, a program and GitHub Actions see it. */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../reconciler/src/cli/run-cli.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';
import { captureIo } from '../../support/io.js';
import { makeLab } from '../../support/lab-fixture.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
function lab(files: Record<string, string>, base?: null): string {
  const made = makeLab(files, base);
  cleanups.push(made.cleanup);
  return made.dir;
}

const TYPO =
  'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: typo, owner: bob, project: lab }\nspec:\n  environment: data-science-python@^1\n  instanceType: r6i.2xlrge\n';

describe('labops validate', () => {
  it('passes the example lab with exit 0 and a summary', async () => {
    const io = captureIo(packageRoot());

    const code = await runCli(['validate', 'examples/lab'], io);

    expect(code).toBe(0);
    expect(io.out).toBe('✓ 21 specs in 21 files valid\n');
    expect(io.err).toBe('');
  });

  it('shows each problem like a compiler: file:line:col, the source line and a caret; exit 1', async () => {
    const dir = lab({ 'workstations/typo.yaml': TYPO });
    const io = captureIo(dir);

    const code = await runCli(['validate'], io);

    expect(code).toBe(1);
    expect(io.out).toBe(
      'workstations/typo.yaml:6:17: error: unknown instance type "r6i.2xlrge" (did you mean "r6i.2xlarge"?) (spec.instanceType)\n' +
        '    6 |   instanceType: r6i.2xlrge\n' +
        '      |                 ^\n' +
        '✗ 1 error in 6 files\n',
    );
  });

  it('writes stable JSON with --format json', async () => {
    const dir = lab({ 'workstations/typo.yaml': TYPO });
    const io = captureIo(dir);

    const code = await runCli(['validate', dir, '--format', 'json'], io);

    expect(code).toBe(1);
    expect(JSON.parse(io.out)).toEqual({
      valid: false,
      errors: 1,
      warnings: 0,
      files: [
        'budgets/base.yaml',
        'jobs/base.yaml',
        'labops.yaml',
        'snapshots/base.yaml',
        'workstations/base.yaml',
        'workstations/typo.yaml',
      ],
      problems: [
        {
          file: 'workstations/typo.yaml',
          line: 6,
          column: 17,
          path: 'spec.instanceType',
          message: 'unknown instance type "r6i.2xlrge" (did you mean "r6i.2xlarge"?)',
          severity: 'error',
        },
      ],
    });
  });

  it('writes GitHub workflow commands with --format github, escaping what the runner would misread', async () => {
    const dir = lab({
      'workstations/typo.yaml': TYPO,
      'budgets/ghost.yaml':
        'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: ghost }\nspec:\n  project: ghost\n  limitUSD: 10\n  period: { every: month }\n',
    });
    const io = captureIo(dir, { LABOPS_PATH_PREFIX: 'labs/neuro/' });

    const code = await runCli(['validate', '--format', 'github'], io);

    expect(code).toBe(1);
    expect(io.out.split('\n')).toEqual([
      '::warning file=labs/neuro/budgets/ghost.yaml,line=5,col=12,title=labops%3A spec.project::no Workstation or Job has project "ghost"',
      '::error file=labs/neuro/workstations/typo.yaml,line=6,col=17,title=labops%3A spec.instanceType::unknown instance type "r6i.2xlrge" (did you mean "r6i.2xlarge"?)',
      '',
    ]);
  });

  it('keeps warnings from failing: exit 0', async () => {
    const dir = lab({
      'budgets/ghost.yaml':
        'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: ghost }\nspec:\n  project: ghost\n  limitUSD: 10\n  period: { every: month }\n',
    });
    const io = captureIo(dir);

    const code = await runCli(['validate'], io);

    expect(code).toBe(0);
    expect(io.out).toContain('warning: no Workstation or Job has project "ghost"');
    expect(io.out).toContain('✓ 6 specs in 6 files valid, 1 warning\n');
  });

  it.each([
    [['validate', '--bogus'], 'labops validate: unknown option --bogus\n'],
    [['validate', '--format', 'xml'], 'labops validate: --format must be one of text, json, github (got xml)\n'],
    [['validate', 'a', 'b'], 'labops validate: expected at most one DIR, got 2\n'],
    [
      ['frobnicate'],
      'labops: unknown command "frobnicate"; commands: init, validate, env, plan, apply, reconcile, status, connect, cleanup, cost, record, adopt, sim\n',
    ],
  ])('rejects %j with one line and exit 1', async (argv, message) => {
    const io = captureIo(packageRoot());

    const code = await runCli(argv, io);

    expect(code).toBe(1);
    expect(io.err).toBe(message);
    expect(io.out).toBe('');
  });

  it('reports a missing labops.yaml as one problem', async () => {
    const dir = lab({ 'workstations/a.yaml': TYPO }, null);
    const io = captureIo(dir);

    const code = await runCli(['validate'], io);

    expect(code).toBe(1);
    expect(io.out).toMatch(
      /^labops\.yaml:1:1: error: no labops\.yaml in .+: a lab repository needs one at its root \(kind: Lab\)\n/,
    );
  });

  it('warns about a listed path that does not exist and refuses symbolic links', async () => {
    const dir = lab(
      {
        'labops.yaml':
          'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: l }\nspec:\n  aws: { accountId: "111122223333", defaultRegion: us-west-2 }\n  paths: [workstations, nowhere]\n',
      },
      null,
    );
    mkdirSync(join(dir, 'workstations'));
    symlinkSync('/etc/passwd', join(dir, 'workstations', 'passwd.yaml'));
    const io = captureIo(dir);

    const code = await runCli(['validate', '--format', 'json'], io);

    expect(code).toBe(1);
    expect(JSON.parse(io.out).problems).toEqual([
      {
        file: 'labops.yaml',
        line: 6,
        column: 25,
        path: 'spec.paths',
        message: 'path "nowhere" does not exist',
        severity: 'warning',
      },
      {
        file: 'workstations/passwd.yaml',
        line: 1,
        column: 1,
        path: '',
        message: 'symlinks are not allowed',
        severity: 'error',
      },
    ]);
  });
});
