/**
 * The one error base class: every error labops raises on purpose carries a stable `code`, whether
 * the same request may succeed later (`retryable`), and the exit status a command ends with.
 * Anything else that reaches a shell is a programming error.
 */

/** How a {@link LabopsError} is built. */
export interface LabopsErrorOptions {
  /** True when the same request may succeed later. @default false */
  retryable?: boolean;
  /** The exit status a command ends with. @default 1 */
  exitStatus?: number;
  cause?: unknown;
}

/** An error labops raises on purpose; the message is one line. */
export class LabopsError extends Error {
  override readonly name: string = 'LabopsError';
  /** A stable code, e.g. `usage`, `lease-busy`, `invalid-record`, or an AWS error code. */
  readonly code: string;
  readonly retryable: boolean;
  readonly exitStatus: number;

  constructor(code: string, message: string, options: LabopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.exitStatus = options.exitStatus ?? 1;
  }
}

/** A bad command line or input (an option, a flag's value, an Action input): one line, exit status 1. */
export class UsageError extends LabopsError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('usage', message);
  }
}
