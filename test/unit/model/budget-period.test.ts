import { describe, expect, it } from 'vitest';
import type { DesiredBudget } from '../../../reconciler/src/model/budget.js';
import { budgetWindow, localMidnight, remainingHours } from '../../../reconciler/src/model/budget-period.js';

function budget(period: DesiredBudget['period']): DesiredBudget {
  return { name: 'b', project: 'p', limitUSD: 100, period, thresholds: [50, 100], actions: [], notify: [] };
}

describe('budget periods in the Lab calendar zone', () => {
  it.each([
    [
      'a fixed period, end inclusive',
      { start: '2026-08-24', end: '2026-12-18' },
      '2026-10-01T12:00:00Z',
      '2026-08-24..2026-12-18',
      '2026-08-24',
      '2026-12-18',
    ],
    ['a month', { every: 'month' as const }, '2026-11-15T12:00:00Z', '2026-11', '2026-11-01', '2026-11-30'],
    [
      'February of a common year',
      { every: 'month' as const },
      '2027-02-10T12:00:00Z',
      '2027-02',
      '2027-02-01',
      '2027-02-28',
    ],
    ['a quarter', { every: 'quarter' as const }, '2026-11-15T12:00:00Z', '2026-Q4', '2026-10-01', '2026-12-31'],
    ['a year', { every: 'year' as const }, '2026-11-15T12:00:00Z', '2026', '2026-01-01', '2026-12-31'],
    [
      'the month of the local date, not UTC (Oct 31 evening in New York is Nov 1 UTC)',
      { every: 'month' as const },
      '2026-11-01T02:00:00Z',
      '2026-10',
      '2026-10-01',
      '2026-10-31',
    ],
  ])('%s', (_name, period, now, key, start, end) => {
    const win = budgetWindow(budget(period), new Date(now), 'America/New_York');

    expect({ key: win.key, start: win.start, end: win.end }).toEqual({ key, start, end });
  });

  it.each([
    ['EDT midnight is 04:00Z', '2026-10-01', '2026-10-01T04:00:00.000Z'],
    ['EST midnight is 05:00Z', '2026-12-01', '2026-12-01T05:00:00.000Z'],
    ['the day after the DST change', '2026-11-02', '2026-11-02T05:00:00.000Z'],
  ])('local midnight: %s', (_name, date, iso) => {
    expect(new Date(localMidnight(date, 'America/New_York')).toISOString()).toBe(iso);
  });

  it('counts the whole last day of a fixed period (end inclusive) and nothing after it', () => {
    const win = budgetWindow(
      budget({ start: '2026-12-01', end: '2026-12-01' }),
      new Date('2026-12-01T00:00:00Z'),
      'UTC',
    );

    expect([
      remainingHours(win, Date.parse('2026-12-01T00:00:00Z')),
      remainingHours(win, Date.parse('2026-12-03T00:00:00Z')),
    ]).toEqual([24, 0]);
  });
});
