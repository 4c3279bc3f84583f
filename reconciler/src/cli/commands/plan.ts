/**
 * `labops plan [DIR]`: validate, observe AWS, print the plan and its cost; changes nothing.
 * Exit 0, or with `--detailed-exitcode` 0 no changes, 2 changes; 1 on error.
 */
import type { Io } from '../io.js';
import { parsePipelineCommand } from '../pipeline-command.js';

/** Runs `labops plan`; returns the exit status. */
export async function runPlanCommand(argv: string[], io: Io): Promise<number> {
  const invocation = parsePipelineCommand('plan', argv, io);
  if (!invocation) return 0;
  return invocation.once(new AbortController().signal);
}
