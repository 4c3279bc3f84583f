/** What a command may touch of its process: output streams, environment, working folder. */
import { redact } from '../record/redact.js';
import { styleFor } from '../report/style.js';
import { terminalText } from '../report/safe-text.js';

/** The process seen by a command; tests pass their own to capture output. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, progress lines). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The real process. Everything written passes the one output sink: credentials redacted and
 * control characters shown escaped (only labops' own colour codes kept, and only when colour is on).
 */
export function processIo(): Io {
  const noColor = process.argv.includes('--no-color');
  const sink = (stream: NodeJS.WriteStream) => (text: string) =>
    stream.write(terminalText(redact(text), styleFor(stream, noColor).color));
  return {
    stdout: sink(process.stdout),
    stderr: sink(process.stderr),
    isTTY: process.stdout.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A bad command line: shown as one line, exit status 1 (it lives in errors.ts: the runtime raises it too). */
