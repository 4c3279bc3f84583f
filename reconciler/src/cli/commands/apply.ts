/**
 * `labops apply [DIR]`: plan, then carry it out under the lease, then print what happened.
 * SIGINT/SIGTERM stop between actions. Exit 0 when every action succeeded (or it stopped cleanly), else 1.
 */
import type { Io } from '../io.js';
import { parsePipelineCommand, withStopSignals } from '../pipeline-command.js';

/** Runs `labops apply`; returns the exit status. */
export async function runApplyCommand(argv: string[], io: Io): Promise<number> {
  const invocation = parsePipelineCommand('apply', argv, io);
  if (!invocation) return 0;
  return withStopSignals((signal) => invocation.once(signal));
}
