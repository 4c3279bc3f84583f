/** planWorkstations: launching workstations that have no live instance, and choosing their image. */
import { describe, expect, it } from 'vitest';
import { TAG, clientToken } from '../../../../reconciler/src/model/tags.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import {
  NIGHT,
  REPO,
  WORK_HOURS,
  baseImage,
  desired,
  environment,
  instanceOf,
  observed,
  only,
  ownImage,
  schedule,
  summary,
  workstation,
} from './plan-fixtures.js';

describe('create', () => {
  it('launches a workstation with no instance, fully resolved', () => {
    const ws = workstation({
      labels: { course: 'psy101' },
      network: { subnetId: 'subnet-1', securityGroupIds: ['sg-1'] },
    });

    const plan = planWorkstations(desired([ws]), observed([]), WORK_HOURS);

    const create = only(plan, 'create');
    expect(create).toMatchObject({
      id: 'Workstation/alice-neuro/create',
      region: 'us-east-1',
      rule: 'spec',
      destructive: false,
      after: [],
    });
    expect(create.details).toEqual({
      kind: 'create',
      thenState: 'running',
      launch: {
        region: 'us-east-1',
        imageId: 'ami-base0916',
        instanceType: 'm6i.large',
        userData: ws.environment.userData,
        rootGiB: 100,
        volumes: [{ name: 'data', sizeGiB: 500, type: 'gp3' }],
        hibernation: false,
        spot: false,
        subnetId: 'subnet-1',
        securityGroupIds: ['sg-1'],
        clientToken: clientToken(REPO, 'Workstation', 'alice-neuro', 'launch-v1', 0),
        tags: {
          Name: 'alice-neuro',
          'labops:ami': 'ami-base0916',
          'labops:deletion-policy': 'Snapshot',
          'labops:desired-state': 'running',
          'labops:environment': 'neuroimaging@1.2.0',
          'labops:generation': '0',
          'labops:instance-type': 'm6i.large',
          'labops:kind': 'Workstation',
          'labops:label:course': 'psy101',
          'labops:name': 'alice-neuro',
          'labops:owner': 'alice',
          'labops:project': 'neuro-lab',
          'labops:repo': REPO,
          'labops:spec-hash': 'launch-v1',
        },
      },
    });
  });

  it.each([
    ['running by spec, in work hours', workstation({ schedule: schedule() }), WORK_HOURS, 'running'],
    ['off hours: still created, then stopped', workstation({ schedule: schedule() }), NIGHT, 'stopped'],
    [
      'off hours with hibernate configured',
      workstation({
        schedule: schedule('Mon-Fri 08:00-19:00', 'hibernate'),
        hibernation: true,
        instanceType: 'r7i.large',
      }),
      NIGHT,
      'hibernated',
    ],
    [
      'off hours with hibernate but no hibernation: stop',
      workstation({ schedule: schedule('Mon-Fri 08:00-19:00', 'hibernate') }),
      NIGHT,
      'stopped',
    ],
    ['spec says stopped', workstation({ state: 'stopped' }), WORK_HOURS, 'stopped'],
  ])('thenState: %s', (_, ws, now, thenState) => {
    const plan = planWorkstations(desired([ws]), observed([]), now);

    const create = only(plan, 'create');
    // Launched running whatever comes next: the create's power step records thenState when it gets
    // there, so a create interrupted before that step is never mistaken for drift.
    expect(create.details).toMatchObject({ thenState, launch: { tags: { [TAG.desiredState]: 'running' } } });
  });

  it('a terminated instance of the same name does not count, and the next launch gets a new generation', () => {
    const ws = workstation();
    const gone = instanceOf(ws, { state: 'terminated', tags: { ...instanceOf(ws).tags, [TAG.generation]: '2' } });

    const plan = planWorkstations(desired([ws]), observed([gone]), WORK_HOURS);

    expect(summary(plan)).toEqual(['create alice-neuro']);
    expect(only(plan, 'create').details).toMatchObject({
      launch: {
        tags: { [TAG.generation]: '3' },
        clientToken: clientToken(REPO, 'Workstation', 'alice-neuro', 'launch-v1', 3),
      },
    });
  });

  it('a budget that blocks launches turns the create into a scoped refusal; other projects still launch', () => {
    const blocked = workstation();
    const other = workstation({ name: 'bob-atmos', owner: 'bob', project: 'atmos-lab' });
    const overrides = [
      { project: 'neuro-lab', action: 'block-launches' as const, rule: 'budget neuro-fall at 101% of $5,000' },
    ];

    const plan = planWorkstations(desired([blocked, other]), observed([]), WORK_HOURS, { overrides });

    expect(summary(plan)).toEqual(['create bob-atmos']);
    expect(plan.refusals).toEqual([
      {
        code: 'budget-blocked',
        message: 'workstation alice-neuro: launch blocked by budget neuro-fall at 101% of $5,000 (project neuro-lab)',
        resource: { kind: 'Workstation', name: 'alice-neuro' },
      },
    ]);
  });
});

describe('image resolution', () => {
  const withImages = environment({
    images: { 'us-east-1': 'ami-env-east', 'us-west-2': 'ami-env-west', 'eu-west-1': 'ami-env-eu' },
  });
  const westOnly = environment({ images: { 'us-west-2': 'ami-env-west' } });
  const newer = baseImage({
    imageId: 'ami-base1001',
    creationDate: '2026-10-01T00:00:00.000Z',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-jammy-22.04-amd64-server-20261001',
  });
  const arm = baseImage({
    imageId: 'ami-arm',
    creationDate: '2026-12-01T00:00:00.000Z',
    architecture: 'arm64',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-jammy-22.04-arm64-server-20261201',
  });
  const noble = baseImage({
    imageId: 'ami-noble',
    creationDate: '2026-12-01T00:00:00.000Z',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261201',
  });
  const lookalike = baseImage({
    imageId: 'ami-fake',
    creationDate: '2026-12-01T00:00:00.000Z',
    ownerId: '666666666666',
  });
  const userData = environment().userData;

  it.each([
    [
      'pinned AMI wins over everything',
      { strategy: 'ami_preferred' as const, ami: 'ami-pinned' },
      withImages,
      [ownImage('ami-env-east', 'us-east-1')],
      'ami-pinned',
      userData,
    ],
    [
      'pinned prebuilt AMI needs no user data',
      { strategy: 'script' as const, ami: 'ami-env-west' },
      withImages,
      [],
      'ami-env-west',
      '',
    ],
    [
      'ami_preferred: prebuilt image in the region',
      { strategy: 'ami_preferred' as const },
      withImages,
      [ownImage('ami-env-east', 'us-east-1'), baseImage()],
      'ami-env-east',
      '',
    ],
    [
      'ami_preferred: no images at all → newest base image',
      { strategy: 'ami_preferred' as const },
      environment(),
      [baseImage(), newer],
      'ami-base1001',
      userData,
    ],
    [
      'ami_required: prebuilt image in the region',
      { strategy: 'ami_required' as const },
      withImages,
      [ownImage('ami-env-east', 'us-east-1')],
      'ami-env-east',
      '',
    ],
    [
      'script: base image even when a prebuilt one exists',
      { strategy: 'script' as const },
      withImages,
      [ownImage('ami-env-east', 'us-east-1'), baseImage()],
      'ami-base0916',
      userData,
    ],
    [
      'script: newest base image of the right OS, architecture and publisher',
      { strategy: 'script' as const },
      environment(),
      [arm, noble, lookalike, newer, baseImage()],
      'ami-base1001',
      userData,
    ],
    [
      'a base image in another region is not used',
      { strategy: 'script' as const },
      environment(),
      [baseImage(), baseImage({ imageId: 'ami-west', region: 'us-west-2', creationDate: '2026-12-01T00:00:00.000Z' })],
      'ami-base0916',
      userData,
    ],
    [
      'a prebuilt image that is not available is skipped',
      { strategy: 'ami_preferred' as const },
      environment({ images: { 'us-east-1': 'ami-env-east' } }),
      [{ ...ownImage('ami-env-east', 'us-east-1'), state: 'pending' }, baseImage()],
      'ami-base0916',
      userData,
    ],
  ])('%s', (_, image, env, images, imageId, expectedUserData) => {
    const ws = workstation({ image, environment: env });

    const plan = planWorkstations(desired([ws]), observed([], { images }), WORK_HOURS);

    const details = only(plan, 'create').details;
    expect(details).toMatchObject({ launch: { imageId, userData: expectedUserData, tags: { [TAG.ami]: imageId } } });
    expect(details).not.toHaveProperty('copyImage');
    expect(plan.refusals).toEqual([]);
  });

  it.each(['ami_preferred', 'ami_required'] as const)(
    '%s: copies the prebuilt image from another region and launches from the copy',
    (strategy) => {
      const ws = workstation({ image: { strategy }, environment: westOnly });

      const plan = planWorkstations(
        desired([ws]),
        observed([], { images: [ownImage('ami-env-west', 'us-west-2'), baseImage()] }),
        WORK_HOURS,
      );

      const details = only(plan, 'create').details;
      expect(details).toMatchObject({
        launch: { imageId: '', userData: '', tags: { [TAG.ami]: '' } },
        copyImage: {
          sourceRegion: 'us-west-2',
          sourceImageId: 'ami-env-west',
          region: 'us-east-1',
          name: 'labops/neuroimaging-1.2.0/ami-env-west',
          tags: { [TAG.repo]: REPO, [TAG.environment]: 'neuroimaging@1.2.0' },
        },
      });
      expect(details.kind === 'create' && details.copyImage?.clientToken).toMatch(/^labops-copy-[0-9a-f]{40}$/);
    },
  );

  it('two workstations needing the same copy share its client token', () => {
    const a = workstation({ image: { strategy: 'ami_preferred' }, environment: westOnly });
    const b = workstation({
      name: 'bob-neuro',
      owner: 'bob',
      image: { strategy: 'ami_preferred' },
      environment: westOnly,
    });

    const plan = planWorkstations(
      desired([a, b]),
      observed([], { images: [ownImage('ami-env-west', 'us-west-2')] }),
      WORK_HOURS,
    );

    const tokens = plan.actions.map((x) =>
      x.details.kind === 'create' ? x.details.copyImage?.clientToken : undefined,
    );
    expect(tokens[0]).toBeDefined();
    expect(tokens[0]).toEqual(tokens[1]);
  });

  it.each([
    [
      'ami_required with no prebuilt image anywhere',
      workstation({ image: { strategy: 'ami_required' }, environment: withImages }),
      [baseImage()],
      'ami-required',
      'workstation alice-neuro: image.strategy ami_required, but environment neuroimaging@1.2.0 has no prebuilt image available in us-east-1 or any other region',
    ],
    [
      'no base image observed',
      workstation(),
      [baseImage({ region: 'us-west-2' })],
      'no-base-image',
      'workstation alice-neuro: no available ubuntu-22.04 x86_64 base image (owner 099720109477, name ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-amd64-server-*) observed in us-east-1',
    ],
  ])('refuses: %s; other workstations are still planned', (_, ws, images, code, message) => {
    const other = workstation({
      name: 'bob-neuro',
      owner: 'bob',
      image: { strategy: 'ami_preferred', ami: 'ami-pinned' },
    });

    const plan = planWorkstations(desired([ws, other]), observed([], { images }), WORK_HOURS);

    expect(summary(plan)).toEqual(['create bob-neuro']);
    expect(plan.refusals).toEqual([{ code, message, resource: { kind: 'Workstation', name: 'alice-neuro' } }]);
  });
});
