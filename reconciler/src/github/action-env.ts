/**
 * The Action's surroundings from the runner's environment: the event (GITHUB_EVENT_NAME and the
 * payload at GITHUB_EVENT_PATH), the checkout, the run's URL, and its inputs turned into the
 * runtime's options (runtime/runtime.ts builds the dependencies: Octokit on GITHUB_API_URL, the
 * AWS SDK with credentials from configure-aws-credentials' OIDC role, the run record).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { UsageError } from '../errors.js';
import { INSTANCE_PROFILE_NAME } from '../model/launch.js';
import { parseRecordOption } from '../runtime/record-option.js';
import type { RecordPlace } from '../runtime/record-option.js';
import { createRuntime } from '../runtime/runtime.js';
import { parseEvent } from './event.js';
import type { ActionMode } from './event.js';
import type { WorkflowRunContext, ActionDeps, ActionInputs } from './run-action.js';

const MODES: readonly ActionMode[] = ['auto', 'validate', 'plan', 'apply', 'reconcile'];

/**
 * Checks the raw inputs.
 * @throws {UsageError} for a bad one, in one line
 */
export function parseInputs(raw: { mode: string; path: string; comment: string; costLabel?: string }): ActionInputs {
  const mode = (raw.mode || 'auto') as ActionMode;
  if (!MODES.includes(mode))
    throw new UsageError(`input mode must be one of ${MODES.join(', ')} (got ${JSON.stringify(raw.mode)})`);
  const comment = raw.comment || 'update';
  if (comment !== 'update' && comment !== 'off')
    throw new UsageError(`input comment must be update or off (got ${JSON.stringify(raw.comment)})`);
  const path = raw.path || '.';
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..') || !/^[A-Za-z0-9_./-]{1,200}$/.test(path))
    throw new UsageError(
      `input path must be a folder inside the repository, e.g. "lab" (got ${JSON.stringify(raw.path)})`,
    );
  const costLabel = raw.costLabel || 'false';
  if (costLabel !== 'true' && costLabel !== 'false')
    throw new UsageError(`input cost-label must be true or false (got ${JSON.stringify(raw.costLabel)})`);
  return { mode, path, comment, costLabel: costLabel === 'true' };
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
  log: (message: string) => void;
  warn: (message: string) => void;
  /** The login the token writes as (the `comment-author` input). @default asked of GitHub */
  commentAuthor?: string;
  /** The `instance-profile` input: overrides the specs' `access.instanceProfile`. @default '' (the specs decide) */
  instanceProfile?: string;
}

/**
 * Where the `record` input puts the run record: `git` (the default) or `git:BRANCH` on the
 * repository itself, pushed with the token; `off`; or a file path in the checkout.
 */
function recordPlace(option: string, env: NodeJS.ProcessEnv, token: string, repo: string): RecordPlace {
  const url = new URL(`${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}.git`);
  if (token) {
    url.username = 'x-access-token';
    url.password = token;
  }
  return {
    choice: parseRecordOption(option, { kind: 'git' }, 'input record'),
    base: resolve(env.GITHUB_WORKSPACE ?? process.cwd()),
    remote: { url: url.toString() },
    workdir: () => join(env.RUNNER_TEMP ?? tmpdir(), 'labops-record'),
  };
}

/**
 * The Action's dependencies, from the runtime (one place builds them for every shell), and a
 * `close` that releases the AWS clients.
 * @throws {UsageError} for a bad `record` or `instance-profile` input
 */
export async function depsFromEnv(options: DepsOptions, repo: string): Promise<{ deps: ActionDeps; close(): void }> {
  if (options.instanceProfile && !INSTANCE_PROFILE_NAME.test(options.instanceProfile))
    throw new UsageError(
      `input instance-profile must be an IAM instance profile name (letters, digits, _+=,.@-; not an ARN) (got ${JSON.stringify(options.instanceProfile)})`,
    );
  const runtime = await createRuntime({
    env: options.env,
    region: options.awsRegion,
    record: recordPlace(options.record, options.env, options.token, repo),
    github: {
      token: options.token,
      warn: options.warn,
      ...(options.commentAuthor ? { identity: options.commentAuthor } : {}),
    },
  });
  const { forge, catalog, ports, costs, record, now, sleep } = runtime;
  const deps: ActionDeps = {
    ...(forge ? { forge } : {}),
    catalog,
    ports,
    costs,
    ...(record ? { record } : {}),
    now,
    sleep,
    log: options.log,
    ...(options.instanceProfile ? { instanceProfile: options.instanceProfile } : {}),
  };
  return { deps, close: runtime.close };
}
