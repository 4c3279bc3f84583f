import { describe, expect, it } from 'vitest';
import { createPacer, localClock } from '../../../reconciler/src/engine/apply/pacing.js';
import { createVirtualTime } from '../../../reconciler/src/sim/core/virtual-time.js';

/** When (virtual ms) each of `calls` got its token, taken all at once in order. */
async function tokenTimes(calls: [region: string, operation: string, instances?: number][]): Promise<number[]> {
  const time = createVirtualTime(async () => undefined);
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
      Array(5).fill(['us-east-1', 'RunInstances']),
      [0, 0, 500, 1000, 1500],
    ],
    [
      'RunInstances in two Regions: a bucket each',
      [...Array(3).fill(['us-east-1', 'RunInstances']), ...Array(3).fill(['eu-west-1', 'RunInstances'])],
      [0, 0, 500, 0, 0, 500],
    ],
    [
      'CreateTags (AWS: 100, 10 a second): 50 at once, then 10 a second',
      Array(52).fill(['us-east-1', 'CreateTags']),
      [...Array(50).fill(0), 100, 200],
    ],
    [
      'Describe calls share the non-mutating bucket (AWS: 100, 20 a second): 50, then 20 a second',
      [...Array(30).fill(['us-east-1', 'DescribeInstances']), ...Array(21).fill(['us-east-1', 'DescribeImages'])],
      [...Array(50).fill(0), 50],
    ],
    [
      'StopInstances: a request token, and an instance token each (1,000, 20 a second)',
      [
        ['us-east-1', 'StopInstances', 1000],
        ['us-east-1', 'StopInstances', 10],
      ],
      [0, 500],
    ],
  ] as const)('%s', async (_name, calls, expected) => {
    const times = await tokenTimes(calls as unknown as [string, string, number?][]);

    expect(times).toEqual(expected);
  });
});

describe('localClock', () => {
  it('counts a sleep that returned at once (a simulated clock moved instead) as the time asked for', async () => {
    const clock = localClock({ sleep: async () => undefined, now: () => 0 });

    await clock.sleep(1500);
    await clock.sleep(500);

    expect(clock.now()).toBe(2000);
  });

  it('counts the real clock when it moved more than the sleep asked', async () => {
    let real = 0;
    const clock = localClock({ sleep: async (ms) => void (real += ms * 2), now: () => real });

    await clock.sleep(1000);

    expect(clock.now()).toBe(2000);
  });
});
