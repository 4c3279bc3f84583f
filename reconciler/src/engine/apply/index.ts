/**
 * The executor: applies a Plan through the AWS ports, in a safe order, with bounded concurrency,
 * idempotent steps and waits on an injected sleep.
 */
export { applyPlan, DEFAULT_CONCURRENCY } from './apply-plan.js';
export { backoffDelay, pollUntil } from './backoff.js';
export type { BackoffOptions, PollOptions } from './backoff.js';
export { ApplyError } from './errors.js';
export type { ApplyErrorCode } from './errors.js';
export { runPool, runTaskGraph } from './task-pool.js';
export type { PoolTask, PoolHandlers } from './task-pool.js';
export type { ActionError, ActionResult, ApplyDeps, ApplyLogger, ApplyResult, ProgressEvent } from './types.js';
