/**
 * Lab policy that cannot be dodged: per-owner limits blame the new declaration (not at the base,
 * else the later in file order) and never invalidate an existing workstation; `requireBudget`
 * makes a project without a Budget an error; `maxJobUSD` caps one Job's estimate.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { validateLab } from '../../../reconciler/src/specs/validate.js';
import { makeLab } from '../../support/lab-fixture.js';

const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function lab(files: Record<string, string>): string {
  const made = makeLab(files, null);
  cleanups.push(made.cleanup);
  return made.dir;
}

function labYaml(policy: string): string {
  return `apiVersion: labops/v1\nkind: Lab\nmetadata: { name: policy-lab }\nspec:\n  aws: { accountId: "111122223333", defaultRegion: us-east-1 }\n  policy: { ${policy} }\n`;
}

function ws(name: string, owner: string, project = 'neuro'): string {
  return `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, project: ${project} }\nspec:\n  environment: data-science-python@^1\n  instanceType: m6i.large\n`;
}

function job(name: string, definition: string, extra = ''): string {
  return `apiVersion: labops/v1\nkind: Job\nmetadata: { name: ${name}, owner: bob, project: neuro }\nspec:\n  queue: research\n  definition: ${definition}\n${extra}`;
}

const BUDGET =
  'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: neuro-monthly }\nspec:\n  project: neuro\n  limitUSD: 1000\n  period: { every: month }\n';

/** `file:line:col severity message` of every problem. */
function problems(dir: string, base?: string[]): string[] {
  const result = validateLab(dir, { catalog, ...(base === undefined ? {} : { base: { names: new Set(base) } }) });
  return result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.message}`);
}

describe('maxWorkstationsPerOwner blames the declaration beyond the limit', () => {
  const files = {
    'labops.yaml': labYaml('maxWorkstationsPerOwner: 1'),
    'budgets/neuro.yaml': BUDGET,
    'workstations/0-new.yaml': ws('alice-new', 'alice'),
    'workstations/alice.yaml': ws('alice-neuro', 'alice'),
  };

  it.each<[string, string[] | undefined, string[]]>([
    [
      'no base: the later in file order',
      undefined,
      [
        "workstations/alice.yaml:3:39 error alice already has 1 workstation (alice-new); the lab's maxWorkstationsPerOwner is 1, so alice-neuro cannot be added",
      ],
    ],
    [
      'base holds the later file: the new one earlier in file order is blamed',
      ['Workstation/alice-neuro'],
      [
        "workstations/0-new.yaml:3:37 error alice already has 1 workstation (alice-neuro); the lab's maxWorkstationsPerOwner is 1, so alice-new cannot be added",
      ],
    ],
    [
      'base holds the earlier file',
      ['Workstation/alice-new'],
      [
        "workstations/alice.yaml:3:39 error alice already has 1 workstation (alice-new); the lab's maxWorkstationsPerOwner is 1, so alice-neuro cannot be added",
      ],
    ],
    [
      'base holds both (the limit was lowered): a warning, both stay valid',
      ['Workstation/alice-new', 'Workstation/alice-neuro'],
      [
        "workstations/alice.yaml:3:39 warning alice has 2 workstations, over the limit (the lab's maxWorkstationsPerOwner is 1); alice-neuro exists at the base and stays, but no new one can be added",
      ],
    ],
  ])('%s', (_, base, expected) => {
    const dir = lab(files);

    const got = problems(dir, base);

    expect(got).toEqual(expected);
  });

  it('keeps the existing workstation valid and the new one invalid', () => {
    const dir = lab(files);

    const result = validateLab(dir, { catalog, base: { names: new Set(['Workstation/alice-neuro']) } });

    expect(result.specs.workstations.map((w) => w.spec.metadata.name)).toEqual(['alice-neuro']);
    expect(result.invalid).toEqual([{ file: 'workstations/0-new.yaml', kind: 'Workstation', name: 'alice-new' }]);
  });

  it('counts per owner', () => {
    const dir = lab({ ...files, 'workstations/0-new.yaml': ws('bob-neuro', 'bob') });

    expect(problems(dir)).toEqual([]);
  });
});

describe('requireBudget', () => {
  it.each<[string, string, Record<string, string>, string[]]>([
    [
      'default: a project without a Budget is an error',
      '',
      {},
      [
        'workstations/a.yaml:3:55 error project "neuro" has no Budget (the lab\'s policy.requireBudget: every project needs a Budget)',
      ],
    ],
    ['default, with a Budget: valid', '', { 'budgets/neuro.yaml': BUDGET }, []],
    [
      'a Budget of another project does not cover it',
      '',
      { 'budgets/neuro.yaml': BUDGET.replace('project: neuro', 'project: neuro-lab') },
      [
        'budgets/neuro.yaml:5:12 warning no Workstation or Job has project "neuro-lab"',
        'workstations/a.yaml:3:55 error project "neuro" has no Budget (the lab\'s policy.requireBudget: every project needs a Budget)',
      ],
    ],
    [
      'a Job counts too',
      '',
      { 'workstations/a.yaml': '', 'jobs/j.yaml': job('train', '{ image: lab/train:1, vcpus: 2, memoryMiB: 4096 }') },
      [
        'jobs/j.yaml:3:47 error project "neuro" has no Budget (the lab\'s policy.requireBudget: every project needs a Budget)',
      ],
    ],
    ['requireBudget: false and no Budget at all: nothing', 'requireBudget: false', {}, []],
    [
      'requireBudget: false with other Budgets: a warning',
      'requireBudget: false',
      { 'budgets/other.yaml': BUDGET.replace('project: neuro', 'project: atmos') },
      [
        'budgets/other.yaml:5:12 warning no Workstation or Job has project "atmos"',
        'workstations/a.yaml:3:55 warning project "neuro" has no Budget',
      ],
    ],
  ])('%s', (_, policy, extra, expected) => {
    const dir = lab({ 'labops.yaml': labYaml(policy), 'workstations/a.yaml': ws('alice-neuro', 'alice'), ...extra });

    expect(problems(dir)).toEqual(expected);
  });

  it('a Budget with an error of its own still covers its project (the error is on the Budget only)', () => {
    const dir = lab({
      'labops.yaml': labYaml(''),
      'workstations/a.yaml': ws('alice-neuro', 'alice'),
      'budgets/neuro.yaml': BUDGET.replace('limitUSD: 1000', 'limitUSD: -5'),
    });

    const result = validateLab(dir, { catalog });

    expect(result.problems.map((p) => p.file)).toEqual(['budgets/neuro.yaml']);
    expect(result.specs.workstations.map((w) => w.spec.metadata.name)).toEqual(['alice-neuro']);
  });
});

describe('maxJobUSD', () => {
  it.each<[string, string, string, string[]]>([
    ['under the cap', '{ image: lab/train:1, vcpus: 2, memoryMiB: 4096 }', '  timeout: 1h\n', []],
    [
      'over the cap: error on spec.definition',
      '{ image: lab/train:1, vcpus: 64, memoryMiB: 262144 }',
      '  timeout: 24h\n  array: 100\n',
      ['jobs/j.yaml:6:15 error job train is estimated at $'],
    ],
    [
      'a registered definition cannot be estimated: error',
      'lab-train:3',
      '',
      [
        "jobs/j.yaml:6:15 error job train: its cost cannot be estimated (registered definition, or no priced instance type fits), so it cannot be held to the lab's maxJobUSD of $50.00",
      ],
    ],
  ])('%s', (_, definition, extra, expected) => {
    const dir = lab({
      'labops.yaml': labYaml('maxJobUSD: 50'),
      'budgets/neuro.yaml': BUDGET,
      'jobs/j.yaml': job('train', definition, extra),
    });

    const got = problems(dir);

    expect(got.map((p, i) => (p.startsWith(expected[i] ?? '\0') ? expected[i] : p))).toEqual(expected);
  });

  it('names the estimate and the cap', () => {
    const dir = lab({
      'labops.yaml': labYaml('maxJobUSD: 50'),
      'budgets/neuro.yaml': BUDGET,
      'jobs/j.yaml': job(
        'train',
        '{ image: lab/train:1, vcpus: 64, memoryMiB: 262144 }',
        '  timeout: 24h\n  array: 100\n',
      ),
    });

    const [problem] = validateLab(dir, { catalog }).problems;

    expect(problem).toMatchObject({ path: 'spec.definition', severity: 'error' });
    expect(problem!.message).toMatch(
      /^job train is estimated at \$[\d,.]+: 100 × 64 vCPU\/262144 MiB × 1d \(timeout\) on \S+ at \$[\d.]+\/h, over the lab's maxJobUSD of \$50\.00$/,
    );
  });

  it('without maxJobUSD nothing is capped', () => {
    const dir = lab({
      'labops.yaml': labYaml(''),
      'budgets/neuro.yaml': BUDGET,
      'jobs/j.yaml': job('train', 'lab-train:3'),
    });

    expect(problems(dir)).toEqual([]);
  });
});
