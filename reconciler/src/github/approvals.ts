/**
 * Reviews on a pull request, reduced to who approves its current head. The rules that decide
 * whose approval a change needs live in trust/approvals.ts; this is the GitHub side of them.
 */
import type { Review } from './forge.js';

/** Reviewers whose latest deciding review (approve, request changes, dismissed) is an approval of `headSha`. */
export function currentApprovers(reviews: readonly Review[], headSha: string): string[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (!r.reviewer || !['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state)) continue;
    const seen = latest.get(r.reviewer);
    if (
      !seen ||
      (r.submittedAt ?? '') > (seen.submittedAt ?? '') ||
      ((r.submittedAt ?? '') === (seen.submittedAt ?? '') && r.id > seen.id)
    )
      latest.set(r.reviewer, r);
  }
  return [...latest.values()]
    .filter((r) => r.state === 'APPROVED' && r.commitId === headSha)
    .map((r) => r.reviewer.toLowerCase())
    .sort();
}
