/** The desired-only plan (a fork's pull request): the pipeline against an account where nothing exists, with no AWS call. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../reconciler/src/environments/catalog.js';
import { planDesiredOnly } from '../../../reconciler/src/engine/desired-only.js';
import { plannedRun } from '../../../reconciler/src/engine/pipeline.js';
import { DESIRED_ONLY_IMAGE } from '../../../reconciler/src/kinds/workstation/observe.js';

const LAB = resolve(import.meta.dirname, '../../../examples/lab');
const NOW = new Date('2026-09-16T15:00:00Z');

describe('planDesiredOnly', () => {
  it('plans every workstation as a create and every job as a submission, observing nothing', async () => {
    const result = await planDesiredOnly(
      { dir: LAB, repo: 'acme/lab', now: NOW },
      { catalog: loadCatalog().environments },
    );

    expect(result.outcome).toBe('planned');
    if (result.outcome !== 'planned') return;
    const kinds = new Set(result.plan.actions.map((a) => a.kind));
    expect(
      [...kinds].every((k) =>
        [
          'create',
          'submit-job',
          'snapshot',
          'create-compute-environment',
          'create-job-queue',
          'create-aws-budget',
          'create-image-resource',
          'build-image',
        ].includes(k),
      ),
    ).toBe(true);
    expect(result.plan.actions.filter((a) => a.kind === 'create').map((a) => a.resource.name)).toEqual(
      result.desired.workstations.map((w) => w.name).sort(),
    );
    expect(result.observed).toMatchObject({ instances: [], volumes: [], snapshots: [], jobs: [], jobQueues: {} });
    expect(result.observed.images.some((i) => i.imageId === DESIRED_ONLY_IMAGE)).toBe(true);
  });

  it('is invalid, with the problems, when the Lab is missing', async () => {
    const result = await planDesiredOnly(
      { dir: resolve(LAB, 'workstations'), repo: 'acme/lab', now: NOW },
      { catalog: loadCatalog().environments },
    );

    expect(result.outcome).toBe('invalid');
    expect(plannedRun(result)).toBeUndefined();
  });
});
