/** planWorkstations: the desired power state (spec, schedule across DST, calendar, budget, idle) and power actions. */
import { describe, expect, it } from 'vitest';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { desiredPowerState, planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import {
  NIGHT,
  WORK_HOURS,
  desired,
  instanceOf,
  lab,
  observed,
  only,
  schedule,
  summary,
  workstation,
} from './plan-fixtures.js';

const OFF = 'schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)';
const ON = 'schedule: work hours (Mon-Fri 08:00-19:00 America/New_York)';

describe('desired power state: schedule across US DST changes (America/New_York)', () => {
  const ws = workstation({ schedule: schedule() });

  it.each([
    ['2026-03-06T12:30:00Z', 'Fri 07:30 EST', 'stopped', OFF],
    ['2026-03-06T13:30:00Z', 'Fri 08:30 EST', 'running', ON],
    ['2026-03-08T15:00:00Z', 'Sun 11:00 EDT (DST starts)', 'stopped', OFF],
    ['2026-03-09T12:30:00Z', 'Mon 08:30 EDT', 'running', ON],
    ['2026-03-09T22:30:00Z', 'Mon 18:30 EDT', 'running', ON],
    ['2026-03-09T23:30:00Z', 'Mon 19:30 EDT', 'stopped', OFF],
    ['2026-10-30T12:30:00Z', 'Fri 08:30 EDT', 'running', ON],
    ['2026-11-02T12:30:00Z', 'Mon 07:30 EST (DST ended Sun)', 'stopped', OFF],
    ['2026-11-02T13:30:00Z', 'Mon 08:30 EST', 'running', ON],
    ['2026-11-02T23:30:00Z', 'Mon 18:30 EST', 'running', ON],
    ['2026-11-03T00:30:00Z', 'Mon 19:30 EST', 'stopped', OFF],
  ])('%s (%s) → %s', (instant, _, state, rule) => {
    const decision = desiredPowerState(ws, {
      lab: lab(),
      now: new Date(instant),
      overrides: [],
      hibernationConfigured: false,
    });

    expect(decision).toMatchObject({ state, rule });
  });
});

describe('desired power state: calendar breaks (dates inclusive, in the calendar zone; scheduled workstations only)', () => {
  it.each([
    [
      'Wed of thanksgiving, scheduled',
      workstation({ schedule: schedule() }),
      '2026-11-25T15:00:00Z',
      'stopped',
      'calendar: thanksgiving',
    ],
    ['Wed of thanksgiving, no schedule: breaks do not apply', workstation(), '2026-11-25T15:00:00Z', 'running', 'spec'],
    [
      'Tue 23:30 EST before the break (04:30Z next day)',
      workstation({ schedule: schedule('daily 00:00-24:00') }),
      '2026-11-25T04:30:00Z',
      'running',
      'schedule: work hours (daily 00:00-24:00 America/New_York)',
    ],
    [
      'Wed 00:30 EST, first day of the break',
      workstation({ schedule: schedule('daily 00:00-24:00') }),
      '2026-11-25T05:30:00Z',
      'stopped',
      'calendar: thanksgiving',
    ],
    [
      'Sun 15:00 EST, last day of the break',
      workstation({ schedule: schedule('daily 00:00-24:00') }),
      '2026-11-29T20:00:00Z',
      'stopped',
      'calendar: thanksgiving',
    ],
    ['Mon after thanksgiving', workstation({ schedule: schedule() }), '2026-11-30T15:00:00Z', 'running', ON],
    [
      'winter break across the new year',
      workstation({ schedule: schedule('Mon-Fri 08:00-19:00', 'hibernate'), hibernation: true }),
      '2027-01-04T15:00:00Z',
      'hibernated',
      'calendar: winter',
    ],
    ['day after winter break', workstation({ schedule: schedule() }), '2027-01-11T15:00:00Z', 'running', ON],
    [
      'spec stopped stays stopped in a break',
      workstation({ state: 'stopped', schedule: schedule() }),
      '2026-11-25T15:00:00Z',
      'stopped',
      'spec',
    ],
  ])('%s', (_, ws, instant, state, rule) => {
    const decision = desiredPowerState(ws, {
      lab: lab(),
      now: new Date(instant),
      overrides: [],
      hibernationConfigured: ws.hibernation,
    });

    expect(decision).toMatchObject({ state, rule });
  });
});

describe('desired power state: budget overrides and idle', () => {
  const budget = { project: 'neuro-lab', action: 'hibernate' as const, rule: 'budget neuro-fall at 101% of $5,000' };
  const idle = { afterSeconds: 1800, cpuBelowPercent: 5, action: 'hibernate' as const };
  const utilisation = (idleSeconds: number) => ({
    instanceId: 'i-1',
    idleSeconds,
    averageCpuPercent: 1.2,
    datapoints: 12,
  });

  it.each([
    ['budget hibernate, hibernation configured', workstation(), [budget], true, undefined, 'hibernated', budget.rule],
    [
      'budget hibernate, not configured',
      workstation(),
      [budget],
      false,
      undefined,
      'stopped',
      `${budget.rule} (stop: hibernation not configured at launch)`,
    ],
    ['budget stop', workstation(), [{ ...budget, action: 'stop' as const }], true, undefined, 'stopped', budget.rule],
    [
      'budget of another project',
      workstation(),
      [{ ...budget, project: 'atmos-lab' }],
      true,
      undefined,
      'running',
      'spec',
    ],
    [
      'budget block-launches leaves power alone',
      workstation(),
      [{ ...budget, action: 'block-launches' as const }],
      true,
      undefined,
      'running',
      'spec',
    ],
    [
      'idle 52m, hibernation configured',
      workstation({ idle }),
      [],
      true,
      utilisation(3120),
      'hibernated',
      'idle 52m < 5% CPU',
    ],
    [
      'idle 52m, hibernation not configured',
      workstation({ idle }),
      [],
      false,
      utilisation(3125),
      'stopped',
      'idle 52m < 5% CPU (stop: hibernation not configured at launch)',
    ],
    [
      'idle 1h15m, stop action',
      workstation({ idle: { ...idle, action: 'stop' } }),
      [],
      true,
      utilisation(4500),
      'stopped',
      'idle 1h15m < 5% CPU',
    ],
    ['idle shorter than the threshold', workstation({ idle }), [], true, utilisation(1200), 'running', 'spec'],
    ['no idle policy', workstation(), [], true, utilisation(9000), 'running', 'spec'],
    [
      'budget wins over idle',
      workstation({ idle }),
      [{ ...budget, action: 'stop' as const }],
      true,
      utilisation(9000),
      'stopped',
      budget.rule,
    ],
  ])('%s', (_, ws, overrides, hibernationConfigured, util, state, rule) => {
    const decision = desiredPowerState(ws, {
      lab: lab(),
      now: WORK_HOURS,
      overrides,
      hibernationConfigured,
      ...(util === undefined ? {} : { utilisation: util }),
    });

    expect(decision).toMatchObject({ state, rule });
  });

  it('the schedule decides before a budget', () => {
    const ws = workstation({ schedule: schedule() });

    const decision = desiredPowerState(ws, {
      lab: lab(),
      now: NIGHT,
      overrides: [budget],
      hibernationConfigured: true,
    });

    expect(decision).toMatchObject({ state: 'stopped', rule: OFF });
  });
});

describe('power actions', () => {
  const scheduled = workstation({ schedule: schedule() });
  const hibernating = workstation({
    instanceType: 'r7i.large',
    hibernation: true,
    schedule: schedule('Mon-Fri 08:00-19:00', 'hibernate'),
  });

  it.each([
    ['running, off hours → stop', scheduled, instanceOf(scheduled), NIGHT, 'stop', OFF, 0],
    [
      'running, off hours, hibernation configured → hibernate',
      hibernating,
      instanceOf(hibernating),
      NIGHT,
      'hibernate',
      'schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)',
      0,
    ],
    ['stopped, work hours → start', scheduled, instanceOf(scheduled, { state: 'stopped' }), WORK_HOURS, 'start', ON, 0],
    [
      'stopped, spec now running → start at the full run-rate',
      workstation(),
      instanceOf(workstation(), { state: 'stopped' }),
      WORK_HOURS,
      'start',
      'spec',
      70.08,
    ],
    [
      'running, spec now stopped → stop saves the run-rate',
      workstation({ state: 'stopped' }),
      instanceOf(workstation()),
      WORK_HOURS,
      'stop',
      'spec',
      -70.08,
    ],
    [
      'running, spec stopped, scheduled → saves the scheduled hours',
      workstation({ state: 'stopped', schedule: schedule() }),
      instanceOf(workstation()),
      WORK_HOURS,
      'stop',
      'spec',
      -22.88,
    ],
  ])('%s', (_, ws, instance, now, kind, rule, delta) => {
    const plan = planWorkstations(desired([ws]), observed([instance]), now);

    expect(summary(plan)).toEqual([`${kind} alice-neuro i-alice-neuro`]);
    expect(only(plan, kind)).toMatchObject({
      id: `Workstation/alice-neuro/${kind}`,
      rule,
      monthlyDeltaUSD: delta,
      details: { kind },
    });
  });

  it.each([
    ['pending', instanceOf(scheduled, { state: 'pending' })],
    ['stopping', instanceOf(scheduled, { state: 'stopping' })],
    ['already stopped', instanceOf(scheduled, { state: 'stopped' })],
    [
      'stopped where hibernate is wanted (both off)',
      instanceOf(hibernating, {
        state: 'stopped',
        tags: { ...instanceOf(hibernating).tags, [TAG.desiredState]: 'stopped' },
      }),
    ],
    [
      'launched 60 s ago: too soon to hibernate',
      instanceOf(hibernating, { launchTime: new Date(NIGHT.getTime() - 60_000).toISOString() }),
    ],
  ])('no action off hours when %s', (_, instance) => {
    const ws = instance.instanceType === 'r7i.large' ? hibernating : scheduled;

    const plan = planWorkstations(desired([ws]), observed([instance]), NIGHT);

    expect(plan.actions).toEqual([]);
  });

  it('hibernates once two minutes have passed since launch', () => {
    const instance = instanceOf(hibernating, { launchTime: new Date(NIGHT.getTime() - 121_000).toISOString() });

    const plan = planWorkstations(desired([hibernating]), observed([instance]), NIGHT);

    expect(summary(plan)).toEqual(['hibernate alice-neuro i-alice-neuro']);
  });
});

describe('idle stops and the idle hold', () => {
  const idle = { afterSeconds: 1800, cpuBelowPercent: 5, action: 'hibernate' as const };
  const utilisation = {
    'i-alice-neuro': { instanceId: 'i-alice-neuro', idleSeconds: 3120, averageCpuPercent: 0.8, datapoints: 11 },
  };

  it.each([
    ['hibernation configured', true, 'hibernate', 'idle 52m < 5% CPU'],
    ['hibernation not configured', false, 'stop', 'idle 52m < 5% CPU (stop: hibernation not configured at launch)'],
  ])('an idle running instance (%s) is turned off, then held off', (_, hibernation, kind, rule) => {
    const ws = workstation({ idle, hibernation, instanceType: 'r7i.large' });

    const plan = planWorkstations(desired([ws]), observed([instanceOf(ws)], { utilisation }), WORK_HOURS);

    expect(summary(plan)).toEqual([`${kind} alice-neuro i-alice-neuro`, 'retag alice-neuro i-alice-neuro']);
    expect(only(plan, kind)).toMatchObject({ rule, monthlyDeltaUSD: 0 });
    expect(only(plan, 'retag')).toMatchObject({
      rule,
      after: [`Workstation/alice-neuro/${kind}`],
      details: { set: { [TAG.idleHold]: rule }, remove: [] },
    });
  });

  const ws = workstation({ idle, schedule: schedule() });
  const heldTags = { ...instanceOf(ws).tags, [TAG.desiredState]: 'stopped', [TAG.idleHold]: 'idle 52m < 5% CPU' };

  it.each([
    ['held off in work hours: stays off', instanceOf(ws, { state: 'stopped', tags: heldTags }), WORK_HOURS, []],
    [
      'off hours take over: the hold ends',
      instanceOf(ws, { state: 'stopped', tags: heldTags }),
      NIGHT,
      [{ rule: OFF, set: {}, remove: [TAG.idleHold] }],
    ],
    [
      'its owner started it again: not drift, the hold ends',
      instanceOf(ws, { state: 'running', tags: heldTags }),
      WORK_HOURS,
      [{ rule: 'idle hold: started by its owner', set: { [TAG.desiredState]: 'running' }, remove: [TAG.idleHold] }],
    ],
  ])('%s', (_, instance, now, retags) => {
    const plan = planWorkstations(desired([ws], { lab: { selfHeal: true } }), observed([instance]), now);

    expect(plan.actions.map((a) => ({ rule: a.rule, ...a.details }))).toEqual(
      retags.map((r) => ({ kind: 'retag', ...r })),
    );
  });
});
