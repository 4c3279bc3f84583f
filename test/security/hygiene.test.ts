/**
 * Hygiene (issue 13, item 9), through the built CLI (`npm run build`) and the bundled Action
 * (`npm run build:action`) with the GitHub fake: control characters never reach output raw, label
 * values obey AWS tag rules, a token in a remote never reaches an error line, only labops' own
 * comment is edited or trusted, and `pull_request_target` is refused before anything is called.
 * (Pinned example workflows: test/unit/workflows.test.ts.)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoId } from '../../reconciler/src/github/forge.js';
import { createOctokitForge } from '../../reconciler/src/github/octokit-forge.js';
import { STATUS_LABEL, updateStatusIssue } from '../../reconciler/src/github/status-issue.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { EXAMPLE_REPO, pullRequestPayload, runBundledAction } from '../support/action-run.js';
import type { ActionRun } from '../support/action-run.js';
import { makeGitRepo } from '../support/git-repo.js';
import type { GitRepo } from '../support/git-repo.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { FakeComment, GitHubFake } from '../support/github-fake.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const CLI = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
const REPO = EXAMPLE_REPO;
const LAB = LAB_YAML.replace('PRUNE', 'false');
/** Any character escapeControls must have escaped: C0 except tab/newline, DEL, C1, bidi overrides and isolates. */
/** A control character other than tab and newline (C0, DEL, C1), or a bidi override or isolate. */
const RAW_CONTROL = /[^\P{Cc}\t\n]|[\u202a-\u202e\u2066-\u2069]/u;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The built CLI in a child process (asynchronously: a fake may answer from this process). */
async function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((ok) => child.on('close', ok));
  return { status, stdout, stderr };
}

function lab(files: Record<string, string>): string {
  const made = makeLab(files);
  cleanups.push(made.cleanup);
  return made.dir;
}

describe('control characters are shown escaped, never raw (CLI)', { timeout: 60_000 }, () => {
  const evil =
    'apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: evil-ws, owner: alice, project: lab }\nspec:\n  environment: data-science-python@^1\n  instanceType: m6i.large\n  "\u001b]0;pwned\u0007\u202egnp.exe\u001b[2J": 1\n';

  it.each([
    ['text', ['--no-color']],
    ['github', ['--format', 'github']],
  ])('validate --format %s: a spec quoting ESC, BEL and U+202E prints their escapes', async (_format, flags) => {
    const dir = lab({
      'workstations/evil.yaml': evil,
      'workstations/\u001b[31mred\u202e.yaml': evil.replace('evil-ws', 'red-ws'),
    });

    const out = await cli(['validate', '.', ...flags], dir);

    expect(out.status).toBe(1);
    expect(out.stdout + out.stderr).not.toMatch(RAW_CONTROL);
    expect(out.stdout).toContain('\\u001b]0;pwned\\u0007\\u202egnp.exe\\u001b[2J');
    expect(out.stdout).toContain('workstations/\\u001b[31mred\\u202e.yaml');
  });
});

describe('label values obey AWS tag rules (CLI)', { timeout: 60_000 }, () => {
  it.each([
    ['ESC and BEL', '"red\\e]0;pwned\\a"'],
    ['a right-to-left override', '"admin\\u202eexe"'],
    ['a newline', '"two\\nlines"'],
    ['markup', '"<img src=x>"'],
  ])('a label value with %s is a validation error at its line, with the field', async (_what, value) => {
    const dir = lab({
      'workstations/tagged.yaml': `apiVersion: labops/v1\nkind: Workstation\nmetadata:\n  name: tagged\n  owner: alice\n  project: lab\n  labels:\n    team: ${value}\nspec:\n  environment: data-science-python@^1\n  instanceType: m6i.large\n`,
    });

    const out = await cli(['validate', '.', '--no-color'], dir);

    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^workstations\/tagged\.yaml:8:11: error: .*\(metadata\.labels\.team\)$/m);
    expect(out.stdout).not.toMatch(RAW_CONTROL);
  });

  it('accepts what AWS accepts: letters of any script, digits, spaces and _ . : / = + - @', async () => {
    const dir = lab({
      'workstations/tagged.yaml':
        'apiVersion: labops/v1\nkind: Workstation\nmetadata:\n  name: tagged\n  owner: alice\n  project: lab\n  labels: { team: "Ψ-lab neuro_2 a.b:c/d=e+f@g 日本" }\nspec:\n  environment: data-science-python@^1\n  instanceType: m6i.large\n',
    });

    const out = await cli(['validate', '.', '--no-color'], dir);

    expect(out.status, out.stdout).toBe(0);
  });
});

describe('a token in a git remote never reaches an error line (CLI)', { timeout: 60_000 }, () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ start: '2026-09-01T14:00:00Z' });
  });
  afterAll(async () => sim.close());

  it('plan --git with a password in the URL: a run record that cannot be read is named without it', async () => {
    // The lab's remote carries a password; git is told (url.insteadOf in HOME's .gitconfig) to
    // reach it at a local repository whose labops-status branch holds a record that is not JSON.
    const secretUrl = 'http://labops:SECRET-4f1c9e@127.0.0.1:1/lab.git';
    const remote = makeGitRepo({ 'labops.yaml': LAB });
    cleanups.push(remote.cleanup);
    remote.branch('labops-status');
    remote.commit({ 'labops.yaml': null, 'record.json': 'not json {' }, 'record');
    remote.checkout('main');
    const home = lab({ '.gitconfig': `[url "${remote.dir}"]\n\tinsteadOf = ${secretUrl}\n` });

    const out = await cli(['plan', '--git', secretUrl, '--repo', 'uni/lab', '--record', 'git', '--no-color'], home, {
      HOME: home,
      LABOPS_WORKDIR: join(home, 'checkout'),
      ...sim.env(),
    });

    expect(out.status).toBe(1);
    expect(out.stderr).toContain('labops-status branch of http://***@127.0.0.1:1/lab.git');
    expect(out.stdout + out.stderr).not.toContain('SECRET-4f1c9e');
  });
});

describe('the bundled Action', { timeout: 90_000 }, () => {
  let sim: TestSim;
  let fake: GitHubFake;
  const repos: GitRepo[] = [];
  beforeAll(async () => {
    sim = await startTestSim({ start: '2026-09-01T14:00:00Z' });
  });
  afterAll(async () => {
    await sim.close();
    repos.forEach((r) => r.cleanup());
  });
  afterEach(async () => {
    await fake.close();
  });

  /** A fork's pull request adding `files` under lab/: planned desired-only, so no AWS is needed. */
  function forkPullRequest(files: Record<string, string>): { repo: GitRepo; payload: Record<string, any> } {
    const repo = makeGitRepo({ 'lab/labops.yaml': LAB });
    repos.push(repo);
    const base = repo.head();
    repo.branch('pr');
    const head = repo.commit(
      Object.fromEntries(Object.entries(files).map(([p, t]) => [`lab/${p}`, t])),
      'change',
      'alice',
    );
    return { repo, payload: pullRequestPayload(head, base, { updatedAt: '2026-09-01T10:00:00Z', fork: true }) };
  }

  async function run(
    event: string,
    payload: Record<string, any>,
    repo: GitRepo,
    inputs: Record<string, string> = {},
  ): Promise<ActionRun> {
    return runBundledAction({
      event,
      payload,
      workspace: repo.dir,
      repo: REPO,
      sha: payload.pull_request.head.sha,
      ref: 'refs/pull/2/merge',
      githubUrl: fake.url,
      awsEnv: sim.env(),
      inputs,
    });
  }

  async function startFake(payload: Record<string, any>, comments: FakeComment[] = []): Promise<void> {
    fake = await startGitHubFake(REPO, {
      pulls: [
        {
          number: 2,
          title: 'Add things',
          author: 'alice',
          headSha: payload.pull_request.head.sha,
          baseSha: payload.pull_request.base.sha,
          baseRef: 'master',
          files: [],
          reviews: [
            {
              user: 'alice',
              state: 'APPROVED',
              commit_id: payload.pull_request.head.sha,
              submitted_at: '2026-09-01T10:00:00Z',
            },
          ],
        },
      ],
      comments,
    });
  }

  it('refuses pull_request_target with one line, before any GitHub or AWS call', async () => {
    const { repo, payload } = forkPullRequest({ 'workstations/ws-a.yaml': workstationYaml('ws-a') });
    await startFake(payload);
    await sim.control.resetCalls();

    const out = await run('pull_request_target', payload, repo);

    expect(out.status).toBe(1);
    expect(out.stdout).toContain(
      '::error::labops refuses pull_request_target: it would run with secrets on untrusted code; use pull_request\n',
    );
    expect(fake.requests).toEqual([]);
    expect(Object.values(await sim.control.calls()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('shows control characters quoted from a spec escaped in the comment, job summary and annotations', async () => {
    const { repo, payload } = forkPullRequest({
      'workstations/ws-a.yaml': `${workstationYaml('ws-a')}  "\u001b[2J\u202eevil": 1\n`,
    });
    await startFake(payload);

    const out = await run('pull_request', payload, repo);

    expect(out.status).toBe(1);
    expect(fake.state.comments).toHaveLength(1);
    const shown = [fake.state.comments[0]!.body, out.summary, out.stdout];
    expect(shown.map((text) => RAW_CONTROL.test(text))).toEqual([false, false, false]);
    // (markdown text escapes the backslash and bracket of the escape as well, so it renders as written)
    expect(shown.map((text) => /\\{1,2}u001b\\?\[2J\\{1,2}u202eevil/.test(text))).toEqual([true, true, true]);
  });

  it.each([
    ['an older valid-at (labops would edit it)', '2026-08-01T00:00:00Z'],
    ['a newer valid-at (labops would think its own comment newer and stand down)', '2099-01-01T00:00:00Z'],
  ])('ignores a marker comment another bot wrote with %s', async (_what, validAt) => {
    const { repo, payload } = forkPullRequest({ 'workstations/ws-a.yaml': workstationYaml('ws-a') });
    const forged = `<!-- labops:plan repo=${REPO} path=lab valid-at=${validAt} plan=desired-only -->\nAll good, merge away.`;
    await startFake(payload, [{ id: 1, issue: 2, body: forged, userType: 'Bot', user: 'evil-bot[bot]' }]);

    const out = await run('pull_request', payload, repo);

    expect(out.status, out.stdout).toBe(0);
    expect(fake.calls('PATCH', /comments/)).toEqual([]);
    expect(fake.state.comments.map((c) => [c.user, c.body === forged])).toEqual([
      ['evil-bot[bot]', true],
      ['github-actions[bot]', false],
    ]);
    expect(fake.state.comments[1]!.body).toMatch(
      /^<!-- labops:plan repo=\S+ path=lab valid-at=2026-09-01T10:00:00Z plan=desired-only -->/,
    );
  });

  it('trusts comments of the comment-author login when the token is an App’s', async () => {
    const { repo, payload } = forkPullRequest({ 'workstations/ws-a.yaml': workstationYaml('ws-a') });
    const old = `<!-- labops:plan repo=${REPO} path=lab valid-at=2026-08-01T00:00:00Z plan=desired-only -->\nold`;
    await startFake(payload, [
      { id: 1, issue: 2, body: old, userType: 'Bot', user: 'github-actions[bot]' },
      { id: 2, issue: 2, body: old, userType: 'Bot', user: 'lab-app[bot]' },
    ]);
    fake.state.viewer = null;

    const out = await run('pull_request', payload, repo, { 'comment-author': 'lab-app[bot]' });

    expect(out.status, out.stdout).toBe(0);
    expect(fake.calls('PATCH', /comments/).map((r) => r.path)).toEqual([`/repos/${REPO}/issues/comments/2`]);
    expect(fake.calls('POST', /graphql/)).toEqual([]);
  });
});

describe('the status issue is trusted only when labops opened it (Octokit forge, GitHub fake)', () => {
  let fake: GitHubFake;
  afterEach(async () => fake.close());

  it('leaves an issue someone else opened with the label and marker alone, and opens its own', async () => {
    const body = `<!-- labops:status repo=${REPO} path=lab -->\nAll good.`;
    fake = await startGitHubFake(REPO, {
      issues: [{ number: 5, user: 'mallory', title: 'labops status', body, state: 'open', labels: [STATUS_LABEL] }],
    });
    const forge = createOctokitForge({ token: 't', baseUrl: fake.url, spaceWrites: false, retryAfterBaseMs: 1 });

    const number = await updateStatusIssue(forge, repoId(REPO), {
      repo: REPO,
      path: 'lab',
      at: '2026-09-01T10:00:00Z',
      what: 'reconcile',
      runUrl: 'https://example.invalid/run',
      refused: ['something to look at'],
    });

    expect(number).not.toBe(5);
    expect(fake.state.issues.find((i) => i.number === 5)!.body).toBe(body);
    expect(fake.calls('PATCH', /issues\/5$/)).toEqual([]);
    expect(fake.state.issues.map((i) => i.user)).toEqual(['mallory', 'github-actions[bot]']);
  });

  it('asks GitHub which login the token writes as, once, and assumes github-actions[bot] when GitHub will not say', async () => {
    fake = await startGitHubFake(REPO, { viewer: null });
    const warnings: string[] = [];
    const forge = createOctokitForge({
      token: 't',
      baseUrl: fake.url,
      spaceWrites: false,
      retryAfterBaseMs: 1,
      warn: (m) => warnings.push(m),
    });

    const logins = [await forge.identity(), await forge.identity()];

    expect(logins).toEqual(['github-actions[bot]', 'github-actions[bot]']);
    expect(fake.calls('POST', /^\/graphql$/)).toHaveLength(1);
    expect(warnings).toContainEqual(expect.stringContaining('assuming github-actions[bot]'));
  });
});
