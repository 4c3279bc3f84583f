import { describe, expect, it } from 'vitest';
import { projectCostSince, updateLedger } from '../../../reconciler/src/cost/spend-ledger.js';
import type { SpendLedger } from '../../../reconciler/src/cost/spend-ledger.js';
import type { ObservedInstance } from '../../../reconciler/src/model/observed.js';
import { instanceOf, workstation } from '../kinds/workstation/plan-fixtures.js';

const HOUR = 3_600_000;
/** Cost Explorer's data ends at midnight UTC; runs happen on the hour after it. */
const DATA_END = Date.parse('2026-11-16T00:00:00Z');
const at = (hour: number): Date => new Date(DATA_END + hour * HOUR);
/** m6i.large and a 100 GiB gp3 root, per hour. */
const COMPUTE = 0.096;
const STORAGE = (100 * 0.08) / 730;

const ws = workstation({ volumes: [] });
const running = (startHour: number): ObservedInstance =>
  instanceOf(ws, { state: 'running', launchTime: at(startHour).toISOString() });
const stopped = (startHour: number, stopHour: number | undefined): ObservedInstance =>
  instanceOf(ws, {
    state: 'stopped',
    launchTime: at(startHour).toISOString(),
    ...(stopHour === undefined ? {} : { stoppedAt: at(stopHour).toISOString() }),
  });
/** Before midnight: what EC2 shows of an instance running since the day before. */
const BEFORE = -10;

interface Step {
  hour: number;
  instance: ObservedInstance;
  /** Expected estimate since the data end. */
  usd: number;
}

/** Runs the steps through the ledger as consecutive runs would, returning each run's estimate. */
function replay(steps: readonly Step[]): number[] {
  let ledger: SpendLedger | undefined;
  const out: number[] = [];
  for (const step of steps) {
    const now = at(step.hour);
    ledger = updateLedger(ledger, [step.instance], now, DATA_END);
    const project = step.instance.tags['labops:project']!;
    out.push(projectCostSince(project, [step.instance], ledger, DATA_END, now.getTime(), now));
  }
  return out;
}

describe('the spend ledger', () => {
  it.each<[string, Step[]]>([
    [
      'a stop keeps the morning’s compute (stop time from StateTransitionReason), storage goes on',
      [
        { hour: 8, instance: running(BEFORE), usd: 8 * (COMPUTE + STORAGE) },
        { hour: 9, instance: stopped(BEFORE, 8.5), usd: 8.5 * COMPUTE + 9 * STORAGE },
        { hour: 10, instance: stopped(BEFORE, 8.5), usd: 8.5 * COMPUTE + 10 * STORAGE },
      ],
    ],
    [
      'a restart keeps the night’s storage and the earlier run, up to when it was last seen running',
      [
        { hour: 2, instance: running(BEFORE), usd: 2 * (COMPUTE + STORAGE) },
        { hour: 8, instance: running(7), usd: (2 + 1) * COMPUTE + 8 * STORAGE },
        { hour: 9, instance: running(7), usd: (2 + 2) * COMPUTE + 9 * STORAGE },
      ],
    ],
    [
      'a stop observed, then a restart: both stretches of compute count',
      [
        { hour: 3, instance: stopped(BEFORE, 1), usd: 1 * COMPUTE + 3 * STORAGE },
        { hour: 8, instance: running(6), usd: (1 + 2) * COMPUTE + 8 * STORAGE },
        { hour: 12, instance: stopped(6, 11), usd: (1 + 5) * COMPUTE + 12 * STORAGE },
      ],
    ],
  ])('%s', (_name, steps) => {
    const estimates = replay(steps);

    expect(estimates.map((usd) => usd.toFixed(6))).toEqual(steps.map((s) => s.usd.toFixed(6)));
    for (const [i, usd] of estimates.entries()) if (i > 0) expect(usd).toBeGreaterThanOrEqual(estimates[i - 1]!);
  });

  it('forgets what Cost Explorer’s data covers once it moves on', () => {
    const first = updateLedger(undefined, [stopped(BEFORE, 1)], at(3), DATA_END);

    const later = updateLedger(first, [stopped(BEFORE, 1)], at(30), DATA_END + 24 * HOUR);

    expect(first[running(0).instanceId]!.runs).toEqual([{ from: at(BEFORE).toISOString(), to: at(1).toISOString() }]);
    expect(later[running(0).instanceId]!.runs).toEqual([]);
  });

  it('keeps counting an instance terminated since, up to when it was last seen', () => {
    const ledger = updateLedger(undefined, [running(BEFORE)], at(4), DATA_END);

    const usd = projectCostSince('neuro-lab', [], ledger, DATA_END, at(6).getTime(), at(6));

    expect(usd).toBeCloseTo(4 * (COMPUTE + STORAGE), 9);
  });

  it.each<[string, SpendLedger[string]['runs'], string]>([
    ['stretches in the future', [{ from: at(20).toISOString(), to: at(30).toISOString() }], '2026-11-16T00:00:00.000Z'],
    ['a first sighting after its launch', [], '2026-11-16T07:00:00.000Z'],
  ])('a forged record cannot lower the estimate below what EC2 shows: %s', (_name, runs, firstSeen) => {
    const instance = running(BEFORE);
    const forged: SpendLedger = {
      [instance.instanceId]: {
        project: 'neuro-lab',
        region: instance.region,
        instanceType: instance.instanceType,
        storageHourlyUSD: 0,
        state: 'stopped',
        changedAt: at(1).toISOString(),
        firstSeen,
        lastSeen: at(7).toISOString(),
        runs,
      },
    };

    const usd = projectCostSince('neuro-lab', [instance], forged, DATA_END, at(8).getTime(), at(8));

    expect(usd).toBeCloseTo(8 * (COMPUTE + STORAGE), 9);
  });
});
