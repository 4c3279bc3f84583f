/** A captured process for running CLI commands in-process. */
import type { Io } from '../../reconciler/src/cli/io.js';

/** An Io whose output is collected into strings. */
export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    isTTY: false,
    env,
    cwd,
  };
  return io;
}
