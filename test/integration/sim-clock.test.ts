import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../reconciler/src/sim/index.js';
import { startTestSim } from '../support/sim.js';

describe('simulated clock modes', () => {
  it('keeps a manual clock still until told to move', async () => {
    const sim = await startTestSim();

    await new Promise((r) => setTimeout(r, 30));
    const now = await sim.control.now();
    await sim.close();

    expect(now).toBe('2026-09-01T08:00:00.000Z');
  });

  it('runs an accelerated clock at the given speed', async () => {
    const sim = await startTestSim({ clock: { speed: 3600 } });

    await new Promise((r) => setTimeout(r, 100));
    const moved = Date.parse(await sim.control.now()) - Date.parse('2026-09-01T08:00:00Z');
    await sim.close();

    expect(moved).toBeGreaterThanOrEqual(3600 * 90);
    expect(moved).toBeLessThan(3600 * 2000);
  });

  it('follows the wall clock in realtime mode', async () => {
    const sim = await startTestSim({ clock: 'realtime' });

    const now = Date.parse(await sim.control.now());
    await sim.close();

    expect(Math.abs(now - Date.now())).toBeLessThan(2000);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90m', 5_400_000],
    ['36h', 129_600_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['168h', 604_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([[''], ['10'], ['1w'], ['h1'], ['1h 30m']])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(RangeError);
  });
});
