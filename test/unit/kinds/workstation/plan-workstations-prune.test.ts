/** planWorkstations: ownership, duplicates, orphans, prune, unknown specs and the destroy-everything guard. */
import { describe, expect, it } from 'vitest';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import { WORK_HOURS, desired, instanceOf, observed, only, summary, workstation } from './plan-fixtures.js';

const alice = workstation();
const bob = workstation({ name: 'bob-neuro', owner: 'bob' });

describe('ownership', () => {
  it.each([
    ['another repository', { [TAG.repo]: 'other-uni/neuro-lab' }],
    ['another kind', { [TAG.kind]: 'Job' }],
  ])('a lookalike instance of %s is invisible: the workstation is still created, nothing is reported', (_, tags) => {
    const lookalike = instanceOf(alice, { instanceId: 'i-lookalike', tags: { ...instanceOf(alice).tags, ...tags } });

    const plan = planWorkstations(desired([alice], { lab: { prune: true } }), observed([lookalike]), WORK_HOURS);

    expect(summary(plan)).toEqual(['create alice-neuro']);
    expect(plan.refusals).toEqual([]);
  });

  it.each(['terminated', 'shutting-down'] as const)('a %s instance does not count as existing', (state) => {
    const plan = planWorkstations(desired([alice]), observed([instanceOf(alice, { state })]), WORK_HOURS);

    expect(summary(plan)).toEqual(['create alice-neuro']);
  });
});

describe('duplicates', () => {
  // Generations 0 and 2: i-new did not replace i-old (one generation apart is an interrupted
  // replacement, finished by the replace planner).
  const older = instanceOf(alice, { instanceId: 'i-old', tags: { ...instanceOf(alice).tags, [TAG.generation]: '0' } });
  const newer = instanceOf(alice, {
    instanceId: 'i-new',
    launchTime: '2026-09-10T00:00:00.000Z',
    state: 'stopped',
    tags: { ...instanceOf(alice).tags, [TAG.generation]: '2', [TAG.desiredState]: 'stopped' },
  });

  it('acts on the newest generation only and reports the other', () => {
    const plan = planWorkstations(desired([alice]), observed([older, newer]), WORK_HOURS);

    expect(summary(plan)).toEqual(['start alice-neuro i-new', 'orphan alice-neuro i-old']);
    expect(only(plan, 'orphan')).toMatchObject({ id: 'Workstation/alice-neuro/orphan/i-old', rule: 'duplicate' });
  });

  it('destroys the other only with prune, per the spec deletion policy', () => {
    const plan = planWorkstations(
      desired([{ ...alice, deletionPolicy: 'Retain' }], { lab: { prune: true } }),
      observed([older, newer]),
      WORK_HOURS,
    );

    // The retag records the spec's new deletion policy on the managed instance.
    expect(summary(plan)).toEqual(['destroy alice-neuro i-old', 'start alice-neuro i-new', 'retag alice-neuro i-new']);
    expect(only(plan, 'destroy')).toMatchObject({
      id: 'Workstation/alice-neuro/destroy/i-old',
      rule: 'prune: duplicate',
      destructive: true,
      details: { retainRoot: true, snapshotRoot: false },
    });
    expect(plan.refusals).toEqual([]);
  });
});

describe('orphans and prune', () => {
  const tagged = (policy: string | undefined) => {
    const { [TAG.deletionPolicy]: _, ...tags } = instanceOf(alice).tags;
    return instanceOf(alice, { tags: policy === undefined ? tags : { ...tags, [TAG.deletionPolicy]: policy } });
  };

  it('prune off: the instance of a deleted spec is reported and left alone', () => {
    const plan = planWorkstations(desired([bob]), observed([instanceOf(alice), instanceOf(bob)]), WORK_HOURS);

    expect(summary(plan)).toEqual(['orphan alice-neuro i-alice-neuro']);
    expect(only(plan, 'orphan')).toMatchObject({
      rule: 'orphan: no spec',
      destructive: false,
      monthlyDeltaUSD: 0,
      details: { kind: 'orphan' },
    });
  });

  it.each([
    ['Snapshot', 'Snapshot', { snapshotRoot: true, retainRoot: false, keptVolumes: ['vol-alice-neuro-data'] }, -73.08],
    ['Retain', 'Retain', { snapshotRoot: false, retainRoot: true, keptVolumes: ['vol-alice-neuro-data'] }, -70.08],
    [
      'Delete (data volumes still survive)',
      'Delete',
      { snapshotRoot: false, retainRoot: false, keptVolumes: ['vol-alice-neuro-data'] },
      -78.08,
    ],
    [
      'no tag: the default Snapshot',
      undefined,
      { snapshotRoot: true, retainRoot: false, keptVolumes: ['vol-alice-neuro-data'] },
      -73.08,
    ],
  ])('prune on, deletion policy %s', (_, policy, details, delta) => {
    const plan = planWorkstations(
      desired([bob], { lab: { prune: true } }),
      observed([tagged(policy), instanceOf(bob)]),
      WORK_HOURS,
    );

    expect(summary(plan)).toEqual(['destroy alice-neuro i-alice-neuro']);
    expect(only(plan, 'destroy')).toMatchObject({
      id: 'Workstation/alice-neuro/destroy',
      rule: 'prune',
      destructive: true,
      monthlyDeltaUSD: delta,
      details: { kind: 'destroy', rootVolumeId: 'vol-alice-neuro-root', ...details },
    });
    expect(only(plan, 'destroy').reason).toMatch(
      new RegExp(
        `its spec was deleted; deletionPolicy ${policy ?? 'Snapshot'}: root .*; data volumes kept: vol-alice-neuro-data$`,
      ),
    );
  });

  it.each([
    ['its spec is invalid', { unknownWorkstations: ['alice-neuro'] }],
    ['a file did not parse (the name could be in it)', { unknownFiles: ['workstations/broken.yaml'] }],
  ])('unknown, not absent: nothing is planned when %s', (_, unknown) => {
    const plan = planWorkstations(
      desired([bob], { lab: { prune: true }, ...unknown }),
      observed([instanceOf(alice), instanceOf(bob)]),
      WORK_HOURS,
    );

    expect(plan.actions).toEqual([]);
    expect(plan.refusals).toEqual([]);
  });
});

describe('fail closed: destroying everything', () => {
  const both = [instanceOf(alice), instanceOf(bob)];

  it('an empty desired set with prune would destroy everything: refused', () => {
    const plan = planWorkstations(desired([], { lab: { prune: true } }), observed(both), WORK_HOURS);

    expect(summary(plan)).toEqual(['destroy alice-neuro i-alice-neuro', 'destroy bob-neuro i-bob-neuro']);
    expect(plan.refusals).toEqual([
      {
        code: 'destroys-everything',
        message:
          'the plan destroys all 2 live workstation instance(s); apply refuses unless destroying everything is explicitly allowed',
      },
    ]);
  });

  it('the last remaining instance counts too', () => {
    const plan = planWorkstations(desired([], { lab: { prune: true } }), observed([instanceOf(alice)]), WORK_HOURS);

    expect(plan.refusals.map((r) => r.code)).toEqual(['destroys-everything']);
  });

  it.each([
    ['allowDestroyAll', true, { allowDestroyAll: true }, []],
    ['prune off: only reports', false, {}, []],
  ])('%s: no refusal', (_, prune, options, refusals) => {
    const plan = planWorkstations(desired([], { lab: { prune } }), observed(both), WORK_HOURS, options);

    expect(plan.refusals).toEqual(refusals);
  });

  it('no live instances: nothing to refuse', () => {
    const plan = planWorkstations(desired([], { lab: { prune: true } }), observed([]), WORK_HOURS);

    expect(plan).toEqual({ now: '2026-09-16T15:00:00.000Z', actions: [], refusals: [], monthlyDeltaUSD: 0 });
  });
});
