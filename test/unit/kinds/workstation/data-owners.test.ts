/** Data belongs to its owner: which other people's data a desired state uses, whose snapshots a restore takes, and the planner's refusal hook. */
import { describe, expect, it } from 'vitest';
import type { DesiredWorkstation } from '../../../../reconciler/src/model/desired.js';
import type { ObservedImage } from '../../../../reconciler/src/model/observed.js';
import type { DesiredSchedule, ObservedSnapshot } from '../../../../reconciler/src/model/schedule.js';
import { RESTORE_FROM_TAG } from '../../../../reconciler/src/kinds/workstation/plan/restore.js';
import type { DataUse } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { foreignDataUse, planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import {
  REPO,
  WORK_HOURS,
  baseImage,
  desired,
  environment,
  instanceOf,
  observed,
  only,
  ownImage,
  summary,
  workstation,
} from './plan-fixtures.js';

const DAY_1 = '2026-09-14T06:00:00.000Z';
const DAY_2 = '2026-09-15T06:00:00.000Z';

/** The tags a SnapshotSchedule puts on what it makes of `workstation` (owned by `owner`). */
function scheduleTags(
  workstation: string,
  owner: string | undefined,
  slot: string,
  schedule = 'nightly',
): Record<string, string> {
  return {
    'labops:repo': REPO,
    'labops:kind': 'SnapshotSchedule',
    'labops:name': schedule,
    'labops:schedule': schedule,
    'labops:workstation': workstation,
    'labops:slot': slot,
    ...(owner === undefined ? {} : { 'labops:owner': owner, 'labops:project': 'neuro-lab' }),
  };
}

/** A completed `data` volume snapshot nightly made of `workstation`. */
function snapshotOf(id: string, workstation: string, owner: string, slot = DAY_2): ObservedSnapshot {
  return {
    snapshotId: id,
    region: 'us-east-1',
    volumeId: `vol-${workstation}-data`,
    state: 'completed',
    startTime: slot,
    sizeGiB: 500,
    tags: { ...scheduleTags(workstation, owner, slot), 'labops:volume': 'data' },
  };
}

/** An available AMI an `image` schedule made of `workstation`. */
function imageOf(
  imageId: string,
  workstation: string,
  owner: string | undefined,
  slot = DAY_2,
  region = 'us-east-1',
): ObservedImage {
  return {
    ...ownImage(imageId, region),
    name: `labops-images-${workstation}`,
    tags: scheduleTags(workstation, owner, slot, 'images'),
  };
}

function nightly(type: 'volumes' | 'image' = 'volumes'): DesiredSchedule {
  return {
    name: type === 'image' ? 'images' : 'nightly',
    cron: '0 2 * * *',
    timezone: 'America/New_York',
    type,
    retain: {},
    copyTo: [],
    workstations: ['alice-neuro', 'bob-neuro'],
    budgetExempt: false,
  };
}

const alice = (overrides: Partial<DesiredWorkstation> = {}): DesiredWorkstation => workstation(overrides);
const carol = (overrides: Partial<DesiredWorkstation> = {}): DesiredWorkstation =>
  workstation({ name: 'carol-neuro', owner: 'carol', ...overrides });
const bob = (overrides: Partial<DesiredWorkstation> = {}): DesiredWorkstation =>
  workstation({ name: 'bob-neuro', owner: 'bob', ...overrides });

describe('foreignDataUse', () => {
  const bobsImage = imageOf('ami-bob1', 'bob-neuro', 'bob');
  const images = [
    baseImage(),
    bobsImage,
    imageOf('ami-alice1', 'alice-neuro', 'alice'),
    imageOf('ami-nobody', 'gone-neuro', undefined),
    ownImage('ami-prebuilt', 'us-east-1'),
  ];

  it.each<[string, DesiredWorkstation[], DataUse[]]>([
    ['nothing pinned, nothing restored', [alice(), bob()], []],
    [
      'image.ami pins an image made of bob’s workstation',
      [alice({ image: { strategy: 'script', ami: 'ami-bob1' } })],
      [{ workstation: 'alice-neuro', owner: 'bob', what: 'image ami-bob1 made from workstation bob-neuro' }],
    ],
    ['bob pins an image of his own workstation', [bob({ image: { strategy: 'script', ami: 'ami-bob1' } })], []],
    [
      'alice pins an image of her workstation (owner compared case-insensitively)',
      [alice({ owner: 'Alice', image: { strategy: 'script', ami: 'ami-alice1' } })],
      [],
    ],
    [
      'image.ami pins a prebuilt environment image (no workstation’s data)',
      [alice({ image: { strategy: 'script', ami: 'ami-prebuilt' } })],
      [],
    ],
    [
      'image.ami pins an image labops never observed',
      [alice({ image: { strategy: 'script', ami: 'ami-0123456789abcdef0' } })],
      [],
    ],
    [
      'image.ami pins a workstation image with no labops:owner',
      [alice({ image: { strategy: 'script', ami: 'ami-nobody' } })],
      [{ workstation: 'alice-neuro', owner: '', what: 'image ami-nobody made from workstation gone-neuro' }],
    ],
    [
      'an environment’s images name bob’s image: every workstation of it but bob’s own',
      [
        carol({ environment: environment({ images: { 'us-east-1': 'ami-bob1' } }) }),
        bob({ environment: environment({ images: { 'us-east-1': 'ami-bob1' } }) }),
        alice({ environment: environment({ images: { 'us-west-2': 'ami-prebuilt', 'us-east-1': 'ami-bob1' } }) }),
      ],
      [
        { workstation: 'alice-neuro', owner: 'bob', what: 'image ami-bob1 made from workstation bob-neuro' },
        { workstation: 'carol-neuro', owner: 'bob', what: 'image ami-bob1 made from workstation bob-neuro' },
      ],
    ],
    [
      'the same image pinned and in the environment counts once',
      [
        alice({
          image: { strategy: 'script', ami: 'ami-bob1' },
          environment: environment({ images: { 'us-east-1': 'ami-bob1' } }),
        }),
      ],
      [{ workstation: 'alice-neuro', owner: 'bob', what: 'image ami-bob1 made from workstation bob-neuro' }],
    ],
    [
      'restoreFrom names bob’s snapshots',
      [alice({ restoreFrom: 'nightly/latest/bob-neuro@bob' })],
      [{ workstation: 'alice-neuro', owner: 'bob', what: 'snapshots of bob-neuro (owner bob)' }],
    ],
    [
      'restoreFrom names bob’s snapshots with a capital (logins are case-insensitive)',
      [alice({ restoreFrom: 'nightly/2026-09-15/bob-neuro@Bob' })],
      [{ workstation: 'alice-neuro', owner: 'bob', what: 'snapshots of bob-neuro (owner bob)' }],
    ],
    ['restoreFrom names another of alice’s own workstations', [alice({ restoreFrom: 'nightly/latest/bob-neuro' })], []],
    ['restoreFrom names alice herself as the owner', [alice({ restoreFrom: 'nightly/latest/old-neuro@ALICE' })], []],
    ['restoreFrom of its own snapshots', [alice({ restoreFrom: 'nightly/latest' })], []],
    [
      'several uses: sorted by workstation, owner, then text',
      [
        carol({ restoreFrom: 'nightly/latest/alice-neuro@alice', image: { strategy: 'script', ami: 'ami-bob1' } }),
        alice({ restoreFrom: 'nightly/latest/x@zed', image: { strategy: 'script', ami: 'ami-nobody' } }),
      ],
      [
        { workstation: 'alice-neuro', owner: '', what: 'image ami-nobody made from workstation gone-neuro' },
        { workstation: 'alice-neuro', owner: 'zed', what: 'snapshots of x (owner zed)' },
        { workstation: 'carol-neuro', owner: 'alice', what: 'snapshots of alice-neuro (owner alice)' },
        { workstation: 'carol-neuro', owner: 'bob', what: 'image ami-bob1 made from workstation bob-neuro' },
      ],
    ],
  ])('%s', (_name, workstations, expected) => {
    const state = desired(workstations, { schedules: [nightly()] });

    const uses = foreignDataUse(state, observed([], { images }));

    expect(uses).toEqual(expected);
  });
});

describe('restoreFrom matches workstation name and owner', () => {
  it.each<[string, string, ObservedSnapshot[], string | { code: string; message: string }]>([
    ['its own snapshot', 'nightly/latest', [snapshotOf('snap-alice', 'alice-neuro', 'alice')], 'snap-alice'],
    [
      'its own, never a newer one of another owner under the same name',
      'nightly/latest',
      [snapshotOf('snap-alice', 'alice-neuro', 'alice', DAY_1), snapshotOf('snap-bob', 'alice-neuro', 'bob', DAY_2)],
      'snap-alice',
    ],
    [
      'its own, owner tag in another case',
      'nightly/latest',
      [snapshotOf('snap-alice', 'alice-neuro', 'ALICE')],
      'snap-alice',
    ],
    [
      'only another owner’s snapshots of the name: refused, saying whose they are',
      'nightly/latest',
      [snapshotOf('snap-bob', 'alice-neuro', 'bob')],
      {
        code: 'other-owner-snapshots',
        message:
          "workstation alice-neuro: restoreFrom nightly/latest: the snapshots of alice-neuro in us-east-1 belong to bob, not alice: not restored (to restore them, write restoreFrom: nightly/latest/alice-neuro@bob; that needs their owner's approval)",
      },
    ],
    [
      'only another owner’s snapshots on the date: refused',
      'nightly/2026-09-15',
      [snapshotOf('snap-alice', 'alice-neuro', 'alice', DAY_1), snapshotOf('snap-bob', 'alice-neuro', 'bob', DAY_2)],
      {
        code: 'other-owner-snapshots',
        message:
          "workstation alice-neuro: restoreFrom nightly/2026-09-15: the snapshots of alice-neuro in us-east-1 belong to bob, not alice: not restored (to restore them, write restoreFrom: nightly/2026-09-15/alice-neuro@bob; that needs their owner's approval)",
      },
    ],
    [
      'snapshots with no recorded owner are nobody’s to take',
      'nightly/latest',
      [
        {
          ...snapshotOf('snap-x', 'alice-neuro', 'x'),
          tags: { ...scheduleTags('alice-neuro', undefined, DAY_2), 'labops:volume': 'data' },
        },
      ],
      {
        code: 'other-owner-snapshots',
        message:
          'workstation alice-neuro: restoreFrom nightly/latest: the snapshots of alice-neuro in us-east-1 belong to no recorded owner, not alice: not restored',
      },
    ],
    [
      'another of alice’s workstations by name: alice’s snapshots of it, not bob’s',
      'nightly/latest/old-neuro',
      [
        snapshotOf('snap-old-bob', 'old-neuro', 'bob', DAY_2),
        snapshotOf('snap-old-alice', 'old-neuro', 'alice', DAY_1),
      ],
      'snap-old-alice',
    ],
    [
      'bob’s snapshots, named explicitly',
      'nightly/latest/bob-neuro@bob',
      [snapshotOf('snap-bob', 'bob-neuro', 'bob'), snapshotOf('snap-alice', 'alice-neuro', 'alice')],
      'snap-bob',
    ],
    [
      'a named owner with no snapshots on the date',
      'nightly/2026-09-14/bob-neuro@bob',
      [snapshotOf('snap-bob', 'bob-neuro', 'bob', DAY_2)],
      {
        code: 'no-restore-snapshot',
        message:
          'workstation alice-neuro: restoreFrom nightly/2026-09-14/bob-neuro@bob: no snapshot of bob-neuro (owner bob) in us-east-1 from 2026-09-14 (America/New_York)',
      },
    ],
  ])('%s', (_name, restoreFrom, snapshots, expected) => {
    const ws = alice({ restoreFrom });

    const plan = planWorkstations(desired([ws], { schedules: [nightly()] }), observed([], { snapshots }), WORK_HOURS);

    if (typeof expected === 'string') {
      expect(plan.refusals).toEqual([]);
      expect(only(plan, 'create').details).toMatchObject({ launch: { volumeSnapshots: { data: expected } } });
    } else {
      expect(summary(plan)).toEqual([]);
      expect(plan.refusals).toEqual([{ ...expected, resource: { kind: 'Workstation', name: 'alice-neuro' } }]);
    }
  });

  it('an image schedule: another owner’s AMI of the same name is refused, not launched', () => {
    const ws = alice({ restoreFrom: 'images/latest' });

    const plan = planWorkstations(
      desired([ws], { schedules: [nightly('image')] }),
      observed([], { images: [baseImage(), imageOf('ami-bob1', 'alice-neuro', 'bob')] }),
      WORK_HOURS,
    );

    expect(summary(plan)).toEqual([]);
    expect(plan.refusals.map((r) => r.code)).toEqual(['other-owner-snapshots']);
  });
});

describe('dataApproved: a launch reading data its owner has not approved is refused', () => {
  const bobsImage = imageOf('ami-bob1', 'bob-neuro', 'bob');
  const images = [baseImage(), bobsImage, imageOf('ami-bob-west', 'bob-neuro', 'bob', DAY_2, 'us-west-2')];
  const snapshots = [snapshotOf('snap-bob', 'bob-neuro', 'bob')];
  const never = (): boolean => false;
  const always = (): boolean => true;
  const pinned = alice({ image: { strategy: 'script', ami: 'ami-bob1' } });
  const restoring = alice({ restoreFrom: 'nightly/latest/bob-neuro@bob' });
  const viaEnvironmentCopy = alice({
    image: { strategy: 'ami_preferred' },
    environment: environment({ images: { 'us-west-2': 'ami-bob-west' } }),
  });

  it.each<[string, DesiredWorkstation, ((use: DataUse) => boolean) | undefined, string[], string[]]>([
    ['no hook: the pinned image launches as before', pinned, undefined, ['create alice-neuro'], []],
    ['approved: the pinned image launches', pinned, always, ['create alice-neuro'], []],
    [
      'not approved: pinned image',
      pinned,
      never,
      [],
      ["workstation alice-neuro: not launched: needs bob's approval: image ami-bob1 made from workstation bob-neuro"],
    ],
    [
      'not approved: restore of bob’s snapshots',
      restoring,
      never,
      [],
      ["workstation alice-neuro: not launched: needs bob's approval: snapshots of bob-neuro (owner bob)"],
    ],
    ['approved: restore of bob’s snapshots', restoring, always, ['create alice-neuro'], []],
    [
      'not approved: a copy of bob’s image from another Region',
      viaEnvironmentCopy,
      never,
      [],
      [
        "workstation alice-neuro: not launched: needs bob's approval: image ami-bob-west made from workstation bob-neuro",
      ],
    ],
    [
      'only bob is asked about bob’s data: carol’s approval is irrelevant',
      pinned,
      (use) => use.owner === 'bob',
      ['create alice-neuro'],
      [],
    ],
    [
      'alice’s own snapshots need no approval',
      alice({ restoreFrom: 'nightly/latest' }),
      never,
      ['create alice-neuro'],
      [],
    ],
  ])('%s', (_name, ws, dataApproved, actions, refusals) => {
    const observedState = observed([], {
      images,
      snapshots: [...snapshots, snapshotOf('snap-alice', 'alice-neuro', 'alice')],
    });

    const plan = planWorkstations(
      desired([ws], { schedules: [nightly()] }),
      observedState,
      WORK_HOURS,
      dataApproved === undefined ? {} : { dataApproved },
    );

    expect(summary(plan)).toEqual(actions);
    expect(plan.refusals.map((r) => r.message)).toEqual(refusals);
  });

  it('asks about exactly the uses foreignDataUse lists for the workstation', () => {
    const ws = alice({ image: { strategy: 'script', ami: 'ami-bob1' }, restoreFrom: 'nightly/latest/bob-neuro@bob' });
    const state = desired([ws], { schedules: [nightly()] });
    const observedState = observed([], { images, snapshots });
    const asked: DataUse[] = [];

    const plan = planWorkstations(state, observedState, WORK_HOURS, {
      dataApproved: (use) => (asked.push(use), use.what.startsWith('image')),
    });

    expect(asked).toEqual(foreignDataUse(state, observedState));
    expect(plan.refusals).toEqual([
      {
        code: 'data-not-approved',
        message: "workstation alice-neuro: not launched: needs bob's approval: snapshots of bob-neuro (owner bob)",
        resource: { kind: 'Workstation', name: 'alice-neuro' },
      },
    ]);
  });

  it('a restore from bob’s image schedule asks about his snapshots only, not the AMI restored', () => {
    const ws = alice({ restoreFrom: 'images/latest/bob-neuro@bob' });
    const asked: DataUse[] = [];

    const plan = planWorkstations(
      desired([ws], { schedules: [nightly('image')] }),
      observed([], { images: [baseImage(), imageOf('ami-bob-img', 'bob-neuro', 'bob')] }),
      WORK_HOURS,
      { dataApproved: (use) => (asked.push(use), false) },
    );

    expect(asked).toEqual([{ workstation: 'alice-neuro', owner: 'bob', what: 'snapshots of bob-neuro (owner bob)' }]);
    expect(summary(plan)).toEqual([]);
  });

  it('a replacement onto bob’s image is not planned without his approval; the current instance keeps its other actions', () => {
    const before = alice();
    const ws = alice({
      image: { strategy: 'script', ami: 'ami-bob1' },
      launchHash: 'launch-v2',
      instanceType: 'm6i.xlarge',
    });
    const instance = instanceOf(before, { state: 'stopped' });

    const plan = planWorkstations(desired([ws]), observed([instance], { images }), WORK_HOURS, { dataApproved: never });

    expect(summary(plan)).not.toContain('replace alice-neuro i-alice-neuro');
    expect(summary(plan)).toContain('start alice-neuro i-alice-neuro');
    expect(plan.refusals).toEqual([
      {
        code: 'data-not-approved',
        message:
          "workstation alice-neuro: not replaced, the current instance is kept: needs bob's approval: image ami-bob1 made from workstation bob-neuro",
        resource: { kind: 'Workstation', name: 'alice-neuro' },
      },
    ]);
  });

  it('a replacement onto bob’s snapshots is planned once approved', () => {
    const ws = alice({ restoreFrom: 'nightly/latest/bob-neuro@bob', launchHash: 'launch-v2' });
    const instance = instanceOf(alice());

    const plan = planWorkstations(
      desired([ws], { schedules: [nightly()] }),
      observed([instance], { images, snapshots }),
      WORK_HOURS,
      { dataApproved: always },
    );

    expect(plan.refusals).toEqual([]);
    expect(only(plan, 'replace').details).toMatchObject({
      launch: { volumeSnapshots: { data: 'snap-bob' }, tags: { [RESTORE_FROM_TAG]: 'nightly/latest/bob-neuro@bob' } },
    });
  });
});

describe('a spec never takes over an instance another person owns', () => {
  const alicesInstance = instanceOf(workstation({ owner: 'alice' }));
  const bobsSpec = workstation({ owner: 'bob', instanceType: 'm6i.xlarge' });

  it.each<[string, ((use: DataUse) => boolean) | undefined, string[]]>([
    [
      'without alice’s approval: refused, the instance left as it is',
      () => false,
      [
        "data-not-approved: workstation alice-neuro: left as it is: needs alice's approval: instance i-alice-neuro of workstation alice-neuro (labops:owner alice)",
      ],
    ],
    ['with her approval: planned as a change', (use) => use.owner === 'alice', []],
    ['no approval hook (a person’s own labops apply): planned as a change', undefined, []],
  ])('%s', (_name, dataApproved, refusals) => {
    const plan = planWorkstations(
      desired([bobsSpec]),
      observed([alicesInstance]),
      WORK_HOURS,
      dataApproved ? { dataApproved } : {},
    );

    expect(plan.refusals.map((r) => `${r.code}: ${r.message}`)).toEqual(refusals);
    expect(plan.actions.length > 0).toBe(refusals.length === 0);
  });

  it('foreignDataUse lists the instance’s owner for the approval check', () => {
    expect(foreignDataUse(desired([bobsSpec]), observed([alicesInstance]))).toEqual([
      {
        workstation: 'alice-neuro',
        owner: 'alice',
        what: `instance ${alicesInstance.instanceId} of workstation alice-neuro (labops:owner alice)`,
      },
    ]);
  });
});
