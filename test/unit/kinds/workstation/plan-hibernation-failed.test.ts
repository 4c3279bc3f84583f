/**
 * A workstation whose hibernation failed (AWS stopped it instead: state reason
 * `Client.UserInitiatedShutdown`) is stopped, not hibernated, on later runs, with the reason in
 * the plan; a failure seen first by the planner is noted in `labops:hibernation-failed`; and
 * `status` tells hibernated from stopped.
 */
import { describe, expect, it } from 'vitest';
import type { ObservedInstance } from '../../../../reconciler/src/model/observed.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { instancesAfter } from '../../../../reconciler/src/kinds/workstation/record.js';
import { buildStatus, stateLabel } from '../../../../reconciler/src/kinds/workstation/status-rows.js';
import {
  desired,
  instanceOf,
  NIGHT,
  observed,
  only,
  schedule,
  summary,
  workstation,
  WORK_HOURS,
} from './plan-fixtures.js';

const OFF = 'schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)';
const hibernating = workstation({
  instanceType: 'r7i.large',
  hibernation: true,
  schedule: schedule('Mon-Fri 08:00-19:00', 'hibernate'),
});
const tags = instanceOf(hibernating).tags;
const NOTE = '2026-09-15T23:00:00.000Z Client.UserInitiatedShutdown';

function instance(overrides: Partial<ObservedInstance>, extraTags: Record<string, string> = {}): ObservedInstance {
  return instanceOf(hibernating, { ...overrides, tags: { ...tags, ...extraTags } });
}

describe('planner: a workstation whose hibernation failed', () => {
  it.each([
    ['running off hours, hibernation never failed', instance({}), ['hibernate alice-neuro i-alice-neuro'], OFF],
    [
      'running off hours, noted as failed',
      instance({}, { [TAG.hibernationFailed]: NOTE }),
      ['stop alice-neuro i-alice-neuro'],
      `${OFF} (stop: hibernation failed before — ${NOTE}; remove tag ${TAG.hibernationFailed} to try again)`,
    ],
  ])('%s', (_name, observedInstance, expected, rule) => {
    // Arrange
    const state = desired([hibernating]);

    // Act
    const plan = planWorkstations(state, observed([observedInstance]), NIGHT);

    // Assert
    expect(summary(plan)).toEqual(expected);
    expect(plan.actions[0]?.rule).toBe(rule);
  });

  it.each([
    [
      'stopped with the shutdown reason where labops asked for a hibernate: noted',
      instance({ state: 'stopped', stateReason: 'Client.UserInitiatedShutdown' }, { [TAG.desiredState]: 'hibernated' }),
      { [TAG.hibernationFailed]: 'last hibernate ended as Client.UserInitiatedShutdown' },
    ],
    [
      'hibernated (the hibernate reason): nothing to note',
      instance(
        { state: 'stopped', stateReason: 'Client.UserInitiatedHibernate' },
        { [TAG.desiredState]: 'hibernated' },
      ),
      undefined,
    ],
    [
      'already noted: not noted again',
      instance(
        { state: 'stopped', stateReason: 'Client.UserInitiatedShutdown' },
        { [TAG.desiredState]: 'stopped', [TAG.hibernationFailed]: NOTE },
      ),
      undefined,
    ],
  ])('%s', (_name, observedInstance, set) => {
    // Arrange
    const state = desired([hibernating]);

    // Act
    const plan = planWorkstations(state, observed([observedInstance]), NIGHT);

    // Assert
    const power = plan.actions.filter((a) => ['start', 'stop', 'hibernate', 'drift'].includes(a.kind));
    expect(power).toEqual([]);
    const retag = plan.actions.find((a) => a.kind === 'retag');
    expect(retag === undefined ? undefined : (retag.details as { set: Record<string, string> }).set).toEqual(set);
  });

  it('starts it in work hours as usual (the note only changes how it goes off)', () => {
    // Arrange
    const stopped = instance(
      { state: 'stopped', stateReason: 'Client.UserInitiatedShutdown' },
      { [TAG.desiredState]: 'stopped', [TAG.hibernationFailed]: NOTE },
    );

    // Act
    const plan = planWorkstations(desired([hibernating]), observed([stopped]), WORK_HOURS);

    // Assert
    expect(summary(plan)).toEqual(['start alice-neuro i-alice-neuro']);
  });
});

describe('status: hibernated and stopped are different states', () => {
  it.each([
    [
      'hibernated where hibernated is wanted',
      instance({ state: 'stopped', stateReason: 'Client.UserInitiatedHibernate' }),
      { state: 'hibernated', desiredState: 'hibernated', matches: true },
    ],
    [
      'a failed hibernate (plain stop) where hibernated is wanted',
      instance({ state: 'stopped', stateReason: 'Client.UserInitiatedShutdown' }, { [TAG.desiredState]: 'stopped' }),
      { state: 'stopped', desiredState: 'hibernated', matches: false },
    ],
    [
      'a failed hibernate, noted: wanted stopped, with the reason',
      instance({ state: 'stopped', stateReason: 'Client.UserInitiatedShutdown' }, { [TAG.hibernationFailed]: NOTE }),
      {
        state: 'stopped',
        desiredState: 'stopped',
        matches: true,
        rule: expect.stringContaining('hibernation failed before'),
      },
    ],
    [
      'a failed hibernate seen first by status (desired-state hibernated)',
      instance({ state: 'stopped', stateReason: 'Client.UserInitiatedShutdown' }, { [TAG.desiredState]: 'hibernated' }),
      { state: 'stopped', desiredState: 'stopped', matches: true },
    ],
  ])('%s', (_name, observedInstance, expected) => {
    // Arrange
    const state = desired([hibernating]);

    // Act
    const report = buildStatus(state, observed([observedInstance]), NIGHT);

    // Assert
    expect(report.workstations[0]).toMatchObject(expected);
  });
});

describe('record: the instances after apply keep a failed hibernate as the stop it was', () => {
  it.each([
    ['a hibernate that hibernated', undefined, 'hibernated'],
    [
      'a hibernate AWS turned into a plain stop',
      'hibernation failed: AWS stopped it instead (Client.UserInitiatedShutdown: User initiated shutdown)',
      'stopped',
    ],
  ])('%s → %s', (_name, detail, label) => {
    // Arrange
    const running = instance({});
    const action = { ...only(planWorkstations(desired([hibernating]), observed([running]), NIGHT), 'hibernate') };
    const applied = {
      ok: true,
      results: [
        {
          actionId: action.id,
          kind: action.kind,
          name: 'alice-neuro',
          status: 'done' as const,
          instanceId: running.instanceId,
          ...(detail === undefined ? {} : { detail }),
        },
      ],
    };

    // Act
    const [after] = instancesAfter(
      observed([running]),
      { ...planWorkstations(desired([hibernating]), observed([running]), NIGHT), actions: [action] },
      applied,
      NIGHT,
    );

    // Assert
    expect(stateLabel(after)).toBe(label);
  });
});
