/** Shared fixtures for unit tests of the simulator's service handlers (no HTTP). */
import type { SimContext, SimState, UsageSegment } from '../../../reconciler/src/sim/core/contract.js';
import { SimError } from '../../../reconciler/src/sim/core/contract.js';

/** An m6i.large's running time in us-east-1 as a usage segment ($0.096/h). */
export function boxUsage(id: string, start: string, end?: string, tags: Record<string, string> = {}): UsageSegment {
  return {
    resourceId: id,
    service: 'Amazon Elastic Compute Cloud - Compute',
    usageType: 'BoxUsage:m6i.large',
    region: 'us-east-1',
    tags,
    start,
    ...(end ? { end } : {}),
    hourlyUSD: 0.096,
  };
}

/** A handler context over a fresh state holding `usage`, at `now`. */
export function simContext(usage: UsageSegment[], now: string, accountId = '123456789012'): SimContext {
  const state: SimState = { version: 1, clock: now, nextId: 1, ec2: {}, batch: {}, cloudwatch: {}, usage };
  return {
    state,
    now: new Date(now),
    random: () => 0.5,
    config: { accountId, seed: 1, costLagHours: 8 },
    region: 'us-east-1',
  };
}

/** The SimError code `fn` throws, or undefined when it does not throw. */
export function simErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof SimError) return err.code;
    throw err;
  }
  return undefined;
}
