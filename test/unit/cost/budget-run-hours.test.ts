import { describe, expect, it } from 'vitest';
import { plannedRunHours, scheduledHoursBetween } from '../../../reconciler/src/cost/run-hours.js';
import { lab, schedule, workstation } from '../kinds/workstation/plan-fixtures.js';

const at = (iso: string): number => Date.parse(iso);

describe('planned run-hours respect schedules, breaks, spec state and budget actions', () => {
  it.each([
    // Mon 2026-09-14 00:00 New York (04:00Z) to Mon 2026-09-21 00:00: 5 × 11 h.
    ['one week of Mon-Fri 08:00-19:00', 'Mon-Fri 08:00-19:00', '2026-09-14T04:00:00Z', '2026-09-21T04:00:00Z', 55],
    // Wed 11:00 local to Wed 19:00 local: the rest of one window.
    ['from inside a window', 'Mon-Fri 08:00-19:00', '2026-09-16T15:00:00Z', '2026-09-16T23:00:00Z', 8],
    ['an overnight window', 'weekdays 22:00-06:00', '2026-09-14T04:00:00Z', '2026-09-15T04:00:00Z', 2],
    // Thanksgiving break (Nov 25-29) removes Wed-Fri of that week: 2 × 11 h left.
    ['a week with the Thanksgiving break', 'Mon-Fri 08:00-19:00', '2026-11-23T05:00:00Z', '2026-11-30T05:00:00Z', 22],
  ])('%s', (_name, hours, from, to, expected) => {
    expect(scheduledHoursBetween(schedule(hours), lab(), at(from), at(to))).toBeCloseTo(expected, 6);
  });

  it.each([
    ['no schedule: all the time', {}, [], 48],
    ['spec state stopped: none', { state: 'stopped' as const }, [], 0],
    [
      'hibernated by a budget: none',
      {},
      [{ project: 'neuro-lab', action: 'hibernate' as const, rule: 'budget b at 101% of $100' }],
      0,
    ],
    [
      'another project’s budget: untouched',
      {},
      [{ project: 'other', action: 'stop' as const, rule: 'budget o at 101% of $100' }],
      48,
    ],
    [
      'block-launches does not stop a running one',
      {},
      [{ project: 'neuro-lab', action: 'block-launches' as const, rule: 'budget b at 96% of $100' }],
      48,
    ],
  ])('%s', (_name, overrides, budgetOverrides, expected) => {
    const ws = workstation(overrides);

    const hours = plannedRunHours(ws, lab(), at('2026-09-14T00:00:00Z'), at('2026-09-16T00:00:00Z'), budgetOverrides);

    expect(hours).toBe(expected);
  });
});
