/**
 * `labops reconcile [DIR]`: apply for the scheduled job, optionally forever (`--watch --interval 15m`).
 * A run that finds another holding the lease is skipped (exit 0); the next one tries again.
 */
import type { Io } from '../io.js';
import { LabopsError } from '../../errors.js';
import { parsePipelineCommand, withStopSignals } from '../pipeline-command.js';
import { redact, redactedMessage } from '../../record/redact.js';

/** Runs `labops reconcile`; returns the exit status (with `--watch`, the last run's). */
export async function runReconcileCommand(argv: string[], io: Io): Promise<number> {
  const invocation = parsePipelineCommand('reconcile', argv, io);
  if (!invocation) return 0;
  return withStopSignals((signal) =>
    invocation.watch
      ? watch(() => invocation.once(signal), invocation.intervalSeconds, io, signal)
      : invocation.once(signal),
  );
}

/** Waits `ms`, or less when the signal fires. */
function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolveWait) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolveWait();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Runs `once` every interval (±10% jitter) until the signal fires; the run in progress stops
 * between actions. A failed run is reported and the next one goes ahead; the exit status is the last run's.
 */
export async function watch(
  once: () => Promise<number>,
  intervalSeconds: number,
  io: Io,
  signal: AbortSignal,
  wait: (ms: number, signal: AbortSignal) => Promise<void> = waitOrAbort,
): Promise<number> {
  let status = 0;
  // Read through a call: the signal changes while `once` runs.
  const stopped = (): boolean => signal.aborted;
  while (!stopped()) {
    try {
      status = await once();
    } catch (err) {
      // One failed run (the lab's git host or AWS unreachable) is reported; the next run may succeed.
      io.stderr(
        err instanceof LabopsError
          ? `${redact(err.message)}\n`
          : `labops reconcile: run failed: ${redactedMessage(err)}\n`,
      );
      status = 1;
    }
    if (stopped()) break;
    const delayMs = intervalSeconds * 1000 * (0.9 + Math.random() * 0.2);
    io.stderr(`labops reconcile: next run in ${Math.round(delayMs / 1000)}s\n`);
    await wait(delayMs, signal);
  }
  return status;
}
