#!/usr/bin/env node
// The README's main command: starts `labops sim` (the local AWS-compatible cloud, clock 120×
// real time), points the real CLI at it with AWS_ENDPOINT_URL, and runs the example lab through
// plan → apply → plan again (which must show no changes). Run after `npm run build`.
// `--speed N` runs the sim's clock at N× real time instead (the second plan must be empty at any
// speed: labops measures its waits on AWS's clock, not with local sleeps).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSim } from '../dist/reconciler/src/sim/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lab = 'examples/lab';
// A Monday, 10:00 in the lab's time zone (America/Los_Angeles): inside everyone's work hours.
const now = '2026-11-23T18:00:00Z';

// A fresh run record (schedule runs, alerts, Cost Explorer cache) for every demo.
const record = join(mkdtempSync(join(tmpdir(), 'labops-demo-')), 'record.json');
const speedAt = process.argv.indexOf('--speed');
const speed = speedAt === -1 ? 120 : Number(process.argv[speedAt + 1]);
if (!Number.isFinite(speed) || speed <= 0) {
  console.error(`demo: --speed must be a positive number, got ${process.argv[speedAt + 1]}`);
  process.exit(2);
}
const sim = await startSim({ port: 0, clock: { speed }, start: now, accountId: '123456789012', log: () => {} });
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: sim.url,
  // The sim's replies carry its simulated clock in `Date`; the SDK must not take it for skew.
  AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true',
  AWS_REGION: 'us-west-2',
  AWS_ACCESS_KEY_ID: 'sim',
  AWS_SECRET_ACCESS_KEY: 'sim',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

// Asynchronous on purpose: the simulator runs in this process and must keep answering.
function labops(...args) {
  console.log(`\n$ labops ${args.join(' ')}`);
  const child = spawn(process.execPath, [join(root, 'dist/reconciler/src/cli/main.js'), ...args], {
    env,
    cwd: root,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

let failed = false;
try {
  console.log(
    `labops sim is running at ${sim.url} (AWS_ENDPOINT_URL); its clock runs ${speed}× real time from ${now}.`,
  );
  // A new account has no Batch job queue: the lab's JobQueues (examples/lab/queues/) create them,
  // compute environments first, in the same apply that submits the Jobs to them.
  failed ||= (await labops('validate', lab)) !== 0;
  failed ||= (await labops('plan', lab, '--now', now, '--record', record)) !== 0;
  failed ||= (await labops('apply', lab, '--now', now, '--record', record)) !== 0;
  const second = await labops('plan', lab, '--now', now, '--detailed-exitcode', '--record', record);
  if (second !== 0) {
    console.error(`\nThe second plan should show no changes (exit 0), but exited ${second}.`);
    failed = true;
  }
  // What each workstation is doing now, read-only (shown even when an earlier step failed).
  if ((await labops('status', lab, '--now', now, '--record', record)) !== 0) failed = true;
  // Spend, forecast and limit per budget (Cost Explorer answers from what ran in the sim).
  if ((await labops('cost', lab, '--now', now, '--record', record)) !== 0) failed = true;
  const calls = await (await fetch(`${sim.url}/_sim/calls`)).json();
  const summary = Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  console.log(`\nAWS API calls made: ${summary}`);
} finally {
  await sim.close();
  rmSync(dirname(record), { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
