/** The record's schedule facts as a run keeps them, when what it read was forged with times in the future. */
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../../reconciler/src/model/record.js';
import type { RunRecord, ScheduleRecord } from '../../../../reconciler/src/model/record.js';
import { recordSchedulesSeen } from '../../../../reconciler/src/kinds/snapshot-schedule/record.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function withSchedule(entry: ScheduleRecord | undefined): RunRecord {
  return { ...emptyRecord(), schedules: entry === undefined ? {} : { nightly: entry } };
}

describe('recordSchedulesSeen', () => {
  it.each([
    ['never seen', undefined, NOW.toISOString()],
    ['seen before', { firstSeenAt: '2026-11-01T00:00:00.000Z' }, '2026-11-01T00:00:00.000Z'],
    ['a first sighting in the future', { firstSeenAt: '2999-01-01T00:00:00.000Z' }, NOW.toISOString()],
    ['only a last slot in the future', { lastSlot: '2999-01-01T07:00:00.000Z' }, NOW.toISOString()],
  ])('%s: first seen at the time expected', (_case, entry, expected) => {
    const record = recordSchedulesSeen(['nightly'], NOW)(withSchedule(entry));

    expect(record.schedules.nightly?.firstSeenAt).toBe(expected);
  });

  it('leaves a schedule that has a real last slot alone', () => {
    const record = recordSchedulesSeen(['nightly'], NOW)(withSchedule({ lastSlot: '2026-11-22T07:00:00.000Z' }));

    expect(record.schedules.nightly).toEqual({ lastSlot: '2026-11-22T07:00:00.000Z' });
  });
});
