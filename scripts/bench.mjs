#!/usr/bin/env node
// Benchmarks (not timed tests): prints API calls, wall time and peak memory per scenario.
// Each scenario runs in its own child process so peak memory is its own.
// Usage: npm run bench [-- --only validate|plan|sim-describe|apply]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/reconciler/src');

if (process.argv[2] === '--child') {
  await runChild(process.argv[3], Number(process.argv[4]));
} else {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const rows = [];
  // Each external script prints its rows as the last JSON lines of its output.
  const scripts = {
    'sim-describe': 'scripts/bench-sim.mjs',
    plan: 'scripts/bench-plan.mjs',
    apply: 'scripts/bench-apply.mjs',
  };
  // The apply within AWS's buckets is measured at 1,000 creates (its time is simulated time).
  const sizes = { apply: [1_000] };
  for (const scenario of ['validate', 'plan', 'sim-describe', 'apply']) {
    if (only && only !== scenario) continue;
    for (const size of sizes[scenario] ?? [100, 1_000, 10_000]) {
      const args = scripts[scenario]
        ? [join(root, scripts[scenario]), String(size)]
        : [fileURLToPath(import.meta.url), '--child', scenario, String(size)];
      const out = execFileSync(process.execPath, args, {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      rows.push(
        ...out
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line)),
      );
    }
  }
  console.log(['scenario', 'workstations', 'api calls', 'wall ms', 'peak MiB', 'note'].join('\t'));
  for (const r of rows)
    console.log([r.scenario, r.size, r.apiCalls, r.wallMs.toFixed(0), r.peakMiB.toFixed(0), r.note ?? ''].join('\t'));
  // The per-resource-read baseline (Terraform refresh style) against labops' bulk observe, same data, same process kind.
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    const plan = rows.find((r) => r.size === size && r.scenario === 'plan (converged)');
    const base = rows.find((r) => r.size === size && r.scenario === 'per-resource reads');
    if (plan && base)
      console.log(
        `ratio at ${size}: per-resource reads make ${(base.apiCalls / plan.apiCalls).toFixed(1)}x the API calls and take ${(base.wallMs / plan.wallMs).toFixed(1)}x the wall time of labops' converged plan`,
      );
  }
  for (const r of rows.filter((row) => row.floorS !== undefined)) {
    const calls = Object.entries(r.calls)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
    console.log(
      `apply within buckets at ${r.size}: ${r.simulatedS.toFixed(0)} s simulated wall time against a floor of ${r.floorS.toFixed(0)} s (RunInstances' bucket, 2 a second per Region): ${r.ratio.toFixed(2)}x; ${r.throttles} throttled; ${r.nonRunInstancesPerWorkstation.toFixed(2)} non-RunInstances calls per workstation (${calls})`,
    );
  }
}

async function runChild(scenario, size) {
  const { validateLab } = await import(join(dist, 'specs/validate.js'));
  const { loadCatalog } = await import(join(dist, 'environments/catalog.js'));
  const dir = mkdtempSync(join(tmpdir(), 'labops-bench-'));
  try {
    writeLab(dir, size);
    const catalog = loadCatalog().environments;
    const started = performance.now();
    const result = validateLab(dir, { catalog });
    const wallMs = performance.now() - started;
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    const note = `${result.files.length} files, ${result.problems.length} problems`;
    console.log(JSON.stringify({ scenario, size, apiCalls: 0, wallMs, peakMiB, note }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A lab with `size` workstations across 50 owners per 100 and 10 projects, one file each. */
function writeLab(dir, size) {
  const owners = Math.max(1, Math.ceil(size / 2));
  writeFileSync(
    join(dir, 'labops.yaml'),
    `apiVersion: labops/v1\nkind: Lab\nmetadata: { name: bench }\nspec:\n  aws: { accountId: "111122223333", defaultRegion: us-west-2 }\n  policy: { maxWorkstationsPerOwner: 2, allowedInstanceTypes: ["m6i.*", "r7i.*", "t3.*"] }\n  calendar: { timezone: America/New_York }\n`,
  );
  mkdirSync(join(dir, 'workstations'));
  mkdirSync(join(dir, 'budgets'));
  for (let p = 0; p < 10; p++) {
    writeFileSync(
      join(dir, 'budgets', `p${p}.yaml`),
      `apiVersion: labops/v1\nkind: Budget\nmetadata: { name: p${p} }\nspec:\n  project: project-${p}\n  limitUSD: 5000\n  period: { every: month }\n`,
    );
  }
  const types = ['m6i.large', 'm6i.xlarge', 'r7i.2xlarge', 't3.large'];
  for (let i = 0; i < size; i++) {
    const type = types[i % types.length];
    const hibernate = type.startsWith('r7i') || type.startsWith('m6i');
    writeFileSync(
      join(dir, 'workstations', `ws-${i}.yaml`),
      `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ws-${i}, owner: user-${i % owners}, project: project-${i % 10} }\nspec:\n  environment: data-science-python@^1\n  instanceType: ${type}\n  hibernation: ${hibernate}\n  storage: { rootGiB: 100, volumes: [ { name: data, sizeGiB: 200 } ] }\n  schedule: { workHours: "Mon-Fri 08:00-19:00", offHoursAction: ${hibernate ? 'hibernate' : 'stop'} }\n  idle: { after: 30m, cpuBelowPercent: 5, action: stop }\n`,
    );
  }
}
