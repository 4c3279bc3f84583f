import { describe, expect, it } from 'vitest';
import { createPacer, localClock } from '../../../reconciler/src/engine/apply/pacing.js';
import { createVirtualTime } from '../../../reconciler/src/sim/core/virtual-time.js';

type Call = [region: string, operation: string, instances?: number];

/** `count` times the same call. */
function times(count: number, call: Call): Call[] {
  return Array.from({ length: count }, () => call);
}

/** `count` times the same token time. */
function at(count: number, ms: number): number[] {
  return Array.from({ length: count }, () => ms);
}

/** When (virtual ms) each of `calls` got its token, taken all at once in order. */
async function tokenTimes(calls: Call[]): Promise<number[]> {
  const time = createVirtualTime(() => Promise.resolve());
  const pacer = createPacer(time);
  return time.drive(
    Promise.all(
      calls.map(async ([region, operation, instances]) => {
        await pacer.take(region, operation, instances);
        return time.now();
      }),
    ),
  );
}

describe('pacer: AWS EC2 request buckets per Region, at half their size', () => {
  it.each([
    [
      'RunInstances (AWS: 5, 2 a second): 2 at once, then 2 a second',
      times(5, ['us-east-1', 'RunInstances']),
      [0, 0, 500, 1000, 1500],
    ],
    [
      'RunInstances in two Regions: a bucket each',
      [...times(3, ['us-east-1', 'RunInstances']), ...times(3, ['eu-west-1', 'RunInstances'])],
      [0, 0, 500, 0, 0, 500],
    ],
    [
      'CreateTags (AWS: 100, 10 a second): 50 at once, then 10 a second',
      times(52, ['us-east-1', 'CreateTags']),
      [...at(50, 0), 100, 200],
    ],
    [
      'Describe calls share the non-mutating bucket (AWS: 100, 20 a second): 50, then 20 a second',
      [...times(30, ['us-east-1', 'DescribeInstances']), ...times(21, ['us-east-1', 'DescribeImages'])],
      [...at(50, 0), 50],
    ],
    [
      'StopInstances: a request token, and an instance token each (1,000, 20 a second)',
      [
        ['us-east-1', 'StopInstances', 1000],
        ['us-east-1', 'StopInstances', 10],
      ],
      [0, 500],
    ],
  ] as [string, Call[], number[]][])('%s', async (_name, calls, expected) => {
    const got = await tokenTimes(calls);

    expect(got).toEqual(expected);
  });
});

describe('localClock', () => {
  it('counts a sleep that returned at once (a simulated clock moved instead) as the time asked for', async () => {
    const clock = localClock({ sleep: () => Promise.resolve(), now: () => 0 });

    await clock.sleep(1500);
    await clock.sleep(500);

    expect(clock.now()).toBe(2000);
  });

  it('counts the real clock when it moved more than the sleep asked', async () => {
    let real = 0;
    const clock = localClock({
      sleep: (ms) => {
        real += ms * 2;
        return Promise.resolve();
      },
      now: () => real,
    });

    await clock.sleep(1000);

    expect(clock.now()).toBe(2000);
  });
});
