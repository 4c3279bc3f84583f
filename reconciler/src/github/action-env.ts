/**
 * The Action's surroundings from the runner's environment: the event (GITHUB_EVENT_NAME and the
 * payload at GITHUB_EVENT_PATH), the checkout, the run's URL, and the real dependencies — Octokit
 * on GITHUB_API_URL, the AWS SDK (credentials from configure-aws-credentials' OIDC role, endpoint
 * from AWS_ENDPOINT_URL when set), the run record.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createCostsPort } from '../aws/costs.js';
import type { CostsPortHandle } from '../aws/costs.js';
import { createAwsPorts } from '../aws/factory.js';
import type { AwsPortsHandle } from '../aws/factory.js';
import { loadCatalog } from '../environments/catalog.js';
import type { RecordStore } from '../model/record.js';
import { fileRecordStore } from '../record/file-store.js';
import { gitRecordStore } from '../record/git-store.js';
import { parseEvent } from './event.js';
import type { ActionMode } from './event.js';
import { createOctokitForge } from './octokit-forge.js';
import type { WorkflowRunContext, ActionDeps, ActionInputs } from './run-action.js';

const MODES: readonly ActionMode[] = ['auto', 'validate', 'plan', 'apply', 'reconcile'];

/** Checks the raw inputs; throws a one-line error for a bad one. */
export function parseInputs(raw: { mode: string; path: string; comment: string }): ActionInputs {
  const mode = (raw.mode || 'auto') as ActionMode;
  if (!MODES.includes(mode))
    throw new Error(`input mode must be one of ${MODES.join(', ')} (got ${JSON.stringify(raw.mode)})`);
  const comment = raw.comment || 'update';
  if (comment !== 'update' && comment !== 'off')
    throw new Error(`input comment must be update or off (got ${JSON.stringify(raw.comment)})`);
  const path = raw.path || '.';
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..') || !/^[A-Za-z0-9_./-]{1,200}$/.test(path))
    throw new Error(`input path must be a folder inside the repository, e.g. "lab" (got ${JSON.stringify(raw.path)})`);
  return { mode, path, comment };
}

/** The event and run from GITHUB_* variables. */
export function contextFromEnv(env: NodeJS.ProcessEnv): WorkflowRunContext {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const payload: unknown = env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {};
  const event = parseEvent(name, payload, {
    repository: env.GITHUB_REPOSITORY ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
  });
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runUrl = env.GITHUB_RUN_ID
    ? `${server}/${event.repo}/actions/runs/${env.GITHUB_RUN_ID}`
    : `${server}/${event.repo}/actions`;
  return { event, workspace: resolve(env.GITHUB_WORKSPACE ?? process.cwd()), runUrl };
}

/** Settings beyond the inputs main.ts passes through. */
export interface DepsOptions {
  token: string;
  awsRegion: string;
  /** `git` (the `labops-status` branch), `git:BRANCH`, `off`, or a file path in the checkout. */
  record: string;
  env: NodeJS.ProcessEnv;
  log(message: string): void;
  warn(message: string): void;
  /** The login the token writes as (the `comment-author` input). @default asked of GitHub */
  commentAuthor?: string;
}

function recordStore(option: string, env: NodeJS.ProcessEnv, token: string, repo: string): RecordStore | undefined {
  if (option === 'off') return undefined;
  const git = /^git(?::([A-Za-z0-9._/-]{1,100}))?$/.exec(option || 'git');
  if (!git) return fileRecordStore(resolve(env.GITHUB_WORKSPACE ?? process.cwd(), option));
  const url = new URL(`${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}.git`);
  if (token) {
    url.username = 'x-access-token';
    url.password = token;
  }
  const remote = url.toString();
  const workdir = join(env.RUNNER_TEMP ?? tmpdir(), 'labops-record');
  return gitRecordStore({ remote, workdir, ...(git[1] ? { branch: git[1] } : {}) });
}

/** The real dependencies, and a `close` that releases the AWS clients. */
export function depsFromEnv(options: DepsOptions, repo: string): { deps: ActionDeps; close(): void } {
  const catalog = loadCatalog();
  if (catalog.problems.length) throw new Error('the built-in environment catalog is broken; reinstall labops');
  const handles: (AwsPortsHandle | CostsPortHandle)[] = [];
  const retryAfterBaseMs = Number(options.env.LABOPS_GITHUB_RETRY_BASE_MS ?? '') || undefined;
  const record = recordStore(options.record, options.env, options.token, repo);
  const deps: ActionDeps = {
    ...(options.token
      ? {
          forge: createOctokitForge({
            token: options.token,
            baseUrl: options.env.GITHUB_API_URL ?? 'https://api.github.com',
            warn: options.warn,
            ...(options.commentAuthor ? { identity: options.commentAuthor } : {}),
            ...(retryAfterBaseMs ? { retryAfterBaseMs } : {}),
            ...(options.env.LABOPS_GITHUB_SPACE_WRITES === '0' ? { spaceWrites: false } : {}),
          }),
        }
      : {}),
    catalog: catalog.environments,
    ports: (region) => {
      const handle = createAwsPorts({ region: options.awsRegion || options.env.AWS_REGION || region });
      handles.push(handle);
      return handle;
    },
    costs: () => {
      const handle = createCostsPort();
      handles.push(handle);
      return handle;
    },
    ...(record ? { record } : {}),
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: options.log,
  };
  return { deps, close: () => handles.forEach((h) => h.destroy()) };
}
