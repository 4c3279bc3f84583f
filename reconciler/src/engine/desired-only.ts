/**
 * The desired-only plan: the pipeline (engine/pipeline.ts) with an account where nothing exists
 * yet and no record, for runs that must not reach AWS (a pull request from a fork gets no
 * credentials). Every workstation is planned as if it had to be created and every Job as if it
 * had to be submitted, with list-price estimates; images are taken to exist (the environment's
 * prebuilt image where it names one, else the newest base image, found at apply). No port is
 * built and no call is made: the result says what the specs ask for, not what would change.
 */
import type { EnvironmentCandidate } from '../environments/model.js';
import { EMPTY_ACCOUNT, runPhases } from './pipeline.js';
import type { RunResult } from './pipeline.js';

/** Validates and plans against an empty account. Makes no AWS call (it has no way to). */
export function planDesiredOnly(
  options: { dir: string; repo: string; now: Date },
  deps: { catalog: readonly EnvironmentCandidate[] },
): Promise<RunResult> {
  return runPhases(
    { dir: options.dir, repo: () => Promise.resolve(options.repo), mode: 'plan', now: options.now },
    { catalog: deps.catalog },
    EMPTY_ACCOUNT,
  );
}
