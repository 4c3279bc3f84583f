/**
 * Who vouches for a commit on the default branch: the merged pull request that brought it — its
 * author and the reviewers whose latest review approves its head. A commit no merged pull request
 * brought (a direct push) has no vouchers: nothing it changes is approved.
 */
import { currentApprovers } from './approvals.js';
import { repoId } from './forge.js';
import type { Forge } from './forge.js';
import type { CommitVouchers } from '../trust/gate.js';

/** Looks up a commit's vouchers through GitHub (pull requests associated with a commit, then its reviews). */
export function commitVouchers(
  forge: Forge,
  repository: string,
  defaultBranch?: string,
): (commit: string) => Promise<CommitVouchers | undefined> {
  const repo = repoId(repository);
  return async (commit) => {
    const pulls = (await forge.pullsForCommit(repo, commit)).filter(
      (p) => p.mergedAt !== undefined && (defaultBranch === undefined || p.baseRef === defaultBranch),
    );
    const pull = pulls.find((p) => p.mergeCommitSha === commit) ?? pulls[0];
    if (!pull) return undefined;
    return {
      author: pull.author,
      approvers: currentApprovers(await forge.listReviews(repo, pull.number), pull.headSha),
      pull: pull.number,
    };
  };
}
