/**
 * The EnvironmentImage planner as a table: given Desired and what Image Builder and EC2 show, the
 * actions and refusals. Pure: no network, no clock. Retention counts only AMIs this repository's
 * builds output (rows marked FORGED: an AMI with exactly the right tags and no build is never kept,
 * counted or retired).
 */
import { describe, expect, it } from 'vitest';
import { planEnvironmentImages } from '../../../../reconciler/src/kinds/environment-image/plan.js';
import type { DesiredEnvironmentImage } from '../../../../reconciler/src/model/environment-image.js';
import { environmentImageTags } from '../../../../reconciler/src/model/environment-image.js';
import type { Observed, ObservedImage } from '../../../../reconciler/src/model/observed.js';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import type { Action, PlanPart } from '../../../../reconciler/src/model/plan.js';
import { REPO, baseImage, desired, instanceOf, observed, workstation } from '../workstation/plan-fixtures.js';
import { ami, amiId, build, desiredImage, existingResources } from './plan-fixtures.js';

const NOW = new Date('2026-10-16T12:00:00.000Z');
const IMAGE = desiredImage();

function plan(
  images: DesiredEnvironmentImage[],
  seen: Partial<Observed>,
  options: { prune?: boolean; requests?: string[]; unknown?: string[] } = {},
): PlanPart {
  return planEnvironmentImages({
    desired: desired([], {
      lab: { prune: options.prune ?? false },
      environmentImages: images,
      unknownEnvironmentImages: options.unknown ?? [],
    }),
    observed: observed([], seen),
    now: NOW,
    ...(options.requests ? { requests: options.requests } : {}),
  });
}

function lines(part: PlanPart): string[] {
  return [
    ...part.actions.map((a: Action) => `${a.kind} ${a.id.split('/').slice(3).join('/')} [${a.rule}]`),
    ...part.refusals.map((r) => `refused ${r.code}: ${r.message}`),
  ];
}

const built = [build(IMAGE, 1, '2026-10-10T00:00:00.000Z')];
const amis = [
  ami(IMAGE, 1, 'us-east-1', '2026-10-10T00:00:00.000Z'),
  ami(IMAGE, 1, 'us-west-2', '2026-10-10T00:00:00.000Z'),
];
const ready: Partial<Observed> = {
  imageResources: existingResources(IMAGE),
  imageBuilds: built,
  images: [baseImage(), ...amis],
};

describe('the EnvironmentImage planner', () => {
  it('creates every Image Builder resource, then a build, in an empty account', () => {
    const part = plan([IMAGE], {});

    expect(lines(part)).toEqual([
      expect.stringMatching(/^create-image-resource component\/labops-[0-9a-f]{6}-neuroimaging \[spec\]$/),
      expect.stringMatching(/^create-image-resource distribution\/labops-[0-9a-f]{6}-neuro-dist-[0-9a-f]{8} \[spec\]$/),
      expect.stringMatching(
        /^create-image-resource infrastructure\/labops-[0-9a-f]{6}-neuro-infra-[0-9a-f]{8} \[spec\]$/,
      ),
      expect.stringMatching(/^create-image-resource recipe\/labops-[0-9a-f]{6}-neuroimaging \[spec\]$/),
      'build-image  [spec]',
    ]);
    const recipe = part.actions.find((a) => a.id.includes('/recipe/'));
    const component = part.actions.find((a) => a.id.includes('/component/'));
    const buildAction = part.actions.find((a) => a.kind === 'build-image');
    expect(recipe?.after).toEqual([component?.id]);
    expect(buildAction?.after).toHaveLength(4);
    expect(buildAction?.reason).toBe(
      'build image neuroimaging@1.2.0: none built yet; on m6i.xlarge, to us-east-1, us-west-2',
    );
    if (recipe?.details.kind !== 'create-image-resource' || recipe.details.request.type !== 'recipe')
      throw new Error('no recipe');
    expect(recipe.details.request).toMatchObject({
      version: '1.2.0',
      parentImage: 'ami-base0916',
      rootGiB: 120,
      rootDevice: '/dev/sda1',
    });
    const distribution = part.actions.find((a) => a.id.includes('/distribution/'));
    if (distribution?.details.kind !== 'create-image-resource' || distribution.details.request.type !== 'distribution')
      throw new Error('no distribution');
    expect(distribution.details.request.amiName).toBe('labops-neuroimaging-1.2.0-{{ imagebuilder:buildDate }}');
    expect(distribution.details.request.amiTags).toEqual({
      'labops:repo': REPO,
      'labops:kind': 'EnvironmentImage',
      'labops:name': 'neuro',
      'labops:project': 'neuro-lab',
      'labops:owner': 'pi-login',
      'labops:environment': 'neuroimaging@1.2.0',
    });
  });

  it('plans nothing once the image is built and every resource exists (a second reconcile makes no mutation)', () => {
    const part = plan([IMAGE], ready);

    expect(lines(part)).toEqual([]);
  });

  it.each<[string, Partial<Observed>, { requests?: string[] }, string[]]>([
    [
      'a build under way: wait for it',
      { ...ready, imageBuilds: [build(IMAGE, 1, '2026-10-16T11:00:00.000Z', 'BUILDING')], images: [baseImage()] },
      {},
      [],
    ],
    [
      'the only build FAILED in its test phase: refused with the reason, workstations on the script path',
      {
        ...ready,
        imageBuilds: [
          build(
            IMAGE,
            1,
            '2026-10-16T11:00:00.000Z',
            'FAILED',
            'test phase: systemctl is-enabled labops-jupyterlab.service failed',
          ),
        ],
        images: [baseImage()],
      },
      {},
      [
        'refused image-build-failed: image build of neuroimaging@1.2.0 FAILED: test phase: systemctl is-enabled labops-jupyterlab.service failed; workstations keep the script path. Fix the environment and bump its version, or retry with `labops env build neuroimaging@1.2.0`',
      ],
    ],
    [
      'a failed build retried on request',
      {
        ...ready,
        imageBuilds: [build(IMAGE, 1, '2026-10-16T11:00:00.000Z', 'FAILED', 'boom')],
        images: [baseImage()],
      },
      { requests: ['neuroimaging@1.2.0'] },
      ['build-image  [requested: labops env build]'],
    ],
    [
      'a request while a build is under way: that build satisfies it, none started, and the plan says so',
      {
        ...ready,
        imageBuilds: [...built, build(IMAGE, 2, '2026-10-16T11:00:00.000Z', 'BUILDING')],
        images: [...amis, baseImage()],
      },
      { requests: ['neuroimaging@1.2.0'] },
      [
        'refused image-building: build image neuroimaging@1.2.0 (requested): build 1.2.0/2 is already BUILDING (started 2026-10-16T11:00:00.000Z); it satisfies the request, none started',
      ],
    ],
    ['a request for another version changes nothing', ready, { requests: ['neuroimaging@1.1.0'] }, []],
    [
      'labops env build rebuilds an available version now',
      ready,
      { requests: ['neuroimaging@1.2.0'] },
      ['build-image  [requested: labops env build]'],
    ],
  ])('%s', (_name, seen, options, expected) => {
    const part = plan([IMAGE], seen, options);

    expect(lines(part)).toEqual(expected);
  });

  it.each<[string, string, string[]]>([
    ['newest 6 days old, every 30d: nothing', '2026-10-10T00:00:00.000Z', []],
    [
      'newest 31 days old, every 30d: a fresh build',
      '2026-09-15T00:00:00.000Z',
      ['build-image  [schedule: rebuild every 30d]'],
    ],
  ])('rebuild: %s', (_name, date, expected) => {
    const image = desiredImage({ rebuild: { every: '30d', everyMs: 30 * 86_400_000 } });
    const seen = { ...ready, imageBuilds: [build(image, 1, date)], images: [baseImage()] };

    const part = plan([image], seen);

    expect(lines(part)).toEqual(expected);
  });

  it('a build’s client token follows the newest build: a retry repeats it, the build after an old one is retired does not', () => {
    const image = desiredImage({ rebuild: { every: '30d', everyMs: 30 * 86_400_000 } });
    const token = (builds: Observed['imageBuilds']): unknown => {
      const part = plan([image], { ...ready, imageBuilds: builds, images: [baseImage()] });
      const action = part.actions.find((a) => a.kind === 'build-image');
      return action?.details.kind === 'build-image' ? action.details.clientToken : undefined;
    };
    // All older than 30 days: each state plans a rebuild.
    const first = build(image, 1, '2026-07-01T00:00:00.000Z');
    const second = build(image, 2, '2026-08-20T00:00:00.000Z');
    const third = build(image, 3, '2026-08-25T00:00:00.000Z');

    const beforeThird = token([first, second]);
    const retried = token([first, second]);
    // The third build ran and retention deleted the first: as many builds as before.
    const afterRetire = token([second, third]);

    expect(beforeThird).toEqual(expect.any(String));
    expect(retried).toBe(beforeThird);
    expect(afterRetire).toEqual(expect.any(String));
    expect(afterRetire).not.toBe(beforeThird);
  });

  it('refuses a same-named recipe this repository did not create, and uses nothing', () => {
    const foreign = existingResources(IMAGE, 'someone/else');

    const part = plan([IMAGE], { imageResources: foreign });

    expect(part.actions).toEqual([]);
    expect(part.refusals.map((r) => r.code)).toEqual(['image-foreign']);
    expect(part.refusals[0]?.message).toMatch(/that this repository did not create \(no labops:repo=uni\/neuro-lab\)/);
  });

  it('refuses an environment changed without a version bump', () => {
    const changed = desiredImage({ componentData: ['name: other\n'], contentHash: 'hash-other' });

    const part = plan([changed], ready);

    expect(lines(part)).toEqual([
      "refused image-changed: environment neuroimaging@1.2.0 (or the build labops renders from it) changed since its component was created (Image Builder versions are immutable): bump the environment's metadata.version to build the change",
    ]);
  });

  it('a new environment version builds a new component and recipe while the old images stay', () => {
    const next = desiredImage({
      environment: { name: 'neuroimaging', version: '1.3.0', os: 'ubuntu-22.04', architecture: 'x86_64' },
      environmentRef: 'neuroimaging@1.3.0',
      componentData: ['name: 1.3.0\n'],
      contentHash: 'hash-1.3.0',
    });
    const configs = existingResources(IMAGE).filter((r) => r.type === 'infrastructure' || r.type === 'distribution');

    const part = plan([next], { ...ready, imageResources: existingResources(IMAGE) });

    expect(lines(part)).toEqual([
      expect.stringMatching(/^create-image-resource component\/labops-[0-9a-f]{6}-neuroimaging \[spec\]$/),
      expect.stringMatching(/^create-image-resource distribution\/labops-[0-9a-f]{6}-neuro-dist-[0-9a-f]{8} \[spec\]$/),
      expect.stringMatching(
        /^create-image-resource infrastructure\/labops-[0-9a-f]{6}-neuro-infra-[0-9a-f]{8} \[spec\]$/,
      ),
      expect.stringMatching(/^create-image-resource recipe\/labops-[0-9a-f]{6}-neuroimaging \[spec\]$/),
      'build-image  [spec]',
    ]);
    // The configurations name the version in their tags and AMI name: new ones, beside the old.
    expect(part.actions.filter((a) => configs.some((c) => a.id.endsWith(`/${c.type}/${c.name}`)))).toEqual([]);
    const recipe = part.actions.find((a) => a.id.includes('/recipe/'));
    expect(recipe?.reason).toMatch(/ 1\.3\.0$/);
  });

  it('refuses the recipe and build without a base image, but creates what needs none', () => {
    const part = plan([IMAGE], { images: [] });

    expect(part.actions.map((a) => a.kind)).toEqual([
      'create-image-resource',
      'create-image-resource',
      'create-image-resource',
    ]);
    expect(part.refusals.map((r) => r.code)).toEqual(['no-base-image']);
  });
});

describe('EnvironmentImage retention', () => {
  const dates = ['2026-10-01T00:00:00.000Z', '2026-10-05T00:00:00.000Z', '2026-10-10T00:00:00.000Z'];
  const three = dates.map((d, i) => ami(IMAGE, i + 1, 'us-east-1', d));
  const builds = dates.map((d, i) => ({
    ...build(IMAGE, i + 1, d),
    amis: { 'us-east-1': amiId(IMAGE, i + 1, 'us-east-1') },
  }));

  it('keeps the newest 2 per version and Region, retires the rest with their snapshots and, with its last AMI, the build', () => {
    const part = plan([IMAGE], { ...ready, images: [baseImage(), ...three], imageBuilds: builds });

    expect(lines(part)).toEqual([`retire-image us-east-1/${amiId(IMAGE, 1, 'us-east-1')} [retention: keep 2]`]);
    expect(part.actions[0]?.details).toEqual({
      kind: 'retire-image',
      image: 'neuro',
      repo: REPO,
      imageId: amiId(IMAGE, 1, 'us-east-1'),
      snapshotIds: [`snap-${amiId(IMAGE, 1, 'us-east-1').slice(4)}`],
      deleteBuild: { region: 'us-east-1', arn: builds[0]?.arn },
    });
  });

  it('never retires an image a workstation runs from', () => {
    const running = instanceOf(workstation(), { imageId: amiId(IMAGE, 1, 'us-east-1') });
    const part = planEnvironmentImages({
      desired: desired([], { environmentImages: [IMAGE] }),
      observed: observed([running], { ...ready, images: [baseImage(), ...three], imageBuilds: builds }),
      now: NOW,
    });

    expect(part.actions).toEqual([]);
    expect(part.refusals.map((r) => r.code)).toEqual(['image-in-use']);
  });

  it("never retires an AMI without this repository's labops:repo, whatever its other tags", () => {
    const forged = three.map((a) => ({ ...a, tags: { ...a.tags, 'labops:repo': 'someone/else' } }));

    const part = plan([IMAGE], { ...ready, images: [baseImage(), ...forged] }, { prune: true });

    expect(part.actions).toEqual([]);
  });

  /** Exactly the tags the EnvironmentImage's distribution puts on its AMIs, made by ec2:CreateImage + CreateTags: no build output it. */
  const forged = (date: string, name = IMAGE.name): ObservedImage => ({
    ...ami(IMAGE, 9, 'us-east-1', date, { ...environmentImageTags(REPO, IMAGE), [TAG.name]: name }),
    imageId: 'ami-forged',
    snapshotIds: ['snap-forged'],
  });

  it.each<[string, number, ObservedImage[], string[]]>([
    [
      'FORGED: a newer AMI with the right tags neither pushes the real one out of keep 1 nor is retired',
      1,
      three.slice(2),
      [],
    ],
    [
      'FORGED: with keep 1 the newest real AMI stays, the older real ones go, the newer forged one is untouched',
      1,
      three,
      [
        `retire-image us-east-1/${amiId(IMAGE, 1, 'us-east-1')} [retention: keep 1]`,
        `retire-image us-east-1/${amiId(IMAGE, 2, 'us-east-1')} [retention: keep 1]`,
      ],
    ],
  ])('%s', (_, keep, real, expected) => {
    const image = desiredImage({ keep });

    const part = plan([image], {
      ...ready,
      images: [baseImage(), ...real, forged('2026-10-15T00:00:00.000Z')],
      imageBuilds: builds,
    });

    expect(lines(part)).toEqual(expected);
    expect(part.actions.map((a) => a.id).join(' ')).not.toContain('ami-forged');
  });

  it.each([false, true])(
    'FORGED: an AMI tagged as a removed EnvironmentImage (prune %s) is neither retired nor reported',
    (prune) => {
      const part = plan(
        [IMAGE],
        { ...ready, images: [baseImage(), ...amis, forged('2026-10-15T00:00:00.000Z', 'gone')] },
        { prune },
      );

      expect(lines(part)).toEqual([]);
    },
  );

  it('keeps each version apart: two old-version images stay while the new version has its own', () => {
    const old = desiredImage({
      environment: { name: 'neuroimaging', version: '1.1.0', os: 'ubuntu-22.04', architecture: 'x86_64' },
      environmentRef: 'neuroimaging@1.1.0',
    });
    const olds = [ami(old, 1, 'us-east-1', dates[0] ?? ''), ami(old, 2, 'us-east-1', dates[1] ?? '')];

    const part = plan([IMAGE], { ...ready, images: [baseImage(), ...amis, ...olds] });

    expect(lines(part)).toEqual([]);
  });

  it.each<[boolean, string[]]>([
    [false, ['orphan  [orphan]']],
    [
      true,
      [
        `retire-image us-east-1/${amiId(IMAGE, 1, 'us-east-1')} [prune]`,
        `retire-image us-west-2/${amiId(IMAGE, 1, 'us-west-2')} [prune]`,
      ],
    ],
  ])('a removed EnvironmentImage with prune %s', (prune, expected) => {
    const part = plan([], { images: [baseImage(), ...amis], imageBuilds: built }, { prune });

    expect(lines(part)).toEqual(expected);
  });

  it('leaves the images of an EnvironmentImage whose file is invalid alone', () => {
    const part = plan([], { images: [baseImage(), ...amis], imageBuilds: built }, { prune: true, unknown: ['neuro'] });

    expect(part.actions).toEqual([]);
  });
});
