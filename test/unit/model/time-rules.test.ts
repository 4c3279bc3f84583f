/** Work hours, time zones across DST and cron: the time rules schedules are built on (durations: duration.test.ts). */
import { describe, expect, it } from 'vitest';
import { checkCron, cronTimes } from '../../../reconciler/src/model/cron.js';
import { isTimeZone, localTime } from '../../../reconciler/src/model/time-zone.js';
import { isWithinWorkHours, parseWorkHours } from '../../../reconciler/src/model/work-hours.js';

describe('parseWorkHours', () => {
  it.each([
    ['Mon-Fri 08:00-19:00', [1, 2, 3, 4, 5].map((d) => ({ weekday: d, start: 480, end: 1140 }))],
    ['Sat 10:00-14:00', [{ weekday: 6, start: 600, end: 840 }]],
    [
      'Mon,Wed 09:00-12:00,13:00-17:00',
      [
        { weekday: 1, start: 540, end: 720 },
        { weekday: 3, start: 540, end: 720 },
        { weekday: 1, start: 780, end: 1020 },
        { weekday: 3, start: 780, end: 1020 },
      ],
    ],
    ['Fri-Mon 00:00-24:00', [0, 1, 5, 6].map((d) => ({ weekday: d, start: 0, end: 1440 }))],
    [
      'Sat 22:00-02:00',
      [
        { weekday: 6, start: 1320, end: 1440 },
        { weekday: 0, start: 0, end: 120 },
      ],
    ],
    ['weekends 10:00-12:00', [0, 6].map((d) => ({ weekday: d, start: 600, end: 720 }))],
    [
      'Mon 08:00-12:00; Tue 13:00-14:00',
      [
        { weekday: 1, start: 480, end: 720 },
        { weekday: 2, start: 780, end: 840 },
      ],
    ],
  ])('%s', (text, windows) => {
    expect(parseWorkHours(text)).toEqual({ ok: true, windows });
  });

  it.each([
    ['Mon-Fri', 'should be DAYS HH:MM-HH:MM'],
    ['Mon-Fri 8:00-19:00', 'should be a time range HH:MM-HH:MM'],
    ['Mon-Fri 08:00-25:00', 'impossible time'],
    ['Mon-Fri 08:00-08:00', 'is empty'],
    ['Mo-Fr 08:00-19:00', 'unknown day "mo-fr"'],
    ['', 'should be DAYS HH:MM-HH:MM'],
  ])('rejects %j', (text, message) => {
    const result = parseWorkHours(text);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});

describe('isWithinWorkHours across DST in America/New_York', () => {
  const parsed = parseWorkHours('Mon-Fri 08:00-19:00');
  const windows = parsed.ok ? parsed.windows : [];

  it.each([
    ['2026-03-06T12:59:00Z', false], // Fri 07:59 EST
    ['2026-03-06T13:00:00Z', true], // Fri 08:00 EST
    ['2026-03-09T12:00:00Z', true], // Mon 08:00 EDT (after the 8 March change)
    ['2026-03-09T11:59:00Z', false], // Mon 07:59 EDT
    ['2026-11-02T13:00:00Z', true], // Mon 08:00 EST (after the 1 November change)
    ['2026-11-02T12:30:00Z', false], // Mon 07:30 EST
    ['2026-11-07T15:00:00Z', false], // Saturday
    ['2026-11-06T23:59:00Z', true], // Fri 18:59 EST
    ['2026-11-07T00:00:00Z', false], // Fri 19:00 EST
  ])('%s → %s', (instant, within) => {
    expect(isWithinWorkHours(windows, new Date(instant), 'America/New_York')).toBe(within);
  });
});

describe('time zones', () => {
  it.each([
    ['America/New_York', true],
    ['Europe/Berlin', true],
    ['UTC', true],
    ['America/Argentina/Buenos_Aires', true],
    ['america/new_york', false],
    ['America/New_Yrok', false],
    ['EST', false],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%s → %s', (name, valid) => {
    expect(isTimeZone(name)).toBe(valid);
  });

  it('gives local date, weekday and minute', () => {
    expect(localTime(new Date('2026-11-23T04:30:00Z'), 'America/Los_Angeles')).toEqual({
      date: '2026-11-22',
      weekday: 0,
      minutes: 20 * 60 + 30,
    });
  });
});

describe('cron', () => {
  it.each([
    ['0 2 * * *', true],
    ['*/15 8-18 * * 1-5', true],
    ['@daily', true],
    ['0 25 * * *', false],
    ['0 0 2 * * *', false],
    ['not cron', false],
  ])('%s valid: %s', (expression, ok) => {
    expect(checkCron(expression).ok).toBe(ok);
  });

  it('reads the expression in its time zone, across a DST change', () => {
    const times = cronTimes(
      '0 2 * * *',
      'America/New_York',
      new Date('2026-10-31T00:00:00Z'),
      new Date('2026-11-03T00:00:00Z'),
    );

    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-10-31T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-02T07:00:00.000Z',
    ]);
  });
});
