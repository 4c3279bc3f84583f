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
  // Image Builder's throttling and its "try again" answers.
  'CallRateLimitExceededException',
  'ServiceUnavailableException',
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
  /** What to do about it, for the common codes (quotas, credentials, permissions, capacity): {@link awsHint}. */
  readonly hint?: string;

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
    this.hint = awsHint(init.code);
  }
}

const QUOTA_HINT =
  'the account has reached an EC2 quota: ask for more in the Service Quotas console (EC2 → "Running On-Demand G and VT instances", L-DB2E81BA, is 0 vCPUs on a new account, so GPU workstations need it raised; Spot has "All G and VT Spot Instance Requests", L-3819A6DF; other types "Running On-Demand Standard …", L-1216C47A)';
const NO_CREDENTIALS_HINT =
  'no AWS credentials found: set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions run aws-actions/configure-aws-credentials with role-to-assume first';
const EXPIRED_HINT =
  'the AWS session credentials have expired: run `aws sso login` again (or refresh AWS_SESSION_TOKEN) and rerun';
const UNKNOWN_CREDENTIALS_HINT =
  'AWS does not recognise these credentials: check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)';
const PERMISSION_HINT =
  "the credentials' IAM role lacks this permission: give plan the policy in examples/aws/plan-role-policy.json and apply the one in examples/aws/apply-role-policy.json (`aws sts decode-authorization-message` explains an encoded message)";
const CAPACITY_HINT =
  'AWS has no capacity for this instance type in this Availability Zone right now: the next run tries again; or choose another instance type or region';

/** One-line hints by AWS (or SDK) error code: what the common failures mean and what to do. */
const HINTS: Readonly<Record<string, string>> = {
  VcpuLimitExceeded: QUOTA_HINT,
  InstanceLimitExceeded: QUOTA_HINT,
  MaxSpotInstanceCountExceeded: QUOTA_HINT,
  CredentialsProviderError: NO_CREDENTIALS_HINT,
  ExpiredToken: EXPIRED_HINT,
  ExpiredTokenException: EXPIRED_HINT,
  RequestExpired:
    "AWS refused the request as expired: check that this machine's clock is right (`date -u`), then rerun",
  AuthFailure: UNKNOWN_CREDENTIALS_HINT,
  InvalidClientTokenId: UNKNOWN_CREDENTIALS_HINT,
  UnrecognizedClientException: UNKNOWN_CREDENTIALS_HINT,
  SignatureDoesNotMatch: UNKNOWN_CREDENTIALS_HINT,
  UnauthorizedOperation: PERMISSION_HINT,
  AccessDenied: PERMISSION_HINT,
  AccessDeniedException: PERMISSION_HINT,
  InsufficientInstanceCapacity: CAPACITY_HINT,
  InsufficientCapacity: CAPACITY_HINT,
};

/** The one-line hint for an AWS error code, or undefined for a code without one. */
export function awsHint(code: string): string | undefined {
  return Object.hasOwn(HINTS, code) ? HINTS[code] : undefined;
}

/** The AWS error codes that carry a hint (docs/troubleshooting.md lists each). */
export const HINTED_AWS_CODES: readonly string[] = Object.keys(HINTS).sort();

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
  const hint = awsHint(code);
  return new AwsError({
    code,
    message: `${operation}${resource === undefined ? '' : ` ${resource}`}: ${code}: ${text}${hint === undefined ? '' : ` (hint: ${hint})`}`,
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
  'CallRateLimitExceededException',
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
