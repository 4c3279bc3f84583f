/**
 * The GitHub event a run is for, read from the webhook payload the runner writes to
 * GITHUB_EVENT_PATH, and the flow it selects. Only the fields labops needs are kept, each checked,
 * so a malformed payload is an error here rather than an `undefined` deep in a report.
 * `pull_request_target` is refused outright: it runs the base branch's workflow with its secrets
 * and write token for a pull request whose code may come from a fork (the "pwn request").
 */
import { LabopsError } from '../errors.js';

/** `owner/name`. */
const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/** The `mode` input. */
export type ActionMode = 'auto' | 'validate' | 'plan' | 'apply' | 'reconcile';

/** What a run does, once `auto` is settled. */
export type Flow = 'validate' | 'plan' | 'apply' | 'reconcile';

/** A pull request as the event describes it. */
export interface PullRequestInfo {
  number: number;
  title: string;
  author: string;
  headSha: string;
  baseSha: string;
  baseRef: string;
  /** True when the head branch lives in another repository (a fork): no AWS, no apply. */
  fromFork: boolean;
  /** When the pull request was last updated (ISO-8601): the comment's `valid-at`. */
  updatedAt: string;
}

/** The event, reduced to what labops uses. */
export interface ActionEvent {
  name: string;
  /** `owner/name` of the repository the workflow runs in. */
  repo: string;
  /** `refs/heads/main`, … (GITHUB_REF). */
  ref: string;
  /** The commit the run is for (GITHUB_SHA, or the push's `after`). */
  sha: string;
  /** @default undefined for events whose payload has no repository (schedule) */
  defaultBranch?: string;
  pullRequest?: PullRequestInfo;
  /** Push only: the commit before and the pusher (what changed is read from git, never from the payload). */
  push?: { before: string; pusher: string; timestamp: string };
}

/** Why an event cannot be used: a payload missing what labops needs, or an event labops refuses to run for. */
export type EventErrorCode = 'bad-payload' | 'refused-event';

/** Thrown for a payload labops cannot use, or an event it refuses; the message is one line. */
export class EventError extends LabopsError {
  override readonly name = 'EventError';
  declare readonly code: EventErrorCode;

  constructor(message: string, code: EventErrorCode = 'bad-payload') {
    super(code, message);
  }
}

/** The one line the Action fails with on `pull_request_target`. */
export const PULL_REQUEST_TARGET_REFUSAL =
  'labops refuses pull_request_target: it would run with secrets on untrusted code; use pull_request';

function str(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new EventError(`event payload: ${what} is missing`);
  return value;
}

function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Reads the event from its name, payload and the runner's GITHUB_REPOSITORY / GITHUB_REF / GITHUB_SHA. */
export function parseEvent(
  name: string,
  payload: unknown,
  env: { repository: string; ref: string; sha: string },
): ActionEvent {
  if (name === 'pull_request_target') throw new EventError(PULL_REQUEST_TARGET_REFUSAL, 'refused-event');
  const p = obj(payload);
  const repository = obj(p.repository);
  const repo = typeof repository.full_name === 'string' ? repository.full_name : env.repository;
  if (!REPO.test(repo)) throw new EventError(`repository must be owner/name (got ${JSON.stringify(repo)})`);
  const defaultBranch = typeof repository.default_branch === 'string' ? repository.default_branch : undefined;
  const event: ActionEvent = { name, repo, ref: env.ref, sha: env.sha, ...(defaultBranch ? { defaultBranch } : {}) };
  if (name === 'pull_request') {
    const pr = obj(p.pull_request);
    const head = obj(pr.head);
    const base = obj(pr.base);
    const number = typeof pr.number === 'number' ? pr.number : Number(p.number);
    if (!Number.isInteger(number) || number <= 0) throw new EventError('event payload: pull_request.number is missing');
    event.pullRequest = {
      number,
      title: typeof pr.title === 'string' ? pr.title : '',
      author: str(obj(pr.user).login, 'pull_request.user.login'),
      headSha: str(head.sha, 'pull_request.head.sha'),
      baseSha: str(base.sha, 'pull_request.base.sha'),
      baseRef: str(base.ref, 'pull_request.base.ref'),
      // A deleted fork has head.repo null: still not this repository.
      fromFork: obj(head.repo).full_name !== obj(base.repo).full_name || obj(base.repo).full_name !== repo,
      updatedAt: typeof pr.updated_at === 'string' ? pr.updated_at : str(pr.created_at, 'pull_request.updated_at'),
    };
  }
  if (name === 'push') {
    // The payload's commit and file lists are never read: what a push changed is read from git.
    const after = typeof p.after === 'string' ? p.after : env.sha;
    event.sha = after;
    if (typeof p.ref === 'string') event.ref = p.ref;
    const login = obj(p.sender).login;
    const name = obj(p.pusher).name;
    const pusher = typeof login === 'string' ? login : typeof name === 'string' ? name : '';
    const timestamp = typeof obj(p.head_commit).timestamp === 'string' ? (obj(p.head_commit).timestamp as string) : '';
    event.push = { before: typeof p.before === 'string' ? p.before : '', pusher, timestamp };
  }
  return event;
}

/** True when the run is on the repository's default branch (a scheduled run always is). */
export function onDefaultBranch(event: ActionEvent): boolean {
  if (event.name === 'schedule') return true;
  return event.defaultBranch !== undefined && event.ref === `refs/heads/${event.defaultBranch}`;
}

/**
 * The flow for a mode and event. `auto`: pull_request → plan (validate + plan + comment); push to
 * the default branch → apply; schedule and workflow_dispatch → reconcile; anything else → validate.
 */
export function chooseFlow(mode: ActionMode, event: ActionEvent): Flow {
  if (mode !== 'auto') return mode;
  if (event.pullRequest) return 'plan';
  if (event.name === 'push') return onDefaultBranch(event) ? 'apply' : 'validate';
  if (event.name === 'schedule' || event.name === 'workflow_dispatch') return 'reconcile';
  return 'validate';
}

/**
 * Why a flow may not change AWS for this event, or undefined when it may. Apply and reconcile run
 * only on the default branch and never for a pull request (least of all one from a fork).
 */
export function applyRefusal(flow: Flow, event: ActionEvent): string | undefined {
  if (flow !== 'apply' && flow !== 'reconcile') return undefined;
  if (event.pullRequest)
    return `labops ${flow} never runs for a pull request${event.pullRequest.fromFork ? ' (least of all from a fork)' : ''}; it runs on the default branch after merge`;
  if (!onDefaultBranch(event))
    return `labops ${flow} runs only on the default branch (${event.defaultBranch ?? 'unknown'}), not ${event.ref}`;
  return undefined;
}
