/** planWorkstations: spec changes on a live instance (resize, replace, retag, data volumes). */
import { describe, expect, it } from 'vitest';
import { TAG, clientToken } from '../../../../reconciler/src/model/tags.js';
import type { ObservedInstance } from '../../../../reconciler/src/model/observed.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import {
  NIGHT,
  REPO,
  WORK_HOURS,
  baseImage,
  desired,
  environment,
  instanceOf,
  launchTags,
  observed,
  only,
  schedule,
  summary,
  workstation,
} from './plan-fixtures.js';

describe('resize', () => {
  const old = workstation();
  const bigger = workstation({ instanceType: 'm6i.xlarge' });

  it.each([
    ['running, should run: stop, modify, start', instanceOf(old), bigger, WORK_HOURS, true, ['resize', 'retag']],
    [
      'running, should be off: the resize stops it, no separate stop',
      instanceOf(old),
      workstation({ instanceType: 'm6i.xlarge', schedule: schedule() }),
      NIGHT,
      false,
      ['resize', 'retag'],
    ],
    [
      'stopped, should run: resize, then start',
      instanceOf(old, { state: 'stopped' }),
      bigger,
      WORK_HOURS,
      false,
      ['resize', 'start', 'retag'],
    ],
  ])('%s', (_, instance, ws, now, restart, kinds) => {
    const plan = planWorkstations(desired([ws]), observed([instance]), now);

    expect(plan.actions.map((a) => a.kind)).toEqual(kinds);
    expect(only(plan, 'resize')).toMatchObject({
      rule: 'spec',
      destructive: false,
      details: { kind: 'resize', from: 'm6i.large', to: 'm6i.xlarge', restart },
    });
    expect(only(plan, 'retag')).toMatchObject({
      details: { set: { [TAG.instanceType]: 'm6i.xlarge' } },
      after: plan.actions
        .filter((a) => a.kind !== 'retag')
        .map((a) => a.id)
        .sort(),
    });
  });

  it('a started-after-resize waits for the resize', () => {
    const plan = planWorkstations(desired([bigger]), observed([instanceOf(old, { state: 'stopped' })]), WORK_HOURS);

    expect(only(plan, 'start').after).toEqual(['Workstation/alice-neuro/resize']);
  });

  it.each([
    [
      'hibernation-enabled',
      workstation({ instanceType: 'r7i.large', hibernation: true }),
      workstation({ instanceType: 'r7i.xlarge', hibernation: true }),
      'AWS cannot change the type of a hibernation-enabled instance',
    ],
    [
      'Spot',
      workstation({ spot: true }),
      workstation({ instanceType: 'm6i.xlarge', spot: true }),
      'AWS cannot change the type of a Spot instance',
    ],
    [
      'x86_64 → arm64',
      workstation(),
      workstation({ instanceType: 'm7g.large' }),
      'x86_64 and arm64 cannot be swapped in place',
    ],
  ])('%s: a type change needs a replace instead', (_, before, after, why) => {
    const plan = planWorkstations(desired([after]), observed([instanceOf(before)]), WORK_HOURS);

    expect(summary(plan)).toEqual(['replace alice-neuro i-alice-neuro']);
    expect(only(plan, 'replace').reason).toContain(
      `instanceType ${before.instanceType} → ${after.instanceType} needs a new instance: ${why}`,
    );
  });
});

describe('replace', () => {
  const launched = workstation({ environment: environment({ version: '1.1.0' }), launchHash: 'launch-v1' });
  const changed = workstation({ launchHash: 'launch-v2' });
  const volumes = [
    {
      volumeId: 'vol-alice-neuro-data',
      region: 'us-east-1',
      availabilityZone: 'us-east-1b',
      sizeGiB: 500,
      type: 'gp3',
      state: 'in-use',
      attachedTo: 'i-alice-neuro',
      tags: {},
    },
  ];

  it.each([
    ['Snapshot', true, false, 5],
    ['Retain', false, true, 8],
    ['Delete', false, false, 0],
  ] as const)(
    'deletionPolicy %s: moves data volumes, snapshotRoot %s, retainRoot %s',
    (deletionPolicy, snapshotRoot, retainRoot, delta) => {
      const ws = { ...changed, deletionPolicy };

      const plan = planWorkstations(desired([ws]), observed([instanceOf(launched)], { volumes }), WORK_HOURS);

      const replace = only(plan, 'replace');
      expect(replace).toMatchObject({
        id: 'Workstation/alice-neuro/replace',
        destructive: true,
        rule: 'spec',
        instanceId: 'i-alice-neuro',
        monthlyDeltaUSD: delta,
      });
      expect(replace.details).toMatchObject({
        kind: 'replace',
        oldInstanceId: 'i-alice-neuro',
        snapshotRoot,
        retainRoot,
        rootVolumeId: 'vol-alice-neuro-root',
        moveVolumes: [{ volumeId: 'vol-alice-neuro-data', name: 'data', device: '/dev/sdf' }],
        thenState: 'running',
        launch: {
          availabilityZone: 'us-east-1b',
          volumes: [],
          clientToken: clientToken(REPO, 'Workstation', 'alice-neuro', 'launch-v2', 1),
          tags: {
            [TAG.generation]: '1',
            [TAG.specHash]: 'launch-v2',
            [TAG.environment]: 'neuroimaging@1.2.0',
            [TAG.deletionPolicy]: deletionPolicy,
          },
        },
      });
      expect(replace.reason).toMatch(
        /^environment neuroimaging@1\.1\.0 → neuroimaging@1\.2\.0; moves data volumes data \(vol-alice-neuro-data\); old root /,
      );
      expect(plan.actions).toHaveLength(1);
    },
  );

  it('creates data volumes the old instance lacks in the new launch', () => {
    const ws = { ...changed, volumes: [...changed.volumes, { name: 'scratch', sizeGiB: 200, type: 'gp3' as const }] };

    const plan = planWorkstations(desired([ws]), observed([instanceOf(launched)]), WORK_HOURS);

    const details = only(plan, 'replace').details;
    expect(details).toMatchObject({
      launch: { volumes: [{ name: 'scratch', sizeGiB: 200, type: 'gp3' }] },
      moveVolumes: [{ name: 'data' }],
    });
    expect(details.kind === 'replace' && details.launch.availabilityZone).toBeUndefined();
  });

  it('a region change launches in the new region; volumes cannot move and stay, new ones are created', () => {
    const ws = workstation({ region: 'us-west-2', launchHash: 'launch-v2' });

    const plan = planWorkstations(
      desired([ws]),
      observed([instanceOf(workstation())], { images: [baseImage({ region: 'us-west-2', imageId: 'ami-west' })] }),
      WORK_HOURS,
    );

    const replace = only(plan, 'replace');
    expect(replace).toMatchObject({
      region: 'us-west-2',
      details: {
        oldRegion: 'us-east-1',
        moveVolumes: [],
        launch: { region: 'us-west-2', imageId: 'ami-west', volumes: [{ name: 'data', sizeGiB: 500, type: 'gp3' }] },
      },
    });
    expect(replace.reason).toContain('region us-east-1 → us-west-2');
    expect(replace.reason).toContain(
      'volumes cannot move between regions: data (vol-alice-neuro-data) stay in us-east-1',
    );
  });

  it('replaces into the state the workstation should be in now', () => {
    const ws = { ...changed, schedule: schedule() };

    const plan = planWorkstations(desired([ws]), observed([instanceOf(launched)]), NIGHT);

    expect(only(plan, 'replace').details).toMatchObject({
      thenState: 'stopped',
      launch: { tags: { [TAG.desiredState]: 'running' } },
    });
  });

  it('a newer base image never replaces an instance', () => {
    const ws = workstation();
    const newer = baseImage({
      imageId: 'ami-base1201',
      creationDate: '2026-12-01T00:00:00.000Z',
      name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-jammy-22.04-amd64-server-20261201',
    });

    const plan = planWorkstations(
      desired([ws]),
      observed([instanceOf(ws)], { images: [baseImage(), newer] }),
      WORK_HOURS,
    );

    expect(plan.actions).toEqual([]);
  });

  it('waits while the instance is in transition', () => {
    const plan = planWorkstations(
      desired([changed]),
      observed([instanceOf(launched, { state: 'pending' })]),
      WORK_HOURS,
    );

    expect(plan.actions).toEqual([]);
  });

  it('without an image in reach the replace is refused and the old instance is still managed', () => {
    const ws = { ...changed, image: { strategy: 'ami_required' as const }, schedule: schedule() };

    const plan = planWorkstations(desired([ws]), observed([instanceOf(launched)]), NIGHT);

    expect(plan.refusals.map((r) => [r.code, r.resource?.name])).toEqual([['ami-required', 'alice-neuro']]);
    expect(summary(plan)).toEqual(['stop alice-neuro i-alice-neuro']);
  });
});

describe('retag', () => {
  it('brings ownership tags, labels, Name and deletion policy in line with the spec', () => {
    const before = workstation({ labels: { course: 'psy101', term: 'fall' } });
    const instance = instanceOf(before, { tags: { ...instanceOf(before).tags, Name: 'renamed-in-console' } });
    const ws = workstation({
      owner: 'alice2',
      project: 'neuro-core',
      labels: { course: 'psy102' },
      deletionPolicy: 'Retain',
    });

    const plan = planWorkstations(desired([ws]), observed([instance]), WORK_HOURS);

    expect(only(plan, 'retag')).toMatchObject({
      id: 'Workstation/alice-neuro/retag',
      rule: 'spec',
      monthlyDeltaUSD: 0,
      after: [],
      details: {
        kind: 'retag',
        set: {
          Name: 'alice-neuro',
          [TAG.deletionPolicy]: 'Retain',
          'labops:label:course': 'psy102',
          [TAG.owner]: 'alice2',
          [TAG.project]: 'neuro-core',
        },
        remove: ['labops:label:term'],
      },
    });
    expect(plan.actions).toHaveLength(1);
  });

  it('follows the power action of the same instance', () => {
    const ws = workstation({ owner: 'alice2', schedule: schedule() });

    const plan = planWorkstations(desired([ws]), observed([instanceOf(workstation())]), NIGHT);

    expect(plan.actions.map((a) => [a.kind, a.after])).toEqual([
      ['stop', []],
      ['retag', ['Workstation/alice-neuro/stop']],
    ]);
  });
});

describe('data volume changes on a live instance are reported, not applied', () => {
  const ws = workstation();

  it.each([
    [
      'a volume added',
      { volumes: [...ws.volumes, { name: 'scratch', sizeGiB: 200, type: 'gp3' as const }] },
      'scratch (200 GiB gp3) is in the spec but not attached: it is created at the next replacement',
      'data:500',
      'data:500, scratch:200',
    ],
    [
      'a volume removed',
      { volumes: [] },
      'data (vol-alice-neuro-data) is no longer in the spec: it stays attached',
      'data:500',
      'none',
    ],
    [
      'a volume grown',
      { volumes: [{ name: 'data', sizeGiB: 800, type: 'gp3' as const }] },
      'data is 500 GiB, the spec says 800 GiB: labops does not resize volumes',
      'data:500',
      'data:800',
    ],
  ])('%s', (_, change, reason, observedVolumes, expectedVolumes) => {
    const plan = planWorkstations(desired([workstation(change)]), observed([instanceOf(ws)]), WORK_HOURS);

    expect(plan.actions).toEqual([
      expect.objectContaining({
        id: 'Workstation/alice-neuro/drift/volumes',
        kind: 'drift',
        rule: 'spec: data volumes',
        reason,
        details: { kind: 'drift', observed: observedVolumes, expected: expectedVolumes },
      }),
    ]);
  });
});

describe('data volumes a launch left unnamed (a create interrupted before it named them)', () => {
  const ws = workstation({
    volumes: [
      { name: 'data', sizeGiB: 500, type: 'gp3' },
      { name: 'scratch', sizeGiB: 100, type: 'gp3' },
    ],
  });
  const unnamed = (names: (string | undefined)[], sizes = [500, 100]): ObservedInstance => {
    const launched = instanceOf(ws);
    const [root, ...data] = launched.attachments;
    return {
      ...launched,
      attachments: [root!, ...data.map((a, i) => ({ ...a, volumeId: `vol-${i}`, name: names[i], sizeGiB: sizes[i]! }))],
    };
  };

  it.each([
    [
      'both unnamed: named in device order',
      unnamed([undefined, undefined]),
      ['retag'],
      { 'vol-0': 'data', 'vol-1': 'scratch' },
    ],
    ['one named: the other takes the missing name', unnamed(['data', undefined]), ['retag'], { 'vol-1': 'scratch' }],
    [
      'sizes disagree with the spec: left unnamed, reported',
      unnamed([undefined, undefined], [100, 500]),
      ['drift'],
      undefined,
    ],
    ['all named: nothing to do', unnamed(['data', 'scratch']), [], undefined],
  ])('%s', (_, instance, kinds, volumes) => {
    const plan = planWorkstations(desired([ws]), observed([instance]), WORK_HOURS);

    expect(plan.actions.map((a) => a.kind)).toEqual(kinds);
    expect(plan.actions.find((a) => a.kind === 'retag')?.details).toEqual(
      volumes === undefined ? undefined : { kind: 'retag', set: {}, remove: [], volumes },
    );
  });
});

describe('an interrupted replacement is finished, wherever the crash left the data volume', () => {
  const launched = workstation({ environment: environment({ version: '1.1.0' }), launchHash: 'launch-v1' });
  const changed = workstation({ launchHash: 'launch-v2' });
  const old = instanceOf(launched, { state: 'stopped' });
  const root = old.attachments[0]!;
  const data = old.attachments[1]!;
  const newRoot = { ...root, volumeId: 'vol-new-root' };
  const replacement = (attachments = [newRoot]) =>
    instanceOf(changed, {
      instanceId: 'i-new',
      launchTime: '2026-09-16T14:00:00.000Z',
      tags: launchTags(changed, 'running', 1),
      attachments,
    });
  const detached = (volumeId: string, owner = 'alice') => ({
    volumeId,
    region: 'us-east-1',
    availabilityZone: 'us-east-1b',
    sizeGiB: 500,
    type: 'gp3',
    state: 'available',
    tags: {
      [TAG.repo]: REPO,
      [TAG.kind]: 'Workstation',
      [TAG.name]: 'alice-neuro',
      [TAG.volume]: 'data',
      [TAG.owner]: owner,
    },
  });

  it.each([
    [
      'still on the old instance',
      old,
      replacement(),
      [],
      [{ volumeId: data.volumeId, name: 'data', device: '/dev/sdf' }],
    ],
    [
      'detached from the old, not yet attached',
      { ...old, attachments: [root] },
      replacement(),
      [detached('vol-alice-neuro-data')],
      [{ volumeId: 'vol-alice-neuro-data', name: 'data', device: '/dev/sdf' }],
    ],
    [
      'already on the replacement',
      { ...old, attachments: [root] },
      replacement([newRoot, { ...data, device: '/dev/sdg' }]),
      [],
      [{ volumeId: data.volumeId, name: 'data', device: '/dev/sdg' }],
    ],
    [
      "detached twice over (which one holds the data is not labops' guess)",
      { ...old, attachments: [root] },
      replacement(),
      [detached('vol-a'), detached('vol-b')],
      [],
    ],
    [
      'detached, but a pruned namesake’s of another owner (never picked up)',
      { ...old, attachments: [root] },
      replacement(),
      [detached('vol-bobs', 'bob')],
      [],
    ],
  ])(
    'data volume %s: the same replace again, same ClientToken, no duplicate report',
    (_, oldInstance, newInstance, volumes, moveVolumes) => {
      const plan = planWorkstations(desired([changed]), observed([oldInstance, newInstance], { volumes }), WORK_HOURS);

      expect(summary(plan)).toEqual(['replace alice-neuro i-alice-neuro']);
      const replace = only(plan, 'replace');
      expect(replace.reason).toMatch(
        /^finishing an interrupted replacement: i-new \(generation 1\) was launched, i-alice-neuro was not yet retired/,
      );
      expect(replace.details).toMatchObject({
        kind: 'replace',
        oldInstanceId: 'i-alice-neuro',
        moveVolumes,
        launch: { clientToken: clientToken(REPO, 'Workstation', 'alice-neuro', 'launch-v2', 1) },
      });
    },
  );

  it('a replacement launched from an older spec is not finished: the newest is managed, the other reported', () => {
    const newer = workstation({ launchHash: 'launch-v3' });

    const plan = planWorkstations(desired([newer]), observed([old, replacement()]), WORK_HOURS);

    expect(summary(plan)).toEqual(['replace alice-neuro i-new', 'orphan alice-neuro i-alice-neuro']);
    expect(only(plan, 'replace').details).toMatchObject({
      oldInstanceId: 'i-new',
      launch: { clientToken: clientToken(REPO, 'Workstation', 'alice-neuro', 'launch-v3', 2) },
    });
  });
});
