/**
 * Knock-on errors attached to their cause: a reference to a spec that is itself invalid (a
 * schema error, a YAML error, a misspelt kind) says the spec is invalid and where, never that it
 * does not exist, and is listed after the problems of the file that is the cause.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';
import { makeLab } from '../../support/lab-fixture.js';

const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const header = (kind: string, metadata: string): string =>
  `apiVersion: labops/v1\nkind: ${kind}\nmetadata: ${metadata}\n`;
/** bob-atmos with a misspelt field on line 6 (column 3). */
const BOB_TYPO = `${header('Workstation', '{ name: bob-atmos, owner: bob, project: atmos }')}spec:\n  environment: data-science-python@^1\n  instanceTyp: m6i.large\n`;
/** bob-atmos with a field indented out of line on line 7. */
const BOB_INDENT = `${header('Workstation', '{ name: bob-atmos, owner: bob, project: atmos }')}spec:\n  environment: data-science-python@^1\n  region: us-west-2\n   instanceType: m6i.large\n`;
const ATMOS_BUDGET = `${header('Budget', '{ name: atmos }')}spec:\n  project: atmos\n  limitUSD: 100\n  period: { every: month }\n`;
const SELECT_BOB = `${header('SnapshotSchedule', '{ name: bob-nightly }')}spec:\n  selector: { workstations: [bob-atmos] }\n  cron: "0 2 * * *"\n`;
const INDENT_MESSAGE =
  'this line is indented differently from the lines above it — line up "instanceType:" with "region:" (YAML uses indentation to nest)';
const TYPO_MESSAGE = 'unknown field "instanceTyp" in spec (did you mean "instanceType"?)';
const MISSING_MESSAGE = 'missing required field "instanceType" in spec';

function shown(files: Record<string, string>): string[] {
  const lab = makeLab(files);
  cleanups.push(lab.cleanup);
  return validateLab(lab.dir, { catalog }).problems.map(
    (p) => `${p.file}:${p.line}:${p.column} ${p.severity}: ${p.message}`,
  );
}

describe('a reference to an invalid spec points at its cause, listed after it', () => {
  it.each([
    [
      'a snapshot selector naming a workstation with a schema error',
      { 'workstations/bob.yaml': BOB_TYPO, 'budgets/atmos.yaml': ATMOS_BUDGET, 'snapshots/bob.yaml': SELECT_BOB },
      [
        `workstations/bob.yaml:4:1 error: ${MISSING_MESSAGE}`,
        `workstations/bob.yaml:6:3 error: ${TYPO_MESSAGE}`,
        'budgets/atmos.yaml:5:12 warning: no valid Workstation or Job has project "atmos": Workstation "bob-atmos" is invalid (see workstations/bob.yaml:4:1)',
        'snapshots/bob.yaml:5:30 error: Workstation "bob-atmos" is invalid (see workstations/bob.yaml:4:1)',
      ],
    ],
    [
      'a snapshot selector naming a workstation whose file has a YAML error',
      { 'workstations/bob.yaml': BOB_INDENT, 'budgets/atmos.yaml': ATMOS_BUDGET, 'snapshots/bob.yaml': SELECT_BOB },
      [
        `workstations/bob.yaml:7:4 error: ${INDENT_MESSAGE}`,
        'budgets/atmos.yaml:5:12 warning: no valid Workstation or Job has project "atmos": Workstation "bob-atmos" is invalid (see workstations/bob.yaml:7:4)',
        'snapshots/bob.yaml:5:30 error: Workstation "bob-atmos" is invalid (see workstations/bob.yaml:7:4)',
      ],
    ],
    [
      'a job depending on an invalid job',
      {
        'jobs/a-post.yaml': `${header('Job', '{ name: post, owner: alice, project: lab }')}spec:\n  queue: q\n  definition: { image: x/y:1, vcpus: 1, memoryMiB: 512 }\n  dependsOn: [ { job: pre } ]\n`,
        'jobs/b-pre.yaml': `${header('Job', '{ name: pre, owner: alice, project: lab }')}spec:\n  queue: q\n  definition: { image: x/y:1, vcpus: -1, memoryMiB: 512 }\n`,
      },
      [
        'jobs/b-pre.yaml:6:38 error: spec.definition.vcpus must be >= 0.25 (got -1)',
        'jobs/a-post.yaml:7:23 error: Job "pre" is invalid (see jobs/b-pre.yaml:6:38)',
      ],
    ],
    [
      'a restore from an invalid snapshot schedule',
      {
        'workstations/a-restore.yaml': `${header('Workstation', '{ name: restored, owner: alice, project: lab }')}spec:\n  environment: data-science-python@^1\n  instanceType: m6i.large\n  restoreFrom: weekly/latest\n`,
        'workstations/b-schedule.yaml': `${header('SnapshotSchedule', '{ name: weekly }')}spec:\n  selector: { project: lab }\n  cron: "0 2 * * *"\n  type: volume\n`,
      },
      [
        'workstations/b-schedule.yaml:7:9 error: spec.type must be one of volumes, image (got "volume") (did you mean "volumes"?)',
        'workstations/a-restore.yaml:7:16 error: SnapshotSchedule "weekly" is invalid (see workstations/b-schedule.yaml:7:9)',
      ],
    ],
    [
      "a workstation on the lab's own environment, which is invalid",
      {
        'environments/fmri.yaml': `${header('Environment', '{ name: lab-fmri, version: 1.0.0 }')}spec:\n  inherits: base-ubuntu@^1\n  packages: { apt: [BAD PACKAGE] }\n`,
        'workstations/fmri.yaml': `${header('Workstation', '{ name: fmri, owner: alice, project: lab }')}spec:\n  environment: lab-fmri@^1\n  instanceType: m6i.large\n`,
      },
      [
        'environments/fmri.yaml:6:21 error: spec.packages.apt[0] "BAD PACKAGE" is not valid: a package name, optionally pinned `name=version`; letters, digits and `+._-` only',
        'workstations/fmri.yaml:5:16 error: Environment "lab-fmri" is invalid (see environments/fmri.yaml:6:21)',
      ],
    ],
    [
      'a workstation declared under a misspelt kind',
      {
        'workstations/bob.yaml': BOB_TYPO.replace('Workstation', 'Workstaton').replace(
          '  instanceTyp:',
          '  instanceType:',
        ),
        'budgets/atmos.yaml': ATMOS_BUDGET,
        'snapshots/bob.yaml': SELECT_BOB,
      },
      [
        'workstations/bob.yaml:2:7 error: unknown kind "Workstaton" (did you mean "Workstation"?); expected one of Lab, Workstation, Budget, SnapshotSchedule, Job, JobQueue, Environment, EnvironmentImage',
        'budgets/atmos.yaml:5:12 warning: no valid Workstation or Job has project "atmos": spec "bob-atmos" is invalid (see workstations/bob.yaml:2:7)',
        'snapshots/bob.yaml:5:30 error: Workstation "bob-atmos" is invalid (see workstations/bob.yaml:2:7)',
      ],
    ],
    [
      "a budget whose project only an invalid workstation has (the warning follows the workstation's error)",
      { 'workstations/bob.yaml': BOB_TYPO, 'budgets/atmos.yaml': ATMOS_BUDGET },
      [
        `workstations/bob.yaml:4:1 error: ${MISSING_MESSAGE}`,
        `workstations/bob.yaml:6:3 error: ${TYPO_MESSAGE}`,
        'budgets/atmos.yaml:5:12 warning: no valid Workstation or Job has project "atmos": Workstation "bob-atmos" is invalid (see workstations/bob.yaml:4:1)',
      ],
    ],
    [
      'a snapshot selector by project that only an invalid workstation has',
      {
        'workstations/bob.yaml': BOB_INDENT,
        'budgets/atmos.yaml': ATMOS_BUDGET,
        'snapshots/atmos.yaml': `${header('SnapshotSchedule', '{ name: atmos-nightly }')}spec:\n  selector: { project: atmos }\n  cron: "0 2 * * *"\n`,
      },
      [
        `workstations/bob.yaml:7:4 error: ${INDENT_MESSAGE}`,
        'budgets/atmos.yaml:5:12 warning: no valid Workstation or Job has project "atmos": Workstation "bob-atmos" is invalid (see workstations/bob.yaml:7:4)',
        'snapshots/atmos.yaml:5:24 warning: selector matches no valid Workstation: Workstation "bob-atmos" of project "atmos" is invalid (see workstations/bob.yaml:7:4)',
      ],
    ],
    [
      'a budget with a YAML error still covers its project (no "has no Budget" on the workstations)',
      {
        'budgets/atmos.yaml': `${ATMOS_BUDGET}  notify: [@pi]\n`,
        'workstations/bob.yaml': BOB_TYPO.replace('instanceTyp:', 'instanceType:'),
      },
      ['budgets/atmos.yaml:8:12 error: a value cannot start with @ unless it is quoted — write it as "@pi"'],
    ],
  ])('%s', (_name, files, expected) => {
    expect(shown(files)).toEqual(expected);
  });

  it('still says a name does not exist when nothing declares it', () => {
    expect(shown({ 'snapshots/bob.yaml': SELECT_BOB.replace('bob-atmos', 'ghost-ws') })).toEqual([
      'snapshots/bob.yaml:5:30 error: no Workstation named "ghost-ws"',
    ]);
  });
});
