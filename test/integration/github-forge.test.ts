/** The Octokit adapter against the GitHub fake: sticky comment, pagination, secondary rate limit, the status issue. */
import { afterEach, describe, expect, it } from 'vitest';
import { upsertSticky } from '../../reconciler/src/github/comment.js';
import { ForgeError, repoId } from '../../reconciler/src/github/forge.js';
import { createOctokitForge } from '../../reconciler/src/github/octokit-forge.js';
import { STATUS_LABEL, updateStatusIssue } from '../../reconciler/src/github/status-issue.js';
import type { BudgetStatus } from '../../reconciler/src/model/budget.js';
import type { BudgetReport } from '../../reconciler/src/kinds/budget/decide.js';
import { startGitHubFake } from '../support/github-fake.js';
import type { GitHubFake } from '../support/github-fake.js';

const REPO = 'lab-org/hartley-lab';
let fake: GitHubFake | undefined;
afterEach(async () => fake?.close());

function forge(warnings: string[] = []) {
  return createOctokitForge({
    token: 't',
    baseUrl: fake!.url,
    retryAfterBaseMs: 1,
    spaceWrites: false,
    warn: (m) => warnings.push(m),
  });
}

const marker = (validAt: string) => ({ kind: 'plan' as const, repo: REPO, path: 'lab', validAt });

describe('sticky comment', () => {
  it('is created once, then edited only when the body changed', async () => {
    fake = await startGitHubFake(REPO);
    const f = forge();

    const first = await upsertSticky(f, repoId(REPO), 7, marker('2026-09-01T08:00:00Z'), 'plan A');
    const same = await upsertSticky(f, repoId(REPO), 7, marker('2026-09-01T08:00:00Z'), 'plan A');
    const edited = await upsertSticky(f, repoId(REPO), 7, marker('2026-09-01T09:00:00Z'), 'plan B');

    expect([first.action, same.action, edited.action]).toEqual(['created', 'unchanged', 'updated']);
    expect(fake.state.comments).toHaveLength(1);
    expect(fake.state.comments[0]!.body).toMatch(
      /^<!-- labops:plan repo=lab-org\/hartley-lab path=lab valid-at=2026-09-01T09:00:00Z -->\nplan B$/,
    );
    expect(fake.calls('PATCH', /comments/)).toHaveLength(1);
  });

  it('never lets an older run overwrite a newer one, and ignores markers planted by people', async () => {
    fake = await startGitHubFake(REPO);
    fake.state.comments.push({
      id: 1,
      issue: 7,
      body: '<!-- labops:plan repo=lab-org/hartley-lab path=lab valid-at=2099-01-01T00:00:00Z -->\nfake',
      userType: 'User',
      user: 'mallory',
    });
    const f = forge();
    await upsertSticky(f, repoId(REPO), 7, marker('2026-09-01T09:00:00Z'), 'newer');

    const stale = await upsertSticky(f, repoId(REPO), 7, marker('2026-09-01T08:00:00Z'), 'older');

    expect(stale).toEqual({ action: 'stale', id: expect.any(Number), newerValidAt: '2026-09-01T09:00:00Z' });
    expect(fake.state.comments.filter((c) => c.userType === 'Bot').map((c) => c.body.split('\n')[1])).toEqual([
      'newer',
    ]);
  });

  it('finds its comment on the third page of a long conversation', async () => {
    fake = await startGitHubFake(REPO);
    for (let i = 0; i < 230; i++)
      fake.state.comments.push({ id: i + 1, issue: 7, body: `chat ${i}`, userType: 'User', user: 'u' });
    fake.state.comments.push({
      id: 999,
      issue: 7,
      body: '<!-- labops:plan repo=lab-org/hartley-lab path=lab valid-at=2026-09-01T08:00:00Z -->\nold',
      userType: 'Bot',
      user: 'github-actions[bot]',
    });

    const out = await upsertSticky(forge(), repoId(REPO), 7, marker('2026-09-01T09:00:00Z'), 'new');

    expect(out).toEqual({ action: 'updated', id: 999 });
    expect(fake.calls('GET', /issues\/7\/comments/).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  });

  it('waits out a secondary rate limit (403 + retry-after) and succeeds', async () => {
    fake = await startGitHubFake(REPO);
    fake.rateLimit('POST', /issues\/7\/comments$/, 2);
    const warnings: string[] = [];

    const out = await upsertSticky(forge(warnings), repoId(REPO), 7, marker('2026-09-01T08:00:00Z'), 'plan');

    expect(out.action).toBe('created');
    expect(fake.calls('POST', /issues\/7\/comments$/).map((r) => r.status)).toEqual([403, 201]);
    expect(warnings.join('\n')).toMatch(/secondary rate limit .* retrying after 2s/);
  });
});

describe('status issue', () => {
  function budgets(newAlerts: BudgetStatus['newAlerts']): BudgetReport {
    const status = {
      budget: {
        name: 'r01',
        project: 'neuro',
        limitUSD: 6000,
        notify: ['@pi', '@lab-org/admins', '@everyone</details>'],
      },
      window: { start: '2026-08-24', end: '2026-12-18', key: 'k' },
      known: true,
      spentUSD: 5500,
      spentPercent: 91.7,
      forecastUSD: 5900,
      forecastPercent: 98,
      spend: { actualUSD: 5500, estimatedSinceUSD: 0 },
      newAlerts,
      actionsInForce: [],
    } as unknown as BudgetStatus;
    return {
      statuses: [status],
      overrides: [],
      costExplorer: { callsThisRun: 0, callsInAll: 1, fromCache: true },
      projects: [],
      impacts: [{ budget: 'r01', monthlyDeltaUSD: 0, forecastBeforeUSD: 5900, forecastAfterUSD: 5900, limitUSD: 6000 }],
    } as unknown as BudgetReport;
  }
  const alert = { budget: 'r01', period: 'k', percent: 90, basis: 'actual' as const, at: '2026-11-01T00:00:00Z' };
  const input = (b: BudgetReport) => ({
    repo: REPO,
    path: 'lab',
    at: '2026-11-01T00:00:00Z',
    what: 'reconcile (schedule)',
    runUrl: 'https://github.com/x/actions/runs/1',
    budgets: b,
  });

  it('is created once with the label, edited in place, and mentions notify handles once per new alert', async () => {
    fake = await startGitHubFake(REPO);
    const f = forge();

    const first = await updateStatusIssue(f, repoId(REPO), input(budgets([alert])));
    const second = await updateStatusIssue(f, repoId(REPO), input(budgets([])));

    expect(second).toBe(first);
    expect(fake.state.issues).toEqual([
      expect.objectContaining({ number: first, title: 'labops status', labels: [STATUS_LABEL], state: 'closed' }),
    ]);
    const comments = fake.state.comments.filter((c) => c.issue === first);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(
      'reached 90% of $6,000 (actual) @pi @lab-org/admins @\u200deveryone\\</details\\>',
    );
    expect(fake.state.issues[0]!.body).not.toMatch(/(^|[^\u200b\u200d])@pi/);
  });
});

describe('GitHub failures', () => {
  // plugin-retry retries a 5xx three times: the fake fails every attempt.
  const cases = [
    {
      status: 500,
      message: 'Internal Server Error',
      method: 'POST',
      path: /\/issues\/7\/comments$/,
      call: (f: ReturnType<typeof forge>) => f.createComment(repoId(REPO), 7, 'hi'),
      expected:
        'GitHub POST /repos/{owner}/{repo}/issues/{issue_number}/comments failed (github-500): Internal Server Error',
      retryable: true,
    },
    {
      status: 403,
      message: 'Resource not accessible by integration',
      method: 'GET',
      path: /\/pulls\/7\/reviews$/,
      call: (f: ReturnType<typeof forge>) => f.listReviews(repoId(REPO), 7),
      expected:
        'GitHub GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews failed (github-403): Resource not accessible by integration',
      retryable: false,
    },
    {
      status: 404,
      message: 'Not Found',
      method: 'PATCH',
      path: /\/issues\/comments\/99$/,
      call: (f: ReturnType<typeof forge>) => f.updateComment(repoId(REPO), 99, 'x'),
      expected: 'GitHub PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} failed (github-404): Not Found',
      retryable: false,
    },
  ];
  it.each(cases)(
    'a $status on $method is a ForgeError: code github-$status, one line naming the call',
    async ({ status, message, method, path, call, expected, retryable }) => {
      // Arrange
      fake = await startGitHubFake(REPO);
      fake.fail(method, path, status, message, 10);

      // Act
      const error: unknown = await call(forge()).catch((err: unknown) => err);

      // Assert
      expect(error).toBeInstanceOf(ForgeError);
      expect(error).toMatchObject({ code: `github-${status}`, status, retryable, message: expected });
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain('docs.github.com');
    },
  );

  it('an unreachable GitHub is a retryable ForgeError (Octokit reports a network failure as status 500)', async () => {
    // Arrange: a port nothing listens on.
    fake = await startGitHubFake(REPO);
    const url = fake.url;
    await fake.close();
    fake = undefined;
    const f = createOctokitForge({ token: 't', baseUrl: url, retryAfterBaseMs: 1, spaceWrites: false });

    // Act
    const error: unknown = await f.listComments(repoId(REPO), 7).catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(ForgeError);
    expect(error).toMatchObject({ code: 'github-500', retryable: true });
    expect((error as Error).message).toMatch(
      /^GitHub GET \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments failed \(github-500\): [^\n]+$/,
    );
  });
});
