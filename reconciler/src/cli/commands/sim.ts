/**
 * `labops sim [--port N] [--state FILE] [--seed N] [--account-id ID] [--speed X | --realtime]
 * [--start ISO]`: runs the simulator until SIGINT/SIGTERM, then saves the state and exits 0.
 */
import { parseArgs } from 'node:util';
import { startSim } from '../../sim/index.js';
import type { ClockMode, SimOptions } from '../../sim/index.js';
import { SIM_FLAGS, findCommand, helpText } from '../definitions.js';
import { closest } from '../../model/suggest.js';

const DEF = findCommand(['sim']);
const USAGE = `usage: labops sim ${DEF?.usage ?? ''}`;

/** Where the command writes; injectable for tests. */
export interface SimCommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the process is asked to stop. @default SIGINT or SIGTERM */
  stopped?: Promise<string>;
}

function signals(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

function parse(argv: string[]): SimOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(SIM_FLAGS).map(([name, f]) => [name, { type: f.type }])) as {
      [K in keyof typeof SIM_FLAGS]: { type: (typeof SIM_FLAGS)[K]['type'] };
    },
    strict: true,
    allowPositionals: false,
  });
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${text}"`);
    return n;
  };
  if (values.speed !== undefined && values.realtime) throw new Error('--speed and --realtime cannot be combined');
  const speed = number('speed', values.speed);
  const clock: ClockMode = values.realtime ? 'realtime' : speed !== undefined ? { speed } : 'manual';
  const accountId = values['account-id'];
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new Error(`--account-id must be 12 digits, got "${accountId}"`);
  if (values.start !== undefined && Number.isNaN(Date.parse(values.start)))
    throw new Error(`--start must be an ISO-8601 time, got "${values.start}"`);
  return {
    port: number('port', values.port) ?? 4566,
    state: values.state,
    seed: number('seed', values.seed),
    accountId,
    clock,
    start: values.start,
  };
}

/** Runs `labops sim`; resolves with the exit status once stopped. */
export async function runSimCommand(
  argv: string[],
  io: SimCommandIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  if ((argv.includes('--help') || argv.includes('-h')) && DEF) {
    io.out(helpText(['sim'], DEF).trimEnd());
    return 0;
  }
  let options: SimOptions;
  try {
    options = parse(argv);
  } catch (err: unknown) {
    const message = (err as Error).message.split('\n')[0] ?? '';
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message);
    const guess = unknown ? closest(unknown[1] ?? '', [...Object.keys(SIM_FLAGS), 'help']) : undefined;
    io.err(
      unknown
        ? `labops sim: unknown option --${unknown[1]}${guess ? `; did you mean --${guess}?` : ''}`
        : `labops sim: ${message}`,
    );
    io.err(USAGE);
    return 1;
  }
  let sim;
  try {
    sim = await startSim(options);
  } catch (err: unknown) {
    io.err(`labops sim: cannot start: ${(err as Error).message}`);
    return 1;
  }
  const mode =
    options.clock === 'manual'
      ? 'manual clock (POST /_sim/clock to move it)'
      : options.clock === 'realtime'
        ? 'real-time clock'
        : `clock at ${(options.clock as { speed: number }).speed}x`;
  io.out(`AWS_ENDPOINT_URL=${sim.url}`);
  io.out('AWS_DISABLE_CLOCK_SKEW_CORRECTION=true');
  io.out(
    `labops sim: EC2, Batch, EC2 Image Builder, Cost Explorer, CloudWatch and STS on ${sim.url} (loopback only), ${mode}${options.state ? `, state in ${options.state}` : ''}.`,
  );
  io.out(
    `Try: AWS_ENDPOINT_URL=${sim.url} AWS_DISABLE_CLOCK_SKEW_CORRECTION=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=sim AWS_SECRET_ACCESS_KEY=sim labops plan   (Ctrl-C saves and stops)`,
  );
  const signal = await (io.stopped ?? signals());
  await sim.close();
  io.out(`labops sim: ${signal}, state saved, stopped.`);
  return 0;
}
