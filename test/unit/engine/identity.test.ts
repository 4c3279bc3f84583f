/** engine/identity.ts: foreign lab ids, refused duplicates, a missing record and what it withholds. */
import { describe, expect, it } from 'vitest';
import type { InstanceDescription } from '../../../reconciler/src/aws/ports.js';
import {
  foreignGroups,
  recordIsEmpty,
  refuseDuplicates,
  withholdRecordActions,
} from '../../../reconciler/src/engine/identity.js';
import type { Action, Plan } from '../../../reconciler/src/model/plan.js';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import type { RunRecord } from '../../../reconciler/src/model/record.js';

function instance(id: string, tags: Record<string, string>): InstanceDescription {
  return {
    instanceId: id,
    state: 'running',
    instanceType: 't3.large',
    availabilityZone: 'us-east-1a',
    launchTime: '2026-11-01T00:00:00Z',
    rootDeviceName: '/dev/sda1',
    blockDevices: [],
    hibernationConfigured: false,
    tags,
  };
}

const action = (kind: string, resource: Action['resource'], usd = 10): Action =>
  ({ id: `${kind}:${resource.name}`, kind, resource, monthlyDeltaUSD: usd, details: {} }) as unknown as Action;

const plan = (actions: Action[]): Plan => ({
  now: '2026-11-01T00:00:00Z',
  actions,
  refusals: [],
  monthlyDeltaUSD: actions.reduce((s, a) => s + a.monthlyDeltaUSD, 0),
});

describe('foreignGroups', () => {
  it.each([
    { name: 'own id only', tags: [{ 'labops:repo': 'o/lab', 'labops:name': 'ann' }], expected: [] },
    { name: 'no name tag', tags: [{ 'labops:repo': 'o/old' }], expected: [] },
    {
      name: 'two names of one other id, one group',
      tags: [
        { 'labops:repo': 'o/old', 'labops:name': 'bea' },
        { 'labops:repo': 'o/old', 'labops:name': 'ann' },
      ],
      expected: [{ id: 'o/old', names: ['ann', 'bea'], instanceIds: ['i-0', 'i-1'] }],
    },
  ])('$name', ({ tags, expected }) => {
    // Arrange
    const instances = tags.map((t, i) => instance(`i-${i}`, t));

    // Act
    const groups = foreignGroups(instances, 'o/lab');

    // Assert
    expect(groups).toEqual(expected);
  });
});

describe('refuseDuplicates', () => {
  const groups = [{ id: 'o/old', names: ['ann'], instanceIds: ['i-0'] }];
  const created = plan([
    action('create', { kind: 'Workstation', name: 'ann' }),
    action('create', { kind: 'Workstation', name: 'bea' }),
  ]);

  it.each([
    { allow: false, actions: ['create:bea'], refused: ['foreign-duplicate ann'], usd: 10 },
    { allow: true, actions: ['create:ann', 'create:bea'], refused: [], usd: 20 },
  ])('allowDuplicates=$allow', ({ allow, actions, refused, usd }) => {
    // Act
    const out = refuseDuplicates(created, groups, allow);

    // Assert
    expect(out.actions.map((a) => a.id)).toEqual(actions);
    expect(out.refusals.map((r) => `${r.code} ${r.resource?.name}`)).toEqual(refused);
    expect(out.monthlyDeltaUSD).toBe(usd);
  });
});

describe('recordIsEmpty', () => {
  const at = '2026-11-01T00:00:00Z';
  it.each<{ name: string; record: RunRecord; empty: boolean }>([
    { name: 'a new record', record: emptyRecord(), empty: true },
    {
      name: 'only a cost cache and updatedAt (a plan wrote it)',
      record: { ...emptyRecord(), updatedAt: at },
      empty: true,
    },
    { name: 'lastApplyAt', record: { ...emptyRecord(), lastApplyAt: at }, empty: false },
    {
      name: 'an older record that remembers an alert',
      record: { ...emptyRecord(), alerts: [{ budget: 'b', period: '2026-11', percent: 50, basis: 'actual', at }] },
      empty: false,
    },
  ])('$name', ({ record, empty }) => {
    // Act / Assert
    expect(recordIsEmpty(record)).toBe(empty);
  });
});

describe('withholdRecordActions', () => {
  it('withholds Job and SnapshotSchedule actions, keeps workstation actions', () => {
    // Arrange
    const mixed = plan([
      action('start', { kind: 'Workstation', name: 'ann' }),
      action('submit-job', { kind: 'Job', name: 'train' }),
      action('snapshot', { kind: 'SnapshotSchedule', name: 'nightly' }, 1),
    ]);

    // Act
    const out = withholdRecordActions(mixed);

    // Assert
    expect(out.actions.map((a) => a.id)).toEqual(['start:ann']);
    expect(out.refusals.map((r) => `${r.code} ${r.resource?.kind}/${r.resource?.name}`)).toEqual([
      'record-missing Job/train',
      'record-missing SnapshotSchedule/nightly',
    ]);
  });
});
