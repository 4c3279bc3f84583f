/**
 * EnvironmentImage validation: the environment reference resolves (a lab-local Environment that is
 * itself invalid is pointed at); one EnvironmentImage per environment version; Regions are the
 * Lab's; build instance types are priced, of the environment's architecture and allowed (the
 * default, the environment's first recommended type, too); keep ≥ 1; rebuild.every a duration
 * longer than zero. Each problem is one line naming file:line:col.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';
import { makeLab } from '../../support/lab-fixture.js';

const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const LAB = `apiVersion: labops/v1
kind: Lab
metadata: { name: image-lab }
spec:
  aws: { accountId: "111122223333", defaultRegion: us-east-1, regions: [us-east-1, us-west-2] }
  policy: { allowedInstanceTypes: ["m6i.*", "r6i.*", "m7g.*"], requireBudget: false }
`;

function image(name: string, spec: string): string {
  return `apiVersion: labops/v1\nkind: EnvironmentImage\nmetadata: { name: ${name}, owner: pi-login, project: neuro-lab }\nspec:\n${spec}`;
}

function problems(files: Record<string, string>): string[] {
  const made = makeLab({ 'labops.yaml': LAB, ...files }, null);
  cleanups.push(made.cleanup);
  return validateLab(made.dir, { catalog }).problems.map(
    (p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.message}`,
  );
}

describe('EnvironmentImage validation', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'a valid image of a catalog environment in two Regions',
      {
        'images/neuro.yaml': image(
          'neuro',
          '  environment: neuroimaging@^1\n  regions: [us-east-1, us-west-2]\n  instanceTypes: [m6i.xlarge]\n  keep: 2\n  rebuild: { every: 30d }\n',
        ),
      },
      [],
    ],
    [
      'the default build type (the first recommended, r6i.2xlarge) is allowed',
      { 'images/neuro.yaml': image('neuro', '  environment: neuroimaging@1.2.0\n') },
      [],
    ],
    [
      'an environment that does not exist',
      { 'images/x.yaml': image('x', '  environment: neuroimagin@^1\n') },
      ['images/x.yaml:5:16 error no environment named neuroimagin (did you mean neuroimaging?)'],
    ],
    [
      'a Region outside the Lab',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  regions: [us-east-1, eu-west-1]\n') },
      [
        'images/x.yaml:6:24 error region eu-west-1 is not one of the lab\'s regions (us-east-1, us-west-2) (did you mean "us-west-2"?)',
      ],
    ],
    [
      'an unknown build instance type',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  instanceTypes: [m6i.xlargee]\n') },
      ['images/x.yaml:6:19 error unknown instance type "m6i.xlargee" (did you mean "m6i.xlarge"?)'],
    ],
    [
      'a build type the Lab does not allow',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  instanceTypes: [c6i.xlarge]\n') },
      [
        'images/x.yaml:6:19 error instance type "c6i.xlarge" is not allowed by the lab policy (allowedInstanceTypes: m6i.*, r6i.*, m7g.*)',
      ],
    ],
    [
      "a build type of another architecture than the environment's",
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  instanceTypes: [m7g.xlarge]\n') },
      ['images/x.yaml:6:19 error instance type "m7g.xlarge" is arm64; environment neuroimaging is built for x86_64'],
    ],
    [
      'keep 0',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  keep: 0\n') },
      ['images/x.yaml:6:9 error spec.keep must be >= 1 (got 0)'],
    ],
    [
      'rebuild.every that is not a duration',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  rebuild: { every: monthly }\n') },
      [
        'images/x.yaml:6:21 error spec.rebuild.every "monthly" is not valid: a duration: a whole number followed by s, m, h or d, e.g. `30m`, `6h`, `2d`',
      ],
    ],
    [
      'rebuild.every of zero',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  rebuild: { every: 0d }\n') },
      ['images/x.yaml:6:21 error rebuild.every must be longer than zero (got 0d)'],
    ],
    [
      'two EnvironmentImages of one environment version',
      {
        'images/a.yaml': image('a', '  environment: neuroimaging@^1\n'),
        'images/b.yaml': image('b', '  environment: neuroimaging@1.2.0\n'),
      },
      [
        'images/b.yaml:5:16 error neuroimaging@1.2.0 is already baked by the EnvironmentImage at images/a.yaml:3: one EnvironmentImage per environment version (they would share one Image Builder recipe)',
      ],
    ],
    [
      'an unknown field',
      { 'images/x.yaml': image('x', '  environment: neuroimaging@^1\n  amis: 3\n') },
      [
        'images/x.yaml:6:3 error unknown field "amis" in spec; allowed: environment, regions, instanceTypes, instanceProfile, keep, rebuild',
      ],
    ],
  ])('%s', (_name, files, expected) => {
    const found = problems(files);

    expect(found).toEqual(expected);
  });
});
