/**
 * GitHub refusing or failing reaches the Action's log as labops' one line — the call, the status
 * as a code (`github-500`) and GitHub's words — never a raw Octokit error (class name, request,
 * headers, documentation link) nor a stack trace. The bundled Action against the GitHub fake.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { EXAMPLE_REPO, pullRequestPayload, runBundledAction } from '../support/action-run.js';
import { makeGitRepo } from '../support/git-repo.js';
import type { GitRepo } from '../support/git-repo.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { GitHubFake } from '../support/github-fake.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim | undefined;
let fake: GitHubFake | undefined;
const repos: GitRepo[] = [];
beforeAll(async () => {
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z' });
});
afterAll(async () => {
  await sim?.close();
  repos.forEach((r) => r.cleanup());
});
afterEach(async () => {
  await fake?.close();
});

describe('GitHub failures in the Action (bundled)', { timeout: 60_000 }, () => {
  const cases = [
    {
      status: 500,
      method: 'GET',
      path: /\/pulls\/2\/reviews$/,
      message: 'Internal Server Error',
      line: '::error::labops: GitHub GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews failed (github-500): Internal Server Error',
    },
    {
      status: 403,
      method: 'GET',
      path: /\/pulls\/2\/reviews$/,
      message: 'Resource not accessible by integration',
      line: '::error::labops: GitHub GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews failed (github-403): Resource not accessible by integration',
    },
    {
      status: 404,
      method: 'GET',
      path: /\/issues\/2\/comments$/,
      message: 'Not Found',
      line: '::error::labops: GitHub GET /repos/{owner}/{repo}/issues/{issue_number}/comments failed (github-404): Not Found',
    },
  ];
  it.each(cases)(
    'a $status from GitHub ($message) fails the step with one line naming the call',
    async ({ status, method, path, message, line }) => {
      // Arrange: a pull request adding a workstation; GitHub fails one call every time it is asked.
      const repo = makeGitRepo({ 'lab/labops.yaml': LAB_YAML.replace('PRUNE', 'false') });
      repos.push(repo);
      const base = repo.head();
      repo.branch('pr');
      const head = repo.commit({ 'lab/workstations/ws-a.yaml': workstationYaml('ws-a') }, 'ws-a', 'alice');
      fake = await startGitHubFake(EXAMPLE_REPO, {
        pulls: [
          {
            number: 2,
            title: 'Add ws-a',
            author: 'Codertocat',
            headSha: head,
            baseSha: base,
            baseRef: 'master',
            files: [],
            reviews: [{ user: 'alice', state: 'APPROVED', commit_id: head, submitted_at: '2026-09-01T10:00:00Z' }],
          },
        ],
      });
      fake.fail(method, path, status, message, 10);

      // Act
      const run = await runBundledAction({
        event: 'pull_request',
        payload: pullRequestPayload(head, base),
        workspace: repo.dir,
        repo: EXAMPLE_REPO,
        sha: head,
        ref: 'refs/pull/2/merge',
        githubUrl: fake.url,
        awsEnv: sim?.env() ?? {},
        env: { LABOPS_GITHUB_RETRY_BASE_MS: '1' },
      });

      // Assert
      expect(run.status, run.stdout).toBe(1);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(errors).toEqual([line]);
      expect(run.stdout).not.toMatch(/HttpError|RequestError|docs\.github\.com|internal error|\n\s+at /);
    },
  );
});
