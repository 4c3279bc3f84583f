/** Batch handlers over an in-memory state, with a clock the test moves (shared by the Batch unit tests). */
import { batchService } from '../../reconciler/src/sim/batch.js';
import type { SimContext, SimState } from '../../reconciler/src/sim/contract.js';

export const START = '2026-11-02T09:00:00.000Z';

/** The Batch service with its state, a `call(op, input)` and a clock to `advance(seconds)`. */
export function batchHarness() {
  const state: SimState = { version: 1, clock: START, nextId: 1, ec2: {}, batch: batchService.initialState?.(), cloudwatch: {}, usage: [] };
  let now = new Date(START);
  const ctx = (): SimContext => ({
    state,
    now,
    random: () => 0.5,
    config: { accountId: '123456789012', seed: 1, costLagHours: 8 },
    region: 'us-east-1',
  });
  function call(op: string, input: Record<string, unknown>): Record<string, any> {
    batchService.advance?.(state, now, now, ctx());
    return batchService.operations[op]?.(input, ctx()) as Record<string, any>;
  }
  function advance(seconds: number): void {
    const from = now;
    now = new Date(now.getTime() + seconds * 1000);
    batchService.advance?.(state, from, now, ctx());
  }
  return { state, call, advance };
}
