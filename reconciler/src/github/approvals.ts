/**
 * Who may change what (specs.md): a change to a Workstation or Job needs its owner — both the old
 * and the new owner when `metadata.owner` changes — or a Lab admin; a Budget, labops.yaml or any
 * other labops kind needs an admin. "Vouching" people are the pull request's author and every
 * reviewer whose latest review approves the current head commit. The rules here are pure;
 * `gatherChanges` reads both sides of each changed file.
 */
import { loadText } from '../specs/load.js';
import { isRecord } from '../specs/load.js';
import type { Review } from './forge.js';

/** One labops document a change touches. */
export interface ChangedSpec {
  /** Path relative to the lab folder (as validation reports it). */
  file: string;
  kind: string;
  name: string;
  change: 'added' | 'modified' | 'removed';
  /** Owners before and after (deduplicated, lower-case); empty for kinds without an owner. */
  owners: string[];
}

/** Whose approval a change needs, and whether it has it. */
export interface ApprovalCheck {
  spec: ChangedSpec;
  needs: 'owner-or-admin' | 'admin';
  ok: boolean;
  /** Who satisfied it (when ok). */
  by?: string;
}

/** The people whose word counts for a pull request. */
export interface Vouchers {
  author: string;
  /** Reviewers whose latest review approves the current head. */
  approvers: string[];
  /** Lab admins, from the base branch's labops.yaml. */
  admins: string[];
}

const OWNED_KINDS = new Set(['Workstation', 'Job']);

/** Reviewers whose latest deciding review (approve, request changes, dismissed) is an approval of `headSha`. */
export function currentApprovers(reviews: readonly Review[], headSha: string): string[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (!r.reviewer || !['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state)) continue;
    const seen = latest.get(r.reviewer);
    if (!seen || (r.submittedAt ?? '') > (seen.submittedAt ?? '') || ((r.submittedAt ?? '') === (seen.submittedAt ?? '') && r.id > seen.id)) latest.set(r.reviewer, r);
  }
  return [...latest.values()].filter((r) => r.state === 'APPROVED' && r.commitId === headSha).map((r) => r.reviewer.toLowerCase()).sort();
}

/** Checks every changed spec against the people vouching for the change. */
export function checkApprovals(changes: readonly ChangedSpec[], who: Vouchers): ApprovalCheck[] {
  const admins = new Set(who.admins.map((a) => a.toLowerCase()));
  const vouching = [who.author.toLowerCase(), ...who.approvers.map((a) => a.toLowerCase())];
  const admin = vouching.find((v) => admins.has(v));
  return changes.map((spec) => {
    if (admin) return { spec, needs: OWNED_KINDS.has(spec.kind) ? 'owner-or-admin' : 'admin', ok: true, by: `${admin} (admin)` };
    if (!OWNED_KINDS.has(spec.kind) || !spec.owners.length) return { spec, needs: 'admin', ok: false };
    const ok = spec.owners.every((o) => vouching.includes(o));
    return { spec, needs: 'owner-or-admin', ok, ...(ok ? { by: spec.owners.join(', ') } : {}) };
  });
}

/** A sentence per missing approval: `budgets/r01.yaml (Budget r01) needs an approval from a Lab admin (phartley)`. */
export function missingApprovals(checks: readonly ApprovalCheck[], admins: readonly string[]): string[] {
  const adminList = admins.length ? ` (${admins.join(', ')})` : ' (labops.yaml names none)';
  return checks
    .filter((c) => !c.ok)
    .map((c) => {
      const what = `${c.spec.file} (${c.spec.kind} ${c.spec.name})`;
      if (c.needs === 'admin') return `${what} needs an approval from a Lab admin${adminList}`;
      return `${what} needs ${c.spec.owners.length > 1 ? `its owners ${c.spec.owners.join(' and ')}` : `its owner ${c.spec.owners[0]}`} or a Lab admin${adminList}`;
    });
}

interface SpecDoc {
  kind: string;
  name: string;
  owner?: string;
  value: string;
}

/** labops documents of a YAML text (`apiVersion: labops/...`); others and unparsable ones are skipped. */
export function labopsDocuments(text: string | undefined, file: string): SpecDoc[] | undefined {
  if (text === undefined) return [];
  const loaded = loadText(text, file);
  const out: SpecDoc[] = [];
  for (const doc of loaded.documents) {
    const v = doc.value;
    if (!isRecord(v) || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('labops/')) continue;
    const metadata = isRecord(v.metadata) ? v.metadata : {};
    out.push({ kind: String(v.kind ?? 'unknown'), name: typeof metadata.name === 'string' ? metadata.name : '(unnamed)', ...(typeof metadata.owner === 'string' ? { owner: metadata.owner.toLowerCase() } : {}), value: JSON.stringify(v) });
  }
  // A file that does not parse cannot be told apart from a spec: it is a change an admin must see.
  if (loaded.problems.some((p) => p.severity === 'error') && !out.length) return undefined;
  return out;
}

/** The labops documents a file change touches: added, removed and changed ones (unchanged documents of a modified file are not). */
export function changedSpecs(file: string, before: string | undefined, after: string | undefined): ChangedSpec[] {
  const old = labopsDocuments(before, file);
  const now = labopsDocuments(after, file);
  if (old === undefined || now === undefined) return [{ file, kind: 'unparsable file', name: file, change: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified', owners: [] }];
  const key = (d: SpecDoc): string => `${d.kind}/${d.name}`;
  const keys = [...new Set([...old.map(key), ...now.map(key)])].sort();
  const out: ChangedSpec[] = [];
  for (const k of keys) {
    const a = old.filter((d) => key(d) === k);
    const b = now.filter((d) => key(d) === k);
    if (a.map((d) => d.value).join('\n') === b.map((d) => d.value).join('\n')) continue;
    const first = (a[0] ?? b[0])!;
    const owners = [...new Set([...a, ...b].map((d) => d.owner).filter((o): o is string => o !== undefined))].sort();
    out.push({ file, kind: first.kind, name: first.name, change: !a.length ? 'added' : !b.length ? 'removed' : 'modified', owners });
  }
  return out;
}
