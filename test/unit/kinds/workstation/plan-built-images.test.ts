/**
 * planWorkstations with images an EnvironmentImage built (EC2 Image Builder): which image a launch
 * takes, `ami_required` waiting for a build, a FAILED build's reason, `image.follow: latest`, and
 * the time and cost figures of a launch from a built image. An AMI is built only when one of this
 * repository's observed builds output it (model/image-provenance.ts): an AMI with exactly the
 * right tags and no build behind it (a forgery) is never chosen.
 */
import { describe, expect, it } from 'vitest';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import type { ObservedImage, ObservedImageBuild } from '../../../../reconciler/src/model/observed.js';
import type { DesiredWorkstation } from '../../../../reconciler/src/model/desired.js';
import type { ImageSavings } from '../../../../reconciler/src/model/plan.js';
import type { ProvisionTimes } from '../../../../reconciler/src/record/provision-times.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { hourlyPriceUSD, storagePricesUSD } from '../../../../reconciler/src/cost/prices/index.js';
import { planToJson } from '../../../../reconciler/src/report/plan-json.js';
import { outputChecker } from '../../../support/output-schemas.js';
import {
  ACCOUNT,
  REPO,
  WORK_HOURS,
  baseImage,
  desired,
  environment,
  instanceOf,
  launchTags,
  observed,
  only,
  ownImage,
  summary,
  workstation,
} from './plan-fixtures.js';

/**
 * An AMI carrying the tags an EnvironmentImage puts on what it builds of `env` (this repository's
 * unless overridden). Tags alone make no built image: pair it with {@link outputOf}.
 */
function built(imageId: string, overrides: Partial<ObservedImage> = {}, env = 'neuroimaging@1.2.0'): ObservedImage {
  return baseImage({
    imageId,
    name: `labops-${env.replace('@', '-')}-${imageId}`,
    ownerId: ACCOUNT,
    creationDate: '2026-09-15T00:00:00.000Z',
    tags: {
      [TAG.repo]: REPO,
      [TAG.kind]: 'EnvironmentImage',
      [TAG.environment]: env,
      [TAG.project]: 'neuro-lab',
    },
    ...overrides,
  });
}

/** An Image Builder build of neuroimaging@1.2.0 in us-east-1. */
function build(overrides: Partial<ObservedImageBuild> = {}): ObservedImageBuild {
  return {
    environment: 'neuroimaging@1.2.0',
    arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image/labops-neuroimaging/1.2.0/9',
    region: 'us-east-1',
    status: 'AVAILABLE',
    dateCreated: '2026-09-16T14:50:00.000Z',
    amis: {},
    ...overrides,
  };
}

/**
 * The build of `env` whose output AMI `image` is. Created when the AMI was, so it is never timed as
 * a build duration (those come from {@link MEASURED}).
 */
function outputOf(image: ObservedImage, env = 'neuroimaging@1.2.0'): ObservedImageBuild {
  return build({
    environment: env,
    arn: `arn:aws:imagebuilder:us-east-1:123456789012:image/labops-neuroimaging/${env.split('@')[1] ?? ''}/${image.imageId}`,
    dateCreated: image.creationDate,
    amis: { [image.region]: image.imageId },
  });
}

/**
 * Three finished builds of the earlier version 1.1.0 that took 30, 40 and 60 minutes (median 40),
 * with their AMIs (tagged 1.1.0, so no 1.2.0 workstation launches from them).
 */
const MEASURED: { builds: ObservedImageBuild[]; images: ObservedImage[] } = {
  builds: [30, 40, 60].map((minutes, i) =>
    build({
      environment: 'neuroimaging@1.1.0',
      arn: `arn:aws:imagebuilder:us-east-1:123456789012:image/labops-neuroimaging/1.1.0/${i + 1}`,
      dateCreated: `2026-09-1${i}T10:00:00.000Z`,
      amis: { 'us-east-1': `ami-measured${i}` },
    }),
  ),
  images: [30, 40, 60].map((minutes, i) =>
    built(
      `ami-measured${i}`,
      { creationDate: new Date(Date.parse(`2026-09-1${i}T10:00:00.000Z`) + minutes * 60_000).toISOString() },
      'neuroimaging@1.1.0',
    ),
  ),
};

const preferred = (overrides: Partial<DesiredWorkstation> = {}): DesiredWorkstation =>
  workstation({ image: { strategy: 'ami_preferred' }, ...overrides });
const required = (overrides: Partial<DesiredWorkstation> = {}): DesiredWorkstation =>
  workstation({ image: { strategy: 'ami_required' }, ...overrides });

describe('the image a launch takes', () => {
  const userData = environment().userData;
  const BUILT = built('ami-built');
  /** Exactly the built image's tags, a newer creation date, and no build behind it: made with ec2:CreateImage + CreateTags. */
  const FORGED = built('ami-forged', { creationDate: '2026-09-16T00:00:00.000Z' });
  const other = (imageId: string, env: string): [ObservedImage, ObservedImageBuild] => {
    const image = built(imageId, {}, env);
    return [image, outputOf(image, env)];
  };
  const [V13, V13_BUILD] = other('ami-other-version', 'neuroimaging@1.3.0');
  const [GENOMICS, GENOMICS_BUILD] = other('ami-other-env', 'genomics@1.2.0');
  const pending = built('ami-pending', { state: 'pending' });
  const dated = ['2026-09-01', '2026-09-15', '2026-09-10'].map((day, i) =>
    built(`ami-${['old', 'new', 'mid'][i] ?? ''}`, { creationDate: `${day}T00:00:00.000Z` }),
  );
  const tied = [built('ami-bbb'), built('ami-aaa')];
  const pinned = built('ami-0123456789abcdef0');
  const pin = workstation({ image: { strategy: 'ami_preferred', ami: 'ami-0123456789abcdef0' } });

  it.each<[string, DesiredWorkstation, ObservedImage[], ObservedImageBuild[], string, string]>([
    [
      'a built image of the exact version wins over the base image and the hand-listed one',
      preferred({ environment: environment({ images: { 'us-east-1': 'ami-listed' } }) }),
      [baseImage(), ownImage('ami-listed', 'us-east-1'), BUILT],
      [outputOf(BUILT)],
      'ami-built',
      '',
    ],
    [
      'ami_required launches from the built image too',
      required(),
      [baseImage(), BUILT],
      [outputOf(BUILT)],
      'ami-built',
      '',
    ],
    [
      'FORGED: an AMI with exactly the right tags and a newer date but no build behind it never beats the built one',
      preferred(),
      [baseImage(), BUILT, FORGED],
      [outputOf(BUILT)],
      'ami-built',
      '',
    ],
    [
      'FORGED: the right tags and no build: the script path',
      preferred(),
      [baseImage(), FORGED],
      [],
      'ami-base0916',
      userData,
    ],
    [
      'an AMI tagged neuroimaging@1.2.0 whose build made 1.3.0 is not an image of 1.2.0 (the build says the version)',
      preferred(),
      [baseImage(), BUILT],
      [outputOf(BUILT, 'neuroimaging@1.3.0')],
      'ami-base0916',
      userData,
    ],
    [
      'a built image of another version of the environment is not used',
      preferred(),
      [baseImage(), V13],
      [V13_BUILD],
      'ami-base0916',
      userData,
    ],
    [
      'a built image of another environment is not used',
      preferred(),
      [baseImage(), GENOMICS],
      [GENOMICS_BUILD],
      'ami-base0916',
      userData,
    ],
    [
      "another repository's built image (no build of this repository's) is not used",
      preferred(),
      [baseImage(), built('ami-foreign', { tags: { ...BUILT.tags, [TAG.repo]: 'uni/other-lab' } })],
      [],
      'ami-base0916',
      userData,
    ],
    [
      'a look-alike repository tag is not used',
      preferred(),
      [baseImage(), built('ami-lookalike', { tags: { ...BUILT.tags, [TAG.repo]: `${REPO}-fork` } })],
      [],
      'ami-base0916',
      userData,
    ],
    [
      'an image of this repository not made by an EnvironmentImage is not used',
      preferred(),
      [baseImage(), built('ami-snapshot-image', { tags: { ...BUILT.tags, [TAG.kind]: 'Workstation' } })],
      [],
      'ami-base0916',
      userData,
    ],
    [
      'a built image still pending is not used',
      preferred(),
      [baseImage(), pending],
      [outputOf(pending)],
      'ami-base0916',
      userData,
    ],
    [
      'the newest built image by creationDate wins',
      preferred(),
      [baseImage(), ...dated],
      dated.map((i) => outputOf(i)),
      'ami-new',
      '',
    ],
    [
      'equal creation dates: the smaller image id wins',
      preferred(),
      [baseImage(), ...tied],
      tied.map((i) => outputOf(i)),
      'ami-aaa',
      '',
    ],
    [
      'a pinned built image of the version boots with no user data',
      pin,
      [baseImage(), pinned],
      [outputOf(pinned)],
      'ami-0123456789abcdef0',
      '',
    ],
    [
      "a pinned image with another repository's tags is provisioned by the script",
      pin,
      [baseImage(), built('ami-0123456789abcdef0', { tags: { ...BUILT.tags, [TAG.repo]: 'uni/other-lab' } })],
      [],
      'ami-0123456789abcdef0',
      userData,
    ],
    [
      'FORGED: a pinned image with exactly the right tags but no build is provisioned by the script',
      pin,
      [baseImage(), pinned],
      [],
      'ami-0123456789abcdef0',
      userData,
    ],
    [
      'the script strategy never takes a built image',
      workstation({ image: { strategy: 'script' } }),
      [baseImage(), BUILT],
      [outputOf(BUILT)],
      'ami-base0916',
      userData,
    ],
  ])('%s', (_, ws, images, builds, imageId, expectedUserData) => {
    const plan = planWorkstations(desired([ws]), observed([], { images }), WORK_HOURS, { imageBuilds: builds });

    const details = only(plan, 'create').details;
    expect(details).toMatchObject({ launch: { imageId, userData: expectedUserData, tags: { [TAG.ami]: imageId } } });
    expect(details).not.toHaveProperty('copyImage');
    expect(plan.refusals).toEqual([]);
  });

  const WEST = built('ami-west', { region: 'us-west-2' });

  it('a built image only in another Region is not copied: ami_preferred takes the script path and says why', () => {
    const ws = preferred();

    const plan = planWorkstations(desired([ws]), observed([], { images: [baseImage(), WEST] }), WORK_HOURS, {
      imageBuilds: [outputOf(WEST)],
    });

    const create = only(plan, 'create');
    expect(create.details).toMatchObject({ launch: { imageId: 'ami-base0916', userData } });
    expect(create.details).not.toHaveProperty('copyImage');
    expect(create.reason).toContain(
      "(neuroimaging@1.2.0 is built only in us-west-2 (add us-east-1 to the EnvironmentImage's regions); the script path instead)",
    );
  });

  it('a built image only in another Region: ami_required is refused and told to list the Region', () => {
    const plan = planWorkstations(desired([required()]), observed([], { images: [baseImage(), WEST] }), WORK_HOURS, {
      imageBuilds: [outputOf(WEST)],
    });

    expect(plan.actions).toEqual([]);
    expect(plan.refusals).toEqual([
      {
        code: 'ami-required',
        message:
          "workstation alice-neuro: image.strategy ami_required, but neuroimaging@1.2.0 is built only in us-west-2 (add us-east-1 to the EnvironmentImage's regions)",
        resource: { kind: 'Workstation', name: 'alice-neuro' },
      },
    ]);
  });
  it('FORGED: an AMI with the right tags only in another Region is no reason given: the script path says nothing of it', () => {
    const plan = planWorkstations(desired([preferred()]), observed([], { images: [baseImage(), WEST] }), WORK_HOURS);

    const create = only(plan, 'create');
    expect(create.details).toMatchObject({ launch: { imageId: 'ami-base0916', userData } });
    expect(create.reason).not.toContain('us-west-2');
  });
});

describe('while the image is building, and when its build failed', () => {
  it.each<[string, ObservedImageBuild[], ObservedImage[], number]>([
    [
      'measured: median of the finished builds (40 min) less the 10 min it has run',
      MEASURED.builds,
      MEASURED.images,
      30,
    ],
    ['nothing measured yet: the 45 min default less the 10 min it has run', [], [], 35],
    ['a build running longer than measured: at least 1 min', MEASURED.builds, MEASURED.images, 1],
  ])('ami_required waits, not refused as a failure: %s', (title, measured, images, minutes) => {
    const started = title.startsWith('a build running longer')
      ? '2026-09-16T13:00:00.000Z'
      : '2026-09-16T14:50:00.000Z';
    const running = build({ status: 'BUILDING', dateCreated: started });

    const plan = planWorkstations(
      desired([required()]),
      observed([], { images: [baseImage(), ...images] }),
      WORK_HOURS,
      { imageBuilds: [...measured, running] },
    );

    expect(plan.actions).toEqual([]);
    expect(plan.refusals).toEqual([
      {
        code: 'image-building',
        message: `workstation alice-neuro: image building, ready in ~${minutes} min (neuroimaging@1.2.0, Image Builder BUILDING); launched once it is available in us-east-1`,
        resource: { kind: 'Workstation', name: 'alice-neuro' },
      },
    ]);
  });

  it('ami_preferred does not wait for a build: the script path, and the plan says when the image is ready', () => {
    const plan = planWorkstations(
      desired([preferred()]),
      observed([], { images: [baseImage(), ...MEASURED.images] }),
      WORK_HOURS,
      { imageBuilds: [...MEASURED.builds, build({ status: 'TESTING' })] },
    );

    const create = only(plan, 'create');
    expect(create.details).toMatchObject({ launch: { imageId: 'ami-base0916', userData: environment().userData } });
    expect(create.reason).toBe(
      'no instance: launch m6i.large in us-east-1 from base image + cloud-init ami-base0916 (image building, ready in ~30 min (neuroimaging@1.2.0, Image Builder TESTING); the script path meanwhile)',
    );
    expect(plan.refusals).toEqual([]);
  });

  it.each<[string, DesiredWorkstation, string, string]>([
    [
      'ami_required: declared by an EnvironmentImage, no build yet: waits the measured build time',
      required(),
      'image-building',
      "workstation alice-neuro: image building, ready in ~40 min (neuroimaging@1.2.0, the EnvironmentImage's first build); launched once it is available in us-east-1",
    ],
    [
      'ami_required in a Region the EnvironmentImage does not build for: refused, told which Regions it builds',
      required({ region: 'eu-west-1' }),
      'ami-required',
      'workstation alice-neuro: image.strategy ami_required, but the EnvironmentImage of neuroimaging@1.2.0 does not build for eu-west-1 (its regions: us-east-1, us-west-2; add eu-west-1)',
    ],
  ])('%s', (_, ws, code, message) => {
    const plan = planWorkstations(
      desired([ws], { lab: { regions: ['us-east-1', 'us-west-2', 'eu-west-1'] } }),
      observed([], { images: [baseImage(), ...MEASURED.images] }),
      WORK_HOURS,
      { imageBuilds: MEASURED.builds, imageTargets: { 'neuroimaging@1.2.0': ['us-east-1', 'us-west-2'] } },
    );

    expect(plan.actions).toEqual([]);
    expect(plan.refusals).toEqual([{ code, message, resource: { kind: 'Workstation', name: 'alice-neuro' } }]);
  });

  it('ami_preferred in a Region the EnvironmentImage does not build for: the script path, and why', () => {
    const ws = preferred({ region: 'us-west-2' });

    const plan = planWorkstations(
      desired([ws]),
      observed([], { images: [baseImage({ region: 'us-west-2' })] }),
      WORK_HOURS,
      { imageTargets: { 'neuroimaging@1.2.0': ['us-east-1'] } },
    );

    expect(only(plan, 'create').reason).toContain(
      '(the EnvironmentImage of neuroimaging@1.2.0 does not build for us-west-2 (its regions: us-east-1; add us-west-2); the script path instead)',
    );
  });

  const failed = build({ status: 'FAILED', reason: 'Step Install-FSL failed: exit status 100' });

  it('the newest build FAILED: ami_required is refused with Image Builder reason', () => {
    const plan = planWorkstations(desired([required()]), observed([]), WORK_HOURS, {
      imageBuilds: [build({ status: 'AVAILABLE', dateCreated: '2026-09-01T00:00:00.000Z' }), failed],
    });

    expect(plan.actions).toEqual([]);
    expect(plan.refusals).toEqual([
      {
        code: 'ami-required',
        message:
          'workstation alice-neuro: image.strategy ami_required, but the image build of neuroimaging@1.2.0 FAILED: Step Install-FSL failed: exit status 100',
        resource: { kind: 'Workstation', name: 'alice-neuro' },
      },
    ]);
  });

  it('the newest build FAILED: ami_preferred stays on the script path and the plan gives the reason', () => {
    const plan = planWorkstations(desired([preferred()]), observed([]), WORK_HOURS, { imageBuilds: [failed] });

    const create = only(plan, 'create');
    expect(create.details).toMatchObject({ launch: { imageId: 'ami-base0916', userData: environment().userData } });
    expect(create.reason).toContain(
      '(the image build of neuroimaging@1.2.0 FAILED: Step Install-FSL failed: exit status 100; the script path instead)',
    );
    expect(plan.refusals).toEqual([]);
  });

  it('a failed newer build does not hide an available image of the version', () => {
    const image = built('ami-built');

    const plan = planWorkstations(desired([required()]), observed([], { images: [baseImage(), image] }), WORK_HOURS, {
      imageBuilds: [outputOf(image), failed],
    });

    expect(only(plan, 'create').details).toMatchObject({ launch: { imageId: 'ami-built', userData: '' } });
    expect(plan.refusals).toEqual([]);
  });

  it("a build of another version neither holds nor fails this one's launch", () => {
    const plan = planWorkstations(desired([required()]), observed([]), WORK_HOURS, {
      imageBuilds: [build({ environment: 'neuroimaging@1.3.0', status: 'BUILDING' })],
    });

    expect(plan.refusals.map((r) => r.code)).toEqual(['ami-required']);
  });
});

describe('a live workstation and a newer built image', () => {
  const older = built('ami-built-old', { creationDate: '2026-09-01T00:00:00.000Z' });
  const newer = built('ami-built-new', { creationDate: '2026-09-15T00:00:00.000Z' });
  const v13 = built('ami-v13', {}, 'neuroimaging@1.3.0');
  /** The builds behind `older`, `newer` and `v13`: every AMI of these tests but the forged ones. */
  const builds = [outputOf(older), outputOf(newer), outputOf(v13, 'neuroimaging@1.3.0')];
  const onImage = (ws: DesiredWorkstation, ami: string) =>
    instanceOf(ws, { imageId: ami, tags: { ...launchTags(ws), [TAG.ami]: ami } });

  it.each<[string, DesiredWorkstation, string, ObservedImage[], string[]]>([
    [
      'follow latest: replaced onto the newer built image',
      preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } }),
      'ami-built-old',
      [baseImage(), older, newer],
      ['replace alice-neuro i-alice-neuro'],
    ],
    [
      'without follow: never replaced because a new image appeared',
      preferred(),
      'ami-built-old',
      [baseImage(), older, newer],
      [],
    ],
    [
      'follow pinned: never replaced',
      preferred({ image: { strategy: 'ami_preferred', follow: 'pinned' } }),
      'ami-built-old',
      [baseImage(), older, newer],
      [],
    ],
    [
      'follow latest on the newest image already: nothing',
      preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } }),
      'ami-built-new',
      [baseImage(), older, newer],
      [],
    ],
    [
      'follow latest on the script path: not replaced by an image (only built images are followed)',
      preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } }),
      'ami-base0801',
      [baseImage(), newer],
      [],
    ],
    [
      'follow latest: a newer image of another version (old workstations keep theirs)',
      preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } }),
      'ami-built-old',
      [baseImage(), older, v13],
      [],
    ],
    [
      'FORGED: follow latest never replaces onto a newer AMI that only carries the tags',
      preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } }),
      'ami-built-old',
      [baseImage(), older, built('ami-forged', { creationDate: '2026-09-16T00:00:00.000Z' })],
      [],
    ],
    [
      'FORGED: an instance on a forged AMI is not known to run a built image, so it does not follow',
      preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } }),
      'ami-forged',
      [baseImage(), built('ami-forged', { creationDate: '2026-08-01T00:00:00.000Z' }), newer],
      [],
    ],
  ])('%s', (_, ws, ami, images, expected) => {
    const plan = planWorkstations(desired([ws]), observed([onImage(ws, ami)], { images }), WORK_HOURS, {
      imageBuilds: builds,
    });

    expect(summary(plan).filter((s) => s.startsWith('replace'))).toEqual(expected);
  });

  it('the follow replacement moves the data volumes, snapshots the root and launches from the new image with no user data', () => {
    const ws = preferred({ image: { strategy: 'ami_preferred', follow: 'latest' } });

    const plan = planWorkstations(
      desired([ws]),
      observed([onImage(ws, 'ami-built-old')], { images: [baseImage(), older, newer] }),
      WORK_HOURS,
      { imageBuilds: builds },
    );

    const replace = only(plan, 'replace');
    expect(replace.details).toMatchObject({
      launch: { imageId: 'ami-built-new', userData: '', tags: { [TAG.ami]: 'ami-built-new' } },
      moveVolumes: [{ volumeId: 'vol-alice-neuro-data', name: 'data' }],
      snapshotRoot: true,
    });
    expect(replace.reason).toContain(
      'image ami-built-old → ami-built-new (newer built image of neuroimaging@1.2.0, image.follow latest)',
    );
  });

  it("a new environment version replaces onto that version's built image", () => {
    const was = preferred();
    const now = preferred({ environment: environment({ version: '1.3.0' }), launchHash: 'launch-v2' });

    const plan = planWorkstations(
      desired([now]),
      observed([onImage(was, 'ami-built-old')], { images: [baseImage(), older, v13] }),
      WORK_HOURS,
      { imageBuilds: builds },
    );

    const replace = only(plan, 'replace');
    expect(replace.details).toMatchObject({ launch: { imageId: 'ami-v13', userData: '' } });
    expect(replace.reason).toContain('environment neuroimaging@1.2.0 → neuroimaging@1.3.0');
    expect(replace.reason).toContain('launches from built image ami-v13');
  });
});

describe('what a launch from a built image saves and costs', () => {
  const at = (minute: number): string => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
  const time = (environment: string, path: 'script' | 'image', seconds: number, minute: number) => ({
    environment,
    path,
    seconds,
    at: at(minute),
  });

  it.each<
    [
      string,
      ProvisionTimes,
      Pick<ImageSavings, 'scriptSeconds' | 'scriptFrom' | 'scriptSamples' | 'imageSeconds' | 'imageSamples'>,
      string,
    ]
  >([
    [
      'no launch measured yet: the build duration, and the image boot said to be unmeasured',
      {},
      { scriptSeconds: 2400, scriptFrom: 'builds', scriptSamples: 3, imageSeconds: null, imageSamples: 0 },
      "saves up to ~40m per launch (script path ~40m, the image build's duration (median of 3 builds): no script-path launch measured yet; image boot not measured yet)",
    ],
    [
      'measured launches of the version: the median of each path',
      {
        'i-s1': time('neuroimaging@1.2.0', 'script', 600, 1),
        'i-s2': time('neuroimaging@1.2.0', 'script', 900, 2),
        'i-s3': time('neuroimaging@1.2.0', 'script', 720, 3),
        'i-b1': time('neuroimaging@1.2.0', 'image', 40, 4),
        'i-b2': time('neuroimaging@1.2.0', 'image', 50, 5),
      },
      { scriptSeconds: 720, scriptFrom: 'launches', scriptSamples: 3, imageSeconds: 45, imageSamples: 2 },
      'saves ~11m15s per launch (script path 12m, median of 3 launches; image boot 45s, median of 2 launches)',
    ],
    [
      "the version's own launches over another version's; other environments never",
      {
        'i-old': time('neuroimaging@1.1.0', 'script', 3000, 9),
        'i-new': time('neuroimaging@1.2.0', 'script', 600, 1),
        'i-other': time('ml-gpu@1.0.0', 'image', 5, 9),
        'i-img-old': time('neuroimaging@1.1.0', 'image', 50, 8),
      },
      { scriptSeconds: 600, scriptFrom: 'launches', scriptSamples: 1, imageSeconds: 50, imageSamples: 1 },
      'saves ~9m10s per launch (script path 10m, 1 launch; image boot 50s, 1 launch)',
    ],
    [
      'only the newest five launches count',
      Object.fromEntries(
        [100, 100, 100, 100, 100, 900, 900].map((seconds, i) => [
          `i-${i}`,
          time('neuroimaging@1.2.0', 'script', seconds, 10 - i),
        ]),
      ),
      { scriptSeconds: 100, scriptFrom: 'launches', scriptSamples: 5, imageSeconds: null, imageSamples: 0 },
      'saves up to ~1m40s per launch (script path 1m40s, median of 5 launches; image boot not measured yet)',
    ],
  ])('%s', (_name, provisionTimes, figures, line) => {
    const east = built('ami-built', { snapshotGiB: 30 });
    const west = built('ami-built-west', { region: 'us-west-2', snapshotGiB: 30 });
    const buildUSD = Math.round((40 / 60) * (hourlyPriceUSD('m6i.large', 'us-east-1') ?? NaN) * 100) / 100;
    const snapshotUSD = (region: string): number =>
      Math.round(30 * (storagePricesUSD(region)?.snapshotGiBMonth ?? NaN) * 100) / 100;

    const plan = planWorkstations(
      desired([preferred()]),
      observed([], { images: [baseImage(), east, west, ...MEASURED.images] }),
      WORK_HOURS,
      { imageBuilds: [...MEASURED.builds, outputOf(east), outputOf(west)], provisionTimes },
    );

    const create = only(plan, 'create');
    expect(create.imageSavings).toEqual({
      imageId: 'ami-built',
      ...figures,
      buildUSD,
      snapshotMonthlyUSDByRegion: { 'us-east-1': snapshotUSD('us-east-1'), 'us-west-2': snapshotUSD('us-west-2') },
    });
    expect([buildUSD, snapshotUSD('us-east-1'), snapshotUSD('us-west-2')].every((usd) => usd > 0)).toBe(true);
    expect(create.reason).toBe(
      `no instance: launch m6i.large in us-east-1 from built image ami-built; ${line}; image $${buildUSD.toFixed(2)} to build + snapshots $${snapshotUSD('us-east-1').toFixed(2)}/month in us-east-1, $${snapshotUSD('us-west-2').toFixed(2)}/month in us-west-2`,
    );
    expect(outputChecker()('plan', planToJson(plan))).toEqual([]);
  });

  it('FORGED: an AMI with the right tags in another Region adds no snapshot cost there', () => {
    const east = built('ami-built', { snapshotGiB: 30 });
    const forgedWest = built('ami-forged-west', { region: 'us-west-2', snapshotGiB: 500 });

    const plan = planWorkstations(
      desired([preferred()]),
      observed([], { images: [baseImage(), east, forgedWest, ...MEASURED.images] }),
      WORK_HOURS,
      { imageBuilds: [...MEASURED.builds, outputOf(east)] },
    );

    expect(Object.keys(only(plan, 'create').imageSavings?.snapshotMonthlyUSDByRegion ?? {})).toEqual(['us-east-1']);
  });

  it.each<[string, DesiredWorkstation, ObservedImage[], ObservedImageBuild[]]>([
    ['no finished build measured yet', preferred(), [baseImage(), built('ami-built')], [outputOf(built('ami-built'))]],
    ['the script path', workstation(), [baseImage(), ...MEASURED.images], MEASURED.builds],
  ])('no figures: %s', (_, ws, images, builds) => {
    const plan = planWorkstations(desired([ws]), observed([], { images }), WORK_HOURS, { imageBuilds: builds });

    expect(only(plan, 'create')).not.toHaveProperty('imageSavings');
  });
});
