/**
 * A lab repository to reconcile from a git URL (the scheduled container): cloned once into a
 * work folder, then brought to the remote's latest commit before every run. The work folder
 * is labops' own copy; local changes there are discarded.
 */
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { redact } from '../record/redact.js';
import { GitObjectError } from '../trust/git-objects.js';

/** True when `--repo` names a git URL rather than an `owner/name` identity. */
export function isGitUrl(value: string): boolean {
  return /^(https?|ssh|git|file):\/\//.test(value) || /^[\w.-]+@[\w.-]+:/.test(value);
}

/** The work folder for a URL: `LABOPS_WORKDIR`, else one per URL under the temp folder. */
export function workdirFor(url: string, env: NodeJS.ProcessEnv): string {
  return env.LABOPS_WORKDIR ?? join(tmpdir(), `labops-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`);
}

/**
 * Clones `url` into `workdir` (first time) or fetches it, then checks out the remote's default
 * branch head (or `ref`). Returns the commit checked out.
 * @throws {GitObjectError} when git fails: one line, git's last, credentials left out
 */
export async function syncCheckout(url: string, workdir: string, ref?: string): Promise<string> {
  try {
    if (!existsSync(join(workdir, '.git'))) await simpleGit().clone(url, workdir, ['--no-tags']);
    const git = simpleGit({ baseDir: workdir });
    await git.fetch('origin', ref ?? 'HEAD', ['--no-tags', '--prune']);
    await git.checkout(['--force', '--detach', 'FETCH_HEAD']);
    return (await git.revparse(['HEAD'])).trim();
  } catch (err) {
    const detail =
      (err instanceof Error ? err.message : String(err)).trim().split('\n').filter(Boolean).at(-1) ?? 'git failed';
    throw new GitObjectError(`cannot fetch ${redact(url)}: ${redact(detail)}`);
  }
}
