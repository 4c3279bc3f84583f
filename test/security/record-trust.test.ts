/**
 * The run record (and the lease beside it) is a cache whoever can push `labops-status` can
 * forge, never desired state or authority (issue 13 item 4). Each attack through the built CLI
 * (`npm run build` first) against `labops sim`: an invalid record fails the run in one line with
 * no AWS change; a crafted `jobs[]` entry never gets a foreign Batch job terminated; a lease with
 * a far-future expiry blocks runs for one TTL at most; a future `lastSlot` never silences snapshots.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeJobsCommand, RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../reconciler/src/engine/apply/index.js';
import type { Plan } from '../../reconciler/src/model/plan.js';
import { emptyRecord } from '../../reconciler/src/model/record.js';
import type { RunRecord } from '../../reconciler/src/model/record.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { ACCOUNT, REGION, REPO, startReconcile, workstationYaml } from '../integration/reconcile-harness.js';
import type { ReconcileHarness } from '../integration/reconcile-harness.js';

const BIN = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
/** A simulated clock that runs (20 simulated minutes a wall second), so a child's waits for instances end. */
const RUNNING_CLOCK = { clock: { speed: 1200 } } as const;

let h: ReconcileHarness | undefined;
let tmp: string | undefined;
afterEach(async () => {
  await h?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  h = undefined;
  tmp = undefined;
});

/** The built CLI as a child process pointed at the simulator (asynchronous: the sim runs in this process). */
function labops(
  harness: ReconcileHarness,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...harness.sim.env(REGION), NO_COLOR: '1', LABOPS_DEBUG: '' };
  delete env.AWS_PROFILE;
  const child = spawn(process.execPath, [BIN, ...args, '--repo', REPO], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Calls that change something in AWS, by operation (every Describe, List and Get left out). */
async function mutatingCalls(harness: ReconcileHarness): Promise<Record<string, number>> {
  const calls = await harness.sim.control.calls();
  return Object.fromEntries(Object.entries(calls).filter(([op]) => !/\.(Describe|List|Get)/.test(op)));
}

function recordFile(record: unknown): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'labops-record-trust-'));
  const path = join(tmp, 'record.json');
  writeFileSync(path, typeof record === 'string' ? record : `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

const SCHEDULE = `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: nightly }
spec:
  selector: { workstations: [ann] }
  cron: "0 2 * * *"
  timezone: America/New_York
  retain: { count: 3 }
`;

describe('an invalid run record fails the run in one line, changing nothing', () => {
  it.each([
    [
      'an unknown top-level field',
      { ...emptyRecord(), desired: { admins: ['mallory'] } },
      /invalid run record at \/desired: unknown field/,
    ],
    [
      'a wrongly typed field',
      { ...emptyRecord(), costExplorerCalls: 'many' },
      /invalid run record at \/costExplorerCalls: expected integer, got a string/,
    ],
    [
      'a job entry with an unknown field',
      {
        ...emptyRecord(),
        jobs: [
          {
            name: 'x',
            specHash: '0123456789abcdef',
            rerun: 0,
            region: 'us-east-1',
            jobId: 'j-1',
            jobName: 'labops-x-01234567-r0',
            submittedAt: '2026-08-01T00:00:00.000Z',
            terminate: true,
          },
        ],
      },
      /invalid run record at \/jobs\/0\/terminate: unknown field/,
    ],
    ['text that is not JSON', '{"version": 1, "alerts": [', /the run record is not JSON/],
  ])('%s', async (_case, record, message) => {
    h = await startReconcile({ 'workstations/ann.yaml': workstationYaml('ann') }, {}, RUNNING_CLOCK);
    const path = recordFile(record);

    const result = await labops(h, ['apply', h.dir, '--record', path]);

    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`labops apply: ${path}: `);
    expect(lines[0]).toMatch(message);
    expect(await mutatingCalls(h)).toEqual({});
  });
});

describe('a crafted jobs[] entry never gets a foreign Batch job stopped', () => {
  it.each([
    ['submitted outside labops (no labops tags)', {}],
    [
      'tagged for another repository',
      { 'labops:repo': 'other-org/other-lab', 'labops:kind': 'Job', 'labops:name': 'model' },
    ],
    [
      'tagged for another Job of this repository',
      { 'labops:repo': REPO, 'labops:kind': 'Job', 'labops:name': 'align' },
    ],
  ])(
    'a running job %s is left running when the record says it is the removed Job "model" (prune on)',
    async (_case, tags) => {
      h = await startReconcile({}, { prune: true });
      const batch = h.sim.batch(REGION);
      await batch.send(
        new RegisterJobDefinitionCommand({
          jobDefinitionName: 'someone-elses',
          type: 'container',
          containerProperties: {
            image: 'public.ecr.aws/other/app:1',
            resourceRequirements: [
              { type: 'VCPU', value: '1' },
              { type: 'MEMORY', value: '2048' },
            ],
            environment: [{ name: 'LABOPS_SIM_DURATION', value: '6h' }],
          },
        }),
      );
      const submitted = await batch.send(
        new SubmitJobCommand({
          jobName: 'someone-elses-run',
          jobQueue: 'research-spot',
          jobDefinition: 'someone-elses',
          tags,
        }),
      );
      await h.sim.control.advance('20m');
      const forged: RunRecord = {
        ...emptyRecord(),
        jobs: [
          {
            name: 'model',
            specHash: '0123456789abcdef',
            rerun: 0,
            region: REGION,
            jobId: submitted.jobId!,
            jobName: 'labops-model-01234567-r0',
            submittedAt: '2026-09-01T08:00:00.000Z',
            status: 'RUNNING',
          },
        ],
      };
      const path = recordFile(forged);
      await h.sim.control.resetCalls();

      const result = await labops(h, ['apply', h.dir, '--record', path, '--now', await h.sim.control.now()]);

      expect(result.code).toBe(0);
      const calls = await mutatingCalls(h);
      expect(calls['Batch.TerminateJob']).toBeUndefined();
      expect(calls['Batch.CancelJob']).toBeUndefined();
      expect((await batch.send(new DescribeJobsCommand({ jobs: [submitted.jobId!] }))).jobs?.[0]?.status).toBe(
        'RUNNING',
      );
      expect((JSON.parse(readFileSync(path, 'utf8')) as RunRecord).jobs[0]?.cancelledAt).toBeUndefined();
    },
  );
});

describe("apply reads Batch's tags again before stopping a job", () => {
  it('refuses a cancel-job whose job Batch tags for another repository, and makes no CancelJob or TerminateJob call', async () => {
    h = await startReconcile({});
    const batch = h.sim.batch(REGION);
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'someone-elses',
        type: 'container',
        containerProperties: {
          image: 'public.ecr.aws/other/app:1',
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '2048' },
          ],
          environment: [{ name: 'LABOPS_SIM_DURATION', value: '6h' }],
        },
      }),
    );
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: 'someone-elses-run',
        jobQueue: 'research-spot',
        jobDefinition: 'someone-elses',
        tags: { 'labops:repo': 'other-org/other-lab', 'labops:name': 'model' },
      }),
    );
    await h.sim.control.advance('20m');
    const details = {
      kind: 'cancel-job' as const,
      job: 'model',
      jobId: jobId!,
      repo: REPO,
      status: 'RUNNING',
      reason: 'labops: Job model removed from the lab repository',
    };
    const plan: Plan = {
      now: await h.sim.control.now(),
      refusals: [],
      monthlyDeltaUSD: 0,
      actions: [
        {
          id: 'Job/model/cancel-job',
          kind: 'cancel-job',
          resource: { kind: 'Job', name: 'model' },
          region: REGION,
          instanceId: jobId!,
          rule: 'prune',
          reason: 'Job file removed',
          monthlyDeltaUSD: 0,
          destructive: true,
          details,
          after: [],
        },
      ],
    };

    const result = await applyPlan(plan, {
      ec2: h.ports.ec2,
      batch: h.ports.batch,
      identity: h.ports.identity,
      expectedAccountId: ACCOUNT,
      sleep: async () => {},
    });

    expect(result.results.map((r) => [r.status, r.error?.code, r.error?.message])).toEqual([
      [
        'failed',
        'unexpected-state',
        `${jobId} not cancelled or terminated: Batch tags it labops:repo=other-org/other-lab, labops:name=model, not Job model of ${REPO}`,
      ],
    ]);
    const calls = await mutatingCalls(h);
    expect(calls['Batch.TerminateJob']).toBeUndefined();
    expect(calls['Batch.CancelJob']).toBeUndefined();
  });
});

describe('a lease pushed with a far-future expiry', () => {
  const leaseAt = (acquired: number, expiresAt: string): string =>
    JSON.stringify({
      holder: 'mallory',
      kind: 'apply',
      host: 'elsewhere.example',
      pid: 4242,
      acquiredAt: new Date(acquired).toISOString(),
      expiresAt,
    });

  it.each([
    ['taken more than a TTL (10 minutes) ago', -20 * 60_000],
    ['taken in the future (beyond 5 minutes of clock skew)', 30 * 86_400_000],
  ])('%s, expiring in 2999, does not stop the next apply', { timeout: 60_000 }, async (_case, offsetMs) => {
    h = await startReconcile({ 'workstations/ann.yaml': workstationYaml('ann') }, {}, RUNNING_CLOCK);
    mkdirSync(join(h.dir, '.labops'), { recursive: true });
    writeFileSync(
      join(h.dir, '.labops', 'record.json.lease'),
      leaseAt(Date.now() + offsetMs, '2999-01-01T00:00:00.000Z'),
    );

    const result = await labops(h, ['apply', h.dir, '--lease-wait', '1s']);

    expect(result.stderr).not.toContain('holds the lease');
    expect(result.code).toBe(0);
    expect((await mutatingCalls(h))['EC2.RunInstances']).toBe(1);
  });

  it('is still honoured within its TTL of being taken (a live run is never overrun)', async () => {
    h = await startReconcile({ 'workstations/ann.yaml': workstationYaml('ann') }, {}, RUNNING_CLOCK);
    mkdirSync(join(h.dir, '.labops'), { recursive: true });
    writeFileSync(
      join(h.dir, '.labops', 'record.json.lease'),
      leaseAt(Date.now() - 60_000, '2999-01-01T00:00:00.000Z'),
    );

    const result = await labops(h, ['apply', h.dir, '--lease-wait', '1s']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /another labops run holds the lease .*: apply by mallory on elsewhere\.example since .* \(expires (?!2999)/,
    );
    expect(await mutatingCalls(h)).toEqual({});
  });
});

describe('a schedule lastSlot in the future', () => {
  it('does not silence the snapshot: the due slot is still taken', { timeout: 60_000 }, async () => {
    h = await startReconcile(
      { 'workstations/ann.yaml': workstationYaml('ann'), 'snapshots/nightly.yaml': SCHEDULE },
      {},
      RUNNING_CLOCK,
    );
    const path = recordFile({ ...emptyRecord() });
    expect((await labops(h, ['apply', h.dir, '--record', path, '--now', await h.sim.control.now()])).code).toBe(0);
    const applied = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
    expect(applied.schedules.nightly?.firstSeenAt).toBeDefined();
    writeFileSync(
      path,
      JSON.stringify({
        ...applied,
        schedules: { nightly: { ...applied.schedules.nightly, lastSlot: '2999-01-01T07:00:00.000Z' } },
      }),
    );
    await h.sim.control.advance('26h');
    await h.sim.control.resetCalls();

    const result = await labops(h, ['apply', h.dir, '--record', path, '--now', await h.sim.control.now()]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/nightly: slot \S+ 02:00 America\/New_York due/);
    const calls = await mutatingCalls(h);
    expect((calls['EC2.CreateSnapshots'] ?? 0) + (calls['EC2.CreateSnapshot'] ?? 0)).toBeGreaterThan(0);
  });
});
