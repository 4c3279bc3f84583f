/**
 * `labops status` shows each finished job's run-time cost, marked as an estimate, through the
 * built CLI against `labops sim` (issue 18 item 4): Batch's `startedAt`/`stoppedAt` × the job's
 * vCPU share of the cheapest instance type its queue's compute environment allows × that type's
 * on-demand price. Needs `npm run build` first.
 */
import { join } from 'node:path';
import { CreateComputeEnvironmentCommand, CreateJobQueueCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_YAML } from '../integration/run-harness.js';
import { runBuiltCli } from '../support/cli-run.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = 'lab-org/cost-lab';
let sim: TestSim;
let labDir: string;
const cleanups: (() => void)[] = [];

const labops = (args: string[]) =>
  runBuiltCli([...args, '--repo', REPO, '--record', join(labDir, 'record.json')], labDir, sim.env());

function jobYaml(name: string, vcpus: number, duration: string, extra = ''): string {
  return [
    'apiVersion: labops/v1',
    'kind: Job',
    `metadata: { name: ${name}, owner: bob, project: atmos }`,
    'spec:',
    '  queue: costed',
    '  definition:',
    '    image: public.ecr.aws/lab/model:1',
    `    vcpus: ${vcpus}`,
    '    memoryMiB: 4096',
    `    environment: { LABOPS_SIM_DURATION: "${duration}" }`,
    '  timeout: 6h',
    extra,
    '',
  ].join('\n');
}

interface StatusJson {
  jobs: { name: string; status: string; cost: Record<string, unknown> | null }[];
}

beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z' });
  const batch = sim.batch();
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'costed-ce',
      type: 'MANAGED',
      computeResources: {
        type: 'EC2',
        maxvCpus: 64,
        subnets: ['subnet-0a1b2c3d4e5f60718'],
        securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
        instanceTypes: ['m6i.xlarge'],
      },
    }),
  );
  await sim.control.advance('1m');
  await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: 'costed',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'costed-ce' }],
    }),
  );
  await sim.control.advance('1m');
  const lab = makeLab(
    {
      'labops.yaml': LAB_YAML.replace('PRUNE', 'false'),
      'jobs/short.yaml': jobYaml('short', 1, '2h'),
      'jobs/whole.yaml': jobYaml('whole', 4, '30m'),
      'jobs/long.yaml': jobYaml('long', 2, '5h'),
    },
    null,
  );
  cleanups.push(lab.cleanup);
  labDir = lab.dir;
  const applied = await labops(['apply', '.']);
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stdout}${applied.stderr}`);
  await sim.control.advance('3h');
  const again = await labops(['apply', '.']);
  if (again.status !== 0) throw new Error(`apply failed: ${again.stdout}${again.stderr}`);
}, 90_000);
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});

describe('labops status: job cost (built CLI against the sim)', { timeout: 60_000 }, () => {
  it('JSON: a finished job costs its run time × its vCPU share of m6i.xlarge ($0.192/h), marked estimate; a running one none', async () => {
    const result = await labops(['status', '.', '--format', 'json']);

    expect(result.status, result.stderr).toBe(0);
    const jobs = Object.fromEntries((JSON.parse(result.stdout) as StatusJson).jobs.map((j) => [j.name, j]));
    // short: 1 of 4 vCPUs for 2 h = 0.25 × 0.192 × 2; whole: all 4 for 0.5 h = 0.192 × 0.5.
    expect(jobs.short?.cost).toEqual({
      usd: 0.096,
      estimate: true,
      instanceType: 'm6i.xlarge',
      vcpus: 1,
      instanceVcpus: 4,
      runSeconds: 7200,
    });
    expect(jobs.whole?.cost).toMatchObject({ usd: 0.096, vcpus: 4, instanceVcpus: 4, runSeconds: 1800 });
    expect([jobs.long?.status, jobs.long?.cost]).toEqual(['RUNNING', null]);
  });

  it('text and markdown: a COST (EST.) column and the note that costs are estimates', async () => {
    const text = await labops(['status', '.']);
    const markdown = await labops(['status', '.', '--format', 'markdown']);

    expect(text.stdout).toMatch(/COST \(EST\.\)/);
    expect(text.stdout).toMatch(/~\$0\.10 \(1\/4 m6i\.xlarge, 2\.0 h\)/);
    expect(text.stdout).toMatch(/Costs are estimates/);
    expect(markdown.stdout).toMatch(/\| COST \(EST\.\) \|/);
    expect(markdown.stdout).toMatch(/_Costs are estimates/);
  });
});
