/** planJobs under budget actions: `block-launches`, `stop` and `hibernate` refuse a Job's submission (and hold back its dependants). */
import { describe, expect, it } from 'vitest';
import type { BudgetOverride } from '../../../../reconciler/src/model/budget.js';
import { planJobs } from '../../../../reconciler/src/kinds/job/plan.js';
import { job, submitted } from './job-fixtures.js';
import { desired, observed } from '../workstation/plan-fixtures.js';

const RULE = 'budget atmos-monthly at 97% of $2,000';

describe('planJobs: budget block-launches, stop and hibernate', () => {
  const block: BudgetOverride = { project: 'atmos', action: 'block-launches', rule: RULE };

  it.each<[string, BudgetOverride[], string[], string[]]>([
    ['no budget action: submitted', [], ['submit-job train'], []],
    [
      'block-launches of its project: refused',
      [block],
      [],
      [`budget-blocked Job/train: job train: submission blocked by ${RULE} (project atmos)`],
    ],
    ['block-launches of another project: submitted', [{ ...block, project: 'neuro' }], ['submit-job train'], []],
    [
      'a budget stop in force since it fired: refused, saying why',
      [{ ...block, action: 'stop', since: '2026-11-20T09:00:00.000Z' }],
      [],
      [
        `budget-blocked Job/train: job train: submission blocked by ${RULE}, its stop in force since 2026-11-20T09:00:00.000Z (project atmos): a budget stop holds back new Jobs as it holds the project's workstations off`,
      ],
    ],
    [
      'a budget hibernate firing this run: refused',
      [{ ...block, action: 'hibernate' }],
      [],
      [
        `budget-blocked Job/train: job train: submission blocked by ${RULE}, its hibernate in force (project atmos): a budget hibernate holds back new Jobs as it holds the project's workstations off`,
      ],
    ],
    [
      'a budget stop of another project: submitted',
      [{ ...block, action: 'stop', project: 'neuro' }],
      ['submit-job train'],
      [],
    ],
  ])('%s', (_, overrides, actions, refusals) => {
    const state = desired([], { jobs: [job('train')] });

    const part = planJobs(state, observed([]), [], overrides);

    expect(part.actions.map((a) => `${a.kind} ${a.resource.name}`)).toEqual(actions);
    expect(part.refusals.map((r) => `${r.code} ${r.resource?.kind}/${r.resource?.name}: ${r.message}`)).toEqual(
      refusals,
    );
  });

  it('holds back the dependants of a blocked Job, even in another project', () => {
    const train = job('train');
    const report = job('report', { project: 'neuro', dependsOn: [{ job: 'train' }] });

    const part = planJobs(desired([], { jobs: [train, report] }), observed([]), [], [block]);

    expect(part.actions).toEqual([]);
    expect(part.refusals.map((r) => `${r.code} ${r.resource?.name}`)).toEqual([
      'budget-blocked train',
      'job-blocked report',
    ]);
  });

  it('leaves a Job already submitted alone', () => {
    const train = job('train');
    const record = submitted(train, 'RUNNING');

    const part = planJobs(desired([], { jobs: [train] }), observed([]), [record], [block]);

    expect(part).toEqual({ actions: [], refusals: [] });
  });
});
