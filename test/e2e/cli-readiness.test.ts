/**
 * `labops status` shows readiness, through the built CLI against `labops sim`: the sim prints the
 * provisioning script's console marker (GetConsoleOutput) and answers status checks
 * (DescribeInstanceStatus); its control endpoints make one instance's provisioning fail or run
 * long and another's status check impaired. Needs `npm run build` first.
 */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { runBuiltCli } from '../support/cli-run.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = 'lab-org/ready-lab';
let sim: TestSim;
let labDir: string;
const cleanups: (() => void)[] = [];
const ids: Record<string, string> = {};

const labops = (args: string[]) => runBuiltCli([...args, '--repo', REPO, '--record', 'off'], labDir, sim.env());

interface StatusJson {
  workstations: { name: string; readiness: { state: string; tookSeconds: number | null; detail: string } | null }[];
}

beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
  const lab = makeLab(
    {
      'labops.yaml': LAB_YAML.replace('PRUNE', 'false'),
      'workstations/ready.yaml': workstationYaml('ready-ws'),
      'workstations/slow.yaml': workstationYaml('slow-ws'),
      'workstations/broken.yaml': workstationYaml('broken-ws'),
      'workstations/sick.yaml': workstationYaml('sick-ws'),
      'workstations/off.yaml': workstationYaml('off-ws', '  state: stopped\n'),
    },
    null,
  );
  cleanups.push(lab.cleanup);
  labDir = lab.dir;
  const applied = await labops(['apply', '.']);
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stdout}${applied.stderr}`);
  const out = await sim.ec2().send(new DescribeInstancesCommand({}));
  for (const i of (out.Reservations ?? []).flatMap((r) => r.Instances ?? []))
    ids[i.Tags?.find((t) => t.Key === 'labops:name')?.Value ?? ''] = i.InstanceId ?? '';
  await sim.control.request('POST', 'provision', { instanceId: ids['slow-ws'], result: 'ready', seconds: 1e9 });
  await sim.control.request('POST', 'provision', {
    instanceId: ids['broken-ws'],
    result: 'failed',
    seconds: 1804,
    steps: 'spack containers',
  });
  await sim.control.request('POST', 'instance-health', { instanceId: ids['sick-ws'], impaired: true });
  await sim.control.advance('2h');
}, 90_000);
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});

describe('labops status readiness (built CLI against the sim)', { timeout: 60_000 }, () => {
  it('reads ready (with the time it took), provisioning, failed (steps; impaired check) and none for a stopped one', async () => {
    const result = await labops(['status', '.', '--format', 'json']);

    expect(result.status, result.stderr).toBe(0);
    const rows = Object.fromEntries(
      (JSON.parse(result.stdout) as StatusJson).workstations.map((w) => [w.name, w.readiness]),
    );
    expect(rows).toEqual({
      'ready-ws': { state: 'ready', tookSeconds: 240, detail: 'status checks ok' },
      'slow-ws': { state: 'provisioning', tookSeconds: null, detail: 'status checks ok' },
      'broken-ws': { state: 'failed', tookSeconds: 1804, detail: 'failed steps: spack containers' },
      'sick-ws': { state: 'failed', tookSeconds: 240, detail: 'status check impaired' },
      'off-ws': null,
    });
  });

  it('text: a READY column, and the detail view says why', async () => {
    const list = await labops(['status', '.']);
    const detail = await labops(['status', '.', 'broken-ws']);

    expect(list.stdout).toMatch(/READY/);
    expect(list.stdout).toMatch(/ready-ws .* running\s+ready in 4m00s /);
    expect(list.stdout).toMatch(/slow-ws .* running\s+provisioning /);
    expect(list.stdout).toMatch(/off-ws .* stopped\s+- /);
    expect(detail.stdout).toMatch(/ready\s+failed after 30m04s: failed steps: spack containers/);
  });

  it('--from-record shows no readiness (AWS alone knows it)', async () => {
    const result = await runBuiltCli(
      ['status', '.', '--from-record', '--format', 'json', '--repo', REPO],
      labDir,
      sim.env(),
    );

    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as StatusJson).workstations.every((w) => w.readiness === null)).toBe(true);
  });
});
