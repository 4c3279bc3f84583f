/**
 * Every JSON output, as the built CLI (`npm run build`) and the bundled Action (`npm run
 * build:action`) really print it, checked against its schema in schemas/output/: validate, env,
 * and a copy of examples/lab taken through plan, apply, status and cost against `labops sim`
 * (clock at 600×) — a first apply, then a night in which resizes, a replacement, a removed
 * workstation and a removed running Job, drift made outside labops and the snapshot schedule
 * all show up in one plan, then the cross-region copies. Which action kinds were seen is asserted too, so the plan
 * schema's `details` are checked against real output kind by kind.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { EXAMPLE_REPO, pullRequestPayload, runBundledAction } from '../support/action-run.js';
import { makeGitRepo } from '../support/git-repo.js';
import { startGitHubFake } from '../support/github-fake.js';
import { outputChecker } from '../support/output-schemas.js';
import { labQueues, startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const root = packageRoot();
const BIN = join(root, 'dist/reconciler/src/cli/main.js');
/** Monday 10:00 in the example lab's zone (America/Los_Angeles): everyone's work hours. */
const DAY = '2026-11-23T18:00:00Z';
/** 02:30 the next night: off hours, and the nightly schedule's 02:00 slot is due. */
const NIGHT = '2026-11-24T10:30:00Z';
/** An hour later: the night's snapshots are complete, so their copies to us-east-1 are due. */
const LATER = '2026-11-24T11:30:00Z';

const check = outputChecker();
const cleanups: (() => unknown)[] = [];
let sim: TestSim;

beforeAll(async () => {
  // The Batch queues the example lab's Jobs name (a new account, like the sim, has none).
  sim = await startTestSim({
    start: DAY,
    clock: { speed: 600 },
    accountId: '123456789012',
    queues: labQueues('us-west-2'),
  });
  cleanups.push(() => sim.close());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The built CLI as a child process, without blocking this process (the simulator answers from it). */
function labops(args: string[], cwd = root): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, ...sim.env('us-west-2'), NO_COLOR: '1', LABOPS_DEBUG: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** Runs a command with `--format json` and checks what it printed against `schemas/output/SCHEMA.schema.json`. */
async function jsonOf(schema: string, args: string[]): Promise<Record<string, any>> {
  const result = await labops([...args, '--format', 'json']);
  const document = JSON.parse(result.stdout) as Record<string, any>;

  expect(check(schema, document), `labops ${args.join(' ')}\n${result.stderr}`).toEqual([]);
  return document;
}

/** A copy of examples/lab to change, and a run record beside it. */
function labCopy(): { lab: string; record: string; edit: (file: string, from: string, to: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'labops-json-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const lab = join(dir, 'lab');
  cpSync(join(root, 'examples/lab'), lab, { recursive: true });
  return {
    lab,
    record: join(dir, 'record.json'),
    edit(file, from, to) {
      const text = readFileSync(join(lab, file), 'utf8');
      if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
      writeFileSync(join(lab, file), text.replace(from, to));
    },
  };
}

/** Changes an instance's type behind labops' back (it must be stopped): drift. */
async function resizeOutsideLabops(name: string, type: string): Promise<void> {
  const ec2 = sim.ec2('us-west-2');
  const found = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:labops:name', Values: [name] },
        { Name: 'instance-state-name', Values: ['stopped'] },
      ],
    }),
  );
  const instanceId = found.Reservations?.[0]?.Instances?.[0]?.InstanceId;
  if (instanceId === undefined) throw new Error(`no stopped instance for ${name}`);
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceType: { Value: type } }));
}

describe('JSON output of the built CLI conforms to schemas/output/', { timeout: 180_000 }, () => {
  it('validate: a valid lab and one with an error', async () => {
    const broken = labCopy();
    broken.edit('workstations/alice-neuro.yaml', 'instanceType: r7i.2xlarge', 'instanceType: r7i.2xlrge');

    const valid = await jsonOf('validate', ['validate', 'examples/lab']);
    const invalid = await jsonOf('validate', ['validate', broken.lab]);

    expect([valid.valid, invalid.valid, invalid.problems[0]?.path]).toEqual([true, false, 'spec.instanceType']);
  });

  it('env list, and env show of a base, an inheriting and a GPU environment', async () => {
    const list = (await jsonOf('env-list', ['env', 'list'])) as unknown as { name: string; inherits: string | null }[];

    const shown = await Promise.all(
      ['base-amazonlinux', 'neuroimaging@^1', 'ml-gpu'].map((ref) => jsonOf('env-show', ['env', 'show', ref])),
    );

    expect(list.filter((env) => env.inherits === null).length).toBeGreaterThan(0);
    expect(shown.map((env) => env.lineage.length)).toEqual([1, 2, 3]);
  });

  it('plan, apply, status and cost through a day, a night and the morning after', async () => {
    const { lab, record, edit } = labCopy();
    const at = (now: string): string[] => [lab, '--now', now, '--record', record];
    const kinds = new Set<string>();
    const seen = (run: Record<string, any>): void =>
      (run.plan?.actions ?? []).forEach((a: { kind: string }) => kinds.add(a.kind));
    // Still running at night, so removing its file (with prune) cancels it.
    edit('jobs/fmriprep-cohort.yaml', '  array: 40', '    environment: { LABOPS_SIM_DURATION: 48h }\n  array: 40');

    seen(await jsonOf('run', ['plan', ...at(DAY)]));
    const firstApply = await jsonOf('run', ['apply', ...at(DAY)]);
    seen(firstApply);
    await jsonOf('status', ['status', ...at(DAY)]);
    const one = await jsonOf('status', ['status', lab, 'alice-neuro', '--now', DAY, '--record', record]);
    await jsonOf('cost', ['cost', ...at(DAY)]);
    edit('workstations/bob-atmos.yaml', 'c6i.4xlarge', 'c6i.2xlarge');
    edit('workstations/erin-genomics.yaml', 'rootGiB: 200', 'rootGiB: 400');
    edit('workstations/alice-sandbox.yaml', 'state: stopped', 'state: running');
    rmSync(join(lab, 'workstations/frank-viz.yaml'));
    rmSync(join(lab, 'jobs/fmriprep-cohort.yaml'));
    await resizeOutsideLabops('alice-sandbox', 't3.xlarge');
    seen(await jsonOf('run', ['plan', ...at(NIGHT)]));
    const orphan = await jsonOf('status', ['status', lab, 'frank-viz', '--now', NIGHT, '--record', record]);
    await jsonOf('status', ['status', ...at(NIGHT)]);
    edit('labops.yaml', 'prune: false', 'prune: true');
    const nightApply = await jsonOf('run', ['apply', ...at(NIGHT)]);
    seen(nightApply);
    seen(await jsonOf('run', ['plan', ...at(LATER)]));
    await jsonOf('status', ['status', ...at(LATER)]);
    await jsonOf('cost', ['cost', ...at(LATER)]);

    expect(firstApply.apply.results.length).toBeGreaterThan(0);
    expect(nightApply.apply.results.length).toBeGreaterThan(0);
    expect(one.workstation.name).toBe('alice-neuro');
    expect(orphan.workstation.rule).toBe('orphan: spec removed');
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'cancel-job',
        'copy-snapshot',
        'create',
        'destroy',
        'drift',
        'hibernate',
        'orphan',
        'replace',
        'resize',
        'retag',
        'snapshot',
        'start',
        'stop',
        'submit-job',
      ]),
    );
  });
});

describe("the Action's plan-json output conforms to schemas/output/plan.schema.json", { timeout: 90_000 }, () => {
  it('on a pull request that adds a workstation', async () => {
    const repo = makeGitRepo({ 'lab/labops.yaml': LAB_YAML.replace('PRUNE', 'false') });
    cleanups.push(() => repo.cleanup());
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit({ 'lab/workstations/ws-a.yaml': workstationYaml('ws-a') }, 'ws-a', 'alice');
    const fake = await startGitHubFake(EXAMPLE_REPO, {
      pulls: [
        {
          number: 2,
          title: 'ws-a',
          author: 'alice',
          headSha: head,
          baseSha: base,
          baseRef: 'master',
          files: [],
          reviews: [],
        },
      ],
    });
    cleanups.push(() => fake.close());

    const run = await runBundledAction({
      event: 'pull_request',
      payload: pullRequestPayload(head, base, { author: 'alice' }),
      workspace: repo.dir,
      repo: EXAMPLE_REPO,
      sha: head,
      ref: 'refs/pull/2/merge',
      githubUrl: fake.url,
      awsEnv: sim.env(),
    });

    expect(run.status, run.stdout).toBe(0);
    expect(check('plan', JSON.parse(run.outputs['plan-json']!))).toEqual([]);
  });
});
