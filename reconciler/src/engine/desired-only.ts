/**
 * The desired-only plan: the pipeline with nothing observed, for runs that must not reach AWS (a
 * pull request from a fork gets no credentials). Every workstation is planned as if it had to be
 * created and every Job as if it had to be submitted, with list-price estimates; images are taken
 * to exist (the environment's prebuilt image where it names one, else the newest base image, found
 * at apply). No port is built and no call is made: the result says what the specs ask for, not
 * what would change.
 */
import type { EnvironmentCandidate } from '../environments/model.js';
import { baseImageQuery } from '../model/base-images.js';
import type { Desired } from '../model/desired.js';
import type { Observed, ObservedImage } from '../model/observed.js';
import { emptyRecord } from '../model/record.js';
import { planWorkstations } from '../kinds/workstation/plan/index.js';
import type { RunResult } from './pipeline.js';
import { withScheduleAndJobActions, withSchedulesAndJobs } from './schedules-jobs.js';
import { buildDesired } from '../kinds/workstation/desired.js';
import { validateLab } from '../specs/validate.js';

/** Image id shown for base images in a desired-only plan (the real one is chosen at apply). */
export const DESIRED_ONLY_IMAGE = 'ami-chosen-at-apply';

/** Validates and plans against an empty account. Makes no AWS call (it has no way to). */
export function planDesiredOnly(
  options: { dir: string; repo: string; now: Date },
  deps: { catalog: readonly EnvironmentCandidate[] },
): RunResult {
  const validation = validateLab(options.dir, { catalog: deps.catalog });
  const built = buildDesired(validation, options.repo);
  if (!built) return { validation, repo: options.repo };
  const desired = withSchedulesAndJobs(built, validation);
  const observed = emptyObserved(desired, options.now);
  const plan = withScheduleAndJobActions(
    planWorkstations(desired, observed, options.now),
    desired,
    observed,
    emptyRecord(),
    options.now,
  );
  return { validation, repo: options.repo, desired, observed, plan };
}

/** Nothing exists yet in the lab's own account; the images the workstations name are taken to exist. */
export function emptyObserved(desired: Desired, now: Date): Observed {
  const images: ObservedImage[] = [];
  for (const ws of desired.workstations) {
    const env = ws.environment;
    const query = baseImageQuery(env.os, env.architecture);
    const name = query.namePattern.replace(/\*/g, 'desired-only').replace(/\?/g, 'x');
    const common = { architecture: env.architecture, creationDate: now.toISOString(), state: 'available', tags: {} };
    images.push({ imageId: DESIRED_ONLY_IMAGE, region: ws.region, name, ownerId: query.owner, ...common });
    for (const [region, imageId] of Object.entries(env.images))
      images.push({ imageId, region, name: `${env.name}-${env.version}`, ownerId: desired.lab.accountId, ...common });
  }
  return {
    accountId: desired.lab.accountId,
    observedAt: now.toISOString(),
    instances: [],
    volumes: [],
    images,
    utilisation: {},
  };
}
