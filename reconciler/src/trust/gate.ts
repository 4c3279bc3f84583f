/**
 * Fail closed (issue 13): before a run changes AWS, every change between the last commit a gated
 * run applied and the head is checked, commit by commit along the default branch's first-parent
 * history, against the approvals of the merged pull request that brought it. A change without the
 * approval it needs is held: its files stay at their last approved version (a git blob), so a
 * merge with `[skip ci]`, a failed or skipped push run, or a change picked up by the container is
 * never applied unapproved. The result is the tree to apply — the head with held files at their
 * approved blobs — read from git objects, not the working tree.
 */
import type { ActiveHold, HoldChanges } from '../record/holds.js';
import { gitTree } from '../specs/lab-tree.js';
import type { LabTree } from '../specs/lab-tree.js';
import { checkApprovals, diffSpecSets, missingApprovals, touchedKeys } from './approvals.js';
import type { ApprovalCheck } from './approvals.js';
import { EMPTY } from './git-objects.js';
import type { GitObjects } from './git-objects.js';
import { LAB_KEY, claims, loadSpecSet } from './spec-set.js';
import type { SpecSet } from './spec-set.js';
import { LabopsError } from '../errors.js';

/** Who vouches for one commit: its merged pull request's author and approvers on its head. */
export interface CommitVouchers {
  author: string;
  approvers: string[];
  /** The pull request, for messages. */
  pull?: number;
}

/** Most lab-changing commits checked in one run when no applied commit is recorded. */
export const MAX_UNRECORDED_CHANGES = 500;

/** What the gate needs. */
export interface GateInput {
  git: GitObjects;
  /** The lab folder relative to the repository's top ('' for the top). */
  prefix: string;
  /** The commit to apply. */
  head: string;
  /** The last commit a gated run applied (from the run record); used only when it is an ancestor of `head`. */
  applied?: string;
  /** A push's `before`: the base when none is recorded or it is older than the recorded one (a re-run checks its range again); used only when it is an ancestor of `head`. */
  fallback?: string;
  /** Active holds from the run record; each is verified against git before it counts. */
  holds: readonly ActiveHold[];
  /** The vouchers of a commit; undefined when no merged pull request brought it (nothing is approved). */
  vouchers(commit: string): Promise<CommitVouchers | undefined>;
}

/** What the gate decided. */
export interface GateResult {
  /** The commit the check started from (`empty` before the lab's first commit). */
  base: string;
  /** Lab-changing commits checked, oldest first. */
  commits: string[];
  /** The tree to apply: the head, held files at their last approved version. */
  tree: LabTree;
  /** Every approval checked, with the commit it was checked for. */
  checks: (ApprovalCheck & { commit: string })[];
  /** One sentence per change still held at the head. */
  missing: string[];
  /** The sentences of holds made by the commits this run checked (what this run refused). */
  refused: string[];
  /** Holds to record: files held at the head, and files released. */
  holdChanges: HoldChanges;
  /** Record entries that were ignored (not verifiable in git), one sentence each. */
  ignored: string[];
  /** The admins of the approved Lab at the head. */
  admins: string[];
  /** Where each name was declared at the base (`Kind/name` → file), for validation. */
  claims: Map<string, string>;
  /** For each key whose change the gate accepted: the people who vouched for it (lower-case; the latest accepted change). */
  approvedBy: Map<string, string[]>;
}

interface Held {
  /** The commit whose version of the file is the approved one. */
  commit: string;
  /** The commit that last brought an unapproved change. */
  sha: string;
  since?: string;
  reasons: string[];
}

/** Tree entries by path relative to the lab folder. */
export type Entries = Map<string, { mode: string; id: string }>;

/** Runs the check. Throws only for git failures (a missing commit that cannot be fetched). */
export async function gate(input: GateInput): Promise<GateResult> {
  const { git, prefix, head } = input;
  const ignored: string[] = [];
  const usable = (sha: string | undefined): sha is string =>
    sha !== undefined && /^[0-9a-f]{40}$/.test(sha) && git.isAncestor(sha, head);
  // A branch's creation or a force-push names no usable `before` (all zeros, or a commit no longer in the history).
  git.ensure([
    head,
    ...[input.applied, input.fallback].filter((s): s is string => !!s && /^[0-9a-f]{40}$/.test(s) && !/^0+$/.test(s)),
  ]);
  /** The run record's last applied commit, when it is in the history of `head`. */
  const recorded = usable(input.applied) ? input.applied : undefined;
  if (input.applied && !recorded)
    ignored.push(
      `the run record's last applied commit ${input.applied.slice(0, 12)} is not in the history of ${head.slice(0, 12)}: ignored`,
    );
  // A push's own range is checked again when a re-run asks for it (approvals given after the merge count then).
  const fallback =
    usable(input.fallback) && (!recorded || git.isAncestor(input.fallback, recorded)) ? input.fallback : undefined;
  const base = fallback ?? recorded ?? labStart(git, prefix, head);
  const chain = base === EMPTY ? git.firstParentChain(undefined, head) : git.firstParentChain(base, head);
  const start = approvedStart(git, prefix, head, base, input.holds);
  ignored.push(...start.ignored);
  let approved: Entries = start.entries;
  const origin = new Map<string, string>();
  const held = new Map<string, Held>();
  for (const hold of start.holds) {
    origin.set(hold.file, hold.commit);
    held.set(hold.file, { commit: hold.commit, sha: hold.sha, since: hold.since, reasons: hold.reasons });
  }
  const claimsAtBase = claims(loadSpecSet(treeOf(git, approved, base)));
  const checks: GateResult['checks'] = [];
  const approvedBy = new Map<string, string[]>();
  const refusedNow: string[] = [];
  const commits: string[] = [];
  let previous = base;
  let previousSet: SpecSet | undefined;
  for (const commit of chain) {
    if (git.treeId(previous, prefix) === git.treeId(commit, prefix)) {
      previous = commit;
      continue;
    }
    if (!recorded && commits.length >= MAX_UNRECORDED_CHANGES)
      throw new GateRefusal(
        `no run record says which commit was last applied, and the lab changed in more than ${MAX_UNRECORDED_CHANGES} commits since it began: keep a run record, or apply once with --trust-main`,
      );
    commits.push(commit);
    const entries = git.entries(commit, prefix);
    const before = previousSet ?? loadSpecSet(git.labTree(previous, prefix));
    const after = loadSpecSet(git.labTree(commit, prefix));
    const approvedSet = loadSpecSet(treeOf(git, approved, commit));
    const touched = touchedKeys(before, after);
    const changes = diffSpecSets(approvedSet, after, touched);
    const admins = adminsOf(approvedSet, after);
    const who = changes.length ? await input.vouchers(commit) : undefined;
    const results = checkApprovals(changes, { author: who?.author ?? '', approvers: who?.approvers ?? [], admins });
    checks.push(...results.map((r) => ({ ...r, commit })));
    const people = [who?.author ?? '', ...(who?.approvers ?? [])].filter(Boolean).map((p) => p.toLowerCase());
    for (const r of results)
      if (r.ok) approvedBy.set(r.spec.kind === 'Lab' ? LAB_KEY : `${r.spec.kind}/${r.spec.name}`, people);
    const failing = results.filter((r) => !r.ok);
    const sentences = missingApprovals(failing, admins).map((m) =>
      who?.pull ? `${m} (pull request #${who.pull})` : `${m} (no approving pull request)`,
    );
    const reasonsByFile = new Map<string, string[]>();
    for (const [i, check] of failing.entries()) {
      const sentence = sentences[i];
      if (sentence === undefined) continue;
      for (const file of check.spec.files) reasonsByFile.set(file, [...(reasonsByFile.get(file) ?? []), sentence]);
    }
    // A file that became unreadable keeps its last valid version, approved or not: its
    // workstations keep their schedules and budget actions instead of falling out of labops' hands.
    const previousEntries = git.entries(previous, prefix);
    for (const file of after.unreadable.keys()) {
      if (
        approvedSet.unreadable.has(file) ||
        !approved.has(file) ||
        entries.get(file)?.id === previousEntries.get(file)?.id
      )
        continue;
      reasonsByFile.set(file, [
        ...(reasonsByFile.get(file) ?? []),
        `${file} cannot be read at ${commit.slice(0, 12)}: its last valid version is used until it is fixed`,
      ]);
    }
    const accepted = new Set(results.filter((r) => r.ok).flatMap((r) => r.spec.files));
    const next: Entries = new Map(entries);
    for (const file of new Set([...held.keys(), ...reasonsByFile.keys()])) {
      const refused = reasonsByFile.get(file);
      const reverted = !refused && entries.get(file)?.id === approved.get(file)?.id;
      if ((!refused && accepted.has(file)) || reverted) {
        held.delete(file);
        origin.delete(file);
        continue;
      }
      const keep = approved.get(file);
      if (keep) next.set(file, keep);
      else next.delete(file);
      const from = origin.get(file) ?? previous;
      origin.set(file, from);
      const known = held.get(file);
      if (refused)
        held.set(file, {
          commit: from,
          sha: commit,
          ...(known?.since ? { since: known.since } : {}),
          reasons: refused,
        });
      if (refused) refusedNow.push(...refused);
    }
    approved = next;
    previous = commit;
    previousSet = after;
  }
  const headEntries = git.entries(head, prefix);
  for (const [file] of held) if (headEntries.get(file)?.id === approved.get(file)?.id) held.delete(file);
  const finalSet = loadSpecSet(treeOf(git, approved, head));
  const admins = finalSet.admins ?? [];
  const hold = [...held].map(([file, h]) => ({
    file,
    commit: h.commit,
    blob: approved.get(file)?.id ?? null,
    sha: h.sha,
    reasons: h.reasons,
  }));
  const release = input.holds.map((h) => h.file).filter((file) => !held.has(file));
  return {
    base,
    commits,
    tree: treeOf(git, approved, head),
    checks,
    missing: unique([...held].flatMap(([, h]) => h.reasons)),
    refused: unique(refusedNow.filter((r) => [...held.values()].some((h) => h.reasons.includes(r)))),
    holdChanges: { hold, release, releasedBy: `approved or reverted by ${head.slice(0, 12)}` },
    ignored,
    admins,
    claims: claimsAtBase,
    approvedBy,
  };
}

/** The Lab admins that decide a change: the approved base's; the new Lab's only when the base has no Lab at all (a lab's first commit). */
export function adminsOf(approved: SpecSet, after: SpecSet): string[] {
  const hasLab = approved.specs.has(LAB_KEY) || [...approved.unreadable.values()].some((u) => u.keys.includes(LAB_KEY));
  return hasLab ? (approved.admins ?? []) : (after.admins ?? []);
}

/** The approved files at `base`: its entries, with each verified hold's approved version in place. */
export function approvedStart(
  git: GitObjects,
  prefix: string,
  head: string,
  base: string,
  holds: readonly ActiveHold[],
): { entries: Entries; holds: ActiveHold[]; ignored: string[] } {
  const entries = git.entries(base, prefix);
  const kept: ActiveHold[] = [];
  const ignored: string[] = [];
  for (const hold of holds) {
    const problem = verifyHold(git, prefix, head, hold);
    if (problem) {
      ignored.push(`the run record's hold on ${hold.file} is ignored: ${problem}`);
      continue;
    }
    const entry = hold.blob === null ? undefined : git.entries(hold.commit, prefix).get(hold.file);
    if (entry) entries.set(hold.file, entry);
    else entries.delete(hold.file);
    kept.push(hold);
  }
  return { entries, holds: kept, ignored };
}

function unique(list: readonly string[]): string[] {
  return list.filter((item, i) => list.indexOf(item) === i);
}

/** Thrown when the gate cannot decide safely; nothing is applied. */
export class GateRefusal extends LabopsError {
  override readonly name = 'GateRefusal';
  constructor(message: string) {
    super('gate-refused', message);
  }
}

/** A tree of approved entries, read through git. */
export function treeOf(git: GitObjects, entries: Entries, label: string): LabTree {
  git.readBlobs(
    [...entries].filter(([path, e]) => e.mode.startsWith('100') && /\.ya?ml$/i.test(path)).map(([, e]) => e.id),
  );
  return gitTree({ where: `${label.slice(0, 12)} (approved)`, entries, blob: (id) => git.blob(id) });
}

/** Why a recorded hold cannot be trusted, or undefined when git confirms it. */
function verifyHold(git: GitObjects, prefix: string, head: string, hold: ActiveHold): string | undefined {
  if (hold.file.startsWith('/') || hold.file.split('/').includes('..')) return 'its path leaves the lab folder';
  if (!/^[0-9a-f]{40}$/.test(hold.commit) || !git.isAncestor(hold.commit, head))
    return `commit ${hold.commit.slice(0, 12)} is not in the history of ${head.slice(0, 12)}`;
  const entry = git.entries(hold.commit, prefix).get(hold.file);
  if ((entry?.id ?? null) !== hold.blob)
    return `${hold.blob ?? 'no file'} is not what ${hold.file} holds at ${hold.commit.slice(0, 12)}`;
  return undefined;
}

/**
 * Where to start when no applied commit is known: the first commit on the first-parent chain that
 * holds the lab's Lab file (what the lab was created with is trusted as its first approved state).
 */
function labStart(git: GitObjects, prefix: string, head: string): string {
  const labFiles = ['labops.yaml', 'labops.yml'].map((name) => (prefix ? `${prefix}/${name}` : name));
  return git.firstParentChain(undefined, head, labFiles)[0] ?? EMPTY;
}
