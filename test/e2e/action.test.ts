/**
 * The bundled Action (`node action/dist/index.js`) run as the runner runs it (test/support/
 * action-run.ts) on a real git checkout: webhook payloads from @octokit/webhooks-examples with
 * their commits replaced by the repository's own, GITHUB_API_URL at the GitHub fake and
 * AWS_ENDPOINT_URL at `labops sim`, both in this process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { EXAMPLE_REPO, pullRequestPayload, pushPayload, runBundledAction } from '../support/action-run.js';
import type { ActionRun } from '../support/action-run.js';
import { makeGitRepo } from '../support/git-repo.js';
import type { GitRepo } from '../support/git-repo.js';
import { costLabelName } from '../../reconciler/src/github/cost-label.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { FakePull, GitHubFake } from '../support/github-fake.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = EXAMPLE_REPO;
/** Half of a UTF-16 pair on its own: text cut through the middle of a character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LAB = LAB_YAML.replace('PRUNE', 'false');
const BUDGET =
  'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: neuro-fall }\nspec: { project: neuro, limitUSD: 5000, period: { start: 2026-08-24, end: 2026-12-18 } }\n';

let sim: TestSim;
let fake: GitHubFake;
const repos: GitRepo[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
});
afterAll(async () => {
  await sim.close();
  repos.forEach((r) => r.cleanup());
});
afterEach(async () => {
  await fake.close();
});

/** A lab repository (`lab/` inside it) whose first commit on main holds labops.yaml and `files`. */
function lab(files: Record<string, string> = {}): GitRepo {
  const repo = makeGitRepo(
    Object.fromEntries([['lab/labops.yaml', LAB], ...Object.entries(files).map(([p, t]) => [`lab/${p}`, t])]),
  );
  repos.push(repo);
  return repo;
}

/** The Action on `repo`'s checkout, for a pull request (its head checked out) or a push/schedule (main checked out). */
async function runAction(
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
    ref: pr ? `refs/pull/${pr.number}/merge` : 'refs/heads/master',
    githubUrl: fake.url,
    awsEnv: sim.env(),
    inputs,
  });
}

/** Pull request 2 in the fake: `head` onto `base`, merged as `merge` when given. */
function pull(head: string, base: string, reviews: FakePull['reviews'] = [], extra: Partial<FakePull> = {}): FakePull {
  return {
    number: 2,
    title: 'Add things',
    author: 'Codertocat',
    headSha: head,
    baseSha: base,
    baseRef: 'master',
    files: [],
    reviews,
    ...extra,
  };
}

async function launches(): Promise<number> {
  return (await sim.control.calls())['EC2.RunInstances'] ?? 0;
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

async function profileOf(name: string): Promise<(string | undefined)[]> {
  const out = await sim
    .ec2('us-east-1')
    .send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:labops:name', Values: [name] }] }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.IamInstanceProfile?.Arn);
}

const review = (user: string, commit: string, at = '2026-09-01T10:00:00Z'): FakePull['reviews'][number] => ({
  user,
  state: 'APPROVED',
  commit_id: commit,
  submitted_at: at,
});

describe('labops Action (bundled)', { timeout: 90_000 }, () => {
  it('keeps one sticky comment: created on open, edited on synchronize, left alone by an older run', async () => {
    const repo = lab();
    const base = repo.head();
    repo.branch('pr');
    const head1 = repo.commit({ 'lab/workstations/ws-a.yaml': workstationYaml('ws-a') }, 'ws-a', 'alice');
    fake = await startGitHubFake(REPO, { pulls: [pull(head1, base, [review('alice', head1)])] });

    const opened = await runAction(
      'pull_request',
      pullRequestPayload(head1, base, { updatedAt: '2026-09-01T10:00:00Z' }),
      repo,
    );
    const head2 = repo.commit(
      { 'lab/workstations/ws-a.yaml': workstationYaml('ws-a').replace('m6i.large', 'm6i.xlarge') },
      'bigger',
      'alice',
    );
    fake.state.pulls[0]!.headSha = head2;
    fake.state.pulls[0]!.reviews.push(review('alice', head2, '2026-09-01T10:30:00Z'));
    const synchronized = await runAction(
      'pull_request',
      pullRequestPayload(head2, base, { updatedAt: '2026-09-01T11:00:00Z', action: 'synchronize' }),
      repo,
    );
    const bodyAfterSync = fake.state.comments[0]?.body;
    const head3 = repo.commit(
      { 'lab/workstations/ws-a.yaml': workstationYaml('ws-a').replace('m6i.large', 'm6i.2xlarge') },
      'even bigger',
      'alice',
    );
    const late = await runAction(
      'pull_request',
      pullRequestPayload(head3, base, { updatedAt: '2026-09-01T10:30:00Z' }),
      repo,
    );

    expect([opened.status, synchronized.status], `${opened.stdout}\n${synchronized.stdout}`).toEqual([0, 0]);
    expect(late.status).toBe(1);
    expect(late.stdout).toContain('needs its owner alice or a Lab admin (pi)');
    expect(fake.state.comments).toHaveLength(1);
    expect(fake.calls('POST', /comments$/)).toHaveLength(1);
    expect(fake.calls('PATCH', /comments/)).toHaveLength(1);
    expect(bodyAfterSync).toMatch(
      /^<!-- labops:plan repo=Codertocat\/Hello-World path=lab valid-at=2026-09-01T11:00:00Z plan=sha256:[0-9a-f]{64} -->/,
    );
    expect(bodyAfterSync).toContain('1 to create, 0 to destroy');
    expect(bodyAfterSync).toContain('m6i.xlarge');
    expect(fake.state.comments[0]!.body).toBe(bodyAfterSync);
    expect(late.summary).toContain('a newer run (valid at 2026-09-01T11:00:00Z) wrote it');
    expect(opened.outputs['has-changes']).toBe('true');
    expect(Number(opened.outputs['monthly-delta-usd'])).toBeGreaterThan(0);
    expect(JSON.parse(opened.outputs['plan-json']!).counts.create).toBe(1);
    expect(opened.summary).toContain('Workstation/ws-a');
  });

  it('plans a fork’s pull request desired-only, with zero AWS calls', async () => {
    const repo = lab();
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit({ 'lab/workstations/ws-f.yaml': workstationYaml('ws-f') }, 'ws-f', 'alice');
    fake = await startGitHubFake(REPO, { pulls: [pull(head, base, [review('alice', head)])] });
    await sim.control.resetCalls();

    const result = await runAction(
      'pull_request',
      pullRequestPayload(head, base, { updatedAt: '2026-09-01T10:00:00Z', fork: true }),
      repo,
    );

    expect(result.status, result.stdout).toBe(0);
    expect(Object.values(await sim.control.calls()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(fake.state.comments[0]!.body).toMatch(/plan=desired-only -->/);
    expect(fake.state.comments[0]!.body).toContain('desired-only: no AWS access from forks');
    expect(fake.state.comments[0]!.body).toContain('1 to create');
  });

  it('fails the check for an unapproved budget change, then holds it at apply on merge: nothing it brought is launched', async () => {
    const repo = lab();
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit(
      { 'lab/budgets/neuro-fall.yaml': BUDGET, 'lab/workstations/ws-b.yaml': workstationYaml('ws-b') },
      'budget',
      'Codertocat',
    );
    fake = await startGitHubFake(REPO, { pulls: [pull(head, base)] });

    const planned = await runAction(
      'pull_request',
      pullRequestPayload(head, base, { updatedAt: '2026-09-01T10:00:00Z' }),
      repo,
    );
    const merge = repo.merge('pr');
    Object.assign(fake.state.pulls[0]!, { mergedAt: '2026-09-01T12:00:00Z', mergeCommitSha: merge });
    await sim.control.resetCalls();
    const applied = await runAction('push', pushPayload(base, merge), repo);

    expect(planned.status, planned.stdout).toBe(1);
    expect(planned.stdout).toMatch(
      /::error title=labops%3A approval needed,file=lab\/budgets\/neuro-fall\.yaml,line=1::Budget neuro-fall \(added\) needs an approving review from a Lab admin/,
    );
    expect(fake.state.comments[0]!.body).toContain('❌ `Budget` neuro-fall');
    expect(applied.status).toBe(1);
    expect(applied.stdout).toContain(
      'approval missing: budgets/neuro-fall.yaml (Budget neuro-fall) needs an approval from a Lab admin (pi) (pull request #2)',
    );
    expect(await launches()).toBe(0);
    const result = fake.state.comments.find((c) => c.body.startsWith('<!-- labops:result'));
    expect(result?.body).toContain('Held');
    expect(fake.state.issues).toEqual([expect.objectContaining({ title: 'labops status', state: 'open' })]);
  });

  it('applies an approved merge, launching with the instance-profile input, and says the plan applied is the plan the pull request showed', async () => {
    const repo = lab();
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit({ 'lab/workstations/ws-c.yaml': workstationYaml('ws-c') }, 'ws-c', 'Codertocat');
    fake = await startGitHubFake(REPO, { pulls: [pull(head, base, [review('pi', head)])] });

    const planned = await runAction(
      'pull_request',
      pullRequestPayload(head, base, { updatedAt: '2026-09-01T10:00:00Z' }),
      repo,
    );
    const merge = repo.merge('pr');
    Object.assign(fake.state.pulls[0]!, { mergedAt: '2026-09-01T12:00:00Z', mergeCommitSha: merge });
    const applied = await runAction('push', pushPayload(base, merge), repo, {
      'instance-profile': 'labops-workstation',
    });

    expect([planned.status, applied.status], applied.stdout).toEqual([0, 0]);
    expect(await typeOf('ws-c')).toEqual(['m6i.large']);
    expect(await profileOf('ws-c')).toEqual(['arn:aws:iam::000000000000:instance-profile/labops-workstation']);
    const result = fake.state.comments.find((c) => c.body.startsWith('<!-- labops:result'));
    expect(result?.body).toContain('The plan applied is the plan this pull request showed');
    expect(result?.body).toContain('1 done, 0 failed');
  });

  it('reconciles on schedule and keeps injection strings inert in the comment', async () => {
    const repo = lab({ 'workstations/ws-x.yaml': workstationYaml('ws-x') });
    const base = repo.head();
    repo.branch('pr');
    const evil = workstationYaml('ws-x').replace(
      'data-science-python@^1',
      '"@everyone </details><script>alert(1)</script> ```"',
    );
    const head = repo.commit({ 'lab/workstations/ws-x.yaml': evil }, 'evil', 'alice');
    fake = await startGitHubFake(REPO, { pulls: [pull(head, base)] });

    const planned = await runAction(
      'pull_request',
      pullRequestPayload(head, base, { updatedAt: '2026-09-01T10:00:00Z' }),
      repo,
    );
    repo.checkout('main');
    const reconciled = await runAction('schedule', { schedule: '*/15 * * * *' }, repo);

    const body = fake.state.comments[0]!.body;
    const outsideCode = body.replace(/^(`{3,})yaml\n[^\n]*\n\1$/gm, '');
    expect(planned.status).toBe(1);
    expect(planned.stdout).toMatch(/::error title=labops%3A [^,]+,file=lab\/workstations\/ws-x\.yaml,line=\d+/);
    expect(body).not.toMatch(/@everyone/);
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).not.toContain('```');
    expect(reconciled.status, reconciled.stdout).toBe(0);
    expect(await typeOf('ws-x')).toEqual(['m6i.large']);
  });

  it('shows a resize of a running workstation and a removal as the change, and labels the pull request with its cost', async () => {
    // Arrange: ws-big and ws-gone run (a scheduled reconcile launched them); pull request 2 resizes ws-big and removes ws-gone.
    const repo = lab({
      'workstations/ws-big.yaml': workstationYaml('ws-big'),
      'workstations/ws-gone.yaml': workstationYaml('ws-gone'),
    });
    const base = repo.head();
    fake = await startGitHubFake(REPO, { pulls: [] });
    const created = await runAction('schedule', { schedule: '*/15 * * * *' }, repo);
    await fake.close();
    repo.branch('pr');
    const head1 = repo.commit(
      {
        'lab/workstations/ws-big.yaml': workstationYaml('ws-big').replace('m6i.large', 'm6i.xlarge'),
        'lab/workstations/ws-gone.yaml': null,
      },
      'resize and remove',
      'Codertocat',
    );
    fake = await startGitHubFake(REPO, {
      pulls: [pull(head1, base, [], { labels: ['needs-review'] })],
      labels: [{ name: 'needs-review', color: 'ededed', description: '' }],
    });
    const inputs = { 'cost-label': 'true' };

    // Act: the pull request is planned, then resized further (a new figure).
    const opened = await runAction(
      'pull_request',
      pullRequestPayload(head1, base, { updatedAt: '2026-09-01T10:00:00Z' }),
      repo,
      inputs,
    );
    const body = fake.state.comments[0]!.body;
    const firstLabels = [...fake.state.pulls[0]!.labels!];
    const head2 = repo.commit(
      { 'lab/workstations/ws-big.yaml': workstationYaml('ws-big').replace('m6i.large', 'm6i.2xlarge') },
      'bigger',
      'Codertocat',
    );
    fake.state.pulls[0]!.headSha = head2;
    const synchronized = await runAction(
      'pull_request',
      pullRequestPayload(head2, base, { updatedAt: '2026-09-01T11:00:00Z', action: 'synchronize' }),
      repo,
      inputs,
    );

    // Assert: the comment shows the change first, flags the downtime and the orphan's cost, and mentions who can approve.
    expect(created.status, created.stdout).toBe(0);
    expect(await typeOf('ws-gone')).toEqual(['m6i.large']);
    expect(body).toContain(`### labops plan — ${REPO} (lab)`);
    expect(body).not.toContain('<details>');
    expect(body).toMatch(
      /\| ~ \| Workstation\/ws-big \| resize: ⏸ running workstation down ≈ 2–5 min \(stop, modify, start\) \| spec: instanceType m6i\.large → m6i\.xlarge/,
    );
    expect(body).toMatch(
      /\| − \| Workstation\/ws-gone \| orphan: still costing \$[\d,]+\.\d\d\/month; remove with `prune: true` in labops\.yaml \|/,
    );
    expect(body).toMatch(
      /Monthly run-rate: \*\*\$[\d,.]+ → \$[\d,.]+\*\* \(\+\$[\d,.]+, \+\d+\.\d%\) from this change/,
    );
    expect(body).toContain('needs @alice or a Lab admin: @pi');
    expect(opened.status).toBe(1);
    const firstDelta = Number(opened.outputs['monthly-delta-usd']);
    expect(firstDelta).toBeGreaterThan(0);
    expect(firstLabels).toEqual(['needs-review', costLabelName(firstDelta)]);
    // The new figure replaced the old label on the pull request; the old one stays a repository label.
    const secondDelta = Number(synchronized.outputs['monthly-delta-usd']);
    expect(secondDelta).toBeGreaterThan(firstDelta);
    expect(fake.state.pulls[0]!.labels).toEqual(['needs-review', costLabelName(secondDelta)]);
    expect(
      fake.calls('DELETE', /\/issues\/2\/labels\//).map((c) => decodeURIComponent(c.path.split('/').pop()!)),
    ).toEqual([costLabelName(firstDelta)]);
    expect(fake.state.labels.map((l) => l.name)).toEqual([
      'needs-review',
      costLabelName(firstDelta),
      costLabelName(secondDelta),
    ]);
  });

  it('holds a change merged without its approval: the rest applies, scheduled reconciles keep it out, an approved change releases it', async () => {
    // Arrange: bob's workstation is in the lab from its first commit; pull request 2 resizes it without bob (or an admin) and adds alice's, approved by alice.
    const bobs = workstationYaml('ws-held').replace('owner: alice', 'owner: bob');
    const resized = bobs.replace('m6i.large', 'm6i.xlarge');
    const repo = lab({ 'workstations/ws-held.yaml': bobs });
    const record = join(repo.dir, '..', `${repo.dir.split('/').pop()}-record.json`);
    const inputs = { record };
    const base = repo.head();
    repo.branch('pr2');
    const head2 = repo.commit(
      { 'lab/workstations/ws-held.yaml': resized, 'lab/workstations/ws-new.yaml': workstationYaml('ws-new') },
      'resize and add',
      'Codertocat',
    );
    const merge2 = repo.merge('pr2');
    fake = await startGitHubFake(REPO, {
      pulls: [
        pull(head2, base, [review('alice', head2)], { mergedAt: '2026-09-01T12:00:00Z', mergeCommitSha: merge2 }),
      ],
    });
    repo.checkout(base);
    const created = await runAction('schedule', { schedule: '*/15 * * * *' }, repo, inputs);
    repo.checkout('main');

    // Act + Assert, step by step.
    const merged = await runAction('push', pushPayload(base, merge2), repo, inputs);
    expect(created.status, created.stdout).toBe(0);
    expect(merged.status, merged.stdout).toBe(1);
    expect(merged.stdout).toContain(
      'approval missing: workstations/ws-held.yaml (Workstation ws-held) needs its owner bob or a Lab admin (pi) (pull request #2)',
    );
    expect(await typeOf('ws-new')).toEqual(['m6i.large']);
    expect(await typeOf('ws-held')).toEqual(['m6i.large']);
    const held = JSON.parse(readFileSync(record, 'utf8')).holds['workstations/ws-held.yaml'];
    expect(held).toMatchObject({
      commit: base,
      blob: expect.stringMatching(/^[0-9a-f]{40}$/),
      sha: merge2,
      reasons: [expect.stringContaining('needs its owner bob')],
    });
    expect(held.clearedAt).toBeUndefined();
    expect(fake.state.comments.find((c) => c.body.startsWith('<!-- labops:result'))?.body).toContain(
      'Held: these changes were merged without the approval they need',
    );

    const scheduled = await runAction('schedule', { schedule: '*/15 * * * *' }, repo, inputs);
    expect(scheduled.status, scheduled.stdout).toBe(0);
    expect(await typeOf('ws-held')).toEqual(['m6i.large']);
    expect(fake.state.issues[0]!.body).toContain('workstations/ws-held.yaml is held at its last approved version');

    // A later change to the file approved by alice only is measured from bob's approved text: still held.
    repo.branch('pr3');
    const head3 = repo.commit(
      {
        'lab/workstations/ws-held.yaml': resized.replace(
          'project: neuro }',
          'project: neuro, labels: { study: fmri } }',
        ),
      },
      'label',
      'Codertocat',
    );
    const merge3 = repo.merge('pr3');
    fake.state.pulls.push(
      pull(head3, merge2, [review('alice', head3, '2026-09-02T10:00:00Z')], {
        number: 3,
        mergedAt: '2026-09-02T12:00:00Z',
        mergeCommitSha: merge3,
      }),
    );
    const notBob = await runAction('push', pushPayload(merge2, merge3), repo, inputs);
    expect(notBob.status, notBob.stdout).toBe(1);
    expect(await typeOf('ws-held')).toEqual(['m6i.large']);
    expect(JSON.parse(readFileSync(record, 'utf8')).holds['workstations/ws-held.yaml']).toMatchObject({
      since: held.since,
      sha: merge3,
      commit: base,
    });

    // bob approves pull request 3 after the merge: re-running its push job accepts it.
    fake.state.pulls[1]!.reviews.push(review('bob', head3, '2026-09-02T11:00:00Z'));
    const approved = await runAction('push', pushPayload(merge2, merge3), repo, inputs);
    expect(approved.status, approved.stdout).toBe(0);
    expect(await typeOf('ws-held')).toEqual(['m6i.xlarge']);
    expect(JSON.parse(readFileSync(record, 'utf8')).holds['workstations/ws-held.yaml']).toMatchObject({
      clearedBy: expect.stringContaining('approved or reverted'),
    });
  });

  it('keeps a 200 KB plan from 200 KB of multibyte specs (a fork) under GitHub’s comment limit, whole characters only, with the full plan in the job summary', async () => {
    // Arrange: 700 new workstations whose labels carry CJK, some outside the BMP (surrogate pairs), and 700 files with a misspelt field on a multibyte line.
    const note = 'fMRI 数据分析 résumé 𠀋𡈽 '.repeat(6);
    const files: Record<string, string> = {};
    for (let i = 0; i < 700; i++) {
      files[`lab/workstations/mb-${i}.yaml`] = workstationYaml(`mb-${i}`).replace(
        'project: neuro }',
        `project: neuro, labels: { note: "${note}${i}" } }`,
      );
      files[`lab/workstations/bad-${i}.yaml`] = `${workstationYaml(`bad-${i}`)}  descripción: "${note}${i}"\n`;
    }
    const repo = lab();
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit(files, 'many', 'alice');
    fake = await startGitHubFake(REPO, { pulls: [pull(head, base, [review('alice', head)])] });
    const input = Object.values(files).join('');
    await sim.control.resetCalls();

    // Act
    const result = await runAction(
      'pull_request',
      pullRequestPayload(head, base, { updatedAt: '2026-09-01T10:00:00Z', fork: true }),
      repo,
    );

    // Assert
    const body = fake.state.comments[0]!.body;
    expect(input.length).toBeGreaterThan(200_000);
    expect(result.status).toBe(1);
    expect(Object.values(await sim.control.calls()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(fake.state.comments).toHaveLength(1);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).not.toMatch(LONE_SURROGATE);
    expect(body).toContain('700 to create');
    expect(body).toContain('https://github.com/Codertocat/Hello-World/actions/runs/42');
    expect(result.summary).not.toMatch(LONE_SURROGATE);
    expect(result.summary).toContain('Workstation/mb-699');
    expect(result.summary.length).toBeGreaterThan(200_000);
    expect(body).toContain('unknown field "descripción"');
    expect(body).toContain('… and 650 more in the [job summary]');
  });
});
