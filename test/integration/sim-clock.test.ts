import { describe, expect, it } from 'vitest';
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

describe('POST /_sim/clock {"advance": …} (Go-style durations, model/duration.ts)', () => {
  it.each([
    ['90m', 5_400_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['168h', 604_800_000],
    ['7d', 604_800_000],
  ])('advances the clock by %s', async (text, ms) => {
    const sim = await startTestSim();

    const now = await sim.control.advance(text);
    await sim.close();

    expect(Date.parse(now) - Date.parse('2026-09-01T08:00:00Z')).toBe(ms);
  });

  it.each([[''], ['10'], ['1w'], ['h1'], ['1h 30m']])('refuses %j, naming the duration', async (text) => {
    const sim = await startTestSim();

    const advancing = sim.control.advance(text);
    await expect(advancing).rejects.toThrow(`invalid duration \\"${text}\\"`);
    const now = await sim.control.now();
    await sim.close();

    expect(now).toBe('2026-09-01T08:00:00.000Z');
  });
});
