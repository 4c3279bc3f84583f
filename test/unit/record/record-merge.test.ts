/** mergeRecords: what concurrent writers of the status branch end up with (pure, no git). */
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import type { JobRecord, RunRecord } from '../../../reconciler/src/model/record.js';
import { mergeRecords } from '../../../reconciler/src/record/merge.js';

function record(patch: Partial<RunRecord>): RunRecord {
  return { ...emptyRecord(), ...patch };
}

function alert(budget: string, at: string, percent = 50): RunRecord['alerts'][number] {
  return { budget, period: '2026-11', percent, basis: 'actual', at };
}

function job(jobId: string, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    name: 'align',
    specHash: 'h',
    rerun: 0,
    region: 'us-east-1',
    jobId,
    jobName: `labops-align-${jobId}`,
    submittedAt: '2026-11-01T00:00:00Z',
    ...patch,
  };
}

function workstation(observedAt: string, state = 'running'): Record<string, unknown> {
  return { observedAt, instanceId: 'i-1', state };
}

function fired(budget: string, at: string, period = '2026-12'): NonNullable<RunRecord['budgetActions']>[number] {
  return { budget, period, do: 'stop', atPercent: 100, limitUSD: 43, at };
}

function ledgerEntry(lastSeen: string): NonNullable<RunRecord['instanceRuns']>[string] {
  return {
    project: 'neuro',
    region: 'us-east-1',
    instanceType: 'm6i.large',
    storageHourlyUSD: 0.01,
    state: 'running',
    changedAt: '2026-12-01T13:00:00.000Z',
    firstSeen: '2026-12-01T13:00:00.000Z',
    lastSeen,
    runs: [{ from: '2026-12-01T13:00:00.000Z', to: lastSeen }],
  };
}

describe('mergeRecords', () => {
  it.each([
    [
      'ours is the later write',
      '2026-12-01T16:00:00Z',
      'Europe/Berlin',
      '2026-12-01T15:00:00Z',
      'UTC',
      'Europe/Berlin',
    ],
    ['theirs is the later write', '2026-12-01T14:00:00Z', 'Europe/Berlin', '2026-12-01T15:00:00Z', 'UTC', 'UTC'],
    ['the later write names none', '2026-12-01T16:00:00Z', undefined, '2026-12-01T15:00:00Z', 'UTC', 'UTC'],
    ['neither names one', '2026-12-01T16:00:00Z', undefined, '2026-12-01T15:00:00Z', undefined, undefined],
  ])(
    'keeps the Lab zone of the later writer (STATUS.md times): %s',
    (_name, ourAt, ourZone, theirAt, theirZone, zone) => {
      const ours = record({ updatedAt: ourAt, ...(ourZone === undefined ? {} : { timezone: ourZone }) });
      const theirs = record({ updatedAt: theirAt, ...(theirZone === undefined ? {} : { timezone: theirZone }) });

      expect(mergeRecords(ours, theirs).timezone).toBe(zone);
    },
  );

  it('keeps budget actions fired by either writer (the earliest firing), and not one this writer dropped with its period', () => {
    const base = record({ budgetActions: [fired('old', '2026-11-20T00:00:00Z', '2026-11')] });
    const ours = record({ budgetActions: [fired('a', '2026-12-02T00:00:00Z')] });
    const theirs = record({
      budgetActions: [
        fired('old', '2026-11-20T00:00:00Z', '2026-11'),
        fired('a', '2026-12-01T00:00:00Z'),
        fired('b', '2026-12-03T00:00:00Z'),
      ],
    });

    const merged = mergeRecords(ours, theirs, base);

    expect(merged.budgetActions).toEqual([fired('a', '2026-12-01T00:00:00Z'), fired('b', '2026-12-03T00:00:00Z')]);
  });

  it('keeps the later sighting of each instance in the spend ledger, and the other writer’s new entries', () => {
    const ours = record({ instanceRuns: { 'i-00000001': ledgerEntry('2026-12-01T15:00:00.000Z') } });
    const theirs = record({
      instanceRuns: {
        'i-00000001': ledgerEntry('2026-12-01T16:00:00.000Z'),
        'i-00000002': ledgerEntry('2026-12-01T16:00:00.000Z'),
      },
    });

    const merged = mergeRecords(ours, theirs, emptyRecord());

    expect(merged.instanceRuns).toEqual(theirs.instanceRuns);
  });

  it('unions alerts (each once, the earliest sending) and orders them by time', () => {
    const ours = record({ alerts: [alert('a', '2026-11-02T00:00:00Z'), alert('c', '2026-11-03T00:00:00Z')] });
    const theirs = record({ alerts: [alert('b', '2026-11-01T00:00:00Z'), alert('c', '2026-11-02T12:00:00Z')] });

    const merged = mergeRecords(ours, theirs);

    expect(merged.alerts).toEqual([
      alert('b', '2026-11-01T00:00:00Z'),
      alert('a', '2026-11-02T00:00:00Z'),
      alert('c', '2026-11-02T12:00:00Z'),
    ]);
  });

  it('unions jobs by id; the later status wins and facts only one side has are kept', () => {
    const ours = record({
      jobs: [
        job('j-1', { status: 'RUNNING', statusAt: '2026-11-02T00:00:00Z' }),
        job('j-3', { submittedAt: '2026-11-03T00:00:00Z' }),
      ],
    });
    const theirs = record({
      jobs: [
        job('j-1', { status: 'SUCCEEDED', statusAt: '2026-11-02T06:00:00Z', children: { SUCCEEDED: 4 } }),
        job('j-2', { submittedAt: '2026-11-02T00:00:00Z', cancelledAt: '2026-11-02T01:00:00Z' }),
      ],
    });

    const merged = mergeRecords(ours, theirs);

    expect(merged.jobs.map((j) => [j.jobId, j.status, j.cancelledAt])).toEqual([
      ['j-1', 'SUCCEEDED', undefined],
      ['j-2', undefined, '2026-11-02T01:00:00Z'],
      ['j-3', undefined, undefined],
    ]);
    expect(merged.jobs[0]!.children).toEqual({ SUCCEEDED: 4 });
  });

  it('keeps the newest slot per schedule and the earliest first sighting', () => {
    const ours = record({
      schedules: {
        nightly: {
          lastSlot: '2026-11-02T07:00:00Z',
          lastRunAt: '2026-11-02T07:05:00Z',
          firstSeenAt: '2026-10-02T00:00:00Z',
        },
      },
    });
    const theirs = record({
      schedules: {
        nightly: { lastSlot: '2026-11-01T07:00:00Z', firstSeenAt: '2026-10-01T00:00:00Z' },
        weekly: { lastSlot: '2026-11-01T08:00:00Z' },
      },
    });

    const merged = mergeRecords(ours, theirs);

    expect(merged.schedules).toEqual({
      nightly: {
        lastSlot: '2026-11-02T07:00:00Z',
        lastRunAt: '2026-11-02T07:05:00Z',
        firstSeenAt: '2026-10-01T00:00:00Z',
      },
      weekly: { lastSlot: '2026-11-01T08:00:00Z' },
    });
  });

  it.each([
    ['ours newer', '2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'],
    ['theirs newer', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z'],
  ])('keeps the newer Cost Explorer cache and last write (%s)', (_, oursAt, theirsAt, expected) => {
    const cache = (fetchedAt: string): RunRecord['costCache'] => ({
      fetchedAt,
      start: '2026-11-01',
      end: '2026-11-02',
      dailyByProject: {},
      estimatedDates: [],
    });

    const merged = mergeRecords(
      record({ costCache: cache(oursAt), updatedAt: oursAt }),
      record({ costCache: cache(theirsAt), updatedAt: theirsAt }),
    );

    expect([merged.costCache?.fetchedAt, merged.updatedAt]).toEqual([expected, expected]);
  });

  it("adds both writers' Cost Explorer calls when it knows where this writer started, else keeps the larger count", () => {
    const base = record({ costExplorerCalls: 10 });
    const ours = record({ costExplorerCalls: 11 });
    const theirs = record({ costExplorerCalls: 12 });

    expect(mergeRecords(ours, theirs, base).costExplorerCalls).toBe(13);
    expect(mergeRecords(ours, theirs).costExplorerCalls).toBe(12);
  });

  it('keeps the later observation of a resource both sides have', () => {
    const ours = record({ resources: { 'Workstation/ann': workstation('2026-11-02T00:00:00Z', 'stopped') } });
    const theirs = record({ resources: { 'Workstation/ann': workstation('2026-11-02T01:00:00Z', 'running') } });

    expect(mergeRecords(ours, theirs).resources['Workstation/ann']!.state).toBe('running');
    expect(mergeRecords(theirs, ours).resources['Workstation/ann']!.state).toBe('running');
  });

  it.each([
    [
      'gone: ours listed workstations after theirs saw ann',
      { Workstation: '2026-11-02T00:00:00Z' },
      '2026-11-01T00:00:00Z',
      false,
    ],
    ['kept: theirs saw ann after our listing', { Workstation: '2026-11-01T00:00:00Z' }, '2026-11-02T00:00:00Z', true],
    ['kept: ours never listed workstations', undefined, '2026-11-01T00:00:00Z', true],
    ['kept: ours listed only budgets', { Budget: '2026-11-02T00:00:00Z' }, '2026-11-01T00:00:00Z', true],
  ])('a resource only theirs has is %s', (_, listedAt, seenAt, kept) => {
    const ours = record({ resources: {}, ...(listedAt ? { listedAt } : {}) });
    const theirs = record({ resources: { 'Workstation/ann': workstation(seenAt) } });

    expect('Workstation/ann' in mergeRecords(ours, theirs).resources).toBe(kept);
    expect('Workstation/ann' in mergeRecords(theirs, ours).resources).toBe(kept);
  });

  it.each([
    [
      'ours is later',
      { commit: 'a'.repeat(40), at: '2026-11-02T00:00:00Z' },
      { commit: 'b'.repeat(40), at: '2026-11-01T00:00:00Z' },
      'a'.repeat(40),
    ],
    [
      'theirs is later',
      { commit: 'a'.repeat(40), at: '2026-11-01T00:00:00Z' },
      { commit: 'b'.repeat(40), at: '2026-11-02T00:00:00Z' },
      'b'.repeat(40),
    ],
    ['only theirs has one', undefined, { commit: 'b'.repeat(40), at: '2026-11-02T00:00:00Z' }, 'b'.repeat(40)],
    ['only ours has one', { commit: 'a'.repeat(40), at: '2026-11-01T00:00:00Z' }, undefined, 'a'.repeat(40)],
  ])('keeps the last applied commit of the later run (%s)', (_case, mine, other, expected) => {
    const ours = record(mine === undefined ? {} : { applied: mine });
    const theirs = record(other === undefined ? {} : { applied: other });

    const merged = mergeRecords(ours, theirs);

    expect(merged.applied?.commit).toBe(expected);
  });

  it('keeps the later listing time per kind', () => {
    const ours = record({ listedAt: { Workstation: '2026-11-02T00:00:00Z', Budget: '2026-11-01T00:00:00Z' } });
    const theirs = record({ listedAt: { Workstation: '2026-11-01T00:00:00Z', Budget: '2026-11-03T00:00:00Z' } });

    expect(mergeRecords(ours, theirs).listedAt).toEqual({
      Budget: '2026-11-03T00:00:00Z',
      Workstation: '2026-11-02T00:00:00Z',
    });
  });

  it('gives the same facts whichever side is ours (apart from the call counter)', () => {
    const a = record({
      updatedAt: '2026-11-02T00:00:00Z',
      alerts: [alert('x', '2026-11-01T00:00:00Z')],
      jobs: [job('j-1')],
      schedules: { s: { lastSlot: '2026-11-01T07:00:00Z' } },
      resources: { 'Workstation/ann': workstation('2026-11-02T00:00:00Z') },
    });
    const b = record({
      updatedAt: '2026-11-01T00:00:00Z',
      alerts: [alert('y', '2026-11-01T06:00:00Z')],
      jobs: [job('j-2')],
      schedules: { s: { lastSlot: '2026-11-02T07:00:00Z' } },
      resources: { 'Workstation/ben': workstation('2026-11-01T00:00:00Z') },
    });

    expect(mergeRecords(a, b)).toEqual(mergeRecords(b, a));
  });

  it('is the identity when both sides are the same record', () => {
    const a = record({
      updatedAt: '2026-11-02T00:00:00Z',
      alerts: [alert('x', '2026-11-01T00:00:00Z')],
      jobs: [job('j-1')],
      resources: { 'Workstation/ann': workstation('2026-11-02T00:00:00Z') },
      listedAt: { Workstation: '2026-11-02T00:00:00Z' },
    });

    expect(mergeRecords(a, structuredClone(a))).toEqual(a);
  });
});
