/** planWorkstations: the plan as a whole — cost deltas, ordering, determinism, purity, account check. */
import { describe, expect, it } from 'vitest';
import { TAG } from '../../../../reconciler/src/model/tags.js';
import { expectedRunningHours, planWorkstations } from '../../../../reconciler/src/kinds/workstation/plan/index.js';
import {
  ACCOUNT,
  NIGHT,
  WORK_HOURS,
  desired,
  instanceOf,
  observed,
  only,
  schedule,
  summary,
  workstation,
} from './plan-fixtures.js';

describe('cost deltas', () => {
  it.each([
    ['Mon-Fri 08:00-19:00 is 55 h/week', 'Mon-Fri 08:00-19:00', (55 * 52) / 12],
    ['daily 07:00-23:00 is 112 h/week', 'daily 07:00-23:00', (112 * 52) / 12],
    ['overnight windows count once', 'weekdays 22:00-06:00', (40 * 52) / 12],
  ])('expected hours: %s', (_, workHours, hours) => {
    expect(expectedRunningHours(workstation({ schedule: schedule(workHours) }))).toBeCloseTo(hours, 9);
  });

  it.each([
    [
      'scheduled m6i.large: 238.33 h × $0.096 = $22.88, plus 600 GiB gp3 at $0.08',
      workstation({ schedule: schedule() }),
      22.88 + 48,
    ],
    ['unscheduled: 730 h × $0.096 = $70.08, plus storage', workstation(), 70.08 + 48],
    ['spec stopped: storage only', workstation({ state: 'stopped' }), 48],
    [
      'gp2 volumes at the gp2 price',
      workstation({ state: 'stopped', rootGiB: 100, volumes: [{ name: 'data', sizeGiB: 500, type: 'gp2' }] }),
      8 + 50,
    ],
    ['a type without a price costs its storage only', workstation({ instanceType: 'x9z.huge' }), 48],
  ])('create: %s', (_, ws, delta) => {
    const plan = planWorkstations(desired([ws]), observed([]), WORK_HOURS);

    expect(only(plan, 'create').monthlyDeltaUSD).toBeCloseTo(delta, 9);
  });

  it('resize: the price difference over the expected hours', () => {
    const ws = workstation({ instanceType: 'm6i.xlarge', schedule: schedule() });

    const plan = planWorkstations(desired([ws]), observed([instanceOf(workstation())]), WORK_HOURS);

    expect(only(plan, 'resize').monthlyDeltaUSD).toBe(22.88);
  });

  it('the plan total is the sum of its actions, in cents', () => {
    const a = workstation({ schedule: schedule() });
    const b = workstation({ name: 'bob-neuro', owner: 'bob', state: 'stopped' });

    const plan = planWorkstations(desired([a, b]), observed([instanceOf(b)]), WORK_HOURS);

    expect(plan.actions.map((x) => [x.kind, x.monthlyDeltaUSD])).toEqual([
      ['create', 70.88],
      ['stop', -70.08],
    ]);
    expect(plan.monthlyDeltaUSD).toBe(0.8);
  });
});

describe('ordering', () => {
  const ws = (name: string, more: Parameters<typeof workstation>[0] = {}) =>
    workstation({ name, owner: name, ...more });

  it('destructive first, then by kind, then by name; at most one power action per instance', () => {
    const specs = [
      ws('zed', { launchHash: 'launch-v2' }),
      ws('amy'),
      ws('abe'),
      ws('bea', { instanceType: 'm6i.xlarge' }),
      ws('cat', { schedule: schedule() }),
      ws('dan'),
      ws('eve', { owner: 'eve2' }),
      ws('fay'),
    ];
    const instances = [
      instanceOf(ws('zed')),
      instanceOf(ws('bea')),
      instanceOf(ws('cat')),
      instanceOf(ws('dan'), { state: 'stopped' }),
      instanceOf(ws('eve')),
      instanceOf(ws('fay'), { state: 'stopped', tags: instanceOf(ws('fay')).tags }),
      instanceOf(ws('gus')),
    ];

    const plan = planWorkstations(desired(specs), observed(instances), NIGHT);

    expect(summary(plan)).toEqual([
      'replace zed i-zed',
      'resize bea i-bea',
      'create abe',
      'create amy',
      'start dan i-dan',
      'stop cat i-cat',
      'retag bea i-bea',
      'retag eve i-eve',
      'drift fay i-fay',
      'orphan gus i-gus',
    ]);
    expect(plan.actions.filter((a) => a.destructive).map((a) => a.kind)).toEqual(['replace']);
  });
});

describe('determinism and purity', () => {
  const specs = [
    workstation({ schedule: schedule(), idle: { afterSeconds: 1800, cpuBelowPercent: 5, action: 'stop' } }),
    workstation({ name: 'bob-neuro', owner: 'bob', labels: { b: '2', a: '1' } }),
    workstation({ name: 'cy-neuro', owner: 'cy', launchHash: 'launch-v2' }),
  ];
  const instances = [
    instanceOf(workstation()),
    instanceOf(workstation({ name: 'cy-neuro', owner: 'cy' })),
    instanceOf(workstation({ name: 'old-one' })),
  ];
  const utilisation = {
    'i-alice-neuro': { instanceId: 'i-alice-neuro', idleSeconds: 4000, averageCpuPercent: 1, datapoints: 13 },
  };

  it('the same inputs give a deep-equal, byte-identical plan', () => {
    const first = planWorkstations(desired(specs), observed(instances, { utilisation }), WORK_HOURS);
    const second = planWorkstations(desired(specs), observed(instances, { utilisation }), WORK_HOURS);

    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.actions.length).toBeGreaterThan(3);
  });

  it('the order of the inputs does not matter', () => {
    const first = planWorkstations(desired(specs), observed(instances, { utilisation }), WORK_HOURS);
    const shuffled = planWorkstations(
      desired([...specs].reverse()),
      observed([...instances].reverse(), { utilisation }),
      WORK_HOURS,
    );

    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(first));
  });

  it('the inputs are not modified', () => {
    const input = desired(specs);
    const seen = observed(instances, { utilisation });
    const before = JSON.stringify([input, seen]);

    planWorkstations(input, seen, WORK_HOURS, {
      overrides: [{ project: 'neuro-lab', action: 'stop', rule: 'budget x' }],
    });

    expect(JSON.stringify([input, seen])).toBe(before);
  });

  it('tags in launch requests are in key order', () => {
    const plan = planWorkstations(desired([specs[1]!]), observed([]), WORK_HOURS);

    const details = only(plan, 'create').details;
    const tags = details.kind === 'create' ? Object.keys(details.launch.tags) : [];
    expect(tags).toEqual([...tags].sort());
    expect(tags).toContain(`${TAG.labelPrefix}a`);
  });
});

describe('account', () => {
  it('credentials for another account refuse the whole plan', () => {
    const plan = planWorkstations(desired([workstation()]), observed([], { accountId: '999999999999' }), WORK_HOURS);

    expect(plan.refusals).toEqual([
      { code: 'wrong-account', message: `observed account 999999999999 is not the lab's account ${ACCOUNT}` },
    ]);
  });
});
