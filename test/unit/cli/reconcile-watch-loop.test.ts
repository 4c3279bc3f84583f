/** The --watch loop: a failed run is reported (credentials redacted) and the next one goes ahead; the interval is jittered ±10%. */
import { describe, expect, it } from 'vitest';
import { watch } from '../../../reconciler/src/cli/commands/reconcile.js';
import { captureIo } from '../../support/io.js';

describe('reconcile --watch loop', () => {
  const cases: { name: string; outcomes: (number | 'throw')[]; last: number }[] = [
    {
      name: 'a run that throws (git host unreachable) is reported and the next runs',
      outcomes: ['throw', 0, 0],
      last: 0,
    },
    { name: 'a failed run (exit 1) does not stop the loop; the last status is returned', outcomes: [0, 1], last: 1 },
    { name: 'a throw on the last run before the stop gives status 1', outcomes: [0, 'throw'], last: 1 },
  ];
  it.each(cases)('$name', async ({ outcomes, last }) => {
    // Arrange: each run takes the next outcome; the stop comes after the last one.
    const io = captureIo(process.cwd());
    const stop = new AbortController();
    const waits: number[] = [];
    let runs = 0;
    const once = (): Promise<number> => {
      const outcome = outcomes[runs++]!;
      if (runs === outcomes.length) stop.abort();
      if (outcome === 'throw')
        return Promise.reject(
          new Error('git fetch https://x-access-token:ghs_secret@github.com/lab/repo.git: connection refused'),
        );
      return Promise.resolve(outcome);
    };

    // Act
    const status = await watch(once, 900, io, stop.signal, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });

    // Assert
    expect(runs).toBe(outcomes.length);
    expect(status).toBe(last);
    expect(waits).toHaveLength(outcomes.length - 1);
    for (const ms of waits) {
      expect(ms).toBeGreaterThanOrEqual(810_000);
      expect(ms).toBeLessThanOrEqual(990_000);
    }
    if (outcomes.includes('throw')) expect(io.err).toContain('labops reconcile: run failed: git fetch');
    expect(io.err).not.toContain('ghs_secret');
  });
});
