#!/usr/bin/env node
// Benchmark of `labops plan` on a converged fleet of N workstations against `labops sim`,
// across 3 Regions with mixed schedules, beside a per-resource-read baseline (one
// DescribeInstances per workstation, as Terraform's refresh reads) and the apply that created it.
// The parent runs the simulator; each measured step runs in its own child process so its
// peak memory is its own. Prints one JSON row per scenario (last lines), for npm run bench.
//   node scripts/bench-plan.mjs N
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const dist = join(root, 'dist/reconciler/src');
const [mode, size, dir, url] = process.argv.slice(2);
/** Three Regions, a workstation in each in turn. */
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

if (mode === '--child') await child(size, dir, url);
else await parent(Number(mode ?? 1000));

async function parent(n) {
  const { startSim } = await import(join(dist, 'sim/index.js'));
  const sim = await startSim({ port: 0, start: '2026-11-23T15:00:00Z', accountId: '111122223333', log: () => {} });
  const lab = mkdtempSync(join(tmpdir(), 'labops-bench-plan-'));
  try {
    writeLab(lab, n);
    for (const step of ['seed', 'plan', 'baseline']) {
      await fetch(`${sim.url}/_sim/calls/reset`, { method: 'POST' });
      const row = await runChild(step, lab, sim.url);
      const calls = await (await fetch(`${sim.url}/_sim/calls`)).json();
      row.apiCalls = Object.values(calls).reduce((a, b) => a + b, 0);
      row.note = `${row.note}; ${Object.entries(calls)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`;
      const scenario = { seed: 'apply (create all)', plan: 'plan (converged)', baseline: 'per-resource reads' }[step];
      console.log(JSON.stringify({ scenario, size: n, ...row }));
    }
  } finally {
    await sim.close();
    rmSync(lab, { recursive: true, force: true });
  }
}

function runChild(step, lab, url) {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: url,
    AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const proc = spawn(process.execPath, [self, '--child', step, lab, url], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${step} exited ${code}`)),
    ),
  );
}

async function child(step, lab, url) {
  const { run } = await import(join(dist, 'engine/pipeline.js'));
  const { loadCatalog } = await import(join(dist, 'environments/catalog.js'));
  const { createAwsPorts } = await import(join(dist, 'aws/factory.js'));
  const catalog = loadCatalog().environments;
  const now = new Date('2026-11-23T15:00:00Z');
  const advance = (ms) =>
    fetch(`${url}/_sim/clock`, {
      method: 'POST',
      body: JSON.stringify({ advance: `${Math.max(1, Math.ceil(ms / 1000))}s` }),
    }).then(() => undefined);
  const started = performance.now();
  let note;
  if (step === 'baseline') {
    const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
    const clients = Object.fromEntries(REGIONS.map((region) => [region, new EC2Client({ region })]));
    const count = (await import('node:fs')).readdirSync(join(lab, 'workstations')).length;
    for (let i = 0; i < count; i++) {
      await clients[regionOf(i)].send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:labops:name', Values: [`ws-${i}`] },
            { Name: 'tag:labops:repo', Values: ['bench/lab'] },
          ],
        }),
      );
    }
    note = `${count} DescribeInstances, one per workstation in its Region (observation only, no plan)`;
    for (const c of Object.values(clients)) c.destroy();
  } else {
    const ports = createAwsPorts({ region: 'us-east-1' });
    const result = await run(
      { dir: lab, mode: step === 'seed' ? 'apply' : 'plan', now, repo: async () => 'bench/lab' },
      { catalog, ports: () => ports, sleep: advance },
    );
    ports.destroy();
    const actions = result.plan?.actions.length ?? 0;
    note =
      step === 'seed'
        ? `seeded: ${result.applied?.results.filter((r) => r.status === 'done').length} created`
        : `${actions} actions`;
    if (step === 'plan' && actions !== 0) throw new Error(`converged plan has ${actions} actions`);
  }
  const wallMs = performance.now() - started;
  console.log(JSON.stringify({ apiCalls: 0, wallMs, peakMiB: process.resourceUsage().maxRSS / 1024, note }));
}

function regionOf(i) {
  return REGIONS[i % REGIONS.length];
}

/** Mixed schedules: always on, Mon–Fri work hours (stopped off hours), and kept stopped. */
function scheduleOf(i) {
  return ['', '  schedule: { workHours: "Mon-Fri 08:00-19:00", offHoursAction: stop }\n', '  state: stopped\n'][i % 3];
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
      `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ws-${i}, owner: user-${i}, project: project-${i % 10} }\nspec:\n  environment: data-science-python@^1\n  instanceType: ${i % 2 ? 'm6i.large' : 't3.large'}\n  region: ${regionOf(i)}\n  storage: { volumes: [ { name: data, sizeGiB: 100 } ] }\n${scheduleOf(i)}`,
    );
  }
}
