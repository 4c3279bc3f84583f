/**
 * planWorkstations: budget stop and hibernate reach live instances no valid spec declares (an
 * invalid spec, a file that did not parse, a deleted spec with prune off), by their
 * `labops:project` tag, so breaking or deleting a spec never dodges a budget.
 */
import { describe, expect, it } from 'vitest';
import type { Desired, DesiredLab } from '../../../../reconciler/src/model/desired.js';
import type { ObservedInstance } from '../../../../reconciler/src/model/observed.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import type { BudgetOverride } from '../../../../reconciler/src/model/budget.js';
import { WORK_HOURS, desired, instanceOf, observed, summary, workstation } from './plan-fixtures.js';

const RULE = 'budget neuro-fall at 104% of $5,000';
const stop: BudgetOverride = { project: 'neuro-lab', action: 'stop', rule: RULE };
const hibernate: BudgetOverride = { ...stop, action: 'hibernate' };
const block: BudgetOverride = { ...stop, action: 'block-launches' };
const alice = workstation();
const bob = workstation({ name: 'bob-neuro', owner: 'bob' });
type Extra = Partial<Omit<Desired, 'lab'>> & { lab?: Partial<DesiredLab> };
const invalidBob = (): Extra => ({ unknownWorkstations: ['bob-neuro'] });

describe('budget actions on undeclared workstations', () => {
  it.each<[string, Extra, ObservedInstance[], BudgetOverride[], string[]]>([
    ['invalid spec, budget stop: stopped', invalidBob(), [instanceOf(bob)], [stop], ['stop bob-neuro i-bob-neuro']],
    ['invalid spec, no budget action: left alone', invalidBob(), [instanceOf(bob)], [], []],
    [
      'invalid spec, budget of another project: left alone',
      invalidBob(),
      [instanceOf(bob)],
      [{ ...stop, project: 'atmos-lab' }],
      [],
    ],
    ['invalid spec, block-launches: left alone', invalidBob(), [instanceOf(bob)], [block], []],
    ['invalid spec, already stopped: nothing to do', invalidBob(), [instanceOf(bob, { state: 'stopped' })], [stop], []],
    ['invalid spec, stopping: waits', invalidBob(), [instanceOf(bob, { state: 'stopping' })], [stop], []],
    [
      'invalid spec, hibernate configured',
      invalidBob(),
      [instanceOf(bob, { hibernationConfigured: true })],
      [hibernate],
      ['hibernate bob-neuro i-bob-neuro'],
    ],
    [
      'invalid spec, hibernate not configured: stopped',
      invalidBob(),
      [instanceOf(bob)],
      [hibernate],
      ['stop bob-neuro i-bob-neuro'],
    ],
    [
      'a file that did not parse, budget stop',
      { unknownFiles: ['workstations/broken.yaml'] },
      [instanceOf(bob)],
      [stop],
      ['stop bob-neuro i-bob-neuro'],
    ],
    [
      'spec deleted, prune off: reported and stopped',
      {},
      [instanceOf(bob)],
      [stop],
      ['stop bob-neuro i-bob-neuro', 'orphan bob-neuro i-bob-neuro'],
    ],
    [
      'spec deleted, prune on: destroyed, no stop',
      { lab: { prune: true } },
      [instanceOf(bob)],
      [stop],
      ['destroy bob-neuro i-bob-neuro'],
    ],
    [
      'invalid spec, two live instances: both stopped',
      invalidBob(),
      [
        instanceOf(bob, { tags: { ...instanceOf(bob).tags, [TAG.generation]: '1' } }),
        instanceOf(bob, { instanceId: 'i-bob-old' }),
      ],
      [stop],
      ['stop bob-neuro i-bob-neuro', 'stop bob-neuro i-bob-old'],
    ],
  ])('%s', (_, extra, instances, overrides, expected) => {
    const state = desired([alice], extra);
    const live = observed([instanceOf(alice, { state: 'stopped' }), ...instances]);

    const plan = planWorkstations(state, live, WORK_HOURS, { overrides });

    expect(summary(plan).filter((s) => s.includes('bob-neuro'))).toEqual(expected);
  });

  it('the action names the budget and says why the instance is still reached', () => {
    const state = desired([alice], invalidBob());

    const plan = planWorkstations(state, observed([instanceOf(alice), instanceOf(bob)]), WORK_HOURS, {
      overrides: [stop],
    });

    expect(plan.actions.find((a) => a.resource.name === 'bob-neuro')).toMatchObject({
      kind: 'stop',
      instanceId: 'i-bob-neuro',
      rule: RULE,
      reason:
        'i-bob-neuro (m6i.large) running → stopped: its spec is invalid, so labops changes nothing else about it, but the budget of project neuro-lab applies to every instance of the project',
      details: { kind: 'stop' },
    });
    expect(plan.actions.find((a) => a.resource.name === 'bob-neuro')!.monthlyDeltaUSD).toBeLessThan(0);
  });
});
