/**
 * `labops init` through the built CLI: what it writes validates, every flag lands where the Lab
 * schema wants it, nothing is ever overwritten (and nothing written at all when a file is in the
 * way), bad or missing values are one line naming the flag, a terminal is asked, and the spec
 * modelines point at the published schemas.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_REF, PUBLISHED_MAJOR, PUBLISHED_REPO } from '../../reconciler/src/cli/init/published.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { outputChecker } from '../support/output-schemas.js';

const root = packageRoot();
const bin = join(root, 'dist/reconciler/src/cli/main.js');
const base = mkdtempSync(join(tmpdir(), 'labops-init-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let count = 0;
/** A new empty folder for one case. */
function folder(): string {
  const dir = join(base, `lab-${++count}`);
  mkdirSync(dir);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, stdin a pipe (so not a terminal). */
function labops(args: string[], cwd = base): Run {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, NO_COLOR: '1', LABOPS_DEBUG: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split('\\').join('/'))
    .sort();
}

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const lab = (dir: string): Record<string, any> => parse(read(dir, 'labops.yaml')) as Record<string, any>;

const FLAGS = ['--name', 'hartley-lab', '--account', '123456789012', '--region', 'us-west-2', '--admin', 'phartley'];

const WRITTEN = [
  '.github/workflows/labops-pull-request.yml',
  '.github/workflows/labops-push.yml',
  '.github/workflows/labops-schedule.yml',
  '.gitignore',
  'budgets/hartley-lab.yaml',
  'labops.yaml',
  'workstations/phartley-example.yaml',
];

describe('labops init', () => {
  it('writes a lab that `labops validate` passes, lists the files and the set-up still to do', () => {
    const dir = folder();

    const init = labops(['init', dir, ...FLAGS]);
    const validate = labops(['validate', dir]);

    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toBe('');
    expect(tree(dir)).toEqual(WRITTEN);
    for (const file of WRITTEN) expect(init.stdout).toContain(`\n  ${file}\n`);
    expect(init.stdout).toMatch(/Still to do .*docs\/action\.md/);
    expect(init.stdout).toContain('AWS account 123456789012: create the IAM OIDC provider');
    expect(init.stdout).toContain('labops:project cost allocation tag');
    expect(validate).toEqual({ status: 0, stdout: '✓ 3 specs in 3 files valid\n', stderr: '' });
    expect(read(dir, '.gitignore').split('\n')).toContain('.labops/');
  });

  it.each([
    [
      'one of each',
      FLAGS,
      { name: 'hartley-lab', accountId: '123456789012', defaultRegion: 'us-west-2', regions: ['us-west-2'] },
      ['phartley'],
    ],
    [
      'repeated --region and --admin: the first Region is the default, the first admin owns the example',
      [
        '--name',
        'atmos',
        '--account',
        '000000000042',
        '--region',
        'eu-west-1',
        '--region',
        'us-east-1',
        '--admin',
        'Bob-Okafor',
        '--admin',
        'phartley',
      ],
      { name: 'atmos', accountId: '000000000042', defaultRegion: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] },
      ['Bob-Okafor', 'phartley'],
    ],
    [
      'values YAML would read as something else stay strings',
      ['--name', '1e3', '--account', '012345678901', '--region', 'us-east-2', '--admin', '123', '--admin', 'yes'],
      { name: '1e3', accountId: '012345678901', defaultRegion: 'us-east-2', regions: ['us-east-2'] },
      ['123', 'yes'],
    ],
  ])('%s', (_name, flags, expected, admins) => {
    const dir = folder();

    const init = labops(['init', dir, ...flags]);
    const validate = labops(['validate', dir]);

    expect(init.status, init.stderr).toBe(0);
    const written = lab(dir);
    expect({
      name: written.metadata.name,
      accountId: written.spec.aws.accountId,
      defaultRegion: written.spec.aws.defaultRegion,
      regions: written.spec.aws.regions,
    }).toEqual(expected);
    expect(written.spec.admins).toEqual(admins);
    expect(written.spec.notify).toEqual(admins.map((a) => `@${a}`));
    const workstation = parse(read(dir, `workstations/${admins[0]!.toLowerCase()}-example.yaml`)) as Record<
      string,
      any
    >;
    expect(workstation.metadata).toEqual({
      name: `${admins[0]!.toLowerCase()}-example`,
      owner: admins[0],
      project: expected.name,
    });
    const budget = parse(read(dir, `budgets/${expected.name}.yaml`)) as Record<string, any>;
    expect(budget.spec.project).toBe(expected.name);
    expect(validate.status, validate.stdout).toBe(0);
    expect(validate.stdout).toMatch(/^✓ 3 specs in 3 files valid/m);
  });

  it('writes into the current folder without DIR, and creates a DIR that does not exist', () => {
    const here = folder();
    const parent = folder();

    const inHere = labops(['init', ...FLAGS], here);
    const nested = labops(['init', 'new/lab', ...FLAGS], parent);

    expect([inHere.status, nested.status]).toEqual([0, 0]);
    expect(tree(here)).toEqual(WRITTEN);
    expect(tree(join(parent, 'new/lab'))).toEqual(WRITTEN);
    expect(nested.stdout).toContain('wrote a lab repository in new/lab\n');
  });

  it('prints the files and the set-up as JSON with --format json, as its schema says', () => {
    const dir = folder();

    const init = labops(['init', dir, ...FLAGS, '--format', 'json']);

    expect(init.status, init.stderr).toBe(0);
    const document = JSON.parse(init.stdout) as { directory: string; files: string[]; setup: string[] };
    expect(outputChecker()('init', document)).toEqual([]);
    expect(document.directory).toBe(dir);
    expect([...document.files].sort()).toEqual(WRITTEN);
    expect(document.setup.length).toBeGreaterThan(2);
  });

  it.each([
    ['labops.yaml', 'labops.yaml'],
    ['labops.yml (the other name of the Lab file)', 'labops.yml'],
    ['.gitignore', '.gitignore'],
    ['a workflow', '.github/workflows/labops-push.yml'],
    ['the example workstation', 'workstations/phartley-example.yaml'],
    ['a folder where the budget would go', 'budgets/hartley-lab.yaml/keep'],
  ])('refuses when %s exists, in one line, and writes nothing', (_name, existing) => {
    const dir = folder();
    mkdirSync(join(dir, existing, '..'), { recursive: true });
    writeFileSync(join(dir, existing), 'mine\n');
    const before = tree(dir);

    const init = labops(['init', dir, ...FLAGS]);

    expect(init.status).toBe(1);
    expect(init.stdout).toBe('');
    expect(init.stderr).toMatch(
      /^labops init: .* already exists? in .*; init never overwrites, so nothing was written\n$/,
    );
    expect(init.stderr).toContain(existing.replace(/\/keep$/, ''));
    expect(tree(dir)).toEqual(before);
    expect(read(dir, existing)).toBe('mine\n');
  });

  it.each([
    [
      'an account id of 11 digits',
      ['--account', '12345678901'],
      '--account "12345678901" is not a 12-digit AWS account id',
    ],
    ['an account id with letters', ['--account', '12345678901a'], '--account "12345678901a" is not a 12-digit'],
    ['an account id given as a number with a sign', ['--account', '+23456789012'], 'is not a 12-digit AWS account id'],
    ['a Region name that is not one', ['--region', 'us_west_2'], '--region "us_west_2" is not an AWS Region code'],
    ['a second Region that is not one', ['--region', 'us-west-2', '--region', 'Mars'], '--region "Mars"'],
    [
      'the same Region twice',
      ['--region', 'us-west-2', '--region', 'us-west-2'],
      '--region "us-west-2" is given twice',
    ],
    [
      'a login with the @',
      ['--admin', '@phartley'],
      '--admin "@phartley" is not a GitHub login, without the leading @',
    ],
    ['a login with two hyphens in a row', ['--admin', 'p--hartley'], '--admin "p--hartley" is not a GitHub login'],
    ['a login of 40 characters', ['--admin', 'a'.repeat(40)], 'is not a GitHub login'],
    ['an upper-case lab name', ['--name', 'Hartley'], '--name "Hartley" is not a lab name'],
    ['a lab name ending in a hyphen', ['--name', 'hartley-'], '--name "hartley-" is not a lab name'],
  ])('refuses %s in one line naming the flag, exit 1, nothing written', (_name, override, message) => {
    const dir = join(folder(), 'lab');
    const flags = [...FLAGS];
    const flag = override[0]!;
    const at = flags.indexOf(flag);
    flags.splice(at, 2);

    const init = labops(['init', dir, ...flags, ...override]);

    expect(init.status).toBe(1);
    expect(init.stdout).toBe('');
    expect(init.stderr).toContain(message);
    expect(init.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    ['every value', [], '--name, --account, --region, --admin'],
    ['the account', FLAGS.filter((_f, i) => i !== 2 && i !== 3), '--account'],
    ['the admins', FLAGS.slice(0, 6), '--admin'],
  ])('off a terminal, a missing value (%s) is one line naming its flags, exit 1', (_name, flags, named) => {
    const dir = join(folder(), 'lab');

    const init = labops(['init', dir, ...flags]);

    expect(init.status).toBe(1);
    expect(init.stderr).toBe(
      `labops init: missing ${named} (not on a terminal, so nothing is asked; see labops init --help)\n`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    ['an unknown flag', ['--acount', '123456789012'], /^labops init: unknown option --acount/],
    ['two folders', ['a', 'b'], /^labops init: expected at most one DIR, got 2\n$/],
    ['a format init does not have', ['--format', 'markdown'], /^labops init: --format must be one of text, json/],
  ])('refuses %s as a usage error', (_name, args, message) => {
    const init = labops(['init', ...args, ...FLAGS]);

    expect(init.status).toBe(1);
    expect(init.stderr).toMatch(message);
  });

  it('prints its usage with --help and exits 0', () => {
    const help = labops(['init', '--help']);

    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: labops init \[DIR\]/);
    for (const flag of ['--name', '--account', '--region', '--admin', '--format']) expect(help.stdout).toContain(flag);
  });

  const script = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

  it.skipIf(!script)('asks on a terminal for what the flags leave out, again after an answer it cannot take', () => {
    const dir = join(folder(), 'asked-lab');
    // script(1) runs the CLI on a pseudo-terminal and types these answers into it.
    const answers = ['', '1234', '123456789012', 'us-east-1 eu-central-1', 'pi-one pi-two', ''].join('\n');
    const command = [process.execPath, bin, 'init', dir].map((a) => `'${a}'`).join(' ');

    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      input: answers,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });

    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain('Lab name (--name, e.g. hartley-lab) [asked-lab]: ');
    expect(run.stdout).toContain('--account "1234" is not a 12-digit AWS account id');
    const written = lab(dir);
    expect(written.metadata.name).toBe('asked-lab');
    expect(written.spec.aws).toEqual({
      accountId: '123456789012',
      defaultRegion: 'us-east-1',
      regions: ['us-east-1', 'eu-central-1'],
    });
    expect(written.spec.admins).toEqual(['pi-one', 'pi-two']);
    expect(labops(['validate', dir]).status).toBe(0);
  });

  it.skipIf(!script)('on a terminal whose input ends, stops with one line and writes nothing', () => {
    const dir = join(folder(), 'lab');
    const command = [process.execPath, bin, 'init', dir, '--region', 'us-east-1'].map((a) => `'${a}'`).join(' ');

    const run = spawnSync('script', ['-qec', command, '/dev/null'], { input: 'lab\n', encoding: 'utf8' });

    expect(run.status).toBe(1);
    expect(run.stdout).toContain('labops init: no acceptable --account given');
    expect(existsSync(dir)).toBe(false);
  });

  describe('what it writes', () => {
    const dir = folder();
    const init = labops(['init', dir, ...FLAGS]);
    const specs = tree(dir).filter((f) => f.endsWith('.yaml'));

    it('wrote them', () => {
      expect(init.status, init.stderr).toBe(0);
      expect(specs).toEqual(['budgets/hartley-lab.yaml', 'labops.yaml', 'workstations/phartley-example.yaml']);
    });

    it.each(specs)('%s opens with a modeline naming the published schema of its kind, a file labops has', (file) => {
      const [first = ''] = read(dir, file).split('\n');
      const kind = (parse(read(dir, file)) as { kind: string }).kind;

      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);

      expect(m).not.toBeNull();
      const url = m![1]!;
      const prefix = `https://raw.githubusercontent.com/${PUBLISHED_REPO}/${PUBLISHED_MAJOR}/`;
      expect(url.startsWith(prefix), url).toBe(true);
      const path = url.slice(prefix.length);
      expect(path).toMatch(/^schemas\/[a-z-]+\.schema\.json$/);
      expect(existsSync(join(root, path)), path).toBe(true);
      expect((JSON.parse(read(root, path)) as { title: string }).title).toBe(kind);
    });

    it.each([
      ['labops-pull-request.yml', 'pull-request.yml', 'labops-plan'],
      ['labops-push.yml', 'push.yml', 'labops-apply'],
      ['labops-schedule.yml', 'schedule.yml', 'labops-apply'],
    ])(
      '.github/workflows/%s is examples/workflows/%s with the published Action, the lab account role %s and its Region',
      (written, example, role) => {
        const text = read(dir, `.github/workflows/${written}`);
        const original = read(root, `examples/workflows/${example}`);

        const uses = text.split('\n').filter((l) => /\buses: \S+\/labops@/.test(l));

        expect(uses).toHaveLength(1);
        expect(uses[0]).toMatch(new RegExp(`uses: ${ACTION_REF.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s`));
        expect(text).toContain(`role-to-assume: arn:aws:iam::123456789012:role/${role}`);
        expect(text).toMatch(/aws-region: us-west-2\n/);
        const norm = (t: string) =>
          t
            .split('\n')
            .filter((l) => !/uses: \S+\/labops@|role-to-assume:|aws-region:/.test(l))
            .join('\n');
        expect(norm(text)).toBe(norm(original));
      },
    );

    it('pins the examples to the same published Action the workflows it writes use', () => {
      const examples = readdirSync(join(root, 'examples/workflows')).map((f) => read(root, `examples/workflows/${f}`));

      const refs = examples.flatMap((t) => [...t.matchAll(/uses: (\S+\/labops@\S+)/g)].map((m) => m[1]));

      expect(refs.length).toBe(3);
      expect(new Set(refs)).toEqual(new Set([ACTION_REF]));
    });
  });

  it.each([
    { name: '--id is written as spec.id', flags: ['--id', 'hartley/lab'], id: 'hartley/lab' },
    { name: 'without --id, outside a GitHub clone: local/NAME', flags: [], id: 'local/hartley-lab' },
  ])('$name', ({ flags, id }) => {
    // Arrange
    const dir = folder();

    // Act
    const init = spawnSync(process.execPath, [bin, 'init', dir, ...FLAGS, ...flags], {
      cwd: base,
      encoding: 'utf8',
      input: '',
      env: { ...process.env, NO_COLOR: '1', GITHUB_REPOSITORY: '' },
    });

    // Assert
    expect(init.status, init.stderr).toBe(0);
    expect(lab(dir).spec.id).toBe(id);
  });

  it('refuses an --id that is not owner/name, writing nothing', () => {
    // Arrange
    const dir = folder();

    // Act
    const init = labops(['init', dir, ...FLAGS, '--id', 'a/b/../c']);

    // Assert
    expect(init.status).toBe(1);
    expect(init.stderr).toBe('labops init: --id "a/b/../c" is not a lab id owner/name, e.g. hartley/lab\n');
    expect(tree(dir)).toEqual([]);
  });
});
