/** Batch handlers over an in-memory state, with a clock the test moves (shared by the Batch unit tests). */
import {
  COMPUTE_ENVIRONMENT_CREATE_SECONDS,
  JOB_QUEUE_CREATE_SECONDS,
  QUEUE_SETUP_SECONDS,
} from '../../../reconciler/src/sim/batch/compute.js';
import { batchService } from '../../../reconciler/src/sim/batch/service.js';
import type { SimContext, SimState } from '../../../reconciler/src/sim/core/contract.js';

export const START = '2026-11-02T09:00:00.000Z';

/** Options of {@link batchHarness}. */
export interface BatchHarnessOptions {
  /**
   * Job queues to have, VALID and ENABLED, at START, each on its own compute environment
   * `NAME-ce` (created before START: the account has none). @default none
   */
  queues?: readonly string[];
  /** Region of every call. @default "us-east-1" */
  region?: string;
  /** An eventual-consistency fault on every call (seconds reads lag). @default none */
  consistencyDelaySeconds?: number;
}

/** The Batch service with its state, a `call(op, input)` and a clock to `advance(seconds)`. */
export function batchHarness(options: BatchHarnessOptions = {}) {
  const queues = options.queues ?? [];
  const state: SimState = {
    version: 1,
    clock: START,
    nextId: 1,
    ec2: {},
    batch: batchService.initialState?.(),
    cloudwatch: {},
    usage: [],
  };
  let now = new Date(Date.parse(START) - (queues.length > 0 ? QUEUE_SETUP_SECONDS * 1000 : 0));
  // Setup calls read without lag: the fault starts once the queues exist (0: none).
  let consistency = 0;
  const ctx = (): SimContext => ({
    state,
    now,
    random: () => 0.5,
    config: { accountId: '123456789012', seed: 1, costLagHours: 8 },
    region: options.region ?? 'us-east-1',
    ...(consistency ? { consistencyDelaySeconds: consistency } : {}),
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
  for (const name of queues) {
    call('CreateComputeEnvironment', {
      computeEnvironmentName: `${name}-ce`,
      type: 'MANAGED',
      computeResources: {
        type: 'EC2',
        maxvCpus: 256,
        subnets: ['subnet-0a1b2c3d4e5f60718'],
        securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
      },
    });
  }
  if (queues.length > 0) advance(COMPUTE_ENVIRONMENT_CREATE_SECONDS);
  for (const [i, name] of queues.entries()) {
    call('CreateJobQueue', {
      jobQueueName: name,
      priority: 10 * (i + 1),
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${name}-ce` }],
    });
  }
  if (queues.length > 0) advance(JOB_QUEUE_CREATE_SECONDS);
  consistency = options.consistencyDelaySeconds ?? 0;
  return { state, call, advance, now: () => now };
}
