import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateComponentCommand,
  CreateDistributionConfigurationCommand,
  CreateImageCommand,
  CreateImageRecipeCommand,
  CreateInfrastructureConfigurationCommand,
  GetImageCommand,
  ListComponentsCommand,
} from '@aws-sdk/client-imagebuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim } from '../support/sim.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labops-sim-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('state persistence', () => {
  it('keeps instances, tags, clock and id sequence across a restart', async () => {
    const file = join(dir, 'state.json');
    const first = await startTestSim({ state: file, log: () => {} });
    const ec2 = first.ec2();
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        ClientToken: 'persist-1',
      }),
    );
    const id = run.Instances?.[0]?.InstanceId ?? '';
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'owner', Value: 'alice' }] }));
    await first.control.advance('2h');
    await first.close();

    const second = await startTestSim({ state: file, log: () => {} });
    const ec2b = second.ec2();
    const described = await ec2b.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const replay = await ec2b.send(
      new RunInstancesCommand({
        ImageId: image,
        InstanceType: 't3.medium',
        MinCount: 1,
        MaxCount: 1,
        ClientToken: 'persist-1',
      }),
    );
    const next = await ec2b.send(
      new RunInstancesCommand({ ImageId: image, InstanceType: 't3.medium', MinCount: 1, MaxCount: 1 }),
    );
    const now = await second.control.now();
    await second.close();

    const inst = described.Reservations?.[0]?.Instances?.[0];
    expect(inst?.State?.Name).toBe('running');
    expect(inst?.Tags).toEqual([{ Key: 'owner', Value: 'alice' }]);
    expect(replay.Instances?.[0]?.InstanceId).toBe(id);
    expect(next.Instances?.[0]?.InstanceId).not.toBe(id);
    expect(now).toBe('2026-09-01T10:00:00.000Z');
  });

  it('keeps Image Builder resources, client tokens and a build in progress across a restart', async () => {
    // Arrange: a recipe, configurations and a build stopped mid-BUILDING, then a restart.
    const file = join(dir, 'state.json');
    const first = await startTestSim({ state: file, log: () => {} });
    const ib = first.imagebuilder();
    const parent = (await first.ec2().send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId;
    const data = 'phases:\n  - name: build\n    steps:\n      - name: Install\n        action: ExecuteBash\n';
    const c = await ib.send(
      new CreateComponentCommand({
        name: 'tools',
        semanticVersion: '1.0.0',
        platform: 'Linux',
        data,
        clientToken: 'c-1',
      }),
    );
    const r = await ib.send(
      new CreateImageRecipeCommand({
        name: 'lab',
        semanticVersion: '1.0.0',
        parentImage: parent,
        components: [{ componentArn: c.componentBuildVersionArn }],
      }),
    );
    const i = await ib.send(new CreateInfrastructureConfigurationCommand({ name: 'infra', instanceProfileName: 'p' }));
    const d = await ib.send(
      new CreateDistributionConfigurationCommand({
        name: 'dist',
        distributions: [
          { region: 'us-east-1', amiDistributionConfiguration: { name: 'lab-{{ imagebuilder:buildDate }}' } },
        ],
      }),
    );
    const image = await ib.send(
      new CreateImageCommand({
        imageRecipeArn: r.imageRecipeArn,
        infrastructureConfigurationArn: i.infrastructureConfigurationArn,
        distributionConfigurationArn: d.distributionConfigurationArn,
      }),
    );
    await first.control.advance('5m');
    await first.close();

    // Act
    const second = await startTestSim({ state: file, log: () => {} });
    const ib2 = second.imagebuilder();
    const arn = image.imageBuildVersionArn;
    const during = (await ib2.send(new GetImageCommand({ imageBuildVersionArn: arn }))).image?.state?.status;
    const replay = await ib2.send(
      new CreateComponentCommand({
        name: 'tools',
        semanticVersion: '1.0.0',
        platform: 'Linux',
        data,
        clientToken: 'c-1',
      }),
    );
    await second.control.advance('1h');
    const after = (await ib2.send(new GetImageCommand({ imageBuildVersionArn: arn }))).image;
    const components = await ib2.send(new ListComponentsCommand({}));
    const ami = after?.outputResources?.amis?.[0]?.image ?? '';
    const ec2Image = (await second.ec2().send(new DescribeImagesCommand({ ImageIds: [ami] }))).Images?.[0];
    await second.close();

    // Assert
    expect(during).toBe('BUILDING');
    expect(replay.componentBuildVersionArn).toBe(c.componentBuildVersionArn);
    expect(components.componentVersionList?.length).toBe(1);
    expect(after?.state?.status).toBe('AVAILABLE');
    expect(ec2Image?.State).toBe('available');
  });

  it('writes atomically: no temporary file is left and the file is complete JSON', async () => {
    const file = join(dir, 'state.json');
    const sim = await startTestSim({ state: file, log: () => {} });
    await sim.control.advance('1h');
    await sim.handle.flush();

    const files = await readdir(dir);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number; clock: string };
    await sim.close();

    expect(files).toEqual(['state.json']);
    expect(saved).toMatchObject({ version: 1, clock: '2026-09-01T09:00:00.000Z' });
  });

  it('refuses to start from a file that is not a state file', async () => {
    const file = join(dir, 'bad.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, '{"hello": 1}');

    await expect(startTestSim({ state: file })).rejects.toThrow(/not a labops sim state file/);
  });
});
