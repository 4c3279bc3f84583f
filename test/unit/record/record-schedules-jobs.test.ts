/** The record's schedule and job facts as a run keeps them, when what it read was forged with times in the future. */
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import type { JobRecord, RunRecord, ScheduleRecord } from '../../../reconciler/src/model/record.js';
import { recordJobStatuses, recordSchedulesSeen } from '../../../reconciler/src/record/schedules-jobs.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function withSchedule(entry: ScheduleRecord | undefined): RunRecord {
  return { ...emptyRecord(), schedules: entry === undefined ? {} : { nightly: entry } };
}

function job(submittedAt: string): JobRecord {
  return {
    name: 'align',
    specHash: '0123456789abcdef',
    rerun: 0,
    region: 'us-east-1',
    jobId: 'job-1',
    jobName: 'labops-align-01234567-r0',
    submittedAt,
    status: 'RUNNING',
  };
}

describe('recordSchedulesSeen', () => {
  it.each([
    ['never seen', undefined, NOW.toISOString()],
    ['seen before', { firstSeenAt: '2026-11-01T00:00:00.000Z' }, '2026-11-01T00:00:00.000Z'],
    ['a first sighting in the future', { firstSeenAt: '2999-01-01T00:00:00.000Z' }, NOW.toISOString()],
    ['only a last slot in the future', { lastSlot: '2999-01-01T07:00:00.000Z' }, NOW.toISOString()],
  ])('%s: first seen at the time expected', (_case, entry, expected) => {
    const record = withSchedule(entry);

    recordSchedulesSeen(record, ['nightly'], NOW);

    expect(record.schedules.nightly?.firstSeenAt).toBe(expected);
  });

  it('leaves a schedule that has a real last slot alone', () => {
    const record = withSchedule({ lastSlot: '2026-11-22T07:00:00.000Z' });

    recordSchedulesSeen(record, ['nightly'], NOW);

    expect(record.schedules.nightly).toEqual({ lastSlot: '2026-11-22T07:00:00.000Z' });
  });
});

describe('recordJobStatuses', () => {
  it.each([
    ['submitted over a week ago', '2026-11-01T00:00:00.000Z', 'FORGOTTEN'],
    ['submitted yesterday', '2026-11-21T12:00:00.000Z', 'RUNNING'],
    ['submitted in the future (a forged record): counted as long ago', '2999-01-01T00:00:00.000Z', 'FORGOTTEN'],
  ])('a job Batch no longer returns, %s: %s', (_case, submittedAt, status) => {
    const record: RunRecord = { ...emptyRecord(), jobs: [job(submittedAt)] };

    recordJobStatuses(record, [], NOW, ['job-1']);

    expect(record.jobs[0]?.status).toBe(status);
  });
});
