/**
 * Cloud errors as values: every SDK failure is wrapped once, at the adapter, into an
 * {@link AwsError} carrying the AWS error code, whether retrying later can help, and the resource.
 * Callers branch on `code`, never on the message text.
 */
import { LabopsError } from '../errors.js';

/** AWS error codes labops reacts to by name. Any other AWS code passes through as a string. */
export type KnownAwsCode =
  | 'InsufficientInstanceCapacity'
  | 'IncorrectInstanceState'
  | 'IncorrectState'
  | 'RequestLimitExceeded'
  | 'InvalidInstanceID.NotFound'
  | 'InvalidVolume.NotFound'
  | 'InvalidSnapshot.NotFound'
  | 'InvalidAMIID.NotFound'
  | 'IdempotentParameterMismatch'
  | 'IdempotentInstanceTerminated'
  | 'UnsupportedHibernationConfiguration'
  | 'VolumeInUse'
  | 'UnauthorizedOperation';

/** An AWS error code: one of the known ones, or any other code AWS sends. */
export type AwsErrorCode = KnownAwsCode | (string & {});

/** Codes that mean "try again later" even though they are client (4xx) errors. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'InsufficientInstanceCapacity',
  'IncorrectInstanceState',
  'IncorrectState',
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'InvalidInstanceID.NotFound',
  'InvalidVolume.NotFound',
  'InvalidSnapshot.NotFound',
  'InvalidAMIID.NotFound',
  'ConcurrentSnapshotLimitExceeded',
  'SnapshotCreationPerVolumeRateExceeded',
]);

/** A failed AWS call: the SDK error wrapped once, with the AWS code and the resource acted on. */
export class AwsError extends LabopsError {
  override readonly name = 'AwsError';
  /** The AWS error code, e.g. `InsufficientInstanceCapacity` (the SDK error's `name`). */
  declare readonly code: AwsErrorCode;
  /** True when the same request may succeed later (throttling, capacity, state, propagation). */
  declare readonly retryable: boolean;
  /** The API operation, e.g. `RunInstances`. */
  readonly operation: string;
  /** The resource the call was about (instance, volume, image id or client token). */
  readonly resource?: string;
  /** HTTP status of the last attempt, when AWS answered. */
  readonly httpStatus?: number;

  constructor(init: {
    code: AwsErrorCode;
    message: string;
    retryable: boolean;
    operation: string;
    resource?: string;
    httpStatus?: number;
    cause?: unknown;
  }) {
    super(init.code, init.message, { retryable: init.retryable, cause: init.cause });
    this.operation = init.operation;
    this.resource = init.resource;
    this.httpStatus = init.httpStatus;
  }
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Wraps anything an SDK call threw into an {@link AwsError} (an AwsError passes through unchanged). */
export function toAwsError(err: unknown, operation: string, resource?: string): AwsError {
  if (err instanceof AwsError) return err;
  const shape = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const code =
    typeof shape.name === 'string' && shape.name !== '' && shape.name !== 'Error' ? shape.name : 'UnknownError';
  const httpStatus = shape.$metadata?.httpStatusCode;
  const server = shape.$fault === 'server' || (httpStatus !== undefined && httpStatus >= 500);
  const text = typeof shape.message === 'string' ? shape.message : String(err);
  return new AwsError({
    code,
    message: `${operation}${resource === undefined ? '' : ` ${resource}`}: ${code}: ${text}`,
    retryable: server || RETRYABLE_CODES.has(code),
    operation,
    resource,
    httpStatus,
    cause: err,
  });
}

/** Runs one SDK call and wraps its failure once. @throws {AwsError} */
export async function awsCall<T>(operation: string, resource: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err: unknown) {
    throw toAwsError(err, operation, resource);
  }
}

const THROTTLING: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'EC2ThrottledException',
]);

/** True for a throttling or server-side (5xx) failure that outlasted the SDK's own retries. */
export function isTransient(err: unknown): err is AwsError {
  return (
    err instanceof AwsError &&
    (THROTTLING.has(err.code) ||
      (err.httpStatus !== undefined && err.httpStatus >= 500 && err.code !== 'InsufficientInstanceCapacity'))
  );
}

/** True when `err` is an {@link AwsError} with one of the codes. */
export function hasAwsCode(err: unknown, ...codes: AwsErrorCode[]): err is AwsError {
  return err instanceof AwsError && codes.includes(err.code);
}
