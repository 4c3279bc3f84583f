/**
 * Budget actions reach snapshot schedules (issue 17): a `stop`, `hibernate` or `block-launches` in
 * force for a workstation's project pauses its new snapshots and copies, with a plan note saying
 * since when; retention keeps deleting expired snapshots; a `budgetExempt` schedule keeps going and
 * says which budget it overrides. A `notify` is no override (alert only) and pauses nothing.
 */
import { describe, expect, it } from 'vitest';
import type { BudgetOverride } from '../../../../reconciler/src/model/budget.js';
import type { DesiredSchedule, ObservedSnapshot } from '../../../../reconciler/src/model/schedule.js';
import { planSnapshotSchedules } from '../../../../reconciler/src/kinds/snapshot-schedule/plan.js';
import { desired, instanceOf, observed, REPO, workstation } from '../workstation/plan-fixtures.js';

const RULE = 'budget neuro-monthly at 103% of $1,500';
const SINCE = '2026-11-20T09:00:00.000Z';
const NOW = new Date('2026-11-22T07:05:00Z');

function schedule(overrides: Partial<DesiredSchedule> = {}): DesiredSchedule {
  return {
    name: 'nightly',
    cron: '0 2 * * *',
    timezone: 'America/New_York',
    type: 'volumes',
    retain: { count: 3 },
    copyTo: ['us-west-2'],
    workstations: ['alice-neuro'],
    budgetExempt: false,
    ...overrides,
  };
}

/** alice-neuro's `volume` snapshot of the 02:00 New York slot of November `day`. */
function snap(day: number, volume: string): ObservedSnapshot {
  const slot = `2026-11-${String(day).padStart(2, '0')}T07:00:00.000Z`;
  return {
    snapshotId: `snap-${day}-${volume}`,
    region: 'us-east-1',
    volumeId: `vol-alice-neuro-${volume}`,
    state: 'completed',
    startTime: slot,
    sizeGiB: volume === 'data' ? 500 : 100,
    tags: {
      'labops:repo': REPO,
      'labops:kind': 'SnapshotSchedule',
      'labops:project': 'neuro-lab',
      'labops:schedule': 'nightly',
      'labops:workstation': 'alice-neuro',
      'labops:slot': slot,
      'labops:volume': volume,
    },
  };
}

/** Four nights kept 3 by count: the 18th has expired whatever happens tonight; the 19th only once tonight's is taken. */
const SNAPSHOTS = [18, 19, 20, 21].flatMap((d) => [snap(d, 'data'), snap(d, 'root')]);

const stop: BudgetOverride = { project: 'neuro-lab', action: 'stop', rule: RULE, since: SINCE };

function plan(overrides: BudgetOverride[], exempt: boolean) {
  const ws = workstation();
  return planSnapshotSchedules(
    desired([ws], { schedules: [schedule({ budgetExempt: exempt })] }),
    observed([instanceOf(ws)], { snapshots: SNAPSHOTS }),
    { nightly: { lastSlot: '2026-11-21T07:00:00.000Z' } },
    NOW,
    overrides,
  );
}

const TAKEN = { snapshot: 1, copies: 6, expired: ['snap-18-data', 'snap-18-root', 'snap-19-data', 'snap-19-root'] };
const PAUSED = { snapshot: 0, copies: 0, expired: ['snap-18-data', 'snap-18-root'] };

describe('snapshot schedules under budget actions', () => {
  it.each<[string, BudgetOverride[], boolean, typeof TAKEN, string | undefined]>([
    ['no budget action', [], false, TAKEN, undefined],
    ['another project stopped', [{ ...stop, project: 'atmos' }], false, TAKEN, undefined],
    [
      'stop in force since it fired: paused, retention still deletes',
      [stop],
      false,
      PAUSED,
      `snapshot schedule nightly: snapshot paused (snapshots of alice-neuro; 6 copies to us-west-2): ${RULE}, its stop in force since ${SINCE}; retention still deletes expired snapshots (budgetExempt: true keeps a schedule snapshotting)`,
    ],
    [
      'hibernate firing this run: paused',
      [{ ...stop, action: 'hibernate', since: undefined }],
      false,
      PAUSED,
      `snapshot schedule nightly: snapshot paused (snapshots of alice-neuro; 6 copies to us-west-2): ${RULE}, its hibernate in force; retention still deletes expired snapshots (budgetExempt: true keeps a schedule snapshotting)`,
    ],
    [
      'block-launches: paused',
      [{ ...stop, action: 'block-launches' }],
      false,
      PAUSED,
      `snapshot schedule nightly: snapshot paused (snapshots of alice-neuro; 6 copies to us-west-2): ${RULE}, its block-launches in force since ${SINCE}; retention still deletes expired snapshots (budgetExempt: true keeps a schedule snapshotting)`,
    ],
    ['stop, schedule budgetExempt: snapshots go on', [stop], true, TAKEN, undefined],
    ['no budget action, schedule budgetExempt', [], true, TAKEN, undefined],
  ])('%s', (_case, overrides, exempt, expected, note) => {
    const part = plan(
      overrides.map(({ since, ...o }) => (since === undefined ? o : { ...o, since })),
      exempt,
    );

    expect({
      snapshot: part.actions.filter((a) => a.kind === 'snapshot').length,
      copies: part.actions.filter((a) => a.kind === 'copy-snapshot').length,
      expired: part.actions
        .flatMap((a) => (a.details.kind === 'delete-snapshot' ? a.details.expired.map((e) => e.id) : []))
        .sort(),
    }).toEqual(expected);
    expect(part.refusals).toEqual(
      note === undefined
        ? []
        : [{ code: 'budget-withheld', message: note, resource: { kind: 'SnapshotSchedule', name: 'nightly' } }],
    );
  });

  it('an exempt schedule says which budget it keeps snapshotting through', () => {
    const part = plan([stop], true);

    const reasons = part.actions.filter((a) => a.kind !== 'delete-snapshot').map((a) => a.reason);
    expect(reasons).toHaveLength(7);
    for (const reason of reasons)
      expect(reason).toMatch(
        new RegExp(
          `; budget neuro-monthly at 103% of \\$1,500, its stop in force since ${SINCE}; budgetExempt keeps this schedule snapshotting$`,
        ),
      );
  });

  it('pauses only the workstations of the stopped project: the schedule still snapshots the others', () => {
    const alice = workstation();
    const carl = workstation({ name: 'carl-atmos', owner: 'carl', project: 'atmos' });

    const part = planSnapshotSchedules(
      desired([alice, carl], { schedules: [schedule({ copyTo: [], workstations: ['alice-neuro', 'carl-atmos'] })] }),
      observed([instanceOf(alice), instanceOf(carl)]),
      { nightly: { lastSlot: '2026-11-21T07:00:00.000Z' } },
      NOW,
      [stop],
    );

    expect(part.actions.map((a) => a.id)).toEqual(['SnapshotSchedule/nightly/snapshot/carl-atmos']);
    expect(part.refusals.map((r) => r.message)).toEqual([
      `snapshot schedule nightly: snapshot paused (snapshots of alice-neuro): ${RULE}, its stop in force since ${SINCE}; retention still deletes expired snapshots (budgetExempt: true keeps a schedule snapshotting)`,
    ]);
  });
});
