/**
 * Issue 19 (use the images) end to end: an AMI an EnvironmentImage built through the sim's EC2
 * Image Builder (an output AMI of this repository's build: model/image-provenance.ts) is what a
 * workstation of that exact environment version launches from, with no user data, while a
 * workstation of another version of the environment stays on the script path with the rendered
 * cloud-init; a rebuild's newer AMI replaces a workstation only with `image.follow: latest`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListImageBuildVersionsCommand, ListImagesCommand } from '@aws-sdk/client-imagebuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TAG } from '../../reconciler/src/model/tags.js';
import { REGION, actionsOf, startReconcile, userDataOf, workstationYaml } from './reconcile-harness.js';
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

/** An EnvironmentImage of lab-fmri@^1 in us-east-1, with `spec` overrides. */
function imageYaml(spec: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'labops/v1',
    kind: 'EnvironmentImage',
    metadata: { name: 'fmri', owner: 'pi', project: 'neuro' },
    spec: { environment: 'lab-fmri@^1', regions: [REGION], instanceTypes: ['m6i.large'], ...spec },
  });
}

/** Reconciles until the EnvironmentImage's build under way is AVAILABLE; returns the AMI that build output (Image Builder says). */
async function build(): Promise<string> {
  await h.run('apply');
  await h.sim.control.advance('3h');
  await h.run('apply');
  const ib = h.sim.imagebuilder(REGION);
  const [version] = (await ib.send(new ListImagesCommand({ owner: 'Self' }))).imageVersionList ?? [];
  const builds = await ib.send(new ListImageBuildVersionsCommand({ imageVersionArn: version?.arn }));
  const newest = (builds.imageSummaryList ?? []).sort((x, y) =>
    (y.dateCreated ?? '').localeCompare(x.dateCreated ?? ''),
  )[0];
  return newest?.outputResources?.amis?.find((ami) => ami.region === REGION)?.image ?? '';
}

/** Adds workstation files to the lab. */
function addWorkstations(files: Record<string, string>): void {
  mkdirSync(join(h.dir, 'workstations'), { recursive: true });
  for (const [path, text] of Object.entries(files)) h.write(path, text);
}

describe('workstations launch from built environment images', () => {
  it('the exact version launches from its built image with no user data; another version stays on the script path', async () => {
    h = await startReconcile({
      'environments/fmri-1.yaml': environmentYaml('1.0.0', 'tcsh'),
      'environments/fmri-2.yaml': environmentYaml('2.0.0', 'ksh'),
      'images/fmri.yaml': imageYaml(),
    });
    const built = await build();
    addWorkstations({
      'workstations/alice.yaml': workstationYaml('alice-ws', { environment: 'lab-fmri@^1' }, 'alice'),
      'workstations/bob.yaml': workstationYaml('bob-ws', { environment: 'lab-fmri@^2' }, 'bob'),
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
    h = await startReconcile({
      'environments/fmri-1.yaml': environmentYaml('1.0.0', 'tcsh'),
      'images/fmri.yaml': imageYaml({ rebuild: { every: '1d' } }),
    });
    const first = await build();
    addWorkstations({
      'workstations/alice.yaml': workstationYaml('alice-ws', { environment: 'lab-fmri@^1' }, 'alice'),
    });
    await h.run('apply');
    await h.sim.control.advance('25h');
    const newer = await build();

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
