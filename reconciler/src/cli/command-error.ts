/** A failure reported by a command: the same error, its one line naming the command. */
import { LabopsError } from '../errors.js';

/**
 * The same failure (code, retryable, exit status), its message naming the command
 * (`labops apply: …`), with `prefix` before and `suffix` after the original message.
 */
export function inCommand(command: string, err: LabopsError, suffix = '', prefix = ''): LabopsError {
  return new LabopsError(err.code, `labops ${command}: ${prefix}${err.message}${suffix}`, {
    retryable: err.retryable,
    exitStatus: err.exitStatus,
    cause: err,
  });
}
