/**
 * Errors the executor raises itself (as opposed to AWS errors, which arrive as AwsError): a wait
 * that ran out of time, an instance found in a state the action cannot continue from, a refusal.
 */
import { AwsError } from '../../aws/errors.js';
import type { ActionError } from './types.js';
import { LabopsError } from '../../errors.js';

/** Why apply itself stopped an action or the whole plan. */
export type ApplyErrorCode =
  | 'wait-timeout'
  | 'unexpected-state'
  | 'wrong-account'
  | 'identity-unavailable'
  | 'plan-refused'
  | 'dependency-failed'
  | 'invalid-action'
  | 'stopped';

/** An executor error with a code, the resource concerned, and its cause. */
export class ApplyError extends LabopsError {
  override readonly name = 'ApplyError';
  declare readonly code: ApplyErrorCode;
  readonly resource?: string;

  constructor(
    code: ApplyErrorCode,
    message: string,
    options: { retryable?: boolean; resource?: string; cause?: unknown } = {},
  ) {
    super(code, message, { retryable: options.retryable ?? false, cause: options.cause });
    this.resource = options.resource;
  }
}

/** Any thrown value as an {@link ActionError} for the result (programming errors keep their message). */
export function actionError(err: unknown): ActionError {
  if (err instanceof AwsError || err instanceof ApplyError)
    return { code: err.code, message: err.message, retryable: err.retryable };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal-error', message, retryable: false };
}
