/**
 * Runs the bundled Action (`node action/dist/index.js`) as the runner does: INPUT_* variables,
 * GITHUB_EVENT_PATH with a webhook payload, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * GITHUB_API_URL at the GitHub fake and AWS_ENDPOINT_URL at `labops sim` — both served from the
 * test process, so the child is spawned asynchronously. The payloads are GitHub's own examples
 * (@octokit/webhooks-examples) with the commits of the test's repository put in.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../reconciler/src/package-root.js';

const BUNDLE = join(packageRoot(), 'action/dist/index.js');
const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, any>[];
}[];

/** A fresh copy of the first example webhook payload of event `name` that `pick` accepts. */
function example(name: string, pick: (e: Record<string, any>) => boolean): Record<string, any> {
  return structuredClone(EXAMPLES.find((e) => e.name === name)!.examples.find(pick)!);
}

const PULL_REQUEST_EXAMPLES = {
  opened: (e: Record<string, any>) => e.action === 'opened' && !e.installation,
  synchronize: (e: Record<string, any>) => e.action === 'synchronize',
} as const;

/** The repository the example payloads come from (`Codertocat/Hello-World`): GITHUB_REPOSITORY of runs with them. */
export const EXAMPLE_REPO = example('pull_request', PULL_REQUEST_EXAMPLES.opened).repository.full_name as string;

/** How {@link pullRequestPayload} changes the example. */
export interface PullRequestPayloadOptions {
  /** Which example: the pull request opened, or pushed to. @default 'opened' */
  action?: keyof typeof PULL_REQUEST_EXAMPLES;
  /** `pull_request.updated_at`. @default the example's */
  updatedAt?: string;
  /** `pull_request.user.login`, the pull request's author. @default the example's (Codertocat) */
  author?: string;
  /** The head branch lives in a fork (`stranger/Hello-World`). @default false */
  fork?: boolean;
}

/** A `pull_request` payload for the commit `head` onto `base`. */
export function pullRequestPayload(
  head: string,
  base: string,
  options: PullRequestPayloadOptions = {},
): Record<string, any> {
  const payload = example('pull_request', PULL_REQUEST_EXAMPLES[options.action ?? 'opened']);
  payload.pull_request.head.sha = head;
  payload.pull_request.base.sha = base;
  if (options.updatedAt !== undefined) payload.pull_request.updated_at = options.updatedAt;
  if (options.author !== undefined) payload.pull_request.user.login = options.author;
  if (options.fork === true) payload.pull_request.head.repo.full_name = 'stranger/Hello-World';
  return payload;
}

/** A `push` payload from `before` to `after` on the default branch (`forced` for a force-push), no commits listed. */
export function pushPayload(before: string, after: string, forced = false): Record<string, any> {
  return { ...example('push', (e) => e.ref === 'refs/heads/master'), before, after, forced, commits: [] };
}

/** What one run left behind. */
export interface ActionRun {
  status: number | null;
  /** stdout and stderr together (workflow commands included). */
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Where and as what the Action runs. */
export interface ActionRunOptions {
  event: string;
  payload: unknown;
  workspace: string;
  repo: string;
  /** GITHUB_SHA. */
  sha: string;
  /** GITHUB_REF. */
  ref: string;
  githubUrl: string;
  /** AWS_* variables pointing at the simulator. */
  awsEnv: Record<string, string>;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}

/** Runs the bundle once, without blocking this process. */
export async function runBundledAction(o: ActionRunOptions): Promise<ActionRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'labops-action-run-'));
  const eventPath = join(tmp, 'event.json');
  const output = join(tmp, 'output');
  const summary = join(tmp, 'summary');
  writeFileSync(eventPath, JSON.stringify(o.payload));
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: tmp,
    GITHUB_EVENT_NAME: o.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: o.repo,
    GITHUB_REF: o.ref,
    GITHUB_SHA: o.sha,
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_API_URL: o.githubUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    RUNNER_TEMP: tmp,
    LABOPS_GITHUB_SPACE_WRITES: '0',
    ...o.awsEnv,
    INPUT_MODE: 'auto',
    INPUT_PATH: 'lab',
    'INPUT_GITHUB-TOKEN': 'ghs_test',
    INPUT_COMMENT: 'update',
    INPUT_RECORD: 'off',
    'INPUT_AWS-REGION': '',
    ...Object.fromEntries(Object.entries(o.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...o.env,
  };
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: o.workspace });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const status = await new Promise<number | null>((ok) => child.on('close', ok));
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(output, 'utf8').matchAll(/^(.+?)<<(ghadelimiter_\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[m[1]!] = m[3]!;
  return { status, stdout, outputs, summary: readFileSync(summary, 'utf8') };
}
