/**
 * The sticky comment: one per pull request, lab repository and lab path, found again by a hidden
 * marker, edited only when its body changed, never posted twice. The marker carries `valid-at`
 * (when the pull request was last updated, as the run's event saw it) so a run of an older event
 * that finishes late never overwrites a newer run's comment, and the plan's structured hash so
 * the apply on merge can tell whether what it applies is what the pull request showed.
 */
import { redact } from '../record/redact.js';
import { escapeControls } from '../report/safe-text.js';
import type { Forge, IssueComment, RepoId } from './forge.js';

/** What a marker says. */
export interface Marker {
  /** `plan` for the plan comment, `result` for the comment on a merged pull request. */
  kind: 'plan' | 'result';
  repo: string;
  path: string;
  validAt: string;
  /** `sha256:…` of the plan, or `desired-only`/`none`. @default undefined */
  planHash?: string;
}

const SAFE = /^[A-Za-z0-9_.:/@+-]{1,200}$/;

/** `<!-- labops:plan repo=o/r path=lab valid-at=2026-09-01T08:00:00Z plan=sha256:… -->` (values checked: no spaces, no `-->`). */
export function formatMarker(m: Marker): string {
  for (const value of [m.repo, m.path, m.validAt, m.planHash ?? 'none'])
    if (!SAFE.test(value)) throw new Error(`marker value not allowed: ${JSON.stringify(value)}`);
  return `<!-- labops:${m.kind} repo=${m.repo} path=${m.path} valid-at=${m.validAt}${m.planHash ? ` plan=${m.planHash}` : ''} -->`;
}

/** Reads the marker at the start of a comment body; undefined when there is none. */
export function parseMarker(body: string): Marker | undefined {
  const match = /^<!-- labops:(plan|result) repo=(\S+) path=(\S+) valid-at=(\S+)(?: plan=(\S+))? -->/.exec(body);
  if (!match) return undefined;
  const [, kind, repo = '', path = '', validAt = '', planHash] = match;
  return {
    kind: kind as Marker['kind'],
    repo,
    path,
    validAt,
    ...(planHash ? { planHash } : {}),
  };
}

/**
 * The comment labops made for this marker's kind, repo and path. Only comments written by `author`
 * (the token's own login) count: a person, or another bot or App, can post a marker too, and such
 * a comment is neither edited nor trusted for its `valid-at` or plan hash.
 */
export function findSticky(
  comments: readonly IssueComment[],
  want: Pick<Marker, 'kind' | 'repo' | 'path'>,
  author: string,
): { comment: IssueComment; marker: Marker } | undefined {
  for (const comment of comments) {
    if (comment.author !== author) continue;
    const marker = parseMarker(comment.body);
    if (marker && marker.kind === want.kind && marker.repo === want.repo && marker.path === want.path)
      return { comment, marker };
  }
  return undefined;
}

/** {@link findSticky} among an issue's comments, for the forge's own identity. */
export async function findOwnSticky(
  forge: Forge,
  repo: RepoId,
  issue: number,
  want: Pick<Marker, 'kind' | 'repo' | 'path'>,
): Promise<{ comment: IssueComment; marker: Marker } | undefined> {
  const [comments, author] = await Promise.all([forge.listComments(repo, issue), forge.identity()]);
  return findSticky(comments, want, author);
}

/** What {@link upsertSticky} did. */
export type StickyOutcome =
  { action: 'created' | 'updated' | 'unchanged'; id: number } | { action: 'stale'; id: number; newerValidAt: string };

/**
 * Creates the sticky comment, or edits it when the body changed. A comment whose `valid-at` is
 * newer than this run's is left alone (`stale`).
 */
export async function upsertSticky(
  forge: Forge,
  repo: RepoId,
  issue: number,
  marker: Marker,
  body: string,
): Promise<StickyOutcome> {
  const text = `${formatMarker(marker)}\n${escapeControls(redact(body))}`;
  const found = await findOwnSticky(forge, repo, issue, marker);
  if (!found) return { action: 'created', id: await forge.createComment(repo, issue, text) };
  if (Date.parse(found.marker.validAt) > Date.parse(marker.validAt))
    return { action: 'stale', id: found.comment.id, newerValidAt: found.marker.validAt };
  if (found.comment.body.replace(/\r\n/g, '\n') === text) return { action: 'unchanged', id: found.comment.id };
  await forge.updateComment(repo, found.comment.id, text);
  return { action: 'updated', id: found.comment.id };
}
