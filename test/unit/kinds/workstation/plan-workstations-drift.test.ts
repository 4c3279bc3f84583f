/** planWorkstations: drift made outside labops, reported (selfHeal off) or reverted (selfHeal on). */
import { describe, expect, it } from 'vitest';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { NIGHT, WORK_HOURS, desired, instanceOf, observed, schedule, workstation } from './plan-fixtures.js';

describe('power drift', () => {
  const ws = workstation({ schedule: schedule() });
  const stoppedInConsole = instanceOf(ws, {
    state: 'stopped',
    stateReason: 'Client.UserInitiatedShutdown',
    tags: instanceOf(ws).tags,
  });
  const startedInConsole = instanceOf(ws, {
    state: 'running',
    tags: { ...instanceOf(ws).tags, [TAG.desiredState]: 'stopped' },
  });

  it.each([
    [
      'stopped outside labops, selfHeal off → reported',
      stoppedInConsole,
      WORK_HOURS,
      false,
      {
        kind: 'drift',
        rule: 'drift: stopped outside labops',
        details: { kind: 'drift', observed: 'stopped', expected: 'running' },
      },
    ],
    [
      'stopped outside labops, selfHeal on → started',
      stoppedInConsole,
      WORK_HOURS,
      true,
      { kind: 'start', rule: 'drift: stopped outside labops', details: { kind: 'start' }, monthlyDeltaUSD: 0 },
    ],
    [
      'started outside labops off hours, selfHeal off → reported',
      startedInConsole,
      NIGHT,
      false,
      {
        kind: 'drift',
        rule: 'drift: started outside labops',
        details: { kind: 'drift', observed: 'running', expected: 'stopped' },
      },
    ],
    [
      'started outside labops off hours, selfHeal on → stopped',
      startedInConsole,
      NIGHT,
      true,
      { kind: 'stop', rule: 'drift: started outside labops', details: { kind: 'stop' } },
    ],
  ])('%s', (_, instance, now, selfHeal, expected) => {
    const plan = planWorkstations(desired([ws], { lab: { selfHeal } }), observed([instance]), now);

    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ ...expected, instanceId: instance.instanceId });
  });

  it('a drift report has its own id and changes nothing', () => {
    const plan = planWorkstations(desired([ws]), observed([stoppedInConsole]), WORK_HOURS);

    expect(plan.actions[0]).toMatchObject({
      id: 'Workstation/alice-neuro/drift/power',
      monthlyDeltaUSD: 0,
      reason:
        'labops last set running, the instance is stopped; selfHeal is off, so labops leaves it (desired now: running, schedule: work hours (Mon-Fri 08:00-19:00 America/New_York))',
    });
  });

  it.each([false, true])(
    'stopped outside labops when labops wants it off anyway: no drift, the tag is brought up to date (selfHeal %s)',
    (selfHeal) => {
      const plan = planWorkstations(desired([ws], { lab: { selfHeal } }), observed([stoppedInConsole]), NIGHT);

      expect(plan.actions.map((a) => [a.rule, a.details])).toEqual([
        [
          'schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)',
          { kind: 'retag', set: { [TAG.desiredState]: 'stopped' }, remove: [] },
        ],
      ]);
    },
  );

  it('a hibernated instance tagged stopped is not drift (both off)', () => {
    const instance = instanceOf(ws, {
      state: 'stopped',
      stateReason: 'Client.UserInitiatedHibernate',
      tags: { ...instanceOf(ws).tags, [TAG.desiredState]: 'stopped' },
    });

    const plan = planWorkstations(desired([ws]), observed([instance]), NIGHT);

    expect(plan.actions).toEqual([]);
  });

  it('an instance without a desired-state tag is taken as labops left it', () => {
    const { [TAG.desiredState]: _, ...tags } = stoppedInConsole.tags;

    const plan = planWorkstations(desired([ws]), observed([{ ...stoppedInConsole, tags }]), WORK_HOURS);

    expect(plan.actions.map((a) => a.kind)).toEqual(['start']);
  });
});

describe('instance type drift', () => {
  const ws = workstation();
  const changedInConsole = instanceOf(ws, { instanceType: 'm6i.xlarge' });

  it('selfHeal off: reported, not resized', () => {
    const plan = planWorkstations(desired([ws]), observed([changedInConsole]), WORK_HOURS);

    expect(plan.actions).toEqual([
      expect.objectContaining({
        id: 'Workstation/alice-neuro/drift/instance-type',
        kind: 'drift',
        rule: 'drift: instance type changed outside labops',
        details: { kind: 'drift', observed: 'm6i.xlarge', expected: 'm6i.large' },
      }),
    ]);
  });

  it('selfHeal on: resized back (the type tag already says m6i.large)', () => {
    const plan = planWorkstations(desired([ws], { lab: { selfHeal: true } }), observed([changedInConsole]), WORK_HOURS);

    expect(plan.actions.map((a) => [a.kind, a.rule, a.details, a.after])).toEqual([
      [
        'resize',
        'drift: instance type changed outside labops',
        { kind: 'resize', from: 'm6i.xlarge', to: 'm6i.large', restart: true },
        [],
      ],
    ]);
    expect(plan.actions[0]!.monthlyDeltaUSD).toBe(-70.08);
  });

  it('the spec caught up with the change: only the type tag is updated', () => {
    const plan = planWorkstations(
      desired([workstation({ instanceType: 'm6i.xlarge' })]),
      observed([changedInConsole]),
      WORK_HOURS,
    );

    expect(plan.actions.map((a) => [a.rule, a.details])).toEqual([
      ['spec', { kind: 'retag', set: { [TAG.instanceType]: 'm6i.xlarge' }, remove: [] }],
    ]);
  });
});
