/**
 * The scheduled container (`labops reconcile --git URL`, built CLI) fails closed: a change that
 * reached the branch without an approving pull request — pushed directly, merged with `[skip ci]`,
 * merged while no Action ran — is held at its last approved version; it checks with GITHUB_TOKEN
 * against GitHub (the fake here), holds every change without a token, and applies the branch as it
 * is only when started with `--trust-main`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { GitHubFake } from '../support/github-fake.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = 'hartley/lab';
const LAB =
  'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: gate-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  admins: [pi]\n  paths: [workstations]\n  policy: { requireBudget: false }\n';
const ws = (name: string, owner: string, type = 't3.large'): string =>
  `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, project: lab }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: ${type}\n`;

let sim: TestSim;
let fake: GitHubFake | undefined;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-11-23T15:00:00Z', clock: { speed: 120 } });
});
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=lab', '-c', 'user.email=lab@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** A bare origin with the lab (alice's workstation), a clone to push from, a work folder and a record path. */
function origin(prefix: string): {
  url: string;
  author: string;
  work: string;
  record: string;
  push(files: Record<string, string>, message: string): string;
} {
  const root = mkdtempSync(join(tmpdir(), 'labops-gate-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const bare = join(root, 'lab.git');
  const author = join(root, 'author');
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare]);
  execFileSync('git', ['clone', '-q', bare, author], { stdio: 'ignore' });
  const push = (files: Record<string, string>, message: string): string => {
    for (const [path, text] of Object.entries(files)) {
      execFileSync('mkdir', ['-p', join(author, path, '..')]);
      writeFileSync(join(author, path), text);
    }
    git(author, 'add', '-A');
    git(author, 'commit', '-q', '-m', message);
    git(author, 'push', '-q', 'origin', 'main');
    return git(author, 'rev-parse', 'HEAD');
  };
  push({ 'labops.yaml': LAB, [`workstations/${prefix}-alice.yaml`]: ws(`${prefix}-alice`, 'alice') }, 'lab');
  return { url: `file://${bare}`, author, work: join(root, 'work'), record: join(root, 'record.json'), push };
}

async function labops(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(packageRoot(), 'dist/reconciler/src/cli/main.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: tmpdir(), NO_COLOR: '1', ...sim.env(), ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out };
}

async function typeOf(name: string): Promise<string[]> {
  const out = await sim.ec2('us-east-1').send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:labops:name', Values: [name] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    }),
  );
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceType!);
}

describe('the container fails closed (labops reconcile --git, built)', { timeout: 120_000 }, () => {
  it('holds a change pushed without a pull request, applies one merged with its owner’s approval, and records the commit', async () => {
    // Arrange: the lab's first commit is applied; bob resizes alice's workstation by a direct push; alice's own change comes through an approved pull request.
    const lab = origin('g1');
    fake = await startGitHubFake(REPO, {});
    const env = { GITHUB_TOKEN: 'ghs_test', GITHUB_API_URL: fake.url, LABOPS_WORKDIR: lab.work };
    const args = ['reconcile', '--git', lab.url, '--repo', REPO, '--record', lab.record];
    const first = await labops(args, env);
    const sneaky = lab.push({ 'workstations/g1-alice.yaml': ws('g1-alice', 'alice', 't3.xlarge') }, 'bigger [skip ci]');

    // Act
    const held = await labops(args, env);
    const typeWhileHeld = await typeOf('g1-alice');
    const approvedHead = lab.push(
      { 'workstations/g1-alice.yaml': ws('g1-alice', 'alice', 't3.2xlarge') },
      'alice resizes',
    );
    fake.state.pulls.push({
      number: 5,
      title: 'resize',
      author: 'alice',
      headSha: approvedHead,
      baseSha: sneaky,
      baseRef: 'main',
      mergedAt: '2026-11-23T16:00:00Z',
      mergeCommitSha: approvedHead,
      files: [],
      reviews: [],
    });
    const released = await labops(args, env);

    // Assert
    expect(first.code, first.out).toBe(0);
    expect(held.code, held.out).toBe(0);
    expect(held.out).toContain(
      `held: workstations/g1-alice.yaml — merged in ${sneaky.slice(0, 12)} without the approval it needs (workstations/g1-alice.yaml (Workstation g1-alice) needs its owner alice or a Lab admin (pi) (no approving pull request))`,
    );
    expect(typeWhileHeld).toEqual(['t3.large']);
    expect(released.code, released.out).toBe(0);
    expect(await typeOf('g1-alice')).toEqual(['t3.2xlarge']);
    const record = JSON.parse(readFileSync(lab.record, 'utf8'));
    expect(record.applied.commit).toBe(approvedHead);
    expect(record.holds['workstations/g1-alice.yaml']).toMatchObject({
      clearedBy: expect.stringContaining('approved or reverted'),
    });
  });

  it('without a GitHub token holds every change since the last applied commit; --trust-main applies the branch as it is', async () => {
    const lab = origin('g2');
    const env = { LABOPS_WORKDIR: lab.work };
    const args = ['reconcile', '--git', lab.url, '--repo', REPO, '--record', lab.record];
    const first = await labops(args, env);
    lab.push({ 'workstations/g2-bob.yaml': ws('g2-bob', 'bob') }, 'bob');

    const noToken = await labops(args, env);
    const bobWhileHeld = await typeOf('g2-bob');
    const trusted = await labops([...args, '--trust-main'], env);

    expect(first.code, first.out).toBe(0);
    expect(noToken.code, noToken.out).toBe(0);
    expect(noToken.out).toContain(
      'no GITHUB_TOKEN: changes since the last applied commit cannot be checked for approval and are held',
    );
    expect(bobWhileHeld).toEqual([]);
    expect(trusted.code, trusted.out).toBe(0);
    expect(await typeOf('g2-bob')).toEqual(['t3.large']);
  });

  it.each([
    ['a hold naming a commit outside the branch’s history (an injected bigger workstation)', 'stray'],
    ['a hold in the old shape carrying the text itself (baseContent)', 'text'],
  ])('the run record cannot inject desired state: %s', async (_name, kind) => {
    // Arrange: an applied lab; a forged record whose hold would put a bigger workstation in place of alice's.
    const lab = origin(kind === 'stray' ? 'g3' : 'g4');
    fake = await startGitHubFake(REPO, {});
    const env = { GITHUB_TOKEN: 'ghs_test', GITHUB_API_URL: fake.url, LABOPS_WORKDIR: lab.work };
    const args = ['reconcile', '--git', lab.url, '--repo', REPO, '--record', lab.record];
    const first = await labops(args, env);
    const name = kind === 'stray' ? 'g3-alice' : 'g4-alice';
    const injected = ws(name, 'alice', 't3.2xlarge');
    git(lab.author, 'checkout', '-q', '-b', 'stray');
    writeFileSync(join(lab.author, `workstations/${name}.yaml`), injected);
    git(lab.author, 'add', '-A');
    git(lab.author, 'commit', '-q', '-m', 'injected');
    const injectedCommit = git(lab.author, 'rev-parse', 'HEAD');
    const blob = git(lab.author, 'rev-parse', `HEAD:workstations/${name}.yaml`);
    const record = JSON.parse(readFileSync(lab.record, 'utf8'));
    const at = '2026-11-23T15:00:00.000Z';
    record.holds = {
      [`workstations/${name}.yaml`]:
        kind === 'stray'
          ? { commit: injectedCommit, blob, sha: injectedCommit, since: at, updatedAt: at, reasons: ['forged'] }
          : { baseContent: injected, sha: injectedCommit, since: at, updatedAt: at, reasons: ['forged'] },
    };
    writeFileSync(lab.record, JSON.stringify(record));

    // Act
    const forged = await labops(args, env);

    // Assert
    expect(first.code, first.out).toBe(0);
    expect(forged.code, forged.out).toBe(0);
    expect(forged.out).toMatch(
      kind === 'stray'
        ? new RegExp(
            `error: the run record's hold on workstations/${name}\\.yaml is ignored: commit ${injectedCommit.slice(0, 12)} is not in the history`,
          )
        : /baseContent|old-format|dropped/i,
    );
    expect(await typeOf(name)).toEqual(['t3.large']);
  });
});
