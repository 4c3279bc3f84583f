/** The AWS budget mirror's desired budgets and its pure planner (kinds/budget/mirror). */
import { describe, expect, it } from 'vitest';
import { projectImpacts } from '../../../../reconciler/src/kinds/budget/impact.js';
import { desiredAwsBudget } from '../../../../reconciler/src/kinds/budget/mirror/desired.js';
import { planAwsBudgets } from '../../../../reconciler/src/kinds/budget/mirror/plan.js';
import { awsBudgetName } from '../../../../reconciler/src/model/aws-budget.js';
import type { DesiredAwsBudget, ObservedAwsBudget } from '../../../../reconciler/src/model/aws-budget.js';
import type { DesiredBudget } from '../../../../reconciler/src/model/budget.js';
import { desired, observed } from '../workstation/plan-fixtures.js';

const REPO = 'lab-org/lab';

function budget(overrides: Partial<DesiredBudget> = {}): DesiredBudget {
  return {
    name: 'neuro-fall',
    project: 'neuro',
    limitUSD: 500,
    period: { every: 'month' },
    thresholds: [50, 90],
    actions: [{ atPercent: 100, do: 'stop' }],
    notify: ['@pi-login', 'pi@uni.edu'],
    ...overrides,
  };
}

const mirror = (overrides: Partial<DesiredBudget> = {}): DesiredAwsBudget =>
  desiredAwsBudget(budget(overrides), { repo: REPO });

/** What AWS holds when a mirror was applied as desired. */
function applied(d: DesiredAwsBudget, overrides: Partial<ObservedAwsBudget> = {}): ObservedAwsBudget {
  return {
    name: d.name,
    limitUSD: d.limitUSD,
    timeUnit: d.timeUnit,
    ...(d.period ? { period: d.period } : {}),
    project: d.project,
    budgetType: 'COST',
    notifications: d.notifications,
    tags: d.tags,
    ...overrides,
  };
}

function plan(
  awsBudgets: DesiredAwsBudget[],
  seen: ObservedAwsBudget[],
  lab: { prune?: boolean } = {},
  unknown: string[] = [],
) {
  return planAwsBudgets(
    desired([], { awsBudgets, unknownBudgets: unknown, lab: { repo: REPO, ...lab } }),
    observed([], { awsBudgets: seen }),
  );
}

describe('the AWS budget of a Budget', () => {
  it('has ACTUAL notifications at every threshold and action percent, FORECASTED at 100%, emailing the addresses', () => {
    const d = mirror();

    expect(d.notifications.map((n) => `${n.type} ${n.percent} ${n.emails.join(',')}`)).toEqual([
      'ACTUAL 50 pi@uni.edu',
      'ACTUAL 90 pi@uni.edu',
      'ACTUAL 100 pi@uni.edu',
      'FORECASTED 100 pi@uni.edu',
    ]);
    expect(d.notSubscribed).toEqual(['@pi-login']);
    expect([d.name, d.timeUnit, d.project]).toEqual([`labops ${REPO} neuro-fall`, 'MONTHLY', 'neuro']);
  });

  it.each([
    [{ every: 'quarter' as const }, 'QUARTERLY', undefined],
    [{ every: 'year' as const }, 'ANNUALLY', undefined],
    [{ start: '2026-08-24', end: '2026-12-18' }, 'CUSTOM', { start: '2026-08-24', end: '2026-12-18' }],
  ])('period %j is %s', (period, unit, fixed) => {
    const d = mirror({ period });

    expect([d.timeUnit, d.period]).toEqual([unit, fixed]);
  });

  it('has no notification when notify holds no address (AWS needs a subscriber on each)', () => {
    expect(mirror({ notify: ['@pi-login'] }).notifications).toEqual([]);
  });

  it('keeps within AWS name rules: 100 characters, unique by a hash when cut', () => {
    const long = `org/${'r'.repeat(90)}`;
    const a = awsBudgetName(long, 'budget-a');
    const b = awsBudgetName(long, 'budget-b');

    expect([a.length, b.length]).toEqual([100, 100]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/~[0-9a-f]{8}$/);
  });
});

describe('planAwsBudgets', () => {
  it('creates a missing mirror', () => {
    const d = mirror();

    const out = plan([d], []);

    expect(out.actions.map((a) => [a.id, a.kind, a.destructive])).toEqual([
      ['Budget/neuro-fall/create-aws-budget', 'create-aws-budget', false],
    ]);
    expect(out.actions[0]?.reason).toContain('@pi-login not AWS subscriber(s)');
  });

  it('plans nothing for a mirror AWS holds as desired', () => {
    const d = mirror();

    expect(plan([d], [applied(d)])).toEqual({ actions: [], refusals: [] });
  });

  it.each([
    ['the limit', { limitUSD: 400 }, 'limit $400.00 → $500.00', true],
    ['the project filter', { project: 'atmos' }, 'filter → labops:project=neuro', true],
    ['the period', { timeUnit: 'QUARTERLY' }, 'period QUARTERLY → MONTHLY', true],
    [
      'a notification',
      { notifications: mirror({ thresholds: [50, 75] }).notifications },
      'remove ACTUAL 75%; add ACTUAL 90%',
      false,
    ],
    [
      'a subscriber',
      { notifications: mirror({ notify: ['old@uni.edu'] }).notifications },
      'ACTUAL 50% subscribers +pi@uni.edu -old@uni.edu',
      false,
    ],
  ])('updates %s that differs', (_what, drift, text, body) => {
    const d = mirror();

    const out = plan([d], [applied(d, drift)]);

    expect(out.actions.map((a) => a.kind)).toEqual(['update-aws-budget']);
    expect(out.actions[0]?.reason).toContain(text);
    const details = out.actions[0]?.details as { body?: unknown };
    expect(details.body !== undefined).toBe(body);
  });

  it.each([
    ['no labops:repo tag', {}],
    ['another lab id', { 'labops:repo': 'other-org/lab' }],
  ])('refuses to mirror over a budget of the name with %s, and never updates it', (_what, tags) => {
    const d = mirror();

    const out = plan([d], [applied(d, { limitUSD: 1, tags })]);

    expect(out.actions).toEqual([]);
    expect(out.refusals.map((r) => [r.code, r.resource])).toEqual([
      ['aws-budget-foreign', { kind: 'Budget', name: 'neuro-fall' }],
    ]);
  });

  it.each([
    ['eleven notifications', { thresholds: [10, 20, 30, 40, 50, 60, 70, 80, 90] }, '11 notifications'],
    [
      'eleven email addresses',
      { notify: Array.from({ length: 11 }, (_, i) => `p${i}@uni.edu`) },
      '11 email addresses in notify',
    ],
  ])('refuses a mirror past AWS limits (%s), naming the limit', (_what, overrides, text) => {
    const out = plan([mirror(overrides)], []);

    expect(out.actions).toEqual([]);
    expect(out.refusals[0]?.code).toBe('aws-budget-limits');
    expect(out.refusals[0]?.message).toContain(text);
  });

  it.each([
    [true, 'delete-aws-budget'],
    [false, 'orphan'],
  ])('a mirror whose Budget was removed, prune %s: %s', (prune, kind) => {
    const gone = applied(mirror());

    const out = plan([], [gone], { prune });

    expect(out.actions.map((a) => [a.id, a.kind])).toEqual([[`Budget/neuro-fall/${kind}`, kind]]);
  });

  it('leaves alone the mirror of a Budget whose spec is invalid, and budgets of other labs', () => {
    const ours = applied(mirror());
    const theirs = applied(mirror(), { name: 'labops other-org/lab x', tags: { 'labops:repo': 'other-org/lab' } });

    expect(plan([], [ours, theirs], { prune: true }, ['neuro-fall'])).toEqual({ actions: [], refusals: [] });
  });
});

describe('the mirror in a plan’s per-project totals', () => {
  it('counts no AWS budget action against a project (they change no spend)', () => {
    const part = plan([mirror()], []);
    const whole = { now: '2026-10-01T00:00:00.000Z', actions: part.actions, refusals: [], monthlyDeltaUSD: 0 };

    expect(projectImpacts(whole, desired([], { lab: { repo: REPO } }), observed([]))).toEqual([]);
  });
});
