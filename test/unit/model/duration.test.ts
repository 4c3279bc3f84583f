import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationMs, parseDurationSeconds } from '../../../reconciler/src/model/duration.js';

describe('spec durations (specs and CLI flags): one whole number and one unit', () => {
  it.each([
    ['30m', 1800],
    ['6h', 21_600],
    ['2d', 172_800],
    ['90s', 90],
    ['9999999s', 9_999_999],
    ['1.5h', undefined],
    ['30', undefined],
    ['-5m', undefined],
    ['1h30m', undefined],
    ['500ms', undefined],
    [' 30m', undefined],
    ['30m ', undefined],
    ['', undefined],
    ['12345678s', undefined],
    ['1w', undefined],
  ])('%j → %s seconds', (text, seconds) => {
    const parsed = parseDurationSeconds(text);

    expect(parsed).toBe(seconds);
  });

  it.each([
    ['30m', 1_800_000],
    ['2d', 172_800_000],
    ['1h30m', undefined],
  ])('%j → %s ms', (text, ms) => {
    const parsed = parseDurationMs(text, 'spec');

    expect(parsed).toBe(ms);
  });
});

describe('Go-style durations (the simulator control API and LABOPS_SIM_DURATION)', () => {
  it.each([
    ['90m', 5_400_000],
    ['36h', 129_600_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['168h', 604_800_000],
    ['7d', 604_800_000],
    ['1.5h', 5_400_000],
    [' 2h ', 7_200_000],
    ['', undefined],
    ['10', undefined],
    ['1w', undefined],
    ['h1', undefined],
    ['1h 30m', undefined],
    ['-5m', undefined],
  ])('%j → %s ms', (text, ms) => {
    const parsed = parseDurationMs(text, 'go');

    expect(parsed).toBe(ms);
  });

  it.each([
    ['90m', 5400],
    ['1h30m', 5400],
    ['1500ms', 2],
    ['400ms', 0],
    ['1h 30m', undefined],
  ])('%j → %s whole seconds', (text, seconds) => {
    const parsed = parseDurationSeconds(text, 'go');

    expect(parsed).toBe(seconds);
  });
});

describe('formatDuration', () => {
  it.each([
    [5400, '1h30m'],
    [0, '0s'],
    [90_061, '1d1h1m1s'],
  ])('%i s → %s', (seconds, text) => {
    const formatted = formatDuration(seconds);

    expect(formatted).toBe(text);
  });
});
