import { describe, expect, it } from 'vitest';
import { projectCostSince, updateLedger } from '../../../reconciler/src/cost/spend-ledger.js';
import type { SpendLedger } from '../../../reconciler/src/cost/spend-ledger.js';
import type { ObservedInstance } from '../../../reconciler/src/model/observed.js';
import { updateJobLedger } from '../../../reconciler/src/cost/job-ledger.js';
import type { JobLedger } from '../../../reconciler/src/cost/job-ledger.js';
import type { ObservedJob } from '../../../reconciler/src/model/job.js';
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

/** A 16-vCPU job's share of an m6i.4xlarge (all of it), per hour, as the sim bills it. */
const SHARE = 0.768;

/** A single Batch job in a queue of project neuro-lab as observed, its attempts in hours from the data end. */
function job(status: string, attempts: [number, number?][], over: Partial<ObservedJob> = {}): ObservedJob {
  const last = attempts[attempts.length - 1];
  return {
    jobId: 'a1b2c3d4-0000-4000-8000-000000000001',
    jobName: 'labops-model-0123abcd-r0',
    region: 'us-east-1',
    status,
    tags: { 'labops:repo': 'lab/infra', 'labops:name': 'model', 'labops:project': 'neuro-lab' },
    needs: { vcpus: 16, memoryMiB: 4096, gpus: 0 },
    queue: 'arn:aws:batch:us-east-1:123456789012:job-queue/atmos',
    shareHourlyUSD: SHARE,
    queueProject: 'neuro-lab',
    attempts: attempts.map(([from, to]) =>
      to === undefined
        ? { startedAt: at(from).getTime() }
        : { startedAt: at(from).getTime(), stoppedAt: at(to).getTime() },
    ),
    ...(status === 'RUNNING' || last?.[1] === undefined ? {} : { stoppedAt: at(last[1]).getTime() }),
    ...over,
  };
}

interface JobStep {
  hour: number;
  /** What Batch returns this run. */
  jobs: ObservedJob[];
  /** Expected Batch estimate since the data end. */
  usd: number;
}

/** Runs the steps through the ledger's Batch part as consecutive runs would, with `dataEnd` per step. */
function replayJobs(steps: readonly JobStep[], dataEnd: (hour: number) => number = () => DATA_END): number[] {
  let ledger: JobLedger | undefined;
  const out: number[] = [];
  for (const step of steps) {
    const now = at(step.hour);
    ledger = updateJobLedger(ledger, step.jobs, new Set(['neuro-lab']), now, dataEnd(step.hour));
    const batch = { jobs: step.jobs, ledger };
    out.push(projectCostSince('neuro-lab', [], undefined, dataEnd(step.hour), now.getTime(), now, batch));
  }
  return out;
}

describe('the spend ledger’s Batch part', () => {
  it.each<[string, JobStep[]]>([
    [
      'a job running since before the data end counts from it, then to its stop',
      [
        { hour: 2, jobs: [job('RUNNING', [[BEFORE]])], usd: 2 * SHARE },
        { hour: 3, jobs: [job('RUNNING', [[BEFORE]])], usd: 3 * SHARE },
        { hour: 5, jobs: [job('SUCCEEDED', [[BEFORE, 4.5]])], usd: 4.5 * SHARE },
        { hour: 6, jobs: [job('SUCCEEDED', [[BEFORE, 4.5]])], usd: 4.5 * SHARE },
      ],
    ],
    [
      'a retried job: both attempts, not the wait between them',
      [
        { hour: 2, jobs: [job('RUNNING', [[1]])], usd: 1 * SHARE },
        { hour: 4, jobs: [job('RUNNING', [[1, 2.5], [3]])], usd: (1.5 + 1) * SHARE },
        {
          hour: 6,
          jobs: [
            job('SUCCEEDED', [
              [1, 2.5],
              [3, 5],
            ]),
          ],
          usd: (1.5 + 2) * SHARE,
        },
      ],
    ],
    [
      'a job started and stopped between two runs counts once seen',
      [
        { hour: 1, jobs: [job('RUNNABLE', [])], usd: 0 },
        { hour: 4, jobs: [job('FAILED', [[1.5, 3]])], usd: 1.5 * SHARE },
      ],
    ],
    [
      'jobs not counted: another project’s queue’s, an array parent, one labops could not price, one outside the lab’s queues',
      [
        {
          hour: 3,
          jobs: [
            job('RUNNING', [[0]], { queueProject: 'other-lab' }),
            job('RUNNING', [[0]], { jobId: 'a1b2c3d4-0000-4000-8000-000000000002', children: { RUNNING: 4 } }),
            job('RUNNING', [[0]], { jobId: 'a1b2c3d4-0000-4000-8000-000000000003', shareHourlyUSD: undefined }),
            job('RUNNING', [[0]], { jobId: 'a1b2c3d4-0000-4000-8000-000000000004', queueProject: undefined }),
          ],
          usd: 0,
        },
      ],
    ],
  ])('%s', (_name, steps) => {
    const estimates = replayJobs(steps);

    expect(estimates.map((usd) => usd.toFixed(6))).toEqual(steps.map((s) => s.usd.toFixed(6)));
    for (const [i, usd] of estimates.entries()) if (i > 0) expect(usd).toBeGreaterThanOrEqual(estimates[i - 1]!);
  });

  it('when Cost Explorer’s data moves on, what it covers leaves the estimate and the ledger', () => {
    const steps: JobStep[] = [
      { hour: 6, jobs: [job('RUNNING', [[1]])], usd: 5 * SHARE },
      { hour: 9, jobs: [job('SUCCEEDED', [[1, 8]])], usd: 1 * SHARE },
      { hour: 10, jobs: [job('SUCCEEDED', [[1, 8]])], usd: 0 },
    ];
    const dataEnd = (hour: number): number => (hour < 9 ? DATA_END : at(hour === 9 ? 7 : 8).getTime());

    const estimates = replayJobs(steps, dataEnd);
    const ledger = updateJobLedger(
      undefined,
      [job('SUCCEEDED', [[1, 8]])],
      new Set(['neuro-lab']),
      at(10),
      at(8).getTime(),
    );

    expect(estimates.map((usd) => usd.toFixed(6))).toEqual(steps.map((s) => s.usd.toFixed(6)));
    expect(ledger).toEqual({});
  });

  it.each<[string, JobLedger, ObservedJob[], number]>([
    [
      'huge run time for a job Batch does not return',
      {
        'f0f0f0f0-0000-4000-8000-00000000dead': {
          project: 'neuro-lab',
          region: 'us-east-1',
          lastSeen: at(7).toISOString(),
          runs: [{ from: at(0).toISOString(), to: at(8).toISOString() }],
        },
      },
      [],
      0,
    ],
    [
      'a real job’s stretch stretched before its start and past its stop',
      {
        [job('SUCCEEDED', [[3, 4]]).jobId]: {
          project: 'neuro-lab',
          region: 'us-east-1',
          lastSeen: at(7).toISOString(),
          runs: [{ from: at(0).toISOString(), to: at(8).toISOString() }],
        },
      },
      [job('SUCCEEDED', [[3, 4]])],
      1 * SHARE,
    ],
    ['a running job’s entry dropped', {}, [job('RUNNING', [[2]])], 6 * SHARE],
    [
      'a running job’s entry shortened and dated in the future',
      {
        [job('RUNNING', [[2]]).jobId]: {
          project: 'neuro-lab',
          region: 'us-east-1',
          lastSeen: at(90).toISOString(),
          runs: [{ from: at(2).toISOString(), to: at(2.5).toISOString() }],
        },
      },
      [job('RUNNING', [[2]])],
      6 * SHARE,
    ],
  ])('a forged record counts only what Batch shows: %s', (_name, forged, jobs, expected) => {
    const now = at(8);

    const ledger = updateJobLedger(forged, jobs, new Set(['neuro-lab']), now, DATA_END);
    const usd = projectCostSince('neuro-lab', [], undefined, DATA_END, now.getTime(), now, { jobs, ledger: forged });
    const updated = projectCostSince('neuro-lab', [], undefined, DATA_END, now.getTime(), now, { jobs, ledger });

    expect(usd).toBeCloseTo(expected, 9);
    expect(updated).toBeCloseTo(expected, 9);
  });
});
