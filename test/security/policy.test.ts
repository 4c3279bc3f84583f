/**
 * Policy that cannot be dodged (issue 13, item 7), through the built CLI against `labops sim`:
 * a per-owner limit never invalidates the existing workstation (the scheduled container, whose
 * gate knows the approved base, with the GitHub fake), breaking a spec does not escape a budget
 * stop, a project without a Budget is an error, `block-launches` stops Job submissions and
 * `policy.maxJobUSD` refuses an expensive Job. Needs `npm run build` first.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { startGitHubFake } from '../support/github-fake.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const CLI = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const REPO = 'uni/policy-lab';
const START = '2026-10-05T12:00:00Z';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** labops.yaml in the sim's account with extra `policy` fields. */
function labYaml(policy = ''): string {
  return `apiVersion: labops/v1\nkind: Lab\nmetadata: { name: policy-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  admins: [pi]\n  policy: { allowedInstanceTypes: ["m6i.*", "t3.*"]${policy ? `, ${policy}` : ''} }\n`;
}

function workstation(name: string, owner: string, project: string, instanceType = 'm6i.large'): string {
  return `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, project: ${project} }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: ${instanceType}\n`;
}

function budget(name: string, project: string, limitUSD: number, action: string): string {
  return `apiVersion: labops/v1\nkind: Budget\nmetadata: { name: ${name} }\nspec:\n  project: ${project}\n  limitUSD: ${limitUSD}\n  period: { every: month }\n  thresholds: []\n  actions: [ { atPercent: 100, do: ${action} } ]\n`;
}

function job(name: string, project: string, definition: string, extra = ''): string {
  return `apiVersion: labops/v1\nkind: Job\nmetadata: { name: ${name}, owner: bob, project: ${project} }\nspec:\n  queue: research-spot\n  definition: ${definition}\n${extra}`;
}

interface Lab {
  dir: string;
  sim: TestSim;
  write(files: Record<string, string>): void;
  /** Runs the built CLI at the simulator's clock: exit code and stdout + stderr. */
  labops(...args: string[]): Promise<{ code: number | null; out: string }>;
  /** The same with more environment variables. */
  run(args: string[], env?: Record<string, string>): Promise<{ code: number | null; out: string }>;
  /** `labops plan|apply DIR --format json`, parsed. */
  json(command: 'plan' | 'apply'): Promise<{ code: number | null; body: RunJson }>;
  /** Live instance states by workstation name. */
  states(): Promise<Record<string, string>>;
  /** How many times the sim saw `operation` (e.g. `Batch.SubmitJob`). */
  calls(operation: string): Promise<number>;
}

interface RunJson {
  validation: {
    valid: boolean;
    problems: { file: string; line: number; path: string; message: string; severity: string }[];
  };
  plan: {
    refusals: { code: string; message: string; resource?: { kind: string; name: string } }[];
    actions: { kind: string; resource: { kind: string; name: string }; rule: string; reason: string }[];
  } | null;
}

async function startLab(files: Record<string, string>): Promise<Lab> {
  // A manual clock the test moves: 30 simulated seconds every 25 ms while the CLI runs (so its
  // waits end), and whole days at once between runs.
  const sim = await startTestSim({ start: START, log: () => {}, queues: { 'us-east-1': ['research-spot'] } });
  cleanups.push(() => sim.close());
  const made = makeLab(files, null);
  cleanups.push(made.cleanup);
  const run = async (
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; out: string }> => {
    const now = await sim.control.now();
    const argv = [CLI, ...args, ...(args[0] === 'validate' ? [] : ['--repo', REPO, '--now', now])];
    return new Promise((resolve) => {
      const child = spawn(process.execPath, argv, {
        env: { ...process.env, ...sim.env(), NO_COLOR: '1', LABOPS_DEBUG: '', ...env },
      });
      const ticker = setInterval(() => void sim.control.advance('30s').catch(() => undefined), 25);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => {
        clearInterval(ticker);
        resolve({ code, out });
      });
    });
  };
  return {
    dir: made.dir,
    sim,
    write(more) {
      for (const [path, text] of Object.entries(more)) {
        mkdirSync(dirname(join(made.dir, path)), { recursive: true });
        writeFileSync(join(made.dir, path), text);
      }
    },
    run,
    labops: (...args) => run(args),
    async json(command) {
      const { code, out } = await run([command, made.dir, '--format', 'json']);
      return { code, body: JSON.parse(out.slice(out.indexOf('{'))) as RunJson };
    },
    async states() {
      const state = (await sim.control.state()) as unknown as {
        ec2: { instances: Record<string, { state: string; tags: Record<string, string> }> };
      };
      const out: Record<string, string> = {};
      for (const i of Object.values(state.ec2.instances))
        if (i.state !== 'terminated') out[i.tags['labops:name'] ?? ''] = i.state;
      return out;
    },
    async calls(operation) {
      return (await sim.control.calls())[operation] ?? 0;
    },
  };
}

/** A bare origin holding `files` on main, a clone to push from, the container's work folder and record. */
function origin(files: Record<string, string>): {
  url: string;
  work: string;
  record: string;
  initial: string;
  push(more: Record<string, string>, message: string): string;
} {
  const root = mkdtempSync(join(tmpdir(), 'labops-policy-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const bare = join(root, 'lab.git');
  const author = join(root, 'author');
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
      cwd: author,
      encoding: 'utf8',
    }).trim();
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare]);
  execFileSync('git', ['clone', '-q', bare, author], { stdio: 'ignore' });
  const push = (more: Record<string, string>, message: string): string => {
    for (const [path, text] of Object.entries(more)) {
      mkdirSync(dirname(join(author, path)), { recursive: true });
      writeFileSync(join(author, path), text);
    }
    git('add', '-A');
    git('commit', '-q', '-m', message);
    git('push', '-q', 'origin', 'main');
    return git('rev-parse', 'HEAD');
  };
  const initial = push(files, 'lab');
  return { url: `file://${bare}`, work: join(root, 'work'), record: join(root, 'record.json'), initial, push };
}

describe('policy that cannot be dodged (built CLI, labops sim)', () => {
  it('a second workstation beyond the per-owner limit is the error and is not launched; the existing one stays valid and running', async () => {
    // Arrange: alice's workstation runs; she then merges (her own approved pull request) a second
    // one in a file that sorts before hers, with maxWorkstationsPerOwner: 1.
    const lab = await startLab({});
    const repo = origin({
      'labops.yaml': labYaml('maxWorkstationsPerOwner: 1'),
      'budgets/neuro.yaml': budget('neuro-monthly', 'neuro', 100000, 'stop'),
      'workstations/alice.yaml': workstation('alice-neuro', 'alice', 'neuro'),
    });
    const fake = await startGitHubFake(REPO, {});
    cleanups.push(() => fake.close());
    const env = { GITHUB_TOKEN: 'ghs_test', GITHUB_API_URL: fake.url, LABOPS_WORKDIR: repo.work, HOME: tmpdir() };
    const reconcile = (): Promise<{ code: number | null; out: string }> =>
      lab.run(['reconcile', '--git', repo.url, '--record', repo.record], env);
    const first = await reconcile();
    expect(first.code, first.out).toBe(0);
    expect(await lab.states()).toEqual({ 'alice-neuro': 'running' });
    const head = repo.push(
      { 'workstations/0-alice-two.yaml': workstation('alice-two', 'alice', 'neuro') },
      'alice adds a second workstation',
    );
    fake.state.pulls.push({
      number: 7,
      title: 'second workstation',
      author: 'alice',
      headSha: head,
      baseSha: repo.initial,
      baseRef: 'main',
      mergedAt: '2026-10-05T13:00:00Z',
      mergeCommitSha: head,
      files: [],
      reviews: [],
    });

    // Act
    const second = await reconcile();

    // Assert
    expect(second.code).toBe(1);
    expect(second.out).toContain(
      "workstations/0-alice-two.yaml:3:37: error: alice already has 1 workstation (alice-neuro); the lab's maxWorkstationsPerOwner is 1, so alice-two cannot be added",
    );
    expect(second.out).not.toContain('workstations/alice.yaml:');
    expect(await lab.states()).toEqual({ 'alice-neuro': 'running' });
    expect(await lab.calls('EC2.RunInstances')).toBe(1);
  }, 120_000);

  it('breaking a workstation spec does not escape a budget stop', async () => {
    // Arrange: bob's workstation runs 40 hours in a project whose $2 budget stops at 100%; then
    // bob breaks his spec (an unknown instance type), which leaves the workstation "unknown".
    const lab = await startLab({
      'labops.yaml': labYaml(),
      'budgets/neuro.yaml': budget('neuro-monthly', 'neuro', 2, 'stop'),
      'workstations/bob.yaml': workstation('bob-neuro', 'bob', 'neuro'),
    });
    const first = await lab.labops('apply', lab.dir);
    expect(first.code, first.out).toBe(0);
    expect(await lab.states()).toEqual({ 'bob-neuro': 'running' });
    await lab.sim.control.advance('40h');
    lab.write({ 'workstations/bob.yaml': workstation('bob-neuro', 'bob', 'neuro', 'm6i.lrge') });

    // Act
    const applied = await lab.json('apply');

    // Assert: still invalid (exit 1), but the budget stop reached the instance.
    expect(applied.code).toBe(1);
    expect(applied.body.validation.problems.map((p) => `${p.file} ${p.path} ${p.severity}`)).toEqual([
      'workstations/bob.yaml spec.instanceType error',
    ]);
    const stop = applied.body.plan!.actions.find((a) => a.resource.name === 'bob-neuro');
    expect(stop).toMatchObject({ kind: 'stop', rule: expect.stringMatching(/^budget neuro-monthly at \d+% of \$2$/) });
    expect(stop!.reason).toContain('its spec is invalid');
    expect(await lab.states()).toEqual({ 'bob-neuro': 'stopped' });
  }, 60_000);

  it('a project with no Budget is an error by default, and its workstation is not launched', async () => {
    // Arrange
    const lab = await startLab({
      'labops.yaml': labYaml(),
      'workstations/ann.yaml': workstation('ann-neuro', 'ann', 'neuro'),
    });

    // Act
    const validated = await lab.labops('validate', lab.dir);
    const applied = await lab.labops('apply', lab.dir);

    // Assert
    expect(validated.code).toBe(1);
    expect(validated.out).toContain(
      'workstations/ann.yaml:3:51: error: project "neuro" has no Budget (the lab\'s policy.requireBudget: every project needs a Budget)',
    );
    expect(applied.code).toBe(1);
    expect(await lab.calls('EC2.RunInstances')).toBe(0);
  }, 60_000);

  it('requireBudget: false keeps a project without a Budget a warning', async () => {
    // Arrange
    const lab = await startLab({
      'labops.yaml': labYaml('requireBudget: false'),
      'workstations/ann.yaml': workstation('ann-neuro', 'ann', 'neuro'),
    });

    // Act
    const validated = await lab.labops('validate', lab.dir);

    // Assert
    expect(validated.code, validated.out).toBe(0);
  }, 60_000);

  it('block-launches stops a Job submission, with the budget as the reason', async () => {
    // Arrange: an atmos workstation spends past the $2 budget whose action is block-launches;
    // then a Job of the same project is added.
    const lab = await startLab({
      'labops.yaml': labYaml(),
      'budgets/atmos.yaml': budget('atmos-monthly', 'atmos', 2, 'block-launches'),
      'workstations/cy.yaml': workstation('cy-atmos', 'cy', 'atmos'),
    });
    const first = await lab.labops('apply', lab.dir);
    expect(first.code, first.out).toBe(0);
    await lab.sim.control.advance('40h');
    lab.write({
      'jobs/train.yaml': job('train', 'atmos', '{ image: public.ecr.aws/lab/model:1, vcpus: 2, memoryMiB: 4096 }'),
    });

    // Act
    const applied = await lab.json('apply');

    // Assert
    expect(applied.body.plan!.refusals).toEqual([
      {
        code: 'budget-blocked',
        message: expect.stringMatching(
          /^job train: submission blocked by budget atmos-monthly at \d+% of \$2 \(project atmos\)$/,
        ),
        resource: { kind: 'Job', name: 'train' },
      },
    ]);
    expect(applied.body.plan!.actions.filter((a) => a.kind === 'submit-job')).toEqual([]);
    expect(await lab.calls('Batch.SubmitJob')).toBe(0);
  }, 60_000);

  it('maxJobUSD refuses an expensive Job: a validation error on its definition, never submitted', async () => {
    // Arrange: 100 × 64 vCPU for up to a day, against a $50 cap.
    const definition = '{ image: public.ecr.aws/lab/model:1, vcpus: 64, memoryMiB: 262144 }';
    const lab = await startLab({
      'labops.yaml': labYaml('maxJobUSD: 50'),
      'budgets/atmos.yaml': budget('atmos-monthly', 'atmos', 100000, 'stop'),
      'jobs/sweep.yaml': job('sweep', 'atmos', definition, '  timeout: 24h\n  array: 100\n'),
    });

    // Act
    const validated = await lab.labops('validate', lab.dir);
    const applied = await lab.labops('apply', lab.dir);

    // Assert
    expect(validated.code).toBe(1);
    expect(validated.out).toMatch(
      /jobs\/sweep\.yaml:6:15: error: job sweep is estimated at \$[\d,.]+: 100 × 64 vCPU\/262144 MiB × 1d \(timeout\) on \S+ at \$[\d.]+\/h, over the lab's maxJobUSD of \$50\.00/,
    );
    expect(applied.code).toBe(1);
    expect(await lab.calls('Batch.SubmitJob')).toBe(0);
  }, 60_000);
});
