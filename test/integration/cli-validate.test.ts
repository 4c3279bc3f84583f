/**
 * `labops validate` through the built binary, never silent: specs it does not read are warned,
 * YAML mistakes are worded with the fix at the line that is wrong, and a reference to an invalid
 * spec points at its cause and comes after it — in text and in JSON.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { makeLab } from '../support/lab-fixture.js';

const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function validate(
  files: Record<string, string>,
  ...args: string[]
): { status: number | null; stdout: string; stderr: string } {
  const lab = makeLab(files);
  cleanups.push(lab.cleanup);
  const result = spawnSync(process.execPath, [bin, 'validate', lab.dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LABOPS_DEBUG: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CAROL =
  'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: carol, owner: carol, project: lab }\nspec:\n  environment: data-science-python@^1\n  instanceType: m6i.large\n';
const BOB_INDENT =
  'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: bob-atmos, owner: bob, project: lab }\nspec:\n  environment: data-science-python@^1\n  region: us-west-2\n   instanceType: m6i.large\n';
const SELECT_BOB =
  'apiVersion: labops/v1\nkind: SnapshotSchedule\nmetadata: { name: bob-nightly }\nspec:\n  selector: { workstations: [bob-atmos] }\n  cron: "0 2 * * *"\n';
const INDENT =
  'this line is indented differently from the lines above it — line up "instanceType:" with "region:" (YAML uses indentation to nest)';
const NOT_READ =
  'this file holds a labops Workstation but is not read: labops reads only the folders in spec.paths, by default workstations, budgets, snapshots, jobs, queues, environments, images';

describe('labops validate (built) never stays silent', () => {
  it.each([
    [
      'a spec in workstation/ (singular): a warning and a summary that counts it, exit 0',
      { 'workstation/carol.yaml': CAROL },
      0,
      `workstation/carol.yaml:1:1: warning: ${NOT_READ}; set spec.paths in labops.yaml to [workstations, budgets, snapshots, jobs, queues, environments, images, workstation], or move it to workstations/\n` +
        '✓ 5 specs in 5 files valid, 1 warning; 1 file not read\n',
    ],
    [
      'a spec saved as .yml.txt in a spec folder',
      { 'workstations/carol.yml.txt': CAROL },
      0,
      'workstations/carol.yml.txt:1:1: warning: this file holds a labops Workstation but is not read: only files ending in .yaml or .yml are read; rename it to workstations/carol.yml\n' +
        '✓ 5 specs in 5 files valid, 1 warning; 1 file not read\n',
    ],
    [
      'a bad indent: plain words at the line that is out of step, exit 1',
      { 'workstations/bob.yaml': BOB_INDENT },
      1,
      `workstations/bob.yaml:7:4: error: ${INDENT}\n` +
        '    7 |    instanceType: m6i.large\n' +
        '      |    ^\n' +
        '✗ 1 error in 6 files\n',
    ],
    [
      'a selector naming that workstation: the knock-on says it is invalid and where, after the cause',
      { 'workstations/bob.yaml': BOB_INDENT, 'snapshots/bob.yaml': SELECT_BOB },
      1,
      `workstations/bob.yaml:7:4: error: ${INDENT}\n` +
        '    7 |    instanceType: m6i.large\n' +
        '      |    ^\n' +
        'snapshots/bob.yaml:5:30: error: Workstation "bob-atmos" is invalid (see workstations/bob.yaml:7:4) (spec.selector.workstations[0])\n' +
        '    5 |   selector: { workstations: [bob-atmos] }\n' +
        '      |                              ^\n' +
        '✗ 2 errors in 7 files\n',
    ],
  ])('%s', (_name, files, status, stdout) => {
    const result = validate(files);

    expect(result).toEqual({ status, stdout, stderr: '' });
  });

  it('lists the cause before its knock-on in JSON too', () => {
    const result = validate(
      { 'workstations/bob.yaml': BOB_INDENT, 'snapshots/bob.yaml': SELECT_BOB, 'workstation/carol.yaml': CAROL },
      '--format',
      'json',
    );

    expect(result.status).toBe(1);
    const body = JSON.parse(result.stdout) as { problems: { file: string; line: number; severity: string }[] };
    expect(body.problems.map((p) => `${p.file}:${p.line} ${p.severity}`)).toEqual([
      'workstation/carol.yaml:1 warning',
      'workstations/bob.yaml:7 error',
      'snapshots/bob.yaml:5 error',
    ]);
  });
});
