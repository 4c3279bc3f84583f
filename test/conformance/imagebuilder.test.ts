/**
 * EC2 Image Builder behaviours `labops sim` promises, each beside the AWS documentation it comes
 * from (URL and sentence), checked with the real @aws-sdk/client-imagebuilder (and the EC2 and Cost
 * Explorer clients for what a build leaves behind) against the sim. Engineers append their own
 * describe blocks.
 */
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeImagesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import {
  CancelImageCreationCommand,
  CreateComponentCommand,
  CreateDistributionConfigurationCommand,
  CreateImageCommand,
  CreateImageRecipeCommand,
  CreateInfrastructureConfigurationCommand,
  DeleteComponentCommand,
  DeleteDistributionConfigurationCommand,
  DeleteImageCommand,
  DeleteImageRecipeCommand,
  DeleteInfrastructureConfigurationCommand,
  GetComponentCommand,
  GetImageCommand,
  GetImageRecipeCommand,
  GetInfrastructureConfigurationCommand,
  GetDistributionConfigurationCommand,
  ListComponentsCommand,
  ListDistributionConfigurationsCommand,
  ListImageBuildVersionsCommand,
  ListImageRecipesCommand,
  ListImagesCommand,
  ListInfrastructureConfigurationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-imagebuilder';
import type { CreateComponentCommandInput } from '@aws-sdk/client-imagebuilder';
import type { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { beforeEach, describe, expect, it } from 'vitest';
import { answer, conformanceSim, outcome, ubuntuImage } from '../support/conformance.js';

const START = '2026-10-01T00:00:00Z';
const aws = conformanceSim({ start: START });
let ib: ImagebuilderClient;

beforeEach(() => {
  ib = aws.sim.imagebuilder();
});

/** An AWSTOE document: one build step, one test step (the test step's name appears in failure reasons). */
const DOCUMENT = [
  'name: lab-tools',
  'schemaVersion: 1.0',
  'phases:',
  '  - name: build',
  '    steps:',
  '      - name: InstallR',
  '        action: ExecuteBash',
  '        inputs:',
  '          commands: [apt-get install -y r-base]',
  '  - name: test',
  '    steps:',
  '      - name: CheckR',
  '        action: ExecuteBash',
  '        inputs:',
  '          commands: [R --version]',
  '',
].join('\n');

function component(extra: Partial<CreateComponentCommandInput> = {}): CreateComponentCommand {
  return new CreateComponentCommand({
    name: 'lab-tools',
    semanticVersion: '1.0.0',
    platform: 'Linux',
    data: DOCUMENT,
    ...extra,
  });
}

interface Chain {
  componentArn: string;
  recipeArn: string;
  infraArn: string;
  distArn: string;
}

/**
 * A component, a recipe over Ubuntu 24.04 with a 30 GiB root volume, an infrastructure
 * configuration on m6i.large, and a distribution to us-east-1 and eu-west-1 tagged for a project.
 */
async function chain(): Promise<Chain> {
  const c = await ib.send(component());
  const r = await ib.send(
    new CreateImageRecipeCommand({
      name: 'genomics',
      semanticVersion: '1.0.0',
      parentImage: await ubuntuImage(aws.ec2),
      components: [{ componentArn: c.componentBuildVersionArn }],
      blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { volumeSize: 30, volumeType: 'gp3' } }],
    }),
  );
  const i = await ib.send(
    new CreateInfrastructureConfigurationCommand({
      name: 'lab-build',
      instanceProfileName: 'EC2InstanceProfileForImageBuilder',
      instanceTypes: ['m6i.large', 'm6i.xlarge'],
    }),
  );
  const d = await ib.send(
    new CreateDistributionConfigurationCommand({
      name: 'lab-dist',
      distributions: [
        {
          region: 'us-east-1',
          amiDistributionConfiguration: {
            name: 'genomics-{{ imagebuilder:buildDate }}',
            amiTags: { 'labops:project': 'genomics' },
          },
        },
        {
          region: 'eu-west-1',
          amiDistributionConfiguration: {
            name: 'genomics-{{ imagebuilder:buildDate }}',
            amiTags: { 'labops:project': 'genomics' },
          },
        },
      ],
    }),
  );
  return {
    componentArn: c.componentBuildVersionArn ?? '',
    recipeArn: r.imageRecipeArn ?? '',
    infraArn: i.infrastructureConfigurationArn ?? '',
    distArn: d.distributionConfigurationArn ?? '',
  };
}

async function build(c: Chain, tags: Record<string, string> = { 'labops:project': 'genomics' }): Promise<string> {
  const out = await ib.send(
    new CreateImageCommand({
      imageRecipeArn: c.recipeArn,
      infrastructureConfigurationArn: c.infraArn,
      distributionConfigurationArn: c.distArn,
      tags,
    }),
  );
  return out.imageBuildVersionArn ?? '';
}

async function status(arn: string): Promise<string | undefined> {
  return (await ib.send(new GetImageCommand({ imageBuildVersionArn: arn }))).image?.state?.status;
}

/** Steps the clock 30 s at a time until the build ends: each status and the second it was first seen. */
async function watch(arn: string): Promise<[string, number][]> {
  const seen: [string, number][] = [];
  const start = Date.parse(await aws.sim.control.now());
  for (let i = 0; i < 400; i++) {
    const now = (Date.parse(await aws.sim.control.now()) - start) / 1000;
    const s = (await status(arn)) ?? '';
    if (seen.at(-1)?.[0] !== s) seen.push([s, now]);
    if (s === 'AVAILABLE' || s === 'FAILED' || s === 'CANCELLED') return seen;
    await aws.sim.control.advance('30s');
  }
  return seen;
}

describe('Image Builder: components', () => {
  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
  // "Build version ARNs have all four nodes, and point to a specific build for a specific version
  // of an object." / "Image Builder automatically assigns the build number to the fourth node."
  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_DistributionConfiguration.html
  // arn "Pattern: ^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws(?:-[a-z-]+)?|third-party):
  // (?:image-recipe|...|component|image|...)/[a-z0-9-_]+(?:/(?:(?:x|[0-9]+)\.(?:x|[0-9]+)\.(?:x|[0-9]+))(?:/[0-9]+)?)?$"
  it('creates a build version ARN component/NAME/VERSION/1, the name in lower case', async () => {
    const out = await ib.send(component({ name: 'Lab Tools' }));

    expect(out.componentBuildVersionArn).toBe(
      'arn:aws:imagebuilder:us-east-1:123456789012:component/lab-tools/1.0.0/1',
    );
    // https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
    // "Image Builder automatically provides pre-built version pattern ARNs with wildcards in the
    // latestVersionReferences object"
    expect(out.latestVersionReferences).toEqual({
      latestVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/lab-tools/x.x.x',
      latestMajorVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/lab-tools/1.x.x',
      latestMinorVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/lab-tools/1.0.x',
      latestPatchVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/lab-tools/1.0.0',
    });
    const got = await ib.send(new GetComponentCommand({ componentBuildVersionArn: out.componentBuildVersionArn }));
    expect(got.component).toMatchObject({
      name: 'Lab Tools',
      version: '1.0.0',
      platform: 'Linux',
      data: DOCUMENT,
      owner: '123456789012',
    });
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
  // "For the first three nodes you can assign any positive integer value, or zero, with an upper
  // limit of 2^30-1, or 1073741823 for each node."
  // InvalidVersionNumberException: "Your version number is out of bounds or does not follow the required syntax."
  it.each([
    ['two nodes', '1.0', 'InvalidVersionNumberException'],
    ['four nodes', '1.0.0.1', 'InvalidVersionNumberException'],
    ['letters', 'a.b.c', 'InvalidVersionNumberException'],
    ['a node above 2^30-1', '1073741824.0.0', 'InvalidVersionNumberException'],
    ['the upper limit itself', '1073741823.0.0', 'accepted'],
    ['zeros', '0.0.0', 'accepted'],
  ])('semanticVersion with %s: %s → %s', async (_case, semanticVersion, expected) => {
    expect(await outcome(ib.send(component({ semanticVersion })))).toBe(expected);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
  // "Image Builder uses semantic versioning to organize resources and ensure that they have unique IDs."
  // ResourceAlreadyExistsException: "The resource that you are trying to create already exists."
  it('is immutable: the same name and version again is ResourceAlreadyExistsException, a new version is a new resource', async () => {
    await ib.send(component());

    const again = await outcome(ib.send(component({ description: 'changed' })));
    const next = await ib.send(component({ semanticVersion: '1.0.1' }));

    expect(again).toBe('ResourceAlreadyExistsException');
    expect(next.componentBuildVersionArn).toMatch(/component\/lab-tools\/1\.0\.1\/1$/);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateComponent.html
  // clientToken: "Unique, case-sensitive identifier you provide to ensure idempotency of the request."
  // IdempotentParameterMismatchException: "You have specified a client token for an operation
  // using parameter values that differ from a previous request that used the same client token."
  it('replays a clientToken with the same request and refuses it with a different one', async () => {
    const first = await ib.send(component({ clientToken: 'token-1' }));

    const replay = await ib.send(component({ clientToken: 'token-1' }));
    const mismatch = await outcome(ib.send(component({ clientToken: 'token-1', semanticVersion: '2.0.0' })));
    const listed = await ib.send(new ListComponentsCommand({}));

    expect(replay.componentBuildVersionArn).toBe(first.componentBuildVersionArn);
    expect(replay.clientToken).toBe('token-1');
    expect(mismatch).toBe('IdempotentParameterMismatchException');
    expect(listed.componentVersionList?.length).toBe(1);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateComponent.html
  // "The component is based on a YAML document that you specify using exactly one of the following
  // methods: Inline, using the data property in the request body. A URL that points to a YAML
  // document file stored in Amazon S3, using the uri property in the request body."
  it.each([
    ['neither data nor uri', { data: undefined }, 'InvalidRequestException'],
    ['data and uri', { uri: 's3://bucket/doc.yaml' }, 'InvalidRequestException'],
    ['a document without phases', { data: 'schemaVersion: 1.0\n' }, 'InvalidParameterValueException'],
    ['a platform Image Builder does not know', { platform: 'BeOS' }, 'InvalidParameterValueException'],
  ])('refuses %s', async (_case, extra, expected) => {
    expect(await outcome(ib.send(component(extra as Partial<CreateComponentCommandInput>)))).toBe(expected);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
  // "When you use a wildcard in any node, all nodes to the right of the first wildcard must also
  // be wildcards." / "x.x.x = 2.2.4" "1.x.x= 1.7.8" "1.6.x= 1.6.8" "x.2.x is invalid, and produces
  // an error" (given the latest versions 2.2.4, 1.7.8 and 1.6.8)
  it.each([
    ['x.x.x', 'accepted'],
    ['1.x.x', 'accepted'],
    ['1.6.x', 'accepted'],
    ['x.2.x', 'InvalidParameterValueException'],
    ['1.x.8', 'InvalidParameterValueException'],
    ['3.x.x', 'ResourceNotFoundException'],
  ])('a recipe may name a component version %s: %s', async (version, expected) => {
    for (const v of ['2.2.4', '1.7.8', '1.6.8']) await ib.send(component({ semanticVersion: v }));
    const parentImage = await ubuntuImage(aws.ec2);

    const name = await outcome(
      ib.send(
        new CreateImageRecipeCommand({
          name: `r-${version.replace(/\./g, '-')}`,
          semanticVersion: '1.0.0',
          parentImage,
          components: [{ componentArn: `arn:aws:imagebuilder:us-east-1:123456789012:component/lab-tools/${version}` }],
        }),
      ),
    );

    expect(name).toBe(expected);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ListComponents.html
  // maxResults "Valid Range: Minimum value of 1. Maximum value of 25." nextToken "A token to specify
  // where to start paginating. This is the nextToken from a previously truncated response."
  // filters: "description", "name", "platform", "supportedOsVersion", "type", "version"
  it('pages ListComponents with maxResults and nextToken, and filters by name and version', async () => {
    for (let i = 0; i < 7; i++) await ib.send(component({ semanticVersion: `1.0.${i}` }));
    await ib.send(component({ name: 'other', semanticVersion: '1.0.0' }));

    const pages: number[] = [];
    let nextToken: string | undefined;
    do {
      const out = await ib.send(new ListComponentsCommand({ maxResults: 3, nextToken }));
      pages.push(out.componentVersionList?.length ?? 0);
      nextToken = out.nextToken;
    } while (nextToken !== undefined);
    const named = await ib.send(
      new ListComponentsCommand({
        filters: [
          { name: 'name', values: ['lab-tools'] },
          { name: 'version', values: ['1.0.2', '1.0.5'] },
        ],
      }),
    );
    const tooMany = await outcome(ib.send(new ListComponentsCommand({ maxResults: 26 })));
    const badToken = await outcome(ib.send(new ListComponentsCommand({ nextToken: 'forged' })));

    expect(pages).toEqual([3, 3, 2]);
    expect(named.componentVersionList?.map((c) => c.version)).toEqual(['1.0.2', '1.0.5']);
    // Version entries: "Version ARNs have only the first three nodes: <major>.<minor>.<patch>"
    expect(named.componentVersionList?.[0]?.arn).toMatch(/component\/lab-tools\/1\.0\.2$/);
    expect(tooMany).toBe('InvalidParameterValueException');
    // InvalidPaginationTokenException: "You have provided an invalid pagination token in your request."
    expect(badToken).toBe('InvalidPaginationTokenException');
  });
});

describe('Image Builder: recipes and configurations', () => {
  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateImageRecipe.html
  // parentImage: "The base image for customizations specified in the image recipe." (an AMI ID
  // the account can use in the Region)
  it('refuses a parent AMI that EC2 does not show in the Region', async () => {
    const c = await ib.send(component());

    const name = await outcome(
      ib.send(
        new CreateImageRecipeCommand({
          name: 'genomics',
          semanticVersion: '1.0.0',
          parentImage: 'ami-0123456789abcdef0',
          components: [{ componentArn: c.componentBuildVersionArn }],
        }),
      ),
    );

    expect(name).toBe('InvalidParameterValueException');
  });

  it('creates each resource and reads it back with Get and List', async () => {
    const c = await chain();

    const recipe = await ib.send(new GetImageRecipeCommand({ imageRecipeArn: c.recipeArn }));
    const infra = await ib.send(
      new GetInfrastructureConfigurationCommand({ infrastructureConfigurationArn: c.infraArn }),
    );
    const dist = await ib.send(new GetDistributionConfigurationCommand({ distributionConfigurationArn: c.distArn }));
    const recipes = await ib.send(new ListImageRecipesCommand({ filters: [{ name: 'name', values: ['genomics'] }] }));
    const infras = await ib.send(new ListInfrastructureConfigurationsCommand({}));
    const dists = await ib.send(new ListDistributionConfigurationsCommand({}));

    expect(c.recipeArn).toBe('arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/genomics/1.0.0');
    expect(recipe.imageRecipe).toMatchObject({
      name: 'genomics',
      version: '1.0.0',
      platform: 'Linux',
      components: [{ componentArn: c.componentArn }],
      blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { volumeSize: 30, volumeType: 'gp3' } }],
    });
    expect(c.infraArn).toBe('arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/lab-build');
    // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateInfrastructureConfiguration.html
    // terminateInstanceOnFailure: "The terminate instance on failure setting specifies whether the
    // instance used to build the image is terminated when the build fails" (true unless set)
    expect(infra.infrastructureConfiguration).toMatchObject({
      instanceTypes: ['m6i.large', 'm6i.xlarge'],
      instanceProfileName: 'EC2InstanceProfileForImageBuilder',
      terminateInstanceOnFailure: true,
    });
    expect(dist.distributionConfiguration?.distributions?.map((d) => d.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(recipes.imageRecipeSummaryList?.map((r) => r.arn)).toEqual([c.recipeArn]);
    expect(infras.infrastructureConfigurationSummaryList?.map((r) => r.arn)).toEqual([c.infraArn]);
    expect(dists.distributionConfigurationSummaryList?.[0]?.regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateInfrastructureConfiguration.html
  // securityGroupIds: "The security group IDs to associate with the instance used to customize
  // your Amazon EC2 AMI." subnetId: "The subnet ID in which to place the instance used to
  // customize your Amazon EC2 AMI."
  it('refuses security groups without the subnet they belong in', async () => {
    const name = await outcome(
      ib.send(
        new CreateInfrastructureConfigurationCommand({
          name: 'lab-build',
          instanceProfileName: 'p',
          securityGroupIds: ['sg-0123456789abcdef0'],
        }),
      ),
    );

    expect(name).toBe('InvalidRequestException');
  });

  // ResourceNotFoundException: "At least one of the resources referenced by your request does not exist."
  it.each([
    [
      'GetComponent',
      () =>
        new GetComponentCommand({
          componentBuildVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/none/1.0.0/1',
        }),
    ],
    [
      'GetImageRecipe',
      () =>
        new GetImageRecipeCommand({
          imageRecipeArn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/none/1.0.0',
        }),
    ],
    [
      'GetImage',
      () =>
        new GetImageCommand({ imageBuildVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:image/none/1.0.0/1' }),
    ],
    [
      'DeleteInfrastructureConfiguration',
      () =>
        new DeleteInfrastructureConfigurationCommand({
          infrastructureConfigurationArn:
            'arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/none',
        }),
    ],
  ])('%s of an unknown ARN is ResourceNotFoundException', async (_op, command) => {
    expect(await outcome(ib.send(command() as GetComponentCommand))).toBe('ResourceNotFoundException');
  });

  // ResourceDependencyException: "You have attempted to mutate or delete a resource with a
  // dependency that prohibits this action. See the error message for more details."
  it('refuses to delete a component, recipe or configuration still referenced, and deletes them in order', async () => {
    const c = await chain();
    const image = await build(c);
    await watch(image);

    const blocked = [
      await outcome(ib.send(new DeleteComponentCommand({ componentBuildVersionArn: c.componentArn }))),
      await outcome(ib.send(new DeleteImageRecipeCommand({ imageRecipeArn: c.recipeArn }))),
      await outcome(
        ib.send(new DeleteInfrastructureConfigurationCommand({ infrastructureConfigurationArn: c.infraArn })),
      ),
      await outcome(ib.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: c.distArn }))),
    ];
    await ib.send(new DeleteImageCommand({ imageBuildVersionArn: image }));
    const freed = [
      await outcome(ib.send(new DeleteImageRecipeCommand({ imageRecipeArn: c.recipeArn }))),
      await outcome(ib.send(new DeleteComponentCommand({ componentBuildVersionArn: c.componentArn }))),
      await outcome(
        ib.send(new DeleteInfrastructureConfigurationCommand({ infrastructureConfigurationArn: c.infraArn })),
      ),
      await outcome(ib.send(new DeleteDistributionConfigurationCommand({ distributionConfigurationArn: c.distArn }))),
    ];

    expect(blocked).toEqual(Array(4).fill('ResourceDependencyException'));
    expect(freed).toEqual(Array(4).fill('accepted'));
  });
});

describe('Image Builder: builds on the simulated clock', () => {
  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ImageState.html
  // status: "A new image moves through build, test, and distribution statuses during creation, and
  // ends in the AVAILABLE, FAILED, or CANCELLED state." Valid Values: "PENDING | CREATING |
  // BUILDING | TESTING | DISTRIBUTING | INTEGRATING | AVAILABLE | CANCELLED | FAILED | ..."
  it('moves PENDING → CREATING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE in tens of minutes', async () => {
    const c = await chain();

    const image = await build(c);
    const seen = await watch(image);

    // PENDING 60 s, CREATING 180 s, BUILDING 300 + 90/step, TESTING 300 + 60/step, DISTRIBUTING
    // 240 + 2/GiB + 120 per further Region: 23.5 minutes for one build step, one test step, 30 GiB, 2 Regions.
    expect(seen).toEqual([
      ['PENDING', 0],
      ['CREATING', 60],
      ['BUILDING', 240],
      ['TESTING', 630],
      ['DISTRIBUTING', 990],
      ['AVAILABLE', 1410],
    ]);
    expect(image).toBe('arn:aws:imagebuilder:us-east-1:123456789012:image/genomics/1.0.0/1');
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html
  // "Image Builder automatically assigns the build number to the fourth node."
  it('numbers builds of the same recipe /1, /2 and lists them under the image version', async () => {
    const c = await chain();
    const first = await build(c);
    await watch(first);

    const second = await build(c);
    const versions = await ib.send(new ListImagesCommand({}));
    const builds = await ib.send(
      new ListImageBuildVersionsCommand({
        imageVersionArn: 'arn:aws:imagebuilder:us-east-1:123456789012:image/genomics/1.0.0',
      }),
    );

    expect(second).toMatch(/image\/genomics\/1\.0\.0\/2$/);
    expect(versions.imageVersionList?.map((v) => [v.arn, v.version, v.owner])).toEqual([
      ['arn:aws:imagebuilder:us-east-1:123456789012:image/genomics/1.0.0', '1.0.0', '123456789012'],
    ]);
    expect(builds.imageSummaryList?.map((b) => [b.arn, b.state?.status])).toEqual([
      [first, 'AVAILABLE'],
      [second, 'PENDING'],
    ]);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateImage.html
  // clientToken: "Unique, case-sensitive identifier you provide to ensure idempotency of the request."
  it('starts one build for a repeated clientToken', async () => {
    const c = await chain();
    const input = { imageRecipeArn: c.recipeArn, infrastructureConfigurationArn: c.infraArn, clientToken: 'bake-1' };

    const a = await ib.send(new CreateImageCommand(input));
    const b = await ib.send(new CreateImageCommand(input));
    const other = await outcome(ib.send(new CreateImageCommand({ ...input, distributionConfigurationArn: c.distArn })));

    expect(b.imageBuildVersionArn).toBe(a.imageBuildVersionArn);
    expect(other).toBe('IdempotentParameterMismatchException');
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/tag-resources.html
  // "{{imagebuilder:buildDate}} Resolves to the build date/time at build time." / "Image Builder
  // automatically adds the following tags to your output AMIs. "CreatedBy":"EC2 Image Builder"
  // "Ec2ImageBuilderArn":"arn:aws:imagebuilder:..." This tag contains the ARN of the Image Builder
  // image resource that was used to create the AMI."
  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_Distribution.html
  // region: "The target Region."
  it('leaves an available AMI, named and tagged per the distribution, in every distribution Region', async () => {
    const c = await chain();
    const image = await build(c);
    await watch(image);

    const got = await ib.send(new GetImageCommand({ imageBuildVersionArn: image }));
    const amis = got.image?.outputResources?.amis ?? [];
    const byRegion = await Promise.all(
      ['us-east-1', 'eu-west-1'].map(async (region) => {
        const out = await aws.sim.ec2(region).send(new DescribeImagesCommand({ Owners: ['self'] }));
        return out.Images?.[0];
      }),
    );
    const snapshots = await aws.sim
      .ec2('eu-west-1')
      .send(
        new DescribeSnapshotsCommand({ SnapshotIds: [byRegion[1]?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? ''] }),
      );

    expect(amis.map((a) => [a.region, a.name, a.accountId])).toEqual([
      ['us-east-1', 'genomics-2026-10-01T00-00-00.000Z', '123456789012'],
      ['eu-west-1', 'genomics-2026-10-01T00-00-00.000Z', '123456789012'],
    ]);
    for (const [i, ec2Image] of byRegion.entries()) {
      expect(ec2Image?.ImageId).toBe(amis[i]?.image);
      expect(ec2Image).toMatchObject({ Name: amis[i]?.name, State: 'available', OwnerId: '123456789012' });
      expect(Object.fromEntries((ec2Image?.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
        'labops:project': 'genomics',
        CreatedBy: 'EC2 Image Builder',
        Ec2ImageBuilderArn: image,
      });
    }
    expect(snapshots.Snapshots?.[0]).toMatchObject({ VolumeSize: 30, State: 'completed' });
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_DeleteImage.html
  // "Deletes an Image Builder image resource. This does not delete any EC2 AMIs or ECR container
  // images that are created during the image build process. You must clean those up separately,
  // using the appropriate Amazon EC2 or Amazon ECR console actions, or API or CLI commands."
  it('DeleteImage removes the Image Builder image and leaves its AMIs and snapshots in EC2', async () => {
    const c = await chain();
    const image = await build(c);
    await watch(image);
    const ami = (await ib.send(new GetImageCommand({ imageBuildVersionArn: image }))).image?.outputResources?.amis?.[0]
      ?.image;

    await ib.send(new DeleteImageCommand({ imageBuildVersionArn: image }));

    expect(await outcome(ib.send(new GetImageCommand({ imageBuildVersionArn: image })))).toBe(
      'ResourceNotFoundException',
    );
    const ec2Image = (await aws.ec2.send(new DescribeImagesCommand({ ImageIds: [ami ?? ''] }))).Images?.[0];
    expect(ec2Image?.State).toBe('available');
    const snap = ec2Image?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? '';
    expect((await aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots?.length).toBe(1);
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CancelImageCreation.html
  // "CancelImageCreation cancels the creation of Image. This operation can only be used on images
  // in a non-terminal state."
  it('CancelImageCreation ends a build in progress as CANCELLED and refuses a finished one', async () => {
    const c = await chain();
    const running = await build(c);
    await aws.sim.control.advance('5m');

    await ib.send(new CancelImageCreationCommand({ imageBuildVersionArn: running }));
    const finished = await build(c);
    await watch(finished);
    const again = await outcome(ib.send(new CancelImageCreationCommand({ imageBuildVersionArn: finished })));

    expect(await status(running)).toBe('CANCELLED');
    expect(again).toBe('ResourceInUseException');
  });
});

describe('Image Builder: faults', () => {
  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ImageState.html
  // reason: "The reason for the status of the image." status: "... ends in the AVAILABLE, FAILED,
  // or CANCELLED state."
  it.each([
    ['imageTestFails', 'TESTING', /phase 'test' step 'CheckR'/],
    ['imageBuildFails', 'BUILDING', /phase 'build' step 'InstallR'/],
  ])('%s fails the build during %s with a reason naming the step', async (kind, phase, reason) => {
    await aws.sim.control.faults({
      rules: [{ operation: 'ImageBuilder.CreateImage', kind: kind as 'imageTestFails', count: 1 }],
    });
    const c = await chain();

    const failed = await build(c);
    const seen = await watch(failed);
    const later = await build(c);
    const got = await ib.send(new GetImageCommand({ imageBuildVersionArn: failed }));
    const amis = await aws.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));

    expect(seen.map(([s]) => s).slice(-2)).toEqual([phase, 'FAILED']);
    expect(got.image?.state?.reason).toMatch(reason);
    expect(got.image?.outputResources).toBeUndefined();
    expect(amis.Images).toEqual([]);
    expect(await watch(later).then((s) => s.at(-1)?.[0])).toBe('AVAILABLE');
  });

  it("names the step a rule gives, and only fails builds of the rule's recipe", async () => {
    // A build fault is no API error: its rule needs no operation (it is filed under ImageBuilder.CreateImage).
    const posted = await aws.sim.control.request('POST', 'faults', {
      rules: [{ kind: 'imageTestFails', recipe: 'genomics', step: 'RunPytest' }],
    });
    expect(posted.status).toBe(200);
    const c = await chain();

    const other = await ib.send(
      new CreateImageRecipeCommand({
        name: 'other',
        semanticVersion: '1.0.0',
        parentImage: await ubuntuImage(aws.ec2),
        components: [{ componentArn: c.componentArn }],
      }),
    );

    const failed = await build(c);
    await watch(failed);
    const unaffected = await ib.send(
      new CreateImageCommand({ imageRecipeArn: other.imageRecipeArn, infrastructureConfigurationArn: c.infraArn }),
    );
    const got = await ib.send(new GetImageCommand({ imageBuildVersionArn: failed }));

    expect(got.image?.state?.status).toBe('FAILED');
    expect(got.image?.state?.reason).toMatch(/step 'RunPytest'/);
    expect((await watch(unaffected.imageBuildVersionArn ?? '')).at(-1)?.[0]).toBe('AVAILABLE');
  });

  // Image Builder's throttling error: CallRateLimitExceededException "You have exceeded the
  // permitted request rate for the specific operation." (HTTP 429, retried by the SDK);
  // ServiceException "This exception is thrown when the service encounters an unrecoverable exception." (HTTP 500)
  it.each([
    ['throttle', 2, { ok: true, attempts: 3 }],
    ['5xx', 5, { ok: false, name: 'ServiceException' }],
  ])('applies the generic %s fault to Image Builder calls', async (kind, count, expected) => {
    await aws.sim.control.faults({ rules: [{ operation: 'ImageBuilder.List*', kind: kind as 'throttle', count }] });

    let result: { ok: boolean; attempts?: number; name?: string };
    try {
      const out = await ib.send(new ListImagesCommand({}));
      result = { ok: true, attempts: out.$metadata.attempts };
    } catch (err: unknown) {
      result = { ok: false, name: (err as Error).name };
    }

    expect(result).toEqual(expected);
  });

  it('refuses an image build fault rule on another operation', async () => {
    const res = await aws.sim.control.request('POST', 'faults', {
      rules: [{ operation: 'ImageBuilder.GetImage', kind: 'imageTestFails' }],
    });

    expect(res.status).toBe(400);
  });
});

describe('Image Builder: tags and billing', () => {
  // https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_TagResource.html
  // "Adds a tag to a resource." / API_UntagResource.html "Removes a tag from a resource."
  it('tags, lists and untags a resource by ARN', async () => {
    const c = await chain();

    await ib.send(new TagResourceCommand({ resourceArn: c.recipeArn, tags: { owner: 'alice', stage: 'dev' } }));
    await ib.send(new UntagResourceCommand({ resourceArn: c.recipeArn, tagKeys: ['stage'] }));
    const out = await ib.send(new ListTagsForResourceCommand({ resourceArn: c.recipeArn }));
    const unknown = await answer(
      ib.send(
        new ListTagsForResourceCommand({
          resourceArn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/none/1.0.0',
        }),
      ),
    );

    expect(out.tags).toEqual({ owner: 'alice' });
    expect(unknown.name).toBe('ResourceNotFoundException');
  });

  // https://docs.aws.amazon.com/imagebuilder/latest/userguide/tag-resources.html
  // "Tagging your resources can be useful for filtering and tracking resource costs"
  // The build instance is an EC2 instance of the first instance type: its hours are EC2 compute.
  it('bills the build instance (m6i.large) from BUILDING to the end of TESTING under the image tags', async () => {
    const c = await chain();
    const image = await build(c);
    await watch(image);
    await aws.sim.control.advance('48h');

    const out = await aws.sim.costExplorer().send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-01', End: '2026-10-02' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost', 'UsageQuantity'],
        Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } },
        GroupBy: [
          { Type: 'TAG', Key: 'labops:project' },
          { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
        ],
      }),
    );

    // 750 s (BUILDING 390 s + TESTING 360 s) of m6i.large at $0.096/h.
    const groups = out.ResultsByTime?.[0]?.Groups ?? [];
    expect(groups.map((g) => g.Keys)).toEqual([['labops:project$genomics', 'BoxUsage:m6i.large']]);
    expect(Number(groups[0]?.Metrics?.UnblendedCost?.Amount)).toBeCloseTo((0.096 * 750) / 3600, 6);
  });
});
