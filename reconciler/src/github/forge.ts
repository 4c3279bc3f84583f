/**
 * The port to GitHub: exactly the calls labops makes, in labops' own vocabulary. The Octokit
 * adapter (octokit-forge.ts) is the only implementation; reports and rules never see Octokit,
 * nor its errors: every failure is a {@link ForgeError}.
 */
import { LabopsError } from '../errors.js';

/** A failed GitHub call, wrapped once at the adapter: the HTTP status, the call, GitHub's message. */
export class ForgeError extends LabopsError {
  override readonly name = 'ForgeError';
  /** The call, e.g. `POST /repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  readonly call: string;
  /** GitHub's HTTP status; undefined when GitHub was not reached. */
  readonly status?: number;

  /** `code` is `github-STATUS` (`github-unreachable` when no answer came); retryable for 5xx, 429 and rate limits. */
  constructor(init: { call: string; status?: number; message: string; retryable: boolean; cause?: unknown }) {
    super(init.status === undefined ? 'github-unreachable' : `github-${init.status}`, init.message, {
      retryable: init.retryable,
      cause: init.cause,
    });
    this.call = init.call;
    this.status = init.status;
  }
}

/** `owner/name`, split. */
export interface RepoId {
  owner: string;
  repo: string;
}

/** Splits `owner/name`. */
export function repoId(fullName: string): RepoId {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}

/** A pull request review (pulls.listReviews). */
export interface Review {
  id: number;
  reviewer: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  /** The head commit the review was made on. */
  commitId: string;
  submittedAt?: string;
}

/** A pull request found for a commit (repos.listPullRequestsAssociatedWithCommit). */
export interface PullSummary {
  number: number;
  title: string;
  author: string;
  headSha: string;
  baseSha: string;
  baseRef: string;
  mergedAt?: string;
  mergeCommitSha?: string;
}

/** An issue or pull request comment. */
export interface IssueComment {
  id: number;
  body: string;
  /** Login of who wrote it (`github-actions[bot]` for the Actions token, `SLUG[bot]` for an App, a user's login). */
  author: string;
}

/** An issue. */
export interface IssueSummary {
  number: number;
  /** Login of who opened it. */
  author: string;
  title: string;
  body: string;
  state: string;
  isPullRequest: boolean;
}

/** The login the Actions GITHUB_TOKEN writes as: what an installation token of the Actions app is. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/** What labops asks of GitHub. Every method throws a {@link ForgeError} on failure. */
export interface Forge {
  /**
   * The login this token writes comments and issues as. labops trusts only what that login wrote:
   * a marker in anyone else's comment (another bot's, a person's) is neither edited nor read.
   */
  identity(): Promise<string>;
  listReviews(repo: RepoId, pull: number): Promise<Review[]>;
  pullsForCommit(repo: RepoId, sha: string): Promise<PullSummary[]>;
  listComments(repo: RepoId, issue: number): Promise<IssueComment[]>;
  createComment(repo: RepoId, issue: number, body: string): Promise<number>;
  updateComment(repo: RepoId, commentId: number, body: string): Promise<void>;
  /** Issues (open or closed) carrying a label. */
  issuesWithLabel(repo: RepoId, label: string): Promise<IssueSummary[]>;
  createIssue(repo: RepoId, issue: { title: string; body: string; labels: string[] }): Promise<number>;
  updateIssue(repo: RepoId, issue: number, change: { body: string; state?: 'open' | 'closed' }): Promise<void>;
  /** Names of the labels on an issue or pull request. */
  labelsOn(repo: RepoId, issue: number): Promise<string[]>;
  /** Creates a repository label unless one of that name exists. */
  ensureLabel(repo: RepoId, label: { name: string; color: string; description: string }): Promise<void>;
  addLabels(repo: RepoId, issue: number, labels: string[]): Promise<void>;
  /** Removes a label from an issue or pull request (the label itself stays in the repository). */
  removeLabel(repo: RepoId, issue: number, name: string): Promise<void>;
}
