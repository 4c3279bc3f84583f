/**
 * EnvironmentImage against `labops sim`'s EC2 Image Builder, through the pipeline: a spec becomes
 * AMIs AVAILABLE in two Regions; the second reconcile makes no Image Builder mutation; a failed test
 * phase (the sim's `imageTestFails`) leaves the plan refusing with Image Builder's reason; a new
 * environment version builds a new component and recipe while the old AMIs stay; retention
 * deregisters beyond `keep` but never an AMI an instance runs from; a workstation launched from
 * the AVAILABLE image has no user data and reads ready when its boot ends, and the plan's "time
 * saved" is measured on the lab's own launches.
 */
import { DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { Image } from '@aws-sdk/client-ec2';
import { ListImageRecipesCommand } from '@aws-sdk/client-imagebuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { failures, startRunHarness } from './run-harness.js';
import type { RunHarness } from './run-harness.js';

const REPO = 'lab/neuro';

/** A lab-local environment (so a test can bump its version) on the catalog's base-ubuntu. */
function environmentYaml(version: string, extra = ''): string {
  return `apiVersion: labops/v1
kind: Environment
metadata: { name: fmri, version: ${version} }
spec:
  inherits: base-ubuntu@^1
  packages: { pip: [nibabel] }
  services: [ { name: jupyterlab, port: 8888 } ]
  recommended: { instanceTypes: [m6i.xlarge], minRootGiB: 60 }
${extra}`;
}

function imageYaml(extra = ''): string {
  return `apiVersion: labops/v1
kind: EnvironmentImage
metadata: { name: fmri, owner: pi, project: neuro }
spec:
  environment: fmri@^1
  regions: [us-east-1, us-west-2]
  instanceTypes: [m6i.xlarge]
${extra}`;
}

const MUTATIONS = [
  'ImageBuilder.CreateComponent',
  'ImageBuilder.CreateImageRecipe',
  'ImageBuilder.CreateInfrastructureConfiguration',
  'ImageBuilder.CreateDistributionConfiguration',
  'ImageBuilder.CreateImage',
  'ImageBuilder.DeleteImage',
  'ImageBuilder.TagResource',
  'EC2.DeregisterImage',
  'EC2.DeleteSnapshot',
];

async function mutations(rh: RunHarness): Promise<Record<string, number>> {
  const calls = await rh.h.sim.control.calls();
  return Object.fromEntries(MUTATIONS.map((m) => [m, calls[m] ?? 0]));
}

/** AMIs EC2 shows in `region` tagged as this lab's EnvironmentImage, oldest first. */
async function amis(rh: RunHarness, region: string): Promise<Image[]> {
  const out = await rh.h.sim.ec2(region).send(
    new DescribeImagesCommand({
      Owners: ['self'],
      Filters: [
        { Name: 'tag:labops:repo', Values: [REPO] },
        { Name: 'tag:labops:kind', Values: ['EnvironmentImage'] },
      ],
    }),
  );
  return (out.Images ?? []).sort((a, b) => (a.CreationDate ?? '').localeCompare(b.CreationDate ?? ''));
}

function tag(image: Image | undefined, key: string): string | undefined {
  return image?.Tags?.find((t) => t.Key === key)?.Value;
}

let rh: RunHarness;
afterEach(async () => {
  await rh.close();
});

describe('EnvironmentImage through Image Builder (sim)', () => {
  it('builds a spec to AVAILABLE AMIs in two Regions; the next reconcile makes no Image Builder mutation', async () => {
    rh = await startRunHarness({ 'environments/fmri.yaml': environmentYaml('1.0.0'), 'images/fmri.yaml': imageYaml() });

    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    const second = await rh.reconcile();
    const before = await mutations(rh);
    const third = await rh.reconcile();

    expect(failures(first)).toEqual([]);
    expect(first.plan?.actions.map((a) => a.kind)).toEqual([
      'create-image-resource',
      'create-image-resource',
      'create-image-resource',
      'create-image-resource',
      'build-image',
    ]);
    expect(first.plan?.actions.find((a) => a.kind === 'build-image')?.reason).toBe(
      'build image fmri@1.0.0: none built yet; on m6i.xlarge, to us-east-1, us-west-2',
    );
    for (const region of ['us-east-1', 'us-west-2']) {
      const [image] = await amis(rh, region);
      expect([
        image?.State,
        tag(image, 'labops:environment'),
        tag(image, 'labops:name'),
        tag(image, 'labops:project'),
      ]).toEqual(['available', 'fmri@1.0.0', 'fmri', 'neuro']);
      expect(tag(image, 'labops:owner')).toBe('pi');
      expect(image?.Name).toMatch(/^labops-fmri-1\.0\.0-/);
    }
    expect(second.plan?.actions).toEqual([]);
    expect(third.plan?.actions).toEqual([]);
    expect(await mutations(rh)).toEqual(before);
    expect(before['ImageBuilder.CreateImage']).toBe(1);
  });

  it("a failed test phase: the plan refuses with Image Builder's reason, no build is retried by itself", async () => {
    rh = await startRunHarness({ 'environments/fmri.yaml': environmentYaml('1.0.0'), 'images/fmri.yaml': imageYaml() });
    await rh.h.sim.control.request('POST', 'faults', { rules: [{ kind: 'imageTestFails', step: 'Test' }] });

    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    const second = await rh.reconcile();

    expect(failures(first)).toEqual([]);
    expect(second.plan?.actions).toEqual([]);
    expect(second.plan?.refusals.map((r) => [r.code, r.resource?.name])).toEqual([['image-build-failed', 'fmri']]);
    expect(second.plan?.refusals[0]?.message).toMatch(
      /^image build of fmri@1\.0\.0 FAILED: Image test failed: .*phase 'test' step 'Test' failed with exit code 1\.; workstations keep the script path\./,
    );
    expect(await amis(rh, 'us-east-1')).toEqual([]);
    expect((await mutations(rh))['ImageBuilder.CreateImage']).toBe(1);
  });

  it('a new environment version builds a new component and recipe version while the old AMIs stay', async () => {
    rh = await startRunHarness({ 'environments/fmri.yaml': environmentYaml('1.0.0'), 'images/fmri.yaml': imageYaml() });
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    await rh.reconcile();

    rh.write({
      'environments/fmri.yaml': environmentYaml('1.1.0', '  # 1.1.0 adds mrtrix\n').replace(
        '[nibabel]',
        '[nibabel, mrtrix3]',
      ),
    });
    const bump = await rh.reconcile();
    await rh.h.sim.control.advance('3h');
    await rh.reconcile();

    expect(failures(bump)).toEqual([]);
    expect(bump.plan?.actions.map((a) => `${a.kind} ${a.reason}`)).toEqual([
      expect.stringMatching(/^create-image-resource create component labops-[0-9a-f]{6}-fmri 1\.1\.0$/),
      expect.stringMatching(
        /^create-image-resource create distribution configuration labops-[0-9a-f]{6}-fmri-dist-[0-9a-f]{8}$/,
      ),
      expect.stringMatching(
        /^create-image-resource create infrastructure configuration labops-[0-9a-f]{6}-fmri-infra-[0-9a-f]{8}$/,
      ),
      expect.stringMatching(/^create-image-resource create image recipe labops-[0-9a-f]{6}-fmri 1\.1\.0$/),
      'build-image build image fmri@1.1.0: none built yet; on m6i.xlarge, to us-east-1, us-west-2',
    ]);
    const recipes = await rh.h.sim.imagebuilder('us-east-1').send(new ListImageRecipesCommand({ owner: 'Self' }));
    expect((recipes.imageRecipeSummaryList ?? []).map((r) => r.arn?.split('/').pop()).sort()).toEqual([
      '1.0.0',
      '1.1.0',
    ]);
    expect((await amis(rh, 'us-west-2')).map((i) => tag(i, 'labops:environment'))).toEqual([
      'fmri@1.0.0',
      'fmri@1.1.0',
    ]);
  });

  it('retention keeps the newest `keep`, and never an AMI an instance runs from', async () => {
    rh = await startRunHarness({
      'environments/fmri.yaml': environmentYaml('1.0.0'),
      'images/fmri.yaml': imageYaml('  keep: 1\n  rebuild: { every: 1d }\n'),
    });
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    await rh.reconcile();
    const [firstEast] = await amis(rh, 'us-east-1');
    // A workstation launched from the first image in us-east-1 (its labops:ami tag says so) still runs.
    const base = await rh.h.sim.ec2('us-east-1').send(new DescribeImagesCommand({ Owners: ['099720109477'] }));
    await rh.h.sim.ec2('us-east-1').send(
      new RunInstancesCommand({
        ImageId: base.Images?.[0]?.ImageId,
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: [
              { Key: 'labops:repo', Value: REPO },
              { Key: 'labops:kind', Value: 'Workstation' },
              { Key: 'labops:ami', Value: firstEast?.ImageId ?? '' },
            ],
          },
        ],
      }),
    );

    const rebuild = await rh.reconcile('2026-11-18T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    const retire = await rh.reconcile();

    expect(rebuild.plan?.actions.find((a) => a.kind === 'build-image')?.rule).toBe('schedule: rebuild every 1d');
    expect(failures(retire)).toEqual([]);
    expect(retire.plan?.actions.filter((a) => a.kind === 'retire-image').map((a) => a.region)).toEqual(['us-west-2']);
    expect(retire.plan?.refusals.map((r) => r.code)).toContain('image-in-use');
    expect((await amis(rh, 'us-east-1')).map((i) => i.ImageId)).toContain(firstEast?.ImageId);
    expect(await amis(rh, 'us-west-2')).toHaveLength(1);
  });

  it('removing the last EnvironmentImage with prune on retires its AMIs and builds (their builds are still read)', async () => {
    rh = await startRunHarness(
      { 'environments/fmri.yaml': environmentYaml('1.0.0'), 'images/fmri.yaml': imageYaml() },
      { prune: true },
    );
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    await rh.reconcile();

    rh.remove('images/fmri.yaml');
    const pruned = await rh.reconcile();

    expect(failures(pruned)).toEqual([]);
    expect(pruned.plan?.actions.map((a) => `${a.kind} ${a.region} ${a.rule}`)).toEqual([
      'retire-image us-east-1 prune',
      'retire-image us-west-2 prune',
    ]);
    expect([...(await amis(rh, 'us-east-1')), ...(await amis(rh, 'us-west-2'))]).toEqual([]);
    expect((await mutations(rh))['ImageBuilder.DeleteImage']).toBe(1);
  });
});

/** A workstation of fmri@^1 owned by `owner`, with the image strategy given. */
function fmriWorkstation(name: string, strategy: string): string {
  return `apiVersion: labops/v1
kind: Workstation
metadata: { name: ${name}, owner: ${name}, project: neuro }
spec:
  environment: fmri@^1
  instanceType: m6i.xlarge
  storage: { rootGiB: 60 }
  image: { strategy: ${strategy} }
`;
}

/** The running instance of workstation `name` in us-east-1: its id, AMI and user data as the sim stored them. */
async function instanceOf(rh: RunHarness, name: string): Promise<{ id: string; imageId: string; userData: string }> {
  const out = await rh.h.sim
    .ec2('us-east-1')
    .send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:labops:name', Values: [name] }] }));
  const instance = out.Reservations?.flatMap((r) => r.Instances ?? [])[0];
  const id = instance?.InstanceId ?? '';
  const state = (await rh.h.sim.control.state()).ec2 as { instances: Record<string, { userData?: string }> };
  return { id, imageId: instance?.ImageId ?? '', userData: state.instances[id]?.userData ?? '' };
}

describe('workstations on the built image (sim)', () => {
  it("a failed test phase: an ami_preferred workstation takes the script path and its plan line gives Image Builder's reason", async () => {
    rh = await startRunHarness({ 'environments/fmri.yaml': environmentYaml('1.0.0'), 'images/fmri.yaml': imageYaml() });
    await rh.h.sim.control.request('POST', 'faults', { rules: [{ kind: 'imageTestFails', step: 'Test' }] });
    await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    rh.write({ 'workstations/after.yaml': fmriWorkstation('after', 'ami_preferred') });

    const run = await rh.reconcile();

    expect(failures(run)).toEqual([]);
    expect(run.plan?.actions.find((a) => a.resource.name === 'after')?.reason).toMatch(
      /the image build of fmri@1\.0\.0 FAILED: Image test failed: .*phase 'test' step 'Test' failed with exit code 1\.; the script path instead/,
    );
    const launched = await instanceOf(rh, 'after');
    expect(Buffer.from(launched.userData, 'base64').toString('utf8')).toContain('labops-provision:');
  });

  it('launch with no user data, read ready when the boot ends, and the next plan says what the image saves, measured', async () => {
    rh = await startRunHarness({
      'environments/fmri.yaml': environmentYaml('1.0.0'),
      'images/fmri.yaml': imageYaml(),
      'workstations/scripted.yaml': fmriWorkstation('scripted', 'script'),
      'workstations/imaged.yaml': fmriWorkstation('imaged', 'ami_required'),
    });

    // Build under way: the script-path workstation launches, the ami_required one waits.
    const first = await rh.reconcile('2026-11-16T12:00:00Z');
    await rh.h.sim.control.advance('3h');
    // The image is AVAILABLE; the script path's readiness is read (ready after the sim's 240 s).
    const second = await rh.reconcile();
    await rh.h.sim.control.advance('2m');
    const third = await rh.reconcile();
    rh.write({ 'workstations/later.yaml': fmriWorkstation('later', 'ami_preferred') });
    await rh.h.sim.control.resetCalls();
    const fourth = await rh.reconcile(undefined, 'plan');
    const consoleReads = (await rh.h.sim.control.calls())['EC2.GetConsoleOutput'] ?? 0;

    expect(failures(first)).toEqual([]);
    expect(first.plan?.actions.filter((a) => a.resource.kind === 'Workstation').map((a) => a.resource.name)).toEqual([
      'scripted',
    ]);
    const [amiEast] = await amis(rh, 'us-east-1');
    const imaged = await instanceOf(rh, 'imaged');
    expect(failures(second)).toEqual([]);
    expect(second.plan?.actions.find((a) => a.resource.name === 'imaged')?.reason).toContain(
      `from built image ${amiEast?.ImageId}; saves up to ~`,
    );
    expect(imaged).toMatchObject({ imageId: amiEast?.ImageId, userData: '' });
    expect((await instanceOf(rh, 'scripted')).userData).not.toBe('');
    expect(await rh.h.ports.ec2.readiness('us-east-1', [imaged.id])).toEqual({
      [imaged.id]: { state: 'ready', tookSeconds: 45, detail: 'status checks ok', path: 'image' },
    });
    expect(failures(third)).toEqual([]);
    expect(
      Object.values((await rh.record()).provisionTimes ?? {}).map((t) => [t.environment, t.path, t.seconds]),
    ).toEqual(
      expect.arrayContaining([
        ['fmri@1.0.0', 'script', 240],
        ['fmri@1.0.0', 'image', 45],
      ]),
    );
    const later = fourth.plan?.actions.find((a) => a.resource.name === 'later');
    expect(later?.reason).toContain(
      `from built image ${amiEast?.ImageId}; saves ~3m15s per launch (script path 4m, 1 launch; image boot 45s, 1 launch); image $`,
    );
    expect(later?.imageSavings).toMatchObject({ scriptSeconds: 240, scriptFrom: 'launches', imageSeconds: 45 });
    // Each instance's console is read once: both are measured, so this run reads none.
    expect(consoleReads).toBe(0);
  });
});
