/**
 * The mirror from validated specs: `notify` takes email addresses beside GitHub handles (a
 * malformed one is named in one line), and the Lab's `budgets.mirror: false` turns the mirror off.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { desiredLab } from '../../../../reconciler/src/engine/desired.js';
import { loadCatalog } from '../../../../reconciler/src/environments/catalog.js';
import { desiredAwsBudgets } from '../../../../reconciler/src/kinds/budget/mirror/desired.js';
import { validateLab } from '../../../../reconciler/src/specs/validate.js';
import { makeLab } from '../../../support/lab-fixture.js';

const catalog = loadCatalog().environments;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function validated(budgets: string, notify: string) {
  const made = makeLab(
    {
      'labops.yaml': `apiVersion: labops/v1\nkind: Lab\nmetadata: { name: mirror-lab }\nspec:\n  aws: { accountId: "111122223333", defaultRegion: us-east-1 }\n${budgets}`,
      'budgets/neuro.yaml': `apiVersion: labops/v1\nkind: Budget\nmetadata: { name: neuro-fall }\nspec:\n  project: neuro\n  limitUSD: 500\n  period: { every: month }\n  notify: ${notify}\n`,
    },
    null,
  );
  cleanups.push(made.cleanup);
  return validateLab(made.dir, { catalog });
}

describe('the mirror from validated specs', () => {
  it.each([
    ['', ['pi@uni.edu']],
    ['  budgets: { mirror: true }\n', ['pi@uni.edu']],
    ['  budgets: { mirror: false }\n', undefined],
  ])('Lab %j: the AWS budget emails %j', (budgets, emails) => {
    const validation = validated(budgets, '["@pi-login", "pi@uni.edu"]');
    const lab = desiredLab(validation.specs.lab!.spec, 'org/lab');

    const { awsBudgets } = desiredAwsBudgets(validation, lab);

    expect(validation.valid).toBe(true);
    expect(awsBudgets[0]?.notifications[0]?.emails).toEqual(emails);
  });

  it.each(['"pi@uni"', '"pi-login"', '"@pi@uni.edu"'])('refuses notify entry %s, naming the field', (entry) => {
    const validation = validated('', `[${entry}]`);

    expect(validation.valid).toBe(false);
    expect(validation.problems.map((p) => [p.file, p.path])).toContainEqual(['budgets/neuro.yaml', 'spec.notify[0]']);
  });
});
