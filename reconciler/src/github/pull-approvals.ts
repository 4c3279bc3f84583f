/**
 * Gathers what the approval rules need for a pull request (or a push without one): the spec files
 * it changes under the lab folder, both sides of each (the base from GitHub, the new side from the
 * checkout), the Lab admins as the base branch names them (a pull request cannot make its author
 * an admin), and the reviews on its current head.
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix, resolve, sep } from 'node:path';
import { loadText } from '../specs/load.js';
import { isRecord } from '../specs/load.js';
import { changedSpecs, checkApprovals, currentApprovers, missingApprovals } from './approvals.js';
import type { ApprovalCheck, ChangedSpec } from './approvals.js';
import type { Forge, RepoId } from './forge.js';

/** The change to check: a pull request, or a push with no pull request behind it. */
export interface ChangeSource {
  /** Pull request number; undefined for a direct push (no reviews). */
  pull?: number;
  author: string;
  /** The commit reviews must be on (the pull request's head). */
  headSha: string;
  /** The commit the change is measured against. */
  baseSha: string;
  /** Changed files, repository-relative; read from the pull request when undefined. */
  files?: string[];
}

/** The approval picture of one change. */
export interface ApprovalReport {
  changes: ChangedSpec[];
  checks: ApprovalCheck[];
  missing: string[];
  admins: string[];
  approvers: string[];
  /** Spec files the change touches, relative to the lab folder. */
  files: string[];
  /** Each touched file's text before the change (`null`: it did not exist), relative to the lab folder. */
  before: Record<string, string | null>;
}

/**
 * Held files (see record/holds.ts), relative to the lab folder → their last approved text: a change
 * to a held file is measured from that text, so an approval of a later edit cannot carry the
 * unapproved one through, and a held labops.yaml's admins are the approved ones.
 */
export type ApprovedBase = ReadonlyMap<string, string | null>;

/** `lab` for `lab`, `./lab/`; `''` for `.`. */
export function labPrefix(path: string): string {
  const normal = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/+$/, '');
  return normal === '.' ? '' : normal;
}

function inLab(file: string, prefix: string): string | undefined {
  if (!/\.ya?ml$/i.test(file)) return undefined;
  if (!prefix) return file;
  return file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : undefined;
}

function readLocal(workspace: string, file: string): string | undefined {
  const root = resolve(workspace);
  const full = resolve(root, file);
  if (!full.startsWith(root + sep) || !existsSync(full)) return undefined;
  return readFileSync(full, 'utf8');
}

function adminsOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const doc = loadText(text, 'labops.yaml').documents[0]?.value;
  const spec = isRecord(doc) && isRecord(doc.spec) ? doc.spec : undefined;
  return Array.isArray(spec?.admins) ? spec.admins.filter((a): a is string => typeof a === 'string') : [];
}

/** Reads the change and checks it against who may change what. */
export async function checkChangeApprovals(forge: Forge, repo: RepoId, source: ChangeSource, labPath: string, workspace: string, approved: ApprovedBase = new Map()): Promise<ApprovalReport> {
  const prefix = labPrefix(labPath);
  const files: string[] = [];
  const beforeTexts: Record<string, string | null> = {};
  const pullFiles = source.files === undefined && source.pull !== undefined ? await forge.listPullFiles(repo, source.pull) : (source.files ?? []).map((filename) => ({ filename, status: 'modified' }) as { filename: string; status: string; previousFilename?: string });
  const changes: ChangedSpec[] = [];
  const base = /^0+$/.test(source.baseSha) ? undefined : source.baseSha;
  for (const f of pullFiles) {
    const rel = inLab(f.filename, prefix);
    const oldPath = f.previousFilename ?? f.filename;
    const oldRel = inLab(oldPath, prefix);
    if (rel === undefined && oldRel === undefined) continue;
    const held = oldRel !== undefined && approved.has(oldRel) ? approved.get(oldRel) : undefined;
    const before = held !== undefined ? (held ?? undefined) : f.status === 'added' || base === undefined || oldRel === undefined ? undefined : await forge.getFile(repo, oldPath, base);
    const after = f.status === 'removed' || rel === undefined ? undefined : readLocal(workspace, f.filename);
    for (const file of new Set([rel, oldRel].filter((x): x is string => x !== undefined))) {
      if (!files.includes(file)) files.push(file);
    }
    if (oldRel !== undefined) beforeTexts[oldRel] = before ?? null;
    if (rel !== undefined && rel !== oldRel) beforeTexts[rel] = approved.has(rel) ? approved.get(rel)! : null;
    if (before === undefined && after === undefined) continue;
    changes.push(...changedSpecs(rel ?? oldRel!, before, after));
  }
  const labFile = prefix ? `${prefix}/labops.yaml` : 'labops.yaml';
  // The base branch's admins decide; a brand-new lab (no labops.yaml at the base) is bootstrapped by its own.
  const heldLab = approved.get('labops.yaml');
  const baseLab = heldLab !== undefined ? heldLab ?? undefined : base === undefined ? undefined : await forge.getFile(repo, labFile, base);
  const admins = adminsOf(baseLab) ?? adminsOf(readLocal(workspace, labFile)) ?? [];
  const approvers = source.pull === undefined ? [] : currentApprovers(await forge.listReviews(repo, source.pull), source.headSha);
  const checks = checkApprovals(changes, { author: source.author, approvers, admins });
  return { changes, checks, missing: missingApprovals(checks, admins), admins, approvers, files: files.sort(), before: beforeTexts };
}
