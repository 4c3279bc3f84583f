/**
 * Which Image Builder builds the EnvironmentImage observation keeps as this repository's (`ownBuilds`):
 * only builds of one of its own observed recipes (the build ARN names the recipe and version, listed in
 * the build's Region with this repository's `labops:repo`), tagged with that recipe's environment
 * version. Their output AMIs are what counts as built, so a build kept by its tags alone would let
 * anyone allowed imagebuilder:CreateImage vouch for an AMI.
 */
import { describe, expect, it } from 'vitest';
import type { ListedImageBuild } from '../../../../reconciler/src/aws/ports.js';
import { ownBuilds } from '../../../../reconciler/src/kinds/environment-image/observe.js';
import { environmentImageTags, imageNamePrefix } from '../../../../reconciler/src/model/environment-image.js';
import type { ObservedImageResource } from '../../../../reconciler/src/model/environment-image.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { REPO } from '../workstation/plan-fixtures.js';
import { desiredImage } from './plan-fixtures.js';

const IMAGE = desiredImage();
const TAGS = environmentImageTags(REPO, IMAGE);
const RECIPE = `${imageNamePrefix(REPO)}neuroimaging`;
const ARN = `arn:aws:imagebuilder:us-east-1:123456789012:image/${RECIPE}/1.2.0/3`;

/** This repository's recipe neuroimaging 1.2.0 in us-east-1, as listResources reports it. */
function recipe(overrides: Partial<ObservedImageResource> = {}): ObservedImageResource {
  return {
    type: 'recipe',
    region: 'us-east-1',
    name: RECIPE,
    version: '1.2.0',
    arn: `arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/${RECIPE}/1.2.0`,
    tags: TAGS,
    ...overrides,
  };
}

/** Build 3 of that recipe, AVAILABLE with an AMI in us-east-1, as listBuilds reports it. */
function listed(overrides: Partial<ListedImageBuild> = {}): ListedImageBuild {
  return {
    arn: ARN,
    name: RECIPE,
    version: '1.2.0/3',
    region: 'us-east-1',
    status: 'AVAILABLE',
    dateCreated: '2026-10-10T00:00:00.000Z',
    amis: { 'us-east-1': 'ami-0built' },
    tags: TAGS,
    ...overrides,
  };
}

describe('ownBuilds', () => {
  it('keeps a build of its own recipe, with the environment version the recipe names and the EnvironmentImage its tag names', () => {
    const kept = ownBuilds([listed()], [recipe()], REPO);

    expect(kept).toEqual([
      {
        environment: 'neuroimaging@1.2.0',
        arn: ARN,
        region: 'us-east-1',
        status: 'AVAILABLE',
        dateCreated: '2026-10-10T00:00:00.000Z',
        amis: { 'us-east-1': 'ami-0built' },
        image: TAGS[TAG.name],
      },
    ]);
    expect(TAGS[TAG.name]).toEqual(expect.any(String));
  });

  it.each<[string, ListedImageBuild[], ObservedImageResource[]]>([
    [
      'right tags, but no recipe of its name and version is observed (a forged build of another recipe)',
      [listed({ arn: ARN.replace('/1.2.0/3', '/9.9.9/1') })],
      [recipe()],
    ],
    ['right tags, no recipe at all', [listed()], []],
    [
      "the recipe of its name is another repository's",
      [listed()],
      [recipe({ tags: { ...TAGS, [TAG.repo]: 'uni/other-lab' } })],
    ],
    ['the recipe is in another Region', [listed()], [recipe({ region: 'us-west-2' })]],
    [
      'a name without this repository prefix, tags and all',
      [listed({ arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image/neuroimaging/1.2.0/1', name: 'neuroimaging' })],
      [recipe({ name: 'neuroimaging' })],
    ],
    [
      "its labops:environment is not its recipe's version",
      [listed({ tags: { ...TAGS, [TAG.environment]: 'neuroimaging@1.3.0' } })],
      [recipe()],
    ],
    ['its labops:repo is another repository', [listed({ tags: { ...TAGS, [TAG.repo]: 'uni/other-lab' } })], [recipe()]],
    [
      'not an image build version ARN',
      [listed({ arn: `arn:aws:imagebuilder:us-east-1:123456789012:image/${RECIPE}` })],
      [recipe()],
    ],
  ])('drops a build: %s', (_, builds, resources) => {
    const kept = ownBuilds(builds, resources, REPO);

    expect(kept).toEqual([]);
  });

  it('keeps every build of every version (not only the latest), so every retained AMI keeps its provenance', () => {
    const builds = [
      listed(),
      listed({ arn: ARN.replace(/\/3$/, '/1'), amis: { 'us-east-1': 'ami-0older' } }),
      listed({
        arn: ARN.replace('/1.2.0/3', '/1.1.0/1'),
        tags: { ...TAGS, [TAG.environment]: 'neuroimaging@1.1.0' },
        amis: { 'us-east-1': 'ami-0v110' },
      }),
    ];

    const kept = ownBuilds(builds, [recipe(), recipe({ version: '1.1.0' })], REPO);

    expect(kept.map((b) => [b.environment, b.amis['us-east-1']])).toEqual([
      ['neuroimaging@1.2.0', 'ami-0built'],
      ['neuroimaging@1.2.0', 'ami-0older'],
      ['neuroimaging@1.1.0', 'ami-0v110'],
    ]);
  });
});
