/**
 * A built image is an AMI one of this repository's Image Builder builds output, never an AMI that
 * carries the right tags. Attack: anyone allowed ec2:CreateImage and CreateTags in the account (a
 * student's workstation role, another tool) makes AMIs with exactly the tags of the real built AMI
 * — one newer than it, one older — after an EnvironmentImage built through the sim's Image Builder.
 * Without the provenance check (model/image-provenance.ts) the newer forgery is what a new
 * `ami_preferred` workstation boots, it pushes the real AMI out of `keep: 1` (labops deregisters
 * its own image), the older forgery is deregistered by labops (not its resource), and `labops
 * status` lists both forgeries as images of the environment.
 */
import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Tag } from '@aws-sdk/client-ec2';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListImageBuildVersionsCommand, ListImagesCommand } from '@aws-sdk/client-imagebuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  REGION,
  REPO,
  actionsOf,
  startReconcile,
  userDataOf,
  workstationYaml,
} from '../integration/reconcile-harness.js';
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

const IMAGE = stringify({
  apiVersion: 'labops/v1',
  kind: 'EnvironmentImage',
  metadata: { name: 'fmri', owner: 'pi', project: 'neuro' },
  spec: { environment: 'lab-fmri@^1', regions: [REGION], instanceTypes: ['m6i.large'], keep: 1 },
});

/** Every AMI this account owns in the Region, with its tags, by id. */
async function ownAmis(): Promise<Map<string, Tag[]>> {
  const out = await h.sim.ec2(REGION).send(new DescribeImagesCommand({ Owners: ['self'] }));
  return new Map((out.Images ?? []).map((i) => [i.ImageId ?? '', i.Tags ?? []]));
}

/** The AMI the EnvironmentImage's one build output in the Region, as Image Builder reports it. */
async function builtAmi(): Promise<string> {
  const ib = h.sim.imagebuilder(REGION);
  const [version] = (await ib.send(new ListImagesCommand({ owner: 'Self' }))).imageVersionList ?? [];
  const builds = await ib.send(new ListImageBuildVersionsCommand({ imageVersionArn: version?.arn }));
  const amis = (builds.imageSummaryList ?? []).flatMap((b) => b.outputResources?.amis ?? []);
  expect(amis).toHaveLength(1);
  return amis[0]?.image ?? '';
}

/** The attacker's AMI: CreateImage of an instance they launched (no tags yet). Returns its id. */
async function forgeAmi(): Promise<string> {
  const ec2 = h.sim.ec2(REGION);
  const base = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['099720109477'],
      Filters: [{ Name: 'name', Values: ['ubuntu/images/*jammy-22.04-amd64*'] }],
    }),
  );
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: base.Images?.[0]?.ImageId,
      InstanceType: 'm6i.large',
      MinCount: 1,
      MaxCount: 1,
    }),
  );
  const instanceId = launched.Instances?.[0]?.InstanceId ?? '';
  await h.sim.control.advance('5m');
  const image = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: `forged-${instanceId}` }));
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  return image.ImageId ?? '';
}

describe('built images count by provenance, not by tags', () => {
  it('forged AMIs with exactly the real tags: never launched from, never kept or retired, never listed', async () => {
    h = await startReconcile({ 'environments/fmri.yaml': FMRI, 'images/fmri.yaml': IMAGE });
    const older = await forgeAmi();
    await h.run('apply');
    await h.sim.control.advance('3h');
    const built = await h.run('apply');
    const real = await builtAmi();
    const realTags = (await ownAmis()).get(real) ?? [];
    const newer = await forgeAmi();
    await h.sim.control.advance('30m');
    for (const forged of [older, newer])
      await h.sim.ec2(REGION).send(new CreateTagsCommand({ Resources: [forged], Tags: realTags }));
    mkdirSync(join(h.dir, 'workstations'));
    h.write(
      'workstations/alice.yaml',
      workstationYaml('alice-ws', { environment: 'lab-fmri@^1', image: { strategy: 'ami_preferred' } }, 'alice'),
    );
    await h.sim.control.resetCalls();

    const applied = await h.run('apply');
    const status = await h.cli('status', '--format', 'json');

    expect(actionsOf(built)).toEqual([]);
    expect(realTags).toContainEqual({ Key: 'labops:repo', Value: REPO });
    expect((await ownAmis()).get(older)).toEqual(realTags);
    expect((await ownAmis()).get(newer)).toEqual(realTags);
    // The real built AMI is what the new workstation boots, with no user data to run.
    expect(actionsOf(applied)).toEqual(['create alice-ws']);
    expect(applied.plan?.actions[0]?.reason).toContain(`from built image ${real}`);
    expect(applied.applied?.results.map((r) => r.status)).toEqual(['done']);
    expect((await h.instances('alice-ws')).map((i) => i.imageId)).toEqual([real]);
    expect(await userDataOf(h, 'alice-ws')).toBe('');
    // keep: 1 keeps the real AMI; neither forgery is counted, kept or deregistered.
    expect([...(await ownAmis()).keys()].sort()).toEqual([older, newer, real].sort());
    expect((await h.sim.control.calls())['EC2.DeregisterImage']).toBeUndefined();
    // labops status lists the real AMI as the environment's only image.
    expect(status.code).toBe(0);
    const body = JSON.parse(status.out) as { environmentImages?: { imageId: string | null }[] };
    expect(body.environmentImages?.map((i) => i.imageId)).toEqual([real]);
  });
});
