/**
 * The Forge port on Octokit, with GitHub's own rate-limit etiquette: @octokit/plugin-throttling
 * waits out primary and secondary limits (403/429 with `retry-after`), @octokit/plugin-retry
 * retries server errors. Lists are read with pagination (100 per page). The token's own login is
 * learned once, from GraphQL `viewer` (which, unlike `GET /user`, answers installation tokens too).
 * What still fails is wrapped once, here, into a {@link ForgeError}: Octokit's errors never leave.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { redact } from '../record/redact.js';
import { ACTIONS_BOT_LOGIN, ForgeError } from './forge.js';
import type { Forge, IssueComment, IssueSummary, PullSummary, RepoId, Review } from './forge.js';

/** Options of {@link createOctokitForge}. */
export interface OctokitForgeOptions {
  token: string;
  /** REST API root (GITHUB_API_URL). @default "https://api.github.com" */
  baseUrl?: string;
  /** Milliseconds per second of `retry-after` (tests make waits tiny). @default 1000 */
  retryAfterBaseMs?: number;
  /** Retries of one request after a rate limit. @default 3 */
  rateLimitRetries?: number;
  /**
   * Space writes as GitHub asks (1 s apart, 3 s for ones that notify, shared by every client in
   * the process). Tests turn it off so a run of many comments takes milliseconds. @default true
   */
  spaceWrites?: boolean;
  /** Where the client's warnings go (a rate limit being waited out). @default nowhere */
  warn?: (message: string) => void;
  /**
   * The login the token writes as, when the workflow says (the Action's `comment-author` input).
   * @default asked of GitHub (GraphQL `viewer { login }`); `github-actions[bot]` when GitHub will not say
   */
  identity?: string;
}

const LabopsOctokit = Octokit.plugin(throttling, retry);

/** A limiter group that runs every job at once (the plugin only calls `key(id).schedule(options, job)`). */
const UNSPACED = {
  key: () => ({ schedule: (_options: unknown, job: () => Promise<unknown>) => job() }),
} as unknown as undefined;

/** Builds the Octokit client labops uses. */
export function createOctokit(options: OctokitForgeOptions): InstanceType<typeof LabopsOctokit> {
  const retries = options.rateLimitRetries ?? 3;
  const base = options.retryAfterBaseMs ?? 1000;
  const warn = options.warn ?? (() => undefined);
  return new LabopsOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'labops-action',
    log: { debug: () => undefined, info: () => undefined, warn, error: warn },
    throttle: {
      retryAfterBaseValue: base,
      ...(options.spaceWrites === false ? { write: UNSPACED, notifications: UNSPACED } : {}),
      onRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        warn(`GitHub rate limit on ${request.method} ${request.url}; retrying after ${retryAfter}s`);
        return retryCount < retries;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        warn(`GitHub secondary rate limit on ${request.method} ${request.url}; retrying after ${retryAfter}s`);
        return retryCount < retries;
      },
    },
    retry: { retryAfterBaseValue: base },
  });
}

/**
 * The token's login: GraphQL `viewer` answers user tokens (`alice`), App installation tokens
 * (`SLUG[bot]`) and the Actions token (`github-actions[bot]`); `GET /user` refuses the last two
 * (403 "Resource not accessible by integration"). When GitHub refuses or answers no login, the
 * Actions bot is assumed: at worst labops then misses its own comment and posts a new one, and it
 * never trusts a comment someone else wrote.
 */
async function viewerLogin(
  octokit: InstanceType<typeof LabopsOctokit>,
  warn: (message: string) => void,
): Promise<string> {
  try {
    const answer = await octokit.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
    if (answer.viewer?.login) return answer.viewer.login;
  } catch (err) {
    const status = (err as { status?: number }).status;
    // A server error or an unreachable GitHub is not an answer; a refusal (401/403/404, a GraphQL error) is.
    if (status === undefined ? !(err as { errors?: unknown }).errors : status >= 500) throw err;
  }
  warn(
    `GitHub did not say which login this token writes as; assuming ${ACTIONS_BOT_LOGIN} (set the comment-author input if it is another)`,
  );
  return ACTIONS_BOT_LOGIN;
}

/** What Octokit's errors carry (RequestError from @octokit/request-error: status 0 when no answer came). */
interface OctokitErrorShape {
  status?: unknown;
  message?: unknown;
}

/**
 * Any failure of one GitHub call as a {@link ForgeError}: `github-STATUS`, retryable for server
 * errors, 429 and rate limits (403 saying so), the message naming the call and GitHub's words
 * (its documentation link left out, credentials redacted).
 */
export function toForgeError(err: unknown, call: string): ForgeError {
  if (err instanceof ForgeError) return err;
  const shape: OctokitErrorShape = typeof err === 'object' && err !== null ? err : {};
  const status = typeof shape.status === 'number' && shape.status > 0 ? shape.status : undefined;
  const text = (typeof shape.message === 'string' ? shape.message : String(err))
    .split('\n')[0]
    ?.replace(/ - https?:\/\/\S+$/, '')
    .trim();
  const said = text || 'no message';
  const retryable =
    status === undefined || status >= 500 || status === 429 || (status === 403 && /rate limit/i.test(said));
  const code = status === undefined ? 'github-unreachable' : `github-${status}`;
  return new ForgeError({
    call,
    status,
    message: redact(`GitHub ${call} failed (${code}): ${said}`),
    retryable,
    cause: err,
  });
}

/** Runs one GitHub call and wraps its failure once. @throws {ForgeError} */
async function forgeCall<T>(call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toForgeError(err, call);
  }
}

/** The Forge port on an Octokit client. */
export function createOctokitForge(options: OctokitForgeOptions): Forge {
  const octokit = createOctokit(options);
  let identity: Promise<string> | undefined;
  return {
    identity() {
      identity ??= options.identity
        ? Promise.resolve(options.identity)
        : forgeCall('POST /graphql (viewer)', () => viewerLogin(octokit, options.warn ?? (() => undefined)));
      return identity;
    },
    listReviews: (repo, pull) =>
      forgeCall('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', async () => {
        const reviews = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
          ...repo,
          pull_number: pull,
          per_page: 100,
        });
        return reviews.map((r): Review => ({
          id: r.id,
          reviewer: r.user?.login ?? '',
          state: r.state,
          commitId: r.commit_id ?? '',
          ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
        }));
      }),
    pullsForCommit: (repo, sha) =>
      forgeCall('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', async () => {
        const pulls = await octokit.paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
          ...repo,
          commit_sha: sha,
          per_page: 100,
        });
        return pulls.map((p): PullSummary => ({
          number: p.number,
          title: p.title,
          author: p.user?.login ?? '',
          headSha: p.head.sha,
          baseSha: p.base.sha,
          baseRef: p.base.ref,
          ...(p.merged_at ? { mergedAt: p.merged_at } : {}),
          ...(p.merge_commit_sha ? { mergeCommitSha: p.merge_commit_sha } : {}),
        }));
      }),
    listComments: (repo: RepoId, issue: number) =>
      forgeCall('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
        const comments = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...repo,
          issue_number: issue,
          per_page: 100,
        });
        return comments.map((c): IssueComment => ({ id: c.id, body: c.body ?? '', author: c.user?.login ?? '' }));
      }),
    createComment: (repo, issue, body) =>
      forgeCall(
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        async () => (await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body })).data.id,
      ),
    updateComment: (repo, commentId, body) =>
      forgeCall('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', async () => {
        await octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
      }),
    issuesWithLabel: (repo, label) =>
      forgeCall('GET /repos/{owner}/{repo}/issues', async () => {
        const issues = await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
          ...repo,
          labels: label,
          state: 'all',
          per_page: 100,
        });
        return issues.map((i): IssueSummary => ({
          number: i.number,
          author: i.user?.login ?? '',
          title: i.title,
          body: i.body ?? '',
          state: i.state,
          // GitHub answers no pull_request (or null) for an issue.
          isPullRequest: Boolean(i.pull_request),
        }));
      }),
    createIssue: (repo, issue) =>
      forgeCall(
        'POST /repos/{owner}/{repo}/issues',
        async () => (await octokit.rest.issues.create({ ...repo, ...issue })).data.number,
      ),
    updateIssue: (repo, issue, change) =>
      forgeCall('PATCH /repos/{owner}/{repo}/issues/{issue_number}', async () => {
        await octokit.rest.issues.update({ ...repo, issue_number: issue, ...change });
      }),
    labelsOn: (repo, issue) =>
      forgeCall('GET /repos/{owner}/{repo}/issues/{issue_number}/labels', async () => {
        const labels = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/labels', {
          ...repo,
          issue_number: issue,
          per_page: 100,
        });
        return labels.map((l) => l.name);
      }),
    ensureLabel: (repo, label) =>
      forgeCall('POST /repos/{owner}/{repo}/labels', async () => {
        try {
          await octokit.rest.issues.getLabel({ ...repo, name: label.name });
          return;
        } catch (err) {
          if ((err as { status?: number }).status !== 404) throw err;
        }
        try {
          await octokit.rest.issues.createLabel({ ...repo, ...label });
        } catch (err) {
          // Another run created it in between: GitHub answers 422 `already_exists`.
          const errors = (err as { status?: number; response?: { data?: { errors?: { code?: string }[] } } }).response
            ?.data?.errors;
          if ((err as { status?: number }).status !== 422 || !errors?.some((e) => e.code === 'already_exists'))
            throw err;
        }
      }),
    addLabels: (repo, issue, labels) =>
      forgeCall('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', async () => {
        await octokit.rest.issues.addLabels({ ...repo, issue_number: issue, labels });
      }),
    removeLabel: (repo, issue, name) =>
      forgeCall('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', async () => {
        try {
          await octokit.rest.issues.removeLabel({ ...repo, issue_number: issue, name });
        } catch (err) {
          // Already gone (someone removed it by hand): nothing left to do.
          if ((err as { status?: number }).status !== 404) throw err;
        }
      }),
  };
}
