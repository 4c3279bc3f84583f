/**
 * A workstation boots only images this repository's EnvironmentImage built. Tags are untrusted:
 * an image in the account that carries this repository's `labops:repo` but was not built by an
 * EnvironmentImage — here a SnapshotSchedule image of bob's workstation (bob's disks) with a
 * forged `labops:environment` — is never what alice's workstation launches from, and neither is
 * an EnvironmentImage look-alike tagged for another repository.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TAG } from '../../reconciler/src/model/tags.js';
import { SCHEDULE_TAG } from '../../reconciler/src/model/schedule.js';
import { REPO, startReconcile, taggedImage, userDataOf, workstationYaml } from '../integration/reconcile-harness.js';
import type { ReconcileHarness } from '../integration/reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

const FMRI = stringify({
  apiVersion: 'labops/v1',
  kind: 'Environment',
  metadata: { name: 'lab-fmri', version: '1.0.0' },
  spec: { inherits: 'base-ubuntu@^1', packages: { apt: ['tcsh'] } },
});

describe('built images are trusted by origin, not by a look-alike tag', () => {
  it.each<[string, Record<string, string>]>([
    [
      "another owner's snapshot image with a forged labops:environment",
      {
        [TAG.repo]: REPO,
        [TAG.kind]: 'SnapshotSchedule',
        [TAG.owner]: 'bob',
        [SCHEDULE_TAG.workstation]: 'bob-ws',
        [TAG.environment]: 'lab-fmri@1.0.0',
      },
    ],
    [
      'an EnvironmentImage look-alike of another repository',
      { [TAG.repo]: `${REPO}-fork`, [TAG.kind]: 'EnvironmentImage', [TAG.environment]: 'lab-fmri@1.0.0' },
    ],
  ])('%s is never launched from', async (_, tags) => {
    h = await startReconcile({
      'environments/fmri.yaml': FMRI,
      'workstations/alice.yaml': workstationYaml('alice-ws', { environment: 'lab-fmri@^1' }, 'alice'),
    });
    const forged = await taggedImage(h, tags);

    const applied = await h.run('apply');

    expect(applied.applied?.results.map((r) => r.status)).toEqual(['done']);
    const [instance] = await h.instances('alice-ws');
    expect(instance?.imageId).not.toBe(forged);
    expect(await userDataOf(h, 'alice-ws')).toContain('tcsh');
  });
});
