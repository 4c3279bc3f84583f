/**
 * Issue 19 (use the images) end to end: an AMI an EnvironmentImage built — made here the way Image
 * Builder makes one, CreateImage of a provisioned build instance with the EnvironmentImage's tags
 * (the full Image Builder flow is test/integration's EnvironmentImage test) — is what a workstation
 * of that exact environment version launches from, with no user data, while a workstation of
 * another version of the environment stays on the script path with the rendered cloud-init.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TAG } from '../../reconciler/src/model/tags.js';
import { REPO, actionsOf, startReconcile, taggedImage, userDataOf, workstationYaml } from './reconcile-harness.js';
import type { ReconcileHarness } from './reconcile-harness.js';

let h: ReconcileHarness;
afterEach(async () => {
  await h.close();
});

/** A lab environment `lab-fmri` at `version`, inheriting the catalog's base-ubuntu. */
function environmentYaml(version: string, apt: string): string {
  return stringify({
    apiVersion: 'labops/v1',
    kind: 'Environment',
    metadata: { name: 'lab-fmri', version },
    spec: { inherits: 'base-ubuntu@^1', packages: { apt: [apt] } },
  });
}

describe('workstations launch from built environment images', () => {
  it('the exact version launches from its built image with no user data; another version stays on the script path', async () => {
    h = await startReconcile({
      'environments/fmri-1.yaml': environmentYaml('1.0.0', 'tcsh'),
      'environments/fmri-2.yaml': environmentYaml('2.0.0', 'ksh'),
      'workstations/alice.yaml': workstationYaml('alice-ws', { environment: 'lab-fmri@^1' }, 'alice'),
      'workstations/bob.yaml': workstationYaml('bob-ws', { environment: 'lab-fmri@^2' }, 'bob'),
    });
    const built = await taggedImage(h, {
      [TAG.repo]: REPO,
      [TAG.kind]: 'EnvironmentImage',
      [TAG.environment]: 'lab-fmri@1.0.0',
      [TAG.project]: 'neuro',
    });

    await h.sim.control.resetCalls();
    const planned = await h.run('plan');
    const calls = await h.sim.control.calls();
    const applied = await h.run('apply');

    // Observed in bulk: the Region's own tagged images in one listing, its base OS images in another.
    expect(calls['EC2.DescribeImages']).toBe(2);
    expect(actionsOf(planned)).toEqual(['create alice-ws', 'create bob-ws']);
    const [alice, bob] = planned.plan?.actions ?? [];
    expect(alice?.reason).toContain(`from built image ${built}`);
    expect(bob?.reason).toContain('from base image + cloud-init');
    expect(applied.applied?.results.map((r) => r.status)).toEqual(['done', 'done']);
    const [aliceInstance] = await h.instances('alice-ws');
    const [bobInstance] = await h.instances('bob-ws');
    expect(aliceInstance).toMatchObject({
      imageId: built,
      tags: { [TAG.ami]: built, [TAG.environment]: 'lab-fmri@1.0.0' },
    });
    expect(bobInstance?.imageId).not.toBe(built);
    expect(bobInstance?.tags[TAG.environment]).toBe('lab-fmri@2.0.0');
    expect(await userDataOf(h, 'alice-ws')).toBe('');
    expect(await userDataOf(h, 'bob-ws')).toContain('ksh');
    expect(actionsOf(await h.run('plan'))).toEqual([]);
  });

  it('a newer built image replaces a workstation only once its spec says image.follow latest', async () => {
    const tags = { [TAG.repo]: REPO, [TAG.kind]: 'EnvironmentImage', [TAG.environment]: 'lab-fmri@1.0.0' };
    h = await startReconcile({
      'environments/fmri-1.yaml': environmentYaml('1.0.0', 'tcsh'),
      'workstations/alice.yaml': workstationYaml('alice-ws', { environment: 'lab-fmri@^1' }, 'alice'),
    });
    const first = await taggedImage(h, tags);
    await h.run('apply');
    const newer = await taggedImage(h, tags);

    const pinned = await h.run('plan');
    h.write(
      'workstations/alice.yaml',
      workstationYaml('alice-ws', { environment: 'lab-fmri@^1', image: { follow: 'latest' } }, 'alice'),
    );
    const following = await h.run('plan');
    const applied = await h.run('apply');

    expect(actionsOf(pinned)).toEqual([]);
    expect(actionsOf(following)).toEqual(['replace alice-ws']);
    expect(following.plan?.actions[0]?.reason).toContain(
      `image ${first} → ${newer} (newer built image of lab-fmri@1.0.0, image.follow latest)`,
    );
    expect(applied.applied?.results.map((r) => r.status)).toEqual(['done']);
    const [instance] = await h.instances('alice-ws');
    expect(instance).toMatchObject({ imageId: newer, tags: { [TAG.ami]: newer, [TAG.generation]: '1' } });
    expect(await userDataOf(h, 'alice-ws')).toBe('');
    expect(actionsOf(await h.run('plan'))).toEqual([]);
  });
});
