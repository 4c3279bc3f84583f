import { describe, expect, it } from 'vitest';
import type { DesiredSchedule, ObservedSnapshot } from '../../../../reconciler/src/model/schedule.js';
import { emptyRecord } from '../../../../reconciler/src/model/record.js';
import { planSnapshots } from '../../../../reconciler/src/kinds/snapshot-schedule/plan.js';
import { planPhase } from '../../../../reconciler/src/engine/pipeline.js';
import { dueSlot } from '../../../../reconciler/src/model/snapshot-slots.js';
import { expiredItems, retentionVerdict } from '../../../../reconciler/src/model/snapshot-retention.js';
import { desired, instanceOf, observed, REPO, workstation } from '../workstation/plan-fixtures.js';

function schedule(overrides: Partial<DesiredSchedule> = {}): DesiredSchedule {
  return {
    name: 'nightly',
    cron: '0 2 * * *',
    timezone: 'America/New_York',
    type: 'volumes',
    retain: { count: 3 },
    copyTo: [],
    workstations: ['alice-neuro'],
    budgetExempt: false,
    ...overrides,
  };
}

/** A completed snapshot of alice-neuro's `volume` for the 02:00 New York slot of November `day`. */
function snap(day: number, volume = 'data', overrides: Partial<ObservedSnapshot> = {}): ObservedSnapshot {
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
      'labops:schedule': 'nightly',
      'labops:workstation': 'alice-neuro',
      'labops:slot': slot,
      'labops:volume': volume,
    },
    ...overrides,
  };
}

describe('dueSlot (DLM catch-up: a missed slot once, never twice)', () => {
  it.each([
    [
      'first run takes the latest slot',
      undefined,
      '2026-11-22T07:30:00Z',
      { slot: '2026-11-22T07:00:00.000Z', slots: 1 },
    ],
    ['a slot already taken is not due', '2026-11-22T07:00:00.000Z', '2026-11-22T12:00:00Z', undefined],
    [
      'the next night is due',
      '2026-11-21T07:00:00.000Z',
      '2026-11-22T07:00:00Z',
      { slot: '2026-11-22T07:00:00.000Z', last: '2026-11-21T07:00:00.000Z', slots: 1 },
    ],
    [
      'three missed nights are one snapshot',
      '2026-11-18T07:00:00.000Z',
      '2026-11-22T09:00:00Z',
      { slot: '2026-11-22T07:00:00.000Z', last: '2026-11-18T07:00:00.000Z', slots: 4 },
    ],
    [
      '02:00 New York is 06:00 UTC in summer time',
      '2026-10-30T06:00:00.000Z',
      '2026-10-31T06:30:00Z',
      { slot: '2026-10-31T06:00:00.000Z', last: '2026-10-30T06:00:00.000Z', slots: 1 },
    ],
    [
      'a last slot in the future is ignored (forged record)',
      '2999-01-01T07:00:00.000Z',
      '2026-11-22T07:30:00Z',
      { slot: '2026-11-22T07:00:00.000Z', slots: 1 },
    ],
    ['a last slot within the clock skew still counts', '2026-11-22T07:00:00.000Z', '2026-11-22T06:58:00Z', undefined],
  ])('%s', (_case, last, now, expected) => {
    const due = dueSlot(schedule(), last, new Date(now));

    expect(due).toEqual(expected);
  });
});

describe('retention (kept while either rule keeps it)', () => {
  const now = new Date('2026-11-22T08:00:00Z');

  it.each([
    ['in newest 7', { count: 7, maxAgeDays: 30 }, 3, '2026-10-01T07:00:00.000Z', undefined],
    ['younger than 30 days', { count: 7, maxAgeDays: 30 }, 9, '2026-11-01T07:00:00.000Z', undefined],
    [
      'neither',
      { count: 7, maxAgeDays: 30 },
      9,
      '2026-10-01T07:00:00.000Z',
      'retention: older than 30 days and not in newest 7',
    ],
    ['count only', { count: 3 }, 3, '2026-11-19T07:00:00.000Z', 'retention: not in newest 3'],
    ['age only', { maxAgeDays: 2 }, 0, '2026-11-19T07:00:00.000Z', 'retention: older than 2 days'],
    ['no rule keeps everything', {}, 500, '2020-01-01T00:00:00.000Z', undefined],
  ])('%s', (_case, retain, index, slot, expected) => {
    expect(retentionVerdict(retain, index, slot, now)).toBe(expected);
  });

  it('counts per volume and lets the item about to be made count as the newest', () => {
    const items = [20, 19, 18].flatMap((d) =>
      ['data', 'root'].map((v) => ({
        resource: 'snapshot' as const,
        id: `snap-${d}-${v}`,
        slot: `2026-11-${d}T07:00:00.000Z`,
        region: 'us-east-1',
        group: `us-east-1|original|alice|${v}`,
      })),
    );
    const planned = [
      {
        resource: 'snapshot' as const,
        id: 'new-data',
        slot: '2026-11-21T07:00:00.000Z',
        region: 'us-east-1',
        group: 'us-east-1|original|alice|data',
      },
    ];

    const expired = expiredItems({ count: 3 }, items, planned, now);

    expect(expired.map((e) => e.id)).toEqual(['snap-18-data']);
  });
});

describe('planSnapshots', () => {
  const ws = workstation();
  const now = new Date('2026-11-22T07:05:00Z');

  it('snapshots every volume of a selected workstation when the slot is due, then expires the oldest beyond the count', () => {
    const snapshots = [19, 20, 21].flatMap((d) => [snap(d, 'data'), snap(d, 'root')]);

    const actions = planSnapshots(
      desired([ws], { schedules: [schedule()] }),
      observed([instanceOf(ws)], { snapshots }),
      { nightly: { lastSlot: '2026-11-21T07:00:00.000Z' } },
      now,
    );

    expect(actions.map((a) => [a.id, a.after])).toEqual([
      ['SnapshotSchedule/nightly/delete-snapshot/us-east-1', ['SnapshotSchedule/nightly/snapshot/alice-neuro']],
      ['SnapshotSchedule/nightly/snapshot/alice-neuro', []],
    ]);
    expect(actions[1]?.reason).toBe(
      'nightly: slot 2026-11-22 02:00 America/New_York due (last 2026-11-21 02:00): root (100 GiB), data (500 GiB) of alice-neuro (cost at full size, an upper bound: EBS bills only the blocks each snapshot adds)',
    );
    expect(actions[0]?.details).toEqual({
      kind: 'delete-snapshot',
      repo: REPO,
      schedule: 'nightly',
      expired: [
        { resource: 'snapshot', id: 'snap-19-data', why: 'retention: not in newest 3' },
        { resource: 'snapshot', id: 'snap-19-root', why: 'retention: not in newest 3' },
      ],
    });
  });

  it.each([
    ['never applied: nothing is due, not even a slot already past', {}, 0],
    [
      'first applied after the last slot: wait for the next one (as DLM)',
      { nightly: { firstSeenAt: '2026-11-22T07:30:00.000Z' } },
      0,
    ],
    [
      'first applied before the last slot: that slot is due',
      { nightly: { firstSeenAt: '2026-11-21T12:00:00.000Z' } },
      1,
    ],
  ] as const)('a new schedule — %s', (_name, records, count) => {
    const actions = planSnapshots(desired([ws], { schedules: [schedule()] }), observed([instanceOf(ws)]), records, now);

    expect(actions.filter((a) => a.kind === 'snapshot')).toHaveLength(count);
  });

  it.each([
    [
      'a last slot in the future',
      { nightly: { lastSlot: '2999-01-01T07:00:00.000Z', firstSeenAt: '2026-11-01T00:00:00.000Z' } },
      [],
    ],
    [
      'a last slot in the future beside the slot the tags show taken',
      { nightly: { lastSlot: '2999-01-01T07:00:00.000Z' } },
      [snap(21), snap(21, 'root')],
    ],
  ])('a forged record cannot silence a schedule: %s is ignored', (_case, records, snapshots) => {
    const actions = planSnapshots(
      desired([ws], { schedules: [schedule()] }),
      observed([instanceOf(ws)], { snapshots }),
      records,
      now,
    );

    expect(actions.filter((a) => a.kind === 'snapshot').map((a) => a.details.slot)).toEqual([
      '2026-11-22T07:00:00.000Z',
    ]);
  });

  it('takes nothing twice when a forged future last slot is ignored: the tags show the slot taken', () => {
    const actions = planSnapshots(
      desired([ws], { schedules: [schedule()] }),
      observed([instanceOf(ws)], { snapshots: [snap(22), snap(22, 'root')] }),
      { nightly: { lastSlot: '2999-01-01T07:00:00.000Z' } },
      now,
    );

    expect(actions).toEqual([]);
  });

  it('takes nothing twice: the newest tagged slot stands in for a lost record', () => {
    const actions = planSnapshots(
      desired([ws], { schedules: [schedule()] }),
      observed([instanceOf(ws)], { snapshots: [snap(22), snap(22, 'root')] }),
      {},
      now,
    );

    expect(actions).toEqual([]);
  });

  it.each([
    ['no record', {}],
    ['the record at the slot before', { nightly: { lastSlot: '2026-11-21T07:00:00.000Z' } }],
  ])(
    'a slot some volumes were taken in by a run that failed part-way is finished, not skipped (%s)',
    (_case, record) => {
      const other = workstation({ name: 'bob-neuro', owner: 'bob' });
      const snapshots = [
        snap(22),
        snap(22, 'root'),
        snap(22, 'data', {
          snapshotId: 'snap-22-bob-data',
          volumeId: 'vol-bob-neuro-data',
          tags: { ...snap(22).tags, 'labops:workstation': 'bob-neuro' },
        }),
      ];

      const actions = planSnapshots(
        desired([ws, other], { schedules: [schedule({ workstations: ['alice-neuro', 'bob-neuro'] })] }),
        observed([instanceOf(ws), instanceOf(other)], { snapshots }),
        record,
        now,
      );

      expect(actions.map((a) => [a.id, a.details.kind === 'snapshot' ? a.details.slot : undefined])).toEqual([
        ['SnapshotSchedule/nightly/snapshot/bob-neuro', '2026-11-22T07:00:00.000Z'],
      ]);
    },
  );

  it.each([
    ['another repo', { 'labops:repo': 'other/repo' }],
    ['another schedule', { 'labops:schedule': 'weekly' }],
    ['not made by a schedule', { 'labops:kind': 'Workstation' }],
  ])('never expires a snapshot of %s', (_case, tags) => {
    const foreign = [1, 2, 3, 4, 5].map((d) =>
      snap(d, 'data', { snapshotId: `snap-foreign-${d}`, tags: { ...snap(d).tags, ...tags } }),
    );

    const actions = planSnapshots(
      desired([ws], { schedules: [schedule()] }),
      observed([instanceOf(ws)], { snapshots: foreign }),
      { nightly: { lastSlot: '2026-11-22T07:00:00.000Z' } },
      now,
    );

    expect(actions).toEqual([]);
  });

  it('never expires a snapshot an image uses', () => {
    const snapshots = [17, 18, 19, 20, 21].map((d) => snap(d));
    const images = [
      {
        imageId: 'ami-user',
        region: 'us-east-1',
        name: 'mine',
        architecture: 'x86_64' as const,
        creationDate: '2026-11-20T00:00:00Z',
        state: 'available',
        ownerId: '123456789012',
        tags: {},
        snapshotIds: ['snap-17-data'],
      },
    ];

    const actions = planSnapshots(
      desired([ws], { schedules: [schedule()] }),
      observed([instanceOf(ws)], { snapshots, images }),
      { nightly: { lastSlot: '2026-11-22T07:00:00.000Z' } },
      now,
    );

    expect(
      actions.flatMap((a) => (a.details.kind === 'delete-snapshot' ? a.details.expired.map((e) => e.id) : [])),
    ).toEqual(['snap-18-data']);
  });

  it('copies completed originals to copyTo Regions once', () => {
    const copy = snap(20, 'data', {
      snapshotId: 'snap-copy-20',
      region: 'us-west-2',
      tags: { ...snap(20).tags, 'labops:copy-of': 'snap-20-data', 'labops:source-region': 'us-east-1' },
    });
    const snapshots = [snap(20), snap(21), snap(22, 'data', { state: 'pending' }), copy];

    const actions = planSnapshots(
      desired([ws], { schedules: [schedule({ copyTo: ['us-west-2'] })] }),
      observed([instanceOf(ws)], { snapshots }),
      { nightly: { lastSlot: '2026-11-22T07:00:00.000Z' } },
      now,
    );

    expect(actions.map((a) => a.id)).toEqual(['SnapshotSchedule/nightly/copy-snapshot/us-west-2/snap-21-data']);
    expect(actions[0]?.details).toMatchObject({
      kind: 'copy-snapshot',
      sourceRegion: 'us-east-1',
      sourceId: 'snap-21-data',
      tags: { 'labops:copy-of': 'snap-21-data', 'labops:source-region': 'us-east-1', 'labops:volume': 'data' },
    });
  });

  it('image schedules make one AMI per workstation, named by slot', () => {
    const actions = planSnapshots(
      desired([ws], { schedules: [schedule({ type: 'image' })] }),
      observed([instanceOf(ws)]),
      { nightly: { firstSeenAt: '2026-11-21T12:00:00.000Z' } },
      now,
    );

    expect(actions.map((a) => a.details)).toEqual([
      expect.objectContaining({
        kind: 'snapshot',
        type: 'image',
        imageName: 'labops-nightly-alice-neuro-20261122T070000Z',
        instanceId: 'i-alice-neuro',
      }),
    ]);
  });

  it('is deterministic', () => {
    const inputs = [
      desired([ws], { schedules: [schedule({ copyTo: ['us-west-2'] })] }),
      observed([instanceOf(ws)], { snapshots: [20, 21].map((d) => snap(d)) }),
      {},
      now,
    ] as const;

    expect(JSON.stringify(planSnapshots(...inputs))).toBe(JSON.stringify(planSnapshots(...inputs)));
  });
});

describe('a snapshot of a workstation whose instance the same plan changes', () => {
  const now = new Date('2026-11-22T07:05:00Z');
  const records = { schedules: { nightly: { lastSlot: '2026-11-21T07:00:00.000Z' } } };

  it.each([
    ['an image after the stop', 'image', workstation({ state: 'stopped' }), 'Workstation/alice-neuro/stop'],
    [
      'an image after the resize',
      'image',
      workstation({ instanceType: 'm6i.xlarge' }),
      'Workstation/alice-neuro/resize',
    ],
    ['volume snapshots after the stop', 'volumes', workstation({ state: 'stopped' }), 'Workstation/alice-neuro/stop'],
  ] as const)('%s', (_case, type, ws, changeId) => {
    const running = instanceOf(workstation());
    const spec = desired([ws], { schedules: [schedule({ type })] });
    const seen = observed([running]);

    const plan = planPhase({
      desired: spec,
      observed: seen,
      record: { ...emptyRecord(), ...records },
      now,
      overrides: [],
      allowDestroyAll: false,
    });

    const ids = plan.actions.map((a) => a.id);
    const change = plan.actions.find((a) => a.id === changeId);
    const snapshot = plan.actions.find((a) => a.id === 'SnapshotSchedule/nightly/snapshot/alice-neuro');
    expect([change?.instanceId, snapshot?.instanceId]).toEqual([running.instanceId, running.instanceId]);
    expect(ids.indexOf(changeId)).toBeLessThan(ids.indexOf('SnapshotSchedule/nightly/snapshot/alice-neuro'));
  });
});
