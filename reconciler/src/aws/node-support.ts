/**
 * The AWS SDK's Node support notice, once per run. SDK v3 (`@aws-sdk/core`'s
 * `emitWarningIfUnsupportedVersion`, called as each client's runtime config is built) emits a
 * nine-line `NodeVersionSupportWarning` through `process.emitWarning` when Node is older than the
 * version its next releases require; it remembers that only inside one process, so a CI job that
 * runs labops five times prints it five times. labops owns that one warning instead: when it applies
 * (Node below {@link SDK_NEXT_NODE_MAJOR}) and an AWS client is about to be made, one line is shown,
 * once per process and, under GitHub Actions, once per workflow run (a marker file in the temp
 * folder keyed by GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT); the SDK's own copy is turned off with its
 * documented switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, which touches no other warning.
 */
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Node major the SDK's releases after January 2027 require (`vv` in @aws-sdk/core's check; a test pins it). */
export const SDK_NEXT_NODE_MAJOR = 22;

const SDK_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

let shown = false;

/** Whether the SDK's notice applies to Node `version` (e.g. `v20.20.2`). */
export function nodeNoticeApplies(version: string): boolean {
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  return Number.isInteger(major) && major < SDK_NEXT_NODE_MAJOR;
}

/** The one line labops shows instead of the SDK's warning. */
export function nodeNoticeLine(version: string): string {
  return `labops: warning: Node ${version}: AWS SDK releases after the first week of January 2027 require Node >= ${SDK_NEXT_NODE_MAJOR}; labops runs on Node 24 in its Action and image (https://a.co/c895JFp)\n`;
}

/**
 * Call before making an AWS client. Shows the notice at most once per run when it applies, and
 * keeps the SDK from printing its own copy. `env` is the process environment the SDK reads.
 */
export function nodeSupportNotice(
  write: (line: string) => void = (line) => process.stderr.write(line),
  env: NodeJS.ProcessEnv = process.env,
  version: string = process.version,
): void {
  if (!nodeNoticeApplies(version) || env[SDK_SWITCH] === 'true') return;
  env[SDK_SWITCH] = 'true';
  if (shown) return;
  shown = true;
  if (firstInWorkflowRun(env)) write(nodeNoticeLine(version));
}

/** False when another labops process of this GitHub Actions run already showed it (the marker file exists). */
function firstInWorkflowRun(env: NodeJS.ProcessEnv): boolean {
  const run = env.GITHUB_RUN_ID;
  if (!run || !/^\d+$/.test(run)) return true;
  const attempt = /^\d+$/.test(env.GITHUB_RUN_ATTEMPT ?? '') ? env.GITHUB_RUN_ATTEMPT : '1';
  try {
    // 'wx' creates only when absent: of two processes at once, exactly one wins.
    closeSync(openSync(join(env.RUNNER_TEMP || tmpdir(), `labops-node-notice-${run}-${attempt}`), 'wx'));
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}
