/**
 * EC2's `StateTransitionReason`, "The reason for the most recent state transition. This might be
 * an empty string." (EC2 API Reference, Instance): after a StopInstances, StopInstances with
 * Hibernate, or TerminateInstances it reads `User initiated (YYYY-MM-DD HH:MM:SS GMT)`, the time of
 * the request, which the budget's spend ledger takes as the end of the instance's compute.
 */
import { describe, expect, it } from 'vitest';
import { transitionTime } from '../../../reconciler/src/aws/ec2-normalise.js';

describe('transitionTime', () => {
  it.each([
    ['User initiated (2026-12-05 13:00:12 GMT)', '2026-12-05T13:00:12.000Z'],
    ['User initiated (2026-12-31 23:59:59 GMT)', '2026-12-31T23:59:59.000Z'],
    ['', undefined],
    ['Server.ScheduledStop', undefined],
    ['User initiated (2026-13-45 99:00:00 GMT)', undefined],
    [undefined, undefined],
  ])('%j → %s', (reason, iso) => {
    expect(transitionTime(reason)).toBe(iso);
  });
});
