/**
 * Which repository a lab is: the `labops:repo` tag value (`owner/name`) that marks everything
 * labops owns. From `--repo`, else GITHUB_REPOSITORY (Actions), else the `origin` remote,
 * else `local/<lab name>` for a folder that is not a GitHub clone (rehearsal against the sim).
 */
import { simpleGit } from 'simple-git';
import { UsageError } from '../errors.js';

export const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/** `owner/name` from a GitHub remote URL (https or ssh), or undefined. */
export function repoFromRemote(url: string): string | undefined {
  const match = /github\.com[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/**
 * Decides the repository identity; never guesses between two GitHub answers. The id labops.yaml
 * declares (`spec.id`, `declared`) wins; a `--repo` flag that names another is refused.
 * @throws {UsageError} for a malformed `--repo`, or one that disagrees with `spec.id`
 */
export async function resolveRepoName(options: {
  flag?: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  labName: string;
  declared?: string | undefined;
}): Promise<string> {
  if (options.flag !== undefined) {
    if (!REPO.test(options.flag)) throw new UsageError(`--repo must be owner/name (got ${options.flag})`);
    if (options.declared !== undefined && options.declared !== options.flag)
      throw new UsageError(
        `--repo ${options.flag} disagrees with labops.yaml spec.id ${options.declared}; drop --repo, or change spec.id (and run labops adopt --from ${options.declared})`,
      );
    return options.flag;
  }
  if (options.declared !== undefined) return options.declared;
  const fromEnv = options.env.GITHUB_REPOSITORY;
  if (fromEnv && REPO.test(fromEnv)) return fromEnv;
  try {
    const git = simpleGit({ baseDir: options.dir });
    if (await git.checkIsRepo()) {
      const origin = (await git.getRemotes(true)).find((r) => r.name === 'origin');
      const fromRemote = origin ? repoFromRemote(origin.refs.fetch) : undefined;
      if (fromRemote) return fromRemote;
    }
  } catch {
    // Not a git checkout (or git missing): fall through to the local name.
  }
  return `local/${options.labName}`;
}
