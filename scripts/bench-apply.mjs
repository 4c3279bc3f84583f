#!/usr/bin/env node
// Benchmark of `labops apply` within AWS's request buckets: N creates (default 1,000) across 3
// Regions, with the simulator's EC2 token buckets on (AWS's documented sizes, per Region) and
// refilled on the simulated clock. The apply runs in simulated time (sim/virtual-time.ts): its
// sleeps are a virtual clock that moves (and moves the simulator's clock) only when no AWS call is
// in flight, so the wall time measured is the time the apply would take against AWS's buckets
// and transitions, not this machine's speed. Reports calls by operation, throttles received, simulated wall time and the floor
// RunInstances' own bucket sets (the most creates in one Region ÷ 2 per second).
// The parent runs the simulator; the apply runs in a child process. Prints one JSON row (last line).
//   node scripts/bench-apply.mjs N
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const dist = join(root, 'dist/reconciler/src');
const [mode, , dir, url] = process.argv.slice(2);
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const START = '2026-11-23T15:00:00Z';
/** RunInstances' request bucket refill, per second per Region (AWS's documented rate). */
const RUN_INSTANCES_PER_SECOND = 2;

if (mode === '--child') await child(dir, url);
else await parent(Number(mode ?? 1000));

async function parent(n) {
  const { startSim } = await import(join(dist, 'sim/index.js'));
  const sim = await startSim({ port: 0, clock: 'manual', start: START, accountId: '111122223333', log: () => {} });
  const lab = mkdtempSync(join(tmpdir(), 'labops-bench-apply-'));
  try {
    writeLab(lab, n);
    await post(sim.url, 'faults', { rules: [], rateLimits: true, rateLimitClock: 'simulated' });
    await post(sim.url, 'requests/reset', {});
    const row = await runChild(lab, sim.url);
    const { requests, dropped } = await (await fetch(`${sim.url}/_sim/requests`)).json();
    if (dropped > 0) throw new Error(`request log dropped ${dropped} entries`);
    const calls = {};
    for (const r of requests) calls[r.operation] = (calls[r.operation] ?? 0) + 1;
    const throttles = requests.filter((r) => r.code === 'RequestLimitExceeded').length;
    const perRegion = REGIONS.map(
      (region) =>
        requests.filter((r) => r.operation === 'EC2.RunInstances' && r.region === region && r.status < 300).length,
    );
    const floorS = Math.max(...perRegion) / RUN_INSTANCES_PER_SECOND;
    const apiCalls = requests.length;
    const others = apiCalls - (calls['EC2.RunInstances'] ?? 0);
    const wallS = row.simulatedMs / 1000;
    const byOperation = Object.entries(calls)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const note = `${row.done} created in ${wallS.toFixed(0)} s simulated vs floor ${floorS.toFixed(0)} s (${(wallS / floorS).toFixed(2)}x); last RunInstances at ${(row.lastLaunchMs / 1000).toFixed(0)} s; ${throttles} throttled; ${(others / n).toFixed(2)} non-RunInstances calls per workstation; ${byOperation}`;
    console.log(
      JSON.stringify({
        scenario: 'apply within buckets (create all, rate limits on)',
        size: n,
        apiCalls,
        wallMs: row.wallMs,
        peakMiB: row.peakMiB,
        note,
        calls,
        throttles,
        simulatedS: wallS,
        floorS,
        ratio: wallS / floorS,
        nonRunInstancesPerWorkstation: others / n,
      }),
    );
  } finally {
    await sim.close();
    rmSync(lab, { recursive: true, force: true });
  }
}

function post(base, path, body) {
  return fetch(`${base}/_sim/${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
}

function runChild(lab, simUrl) {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: simUrl,
    AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const proc = spawn(process.execPath, [self, '--child', '0', lab, simUrl], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`apply exited ${code}`)),
    ),
  );
}

async function child(lab, simUrl) {
  const { run } = await import(join(dist, 'engine/pipeline.js'));
  const { loadCatalog } = await import(join(dist, 'environments/catalog.js'));
  const { createAwsPorts } = await import(join(dist, 'aws/factory.js'));
  const { createVirtualTime } = await import(join(dist, 'sim/core/virtual-time.js'));
  const catalog = loadCatalog().environments;
  const time = createVirtualTime((ms) =>
    post(simUrl, 'clock', { set: new Date(Date.parse(START) + ms).toISOString() }).then(() => undefined),
  );
  const handle = createAwsPorts({ region: 'us-east-1' });
  let lastLaunchMs = 0;
  const ec2 = time.tracked(handle.ec2);
  const ports = {
    ec2: {
      ...handle.ec2,
      ...Object.fromEntries(Object.keys(handle.ec2).map((k) => [k, (...args) => ec2[k](...args)])),
      launch: (...args) => ec2.launch(...args).finally(() => (lastLaunchMs = time.now())),
    },
    batch: time.tracked(handle.batch),
    metrics: time.tracked(handle.metrics),
    identity: time.tracked(handle.identity),
  };
  const started = performance.now();
  const result = await time.drive(
    run(
      { dir: lab, mode: 'apply', now: new Date(START), repo: async () => 'bench/lab' },
      { catalog, ports: () => ports, sleep: time.sleep, clock: time.now },
    ),
  );
  handle.destroy();
  const results = result.applied?.results ?? [];
  const failed = results.filter((r) => r.status !== 'done');
  if (failed.length > 0)
    console.error(`bench-apply: ${failed.length} actions not done, first: ${JSON.stringify(failed[0])}`);
  console.log(
    JSON.stringify({
      done: results.length - failed.length,
      simulatedMs: time.now(),
      lastLaunchMs,
      wallMs: performance.now() - started,
      peakMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

/** Mixed power states in every Region: always on, Mon–Fri work hours (on at the bench's start), and kept stopped. */
function scheduleOf(i) {
  return ['', '  schedule: { workHours: "Mon-Fri 08:00-19:00", offHoursAction: stop }\n', '  state: stopped\n'][
    Math.floor(i / REGIONS.length) % 3
  ];
}

function writeLab(dir, n) {
  writeFileSync(
    join(dir, 'labops.yaml'),
    `apiVersion: labops/v1\nkind: Lab\nmetadata: { name: bench }\nspec:\n  aws: { accountId: "111122223333", defaultRegion: us-east-1, regions: [${REGIONS.join(', ')}] }\n  policy: { requireBudget: false }\n  calendar: { timezone: America/New_York }\n`,
  );
  mkdirSync(join(dir, 'workstations'));
  for (let i = 0; i < n; i++) {
    writeFileSync(
      join(dir, 'workstations', `ws-${i}.yaml`),
      `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ws-${i}, owner: user-${i}, project: project-${i % 10} }\nspec:\n  environment: data-science-python@^1\n  instanceType: ${i % 2 ? 'm6i.large' : 't3.large'}\n  region: ${REGIONS[i % REGIONS.length]}\n  storage: { volumes: [ { name: data, sizeGiB: 100 } ] }\n${scheduleOf(i)}`,
    );
  }
}
