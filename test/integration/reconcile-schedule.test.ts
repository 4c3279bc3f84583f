/**
 * Issue 4 end to end: work-hours schedules across both daylight-saving changes of
 * America/New_York and an academic calendar break, through the whole pipeline against the
 * simulator. Each step moves the clock (sim and planner) to a local instant, applies, and checks
 * the actions and the rule behind them; the instance's state is then read back from AWS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReconcile, workstationYaml } from './reconcile-harness.js';
import type { LabSettings, ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

const WORK_HOURS = 'schedule: work hours (Mon-Fri 08:00-19:00 America/New_York)';
const OFF_HOURS = 'schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)';

/** One instant of a timeline: the actions apply carries out then, their rule, and the state after. */
interface Step {
  at: string;
  local: string;
  actions: string[];
  rule?: string;
  state: 'running' | 'stopped';
}

/** Moves the simulator to `iso` (never back: waits may have pushed it a little past) and applies at `iso`. */
async function applyAt(iso: string): Promise<{ actions: string[]; rules: string[]; state: string | undefined }> {
  const simNow = await h.now();
  if (Date.parse(iso) > simNow.getTime()) await h.sim.control.setClock(iso);
  const result = await h.run('apply', new Date(iso));
  expect(result.applied?.ok, JSON.stringify(result.applied?.results)).toBe(true);
  const [instance] = await h.instances('alice-ws');
  return {
    actions: (result.plan?.actions ?? []).map((a) => a.kind),
    rules: (result.plan?.actions ?? []).map((a) => a.rule),
    state: instance?.state,
  };
}

async function walk(steps: Step[], settings: LabSettings = {}): Promise<void> {
  h = await startReconcile(
    {
      'workstations/alice.yaml': workstationYaml('alice-ws', {
        schedule: { workHours: 'Mon-Fri 08:00-19:00', offHoursAction: 'stop' },
      }),
    },
    settings,
    { start: steps[0]!.at },
  );
  const seen = [];
  for (const step of steps) {
    const got = await applyAt(step.at);
    seen.push({
      at: step.at,
      local: step.local,
      actions: got.actions,
      ...(step.rule === undefined ? {} : { rule: got.rules[0] }),
      state: got.state,
    });
  }
  expect(seen).toEqual(steps);
}

describe('schedule across daylight-saving changes (America/New_York)', () => {
  it('autumn: 08:00 and 19:00 local move from 12:00/23:00 UTC (EDT) to 13:00/00:00 UTC (EST) after 2026-11-01', async () => {
    await walk([
      { at: '2026-10-30T11:59:00.000Z', local: 'Fri 07:59 EDT', actions: ['create'], state: 'stopped' },
      {
        at: '2026-10-30T12:00:00.000Z',
        local: 'Fri 08:00 EDT',
        actions: ['start'],
        rule: WORK_HOURS,
        state: 'running',
      },
      { at: '2026-10-30T22:59:00.000Z', local: 'Fri 18:59 EDT', actions: [], state: 'running' },
      { at: '2026-10-30T23:00:00.000Z', local: 'Fri 19:00 EDT', actions: ['stop'], rule: OFF_HOURS, state: 'stopped' },
      {
        at: '2026-11-02T12:00:00.000Z',
        local: 'Mon 07:00 EST (08:00 had DST not ended)',
        actions: [],
        state: 'stopped',
      },
      { at: '2026-11-02T12:59:00.000Z', local: 'Mon 07:59 EST', actions: [], state: 'stopped' },
      {
        at: '2026-11-02T13:00:00.000Z',
        local: 'Mon 08:00 EST',
        actions: ['start'],
        rule: WORK_HOURS,
        state: 'running',
      },
      {
        at: '2026-11-02T23:30:00.000Z',
        local: 'Mon 18:30 EST (19:30 had DST not ended)',
        actions: [],
        state: 'running',
      },
      { at: '2026-11-03T00:00:00.000Z', local: 'Mon 19:00 EST', actions: ['stop'], rule: OFF_HOURS, state: 'stopped' },
    ]);
  });

  it('spring: 08:00 and 19:00 local move from 13:00/00:00 UTC (EST) to 12:00/23:00 UTC (EDT) after 2026-03-08', async () => {
    await walk([
      { at: '2026-03-06T12:59:00.000Z', local: 'Fri 07:59 EST', actions: ['create'], state: 'stopped' },
      {
        at: '2026-03-06T13:00:00.000Z',
        local: 'Fri 08:00 EST',
        actions: ['start'],
        rule: WORK_HOURS,
        state: 'running',
      },
      { at: '2026-03-06T23:59:00.000Z', local: 'Fri 18:59 EST', actions: [], state: 'running' },
      { at: '2026-03-07T00:00:00.000Z', local: 'Fri 19:00 EST', actions: ['stop'], rule: OFF_HOURS, state: 'stopped' },
      { at: '2026-03-08T14:00:00.000Z', local: 'Sun 10:00 EDT (the change day)', actions: [], state: 'stopped' },
      { at: '2026-03-09T11:59:00.000Z', local: 'Mon 07:59 EDT', actions: [], state: 'stopped' },
      {
        at: '2026-03-09T12:00:00.000Z',
        local: 'Mon 08:00 EDT (07:00 had DST not begun)',
        actions: ['start'],
        rule: WORK_HOURS,
        state: 'running',
      },
      { at: '2026-03-09T22:59:00.000Z', local: 'Mon 18:59 EDT', actions: [], state: 'running' },
      {
        at: '2026-03-09T23:00:00.000Z',
        local: 'Mon 19:00 EDT (18:00 had DST not begun)',
        actions: ['stop'],
        rule: OFF_HOURS,
        state: 'stopped',
      },
    ]);
  });
});

describe('calendar break', () => {
  it('turns a scheduled workstation off for the winter break, even in work hours, and back on after', async () => {
    await walk(
      [
        {
          at: '2026-12-18T15:00:00.000Z',
          local: 'Fri 10:00 EST, last day before the break',
          actions: ['create'],
          state: 'running',
        },
        {
          at: '2026-12-21T15:00:00.000Z',
          local: 'Mon 10:00 EST, in the break',
          actions: ['stop'],
          rule: 'calendar: winter',
          state: 'stopped',
        },
        { at: '2027-01-08T15:00:00.000Z', local: 'Fri 10:00 EST, still in the break', actions: [], state: 'stopped' },
        { at: '2027-01-11T12:59:00.000Z', local: 'Mon 07:59 EST, after the break', actions: [], state: 'stopped' },
        {
          at: '2027-01-11T15:00:00.000Z',
          local: 'Mon 10:00 EST, after the break',
          actions: ['start'],
          rule: WORK_HOURS,
          state: 'running',
        },
      ],
      { breaks: [{ name: 'winter', from: '2026-12-19', to: '2027-01-10' }] },
    );
  });
});
