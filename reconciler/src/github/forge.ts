/**
 * The port to GitHub: exactly the calls labops makes, in labops' own vocabulary. The Octokit
 * adapter (octokit-forge.ts) is the only implementation; reports and rules never see Octokit.
 */

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

/** What labops asks of GitHub. Every method throws the client's error on failure. */
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
}
