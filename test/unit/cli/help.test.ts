/**
 * `--help` on every command and subcommand, generated from the one definition (cli/definitions.ts),
 * exit 0, listing every flag the command parses; a mistyped flag or command gets "did you mean".
 * Through the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, flagsOf } from '../../../reconciler/src/cli/definitions.js';
import { closest } from '../../../reconciler/src/model/suggest.js';
import type { CommandDef } from '../../../reconciler/src/cli/definitions.js';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');

function labops(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LABOPS_DEBUG: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every command and subcommand path with its definition. */
const PATHS: [string, CommandDef][] = COMMANDS.flatMap((c) => [
  [c.name, c] as [string, CommandDef],
  ...(c.subcommands ?? []).map((s): [string, CommandDef] => [`${c.name} ${s.name}`, s]),
]);

describe('labops COMMAND --help (built CLI)', () => {
  it.each(PATHS)('%s --help: exit 0, its usage and every flag it parses', (path, def) => {
    // Act
    const long = labops([...path.split(' '), '--help']);
    const short = labops([...path.split(' '), '-h']);

    // Assert
    expect([long.status, long.stderr]).toEqual([0, '']);
    expect(long.stdout.startsWith(`Usage: labops ${path} ${def.usage}`)).toBe(true);
    for (const flag of Object.keys(flagsOf(def))) expect(long.stdout).toContain(`--${flag}`);
    expect(short).toEqual(long);
  });

  it.each([
    [
      ['env', '--help'],
      ['list', 'show'],
    ],
    [
      ['env', 'list', '--help'],
      ['--dir DIR', '--format'],
    ],
    [
      ['sim', '--help'],
      ['--port N', '--realtime'],
    ],
    [
      ['apply', '--help'],
      ['--target NAME', '--out FILE', '--quiet', 'ISO timestamps'],
    ],
  ])('%j names %j', (args, wanted) => {
    const result = labops(args);

    expect(result.status).toBe(0);
    for (const text of wanted) expect(result.stdout).toContain(text);
  });

  it('labops --help lists every command of the definition', () => {
    const result = labops(['--help']);

    expect(result.status).toBe(0);
    for (const c of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${c.name} +${c.summary.slice(0, 20)}`, 'm'));
  });
});

describe('did you mean (built CLI)', () => {
  it.each([
    [['plan', '--fromat', 'json'], 'labops plan: unknown option --fromat; did you mean --format?\n'],
    [['status', '--from-recrod'], 'labops status: unknown option --from-recrod; did you mean --from-record?\n'],
    [['apply', '--taget', 'x'], 'labops apply: unknown option --taget; did you mean --target?\n'],
    [['validate', '--bogus'], 'labops validate: unknown option --bogus\n'],
    [
      ['env', 'list', '--fromat', 'json'],
      expect.stringMatching(/^labops env: unknown option --fromat; did you mean --format\?\n/),
    ],
    [['sim', '--prot', '0'], expect.stringMatching(/^labops sim: unknown option --prot; did you mean --port\?\n/)],
    [['aplly'], expect.stringMatching(/^labops: unknown command "aplly" \(did you mean apply\?\); commands: init, /)],
  ])('%j: one line, exit 1', (args, message) => {
    const result = labops(args);

    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', message]);
  });

  it.each([
    ['fromat', ['format', 'now'], 'format'],
    ['qiuet', ['quiet'], 'quiet'],
    ['x', ['format'], undefined],
    ['verbose', ['format', 'quiet', 'region'], undefined],
  ])('closest(%s, %j) is %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });
});
