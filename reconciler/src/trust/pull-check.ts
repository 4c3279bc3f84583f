/**
 * The approval picture of one pull request, from git objects: the loaded specs at its base commit
 * (with held files at their last approved version) against the specs at the commit checked out
 * for it. The pull request's file list, file names and the working tree play no part.
 */
import type { ActiveHold } from '../record/holds.js';
import { checkApprovals, diffSpecSets, missingApprovals, touchedKeys } from './approvals.js';
import type { ApprovalCheck, ChangedSpec } from './approvals.js';
import { adminsOf, approvedStart, treeOf } from './gate.js';
import type { GitObjects } from './git-objects.js';
import { claims, loadSpecSet } from './spec-set.js';

/** What to check. */
export interface PullCheckInput {
  git: GitObjects;
  /** The lab folder relative to the repository's top. */
  prefix: string;
  /** The pull request's base commit. */
  base: string;
  /** The commit checked out for it (its head, or the test merge). */
  head: string;
  /** Active holds from the run record (verified against git before they count). */
  holds: readonly ActiveHold[];
  author: string;
  /** Reviewers whose latest review approves the pull request's head. */
  approvers: string[];
}

/** The approval picture. */
export interface PullCheck {
  changes: ChangedSpec[];
  checks: ApprovalCheck[];
  missing: string[];
  admins: string[];
  approvers: string[];
  /** Where each name is declared at the base, for validation (`Kind/name` → file). */
  claims: Map<string, string>;
  /** Record entries that could not be verified in git. */
  ignored: string[];
}

/** Checks a pull request. Throws only for git failures. */
export function checkPull(input: PullCheckInput): PullCheck {
  const { git, prefix, base, head } = input;
  git.ensure([base, head]);
  const start = approvedStart(git, prefix, head, base, input.holds);
  const approved = loadSpecSet(treeOf(git, start.entries, base));
  const before = loadSpecSet(git.labTree(base, prefix));
  const after = loadSpecSet(git.labTree(head, prefix));
  const changes = diffSpecSets(approved, after, touchedKeys(before, after));
  const admins = adminsOf(approved, after);
  const checks = checkApprovals(changes, { author: input.author, approvers: input.approvers, admins });
  return {
    changes,
    checks,
    missing: missingApprovals(checks, admins),
    admins,
    approvers: input.approvers,
    claims: claims(approved),
    ignored: start.ignored,
  };
}
