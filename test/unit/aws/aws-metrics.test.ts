import { describe, expect, it } from 'vitest';
import { chunks, idleStretch } from '../../../reconciler/src/aws/metrics.js';

describe('idleStretch', () => {
  const at = (minute: number): number => Date.parse('2026-09-01T08:00:00Z') + minute * 60_000;

  it.each([
    ['no datapoints', [], 0, 0, 0],
    ['all below', [1, 2, 3], 900, 2, 3],
    ['busy last', [1, 2, 30], 0, 0, 3],
    ['trailing run after a busy point', [1, 50, 2, 4], 600, 3, 4],
    ['at the threshold is not idle', [5, 4], 300, 4, 2],
  ])('%s', (_name, values, idleSeconds, averageCpuPercent, datapoints) => {
    const points = values.map((value, i) => ({ at: at(i * 5), value }));

    expect(idleStretch('i-1', points, 5)).toEqual({ instanceId: 'i-1', idleSeconds, averageCpuPercent, datapoints });
  });

  it('orders datapoints by time whatever order they came in', () => {
    const points = [
      { at: at(10), value: 1 },
      { at: at(0), value: 1 },
      { at: at(5), value: 90 },
    ];

    expect(idleStretch('i-1', points, 5).idleSeconds).toBe(300);
  });

  it('chunks lists for the 500-query limit', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
