/**
 * Attacks on who may change what, through the bundled Action on real git checkouts with the
 * GitHub fake and `labops sim` (issue 13). Each row is something a lab member tried: the pull
 * request check must fail naming whose approval is missing, and after the merge the apply must
 * leave the victim's resource exactly as it was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { Instance } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_REPO, pullRequestPayload, pushPayload, runBundledAction } from '../support/action-run.js';
import type { ActionRun } from '../support/action-run.js';
import { makeGitRepo } from '../support/git-repo.js';
import type { GitRepo } from '../support/git-repo.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { FakePull, GitHubFake } from '../support/github-fake.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = EXAMPLE_REPO;

const lab = (prune: boolean, admins = '[pi]'): string =>
  `apiVersion: labops/v1\nkind: Lab\nmetadata: { name: sec-lab }\nspec:\n  aws: { accountId: "123456789012", defaultRegion: us-east-1 }\n  admins: ${admins}\n  policy: { allowedInstanceTypes: ["m6i.*", "t3.*"], prune: ${prune}, requireBudget: false }\n`;
const ws = (name: string, owner: string, type = 'm6i.large'): string =>
  `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: ${name}, owner: ${owner}, project: neuro }\nspec:\n  environment: base-ubuntu@^1\n  instanceType: ${type}\n  storage: { rootGiB: 40 }\n`;

let sim: TestSim;
let fake: GitHubFake | undefined;
const repos: GitRepo[] = [];
// One account per test: every lab here is the same repository, and prune must see only its own instances.
beforeEach(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
});
afterAll(() => repos.forEach((r) => r.cleanup()));
afterEach(async () => {
  await sim.close();
  await fake?.close();
  fake = undefined;
});

function action(
  event: string,
  payload: Record<string, any>,
  repo: GitRepo,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const pr = payload.pull_request as Record<string, any> | undefined;
  return runBundledAction({
    event,
    payload,
    workspace: repo.dir,
    repo: REPO,
    sha: pr ? pr.head.sha : repo.head(),
    ref: pr ? 'refs/pull/2/merge' : 'refs/heads/master',
    githubUrl: fake!.url,
    awsEnv: sim.env(),
    inputs,
  });
}

function pull(head: string, base: string, merge?: string): FakePull {
  return {
    number: 2,
    title: 'change',
    author: 'bob',
    headSha: head,
    baseSha: base,
    baseRef: 'master',
    files: [],
    reviews: [],
    ...(merge ? { mergedAt: '2026-09-01T12:00:00Z', mergeCommitSha: merge } : {}),
  };
}

async function live(name: string): Promise<Instance[]> {
  const out = await sim.ec2('us-east-1').send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:labops:name', Values: [name] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    }),
  );
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

const tag = (i: Instance, key: string): string | undefined => i.Tags?.find((t) => t.Key === key)?.Value;

interface Attack {
  name: string;
  /** The lab's first commit (applied by a scheduled run). */
  base: Record<string, string>;
  prune?: boolean;
  /** What bob's pull request changes (null deletes). */
  change: Record<string, string | null>;
  /** The Lab file's name at the base. @default "labops.yaml" */
  labFile?: string;
  /** A symlink the pull request adds, pointing at a secret file outside the repository. */
  symlink?: string;
  /** Lines the failing pull request check must print. */
  check: string[];
  /** Alice's workstation after the merge is applied. */
  victim: string;
  /** Text that must never reach the comment or the job summary. */
  secret?: string;
}

const attacks: Attack[] = [
  {
    name: 'name takeover: a new file declaring alice’s workstation as bob’s',
    base: { 'lab/workstations/alice.yaml': ws('t1-alice', 'alice') },
    change: { 'lab/workstations/0-bob.yaml': ws('t1-alice', 'bob', 'm6i.xlarge') },
    check: [
      'workstations/0-bob.yaml (Workstation t1-alice) needs its owners alice and bob or a Lab admin (pi)',
      'duplicate Workstation "t1-alice": it belongs to workstations/alice.yaml',
    ],
    victim: 't1-alice',
  },
  {
    name: 'admin by file name: labops.yaml beside the base’s labops.yml',
    labFile: 'labops.yml',
    base: { 'lab/workstations/alice.yaml': ws('t2-alice', 'alice') },
    change: { 'lab/labops.yaml': lab(false, '[bob]') },
    check: ['needs an approval from a Lab admin (pi)', 'both labops.yaml and labops.yml exist'],
    victim: 't2-alice',
  },
  {
    name: 'delete by moving: alice’s spec moved to a hidden folder under prune',
    prune: true,
    base: { 'lab/workstations/alice.yaml': ws('t3-alice', 'alice') },
    change: { 'lab/workstations/alice.yaml': null, 'lab/workstations/.archive/alice.yaml': ws('t3-alice', 'alice') },
    check: ['workstations/alice.yaml (Workstation t3-alice) needs its owner alice or a Lab admin (pi)'],
    victim: 't3-alice',
  },
  {
    name: 'delete by moving: alice’s spec moved outside spec.paths under prune',
    prune: true,
    base: { 'lab/workstations/alice.yaml': ws('t4-alice', 'alice') },
    change: { 'lab/workstations/alice.yaml': null, 'lab/attic/alice.yaml': ws('t4-alice', 'alice') },
    check: ['workstations/alice.yaml (Workstation t4-alice) needs its owner alice or a Lab admin (pi)'],
    victim: 't4-alice',
  },
  {
    name: 'typo = deletion: kind Workstaton in alice’s file under prune',
    prune: true,
    base: { 'lab/workstations/alice.yaml': ws('t5-alice', 'alice') },
    change: { 'lab/workstations/alice.yaml': ws('t5-alice', 'alice').replace('kind: Workstation', 'kind: Workstaton') },
    check: ['workstations/alice.yaml (Workstation t5-alice, unreadable) needs its owner alice or a Lab admin (pi)'],
    victim: 't5-alice',
  },
  {
    name: 'a symlinked spec file reading a secret outside the repository',
    base: { 'lab/workstations/alice.yaml': ws('t6-alice', 'alice') },
    change: {},
    symlink: 'lab/workstations/zz.yaml',
    check: ['file=lab/workstations/zz.yaml,line=1,col=1::symlinks are not allowed'],
    victim: 't6-alice',
    secret: 'TOP-SECRET-VALUE',
  },
];

describe('attacks on approvals (bundled Action, real git, GitHub fake)', { timeout: 120_000 }, () => {
  it.each(attacks)(
    '$name',
    async ({ base, prune = false, labFile = 'labops.yaml', change, symlink, check, victim, secret }) => {
      // Arrange: the lab as applied by a scheduled run; bob's pull request on a branch, with no approvals.
      const repo = makeGitRepo({ [`lab/${labFile}`]: lab(prune), ...base });
      repos.push(repo);
      const start = repo.head();
      fake = await startGitHubFake(REPO, {});
      const record = join(repo.dir, '..', `${repo.dir.split('/').pop()}-record.json`);
      const created = await action('schedule', { schedule: '*/15 * * * *' }, repo, { record });
      const before = await live(victim);
      repo.branch('attack');
      let head = repo.commit(change, 'attack', 'bob');
      if (symlink) {
        writeFileSync(`${repo.dir}-secret`, `${secret}\n`);
        head = repo.symlink(symlink, `${repo.dir}-secret`);
      }
      fake.state.pulls.push(pull(head, start));

      // Act: the pull request check, then the merge and its push run.
      const checked = await action('pull_request', pullRequestPayload(head, start, { author: 'bob' }), repo);
      const merge = repo.merge('attack');
      Object.assign(fake.state.pulls[0]!, { mergedAt: '2026-09-01T12:00:00Z', mergeCommitSha: merge });
      const applied = await action('push', pushPayload(start, merge), repo, { record });
      const after = await live(victim);

      // Assert
      expect(created.status, created.stdout).toBe(0);
      expect(before).toHaveLength(1);
      expect(checked.status).toBe(1);
      for (const line of check) expect(checked.stdout).toContain(line);
      expect(after.map((i) => [i.InstanceId, i.InstanceType, tag(i, 'labops:owner')])).toEqual(
        before.map((i) => [i.InstanceId, i.InstanceType, 'alice']),
      );
      expect(applied.status).toBe(1);
      if (secret) {
        expect(JSON.stringify(fake.state.comments)).not.toContain(secret);
        expect(checked.summary + checked.stdout + applied.summary).not.toContain(secret);
      }
    },
  );

  it('approvals fail closed: a change merged with [skip ci] is held by the next scheduled run; a force-push’s range is checked too', async () => {
    const repo = makeGitRepo({ 'lab/labops.yaml': lab(false), 'lab/workstations/alice.yaml': ws('t7-alice', 'alice') });
    repos.push(repo);
    fake = await startGitHubFake(REPO, {});
    const record = join(repo.dir, '..', `${repo.dir.split('/').pop()}-record.json`);
    const first = await action('schedule', { schedule: '*/15 * * * *' }, repo, { record });
    const skipped = repo.commit(
      { 'lab/workstations/alice.yaml': ws('t7-alice', 'alice', 'm6i.2xlarge') },
      'bigger [skip ci]',
      'bob',
    );

    const scheduled = await action('schedule', { schedule: '*/15 * * * *' }, repo, { record });
    const forced = repo.commit({ 'lab/workstations/bob.yaml': ws('t7-bob', 'bob') }, 'mine', 'bob');
    const pushed = await action('push', pushPayload('0'.repeat(40), forced, true), repo, { record });

    expect(first.status, first.stdout).toBe(0);
    expect(scheduled.status).toBe(1);
    expect(scheduled.stdout).toContain(
      `workstations/alice.yaml (Workstation t7-alice) needs its owner alice or a Lab admin (pi) (no approving pull request)`,
    );
    expect((await live('t7-alice')).map((i) => i.InstanceType)).toEqual(['m6i.large']);
    expect(pushed.status).toBe(1);
    expect(pushed.stdout).toContain(
      'workstations/bob.yaml (Workstation t7-bob) needs its owner bob or a Lab admin (pi) (no approving pull request)',
    );
    expect(await live('t7-bob')).toEqual([]);
    expect(skipped).toMatch(/^[0-9a-f]{40}$/);
  });
});
