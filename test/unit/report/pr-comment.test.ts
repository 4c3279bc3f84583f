/** The pull request comment shows the change first: rows, symbols, downtime, orphan cost, clock actions apart, totals, mentions. */
import { describe, expect, it } from 'vitest';
import type { Action, Plan } from '../../../reconciler/src/model/plan.js';
import type { ApprovalCheck } from '../../../reconciler/src/trust/approvals.js';
import { GITHUB_COMMENT_LIMIT } from '../../../reconciler/src/report/markdown-safe.js';
import { CHANGE_ROWS_KEPT, mention, renderPlanComment } from '../../../reconciler/src/report/pr-comment.js';
import type { PlanCommentInput } from '../../../reconciler/src/report/pr-comment.js';
import { labName } from '../../../reconciler/src/github/run-action.js';

const base = { region: 'us-east-1', after: [] as string[], destructive: false };

/** The case: a running workstation resized, a removed one left as an orphan, a work-hours start. */
const resize: Action = {
  ...base,
  id: 'Workstation/alice-neuro/resize',
  kind: 'resize',
  resource: { kind: 'Workstation', name: 'alice-neuro' },
  instanceId: 'i-0a11ce',
  rule: 'spec',
  reason: 'instanceType m6i.large → m6i.xlarge (stop, modify, start)',
  monthlyDeltaUSD: 70.08,
  details: { kind: 'resize', from: 'm6i.large', to: 'm6i.xlarge', restart: true },
};
const orphan: Action = {
  ...base,
  id: 'Workstation/bob-old/orphan',
  kind: 'orphan',
  resource: { kind: 'Workstation', name: 'bob-old' },
  instanceId: 'i-0b0b',
  rule: 'orphan: no spec',
  reason: 'i-0b0b (m6i.large, running): its spec was deleted; prune is off, so labops leaves it',
  monthlyDeltaUSD: 0,
  details: { kind: 'orphan' },
};
const tick: Action = {
  ...base,
  id: 'Workstation/carol-ws/start',
  kind: 'start',
  resource: { kind: 'Workstation', name: 'carol-ws' },
  instanceId: 'i-0ca401',
  rule: 'schedule: work hours (Mon-Fri 08:00-19:00 America/New_York)',
  reason: 'stopped → running',
  monthlyDeltaUSD: 0,
  details: { kind: 'start' },
};

function plan(actions: Action[]): Plan {
  return {
    now: '2026-09-01T14:00:00Z',
    actions,
    refusals: [],
    monthlyDeltaUSD: actions.reduce((s, a) => s + a.monthlyDeltaUSD, 0),
  };
}

function check(name: string, owners: string[], ok = false): ApprovalCheck {
  return {
    spec: { file: `workstations/${name}.yaml`, kind: 'Workstation', name, change: 'modified', owners, files: [] },
    needs: owners.length ? 'owner-or-admin' : 'admin',
    ok,
    ...(ok ? { by: owners.join(', ') } : {}),
  };
}

function input(p: Plan, extra: Partial<PlanCommentInput> = {}): PlanCommentInput {
  return {
    title: `labops plan — ${labName('acme/neuro-lab', 'labs/neuro')}`,
    desiredOnly: false,
    problems: [],
    plan: p,
    approvals: [],
    missing: [],
    admins: ['phartley'],
    rows: {
      instanceStates: new Map([
        ['i-0a11ce', 'running'],
        ['i-0b0b', 'running'],
        ['i-0ca401', 'stopped'],
      ]),
      orphanMonthlyUSD: new Map([['i-0b0b', 78.4]]),
    },
    runRateAfterUSD: 1270.08,
    summaryUrl: 'https://github.com/acme/neuro-lab/actions/runs/1',
    ...extra,
  };
}

/** The table rows of a section, as cells. */
function rows(body: string, heading: string): string[][] {
  const section = body.split(/^#### /m).find((s) => s.startsWith(heading)) ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.includes('| --- |') && !l.includes('Kind/name'))
    .map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

describe('renderPlanComment: the change first', () => {
  it('shows the resize + removal as the change and the schedule tick apart, nothing collapsed', () => {
    const { body, level } = renderPlanComment(
      input(plan([resize, orphan, tick]), { approvals: [check('alice-neuro', ['alice'])], missing: ['x'] }),
      GITHUB_COMMENT_LIMIT,
    );

    expect(level).toBe('full');
    expect(body.split('\n')[0]).toBe('### labops plan — acme/neuro-lab (labs/neuro)');
    expect(body).not.toContain('<details>');
    expect(rows(body, 'This change (2)')).toEqual([
      [
        '~',
        'Workstation/alice-neuro',
        'resize: ⏸ running workstation down ≈ 2–5 min (stop, modify, start)',
        'spec: instanceType m6i.large → m6i.xlarge (stop, modify, start)',
        '+$70.08',
      ],
      [
        '−',
        'Workstation/bob-old',
        'orphan: still costing $78.40/month; remove with `prune: true` in labops.yaml',
        'orphan: no spec: i-0b0b (m6i.large, running): its spec was deleted; prune is off, so labops leaves it',
        '',
      ],
    ]);
    expect(rows(body, 'Also due now, not from this change (1)')).toEqual([
      [
        '⏻',
        'Workstation/carol-ws',
        'start',
        'schedule: work hours (Mon-Fri 08:00-19:00 America/New\\_York): stopped → running',
        '$0.00',
      ],
    ]);
    expect(body.indexOf('#### This change')).toBeLessThan(body.indexOf('#### Also due now'));
    expect(body.indexOf('#### Also due now')).toBeLessThan(body.indexOf('#### Approvals'));
    expect(body).toContain('Monthly run-rate: **$1,200.00 → $1,270.08** (+$70.08, +5.8%) from this change');
    expect(body).toContain(
      '- ❌ `Workstation` alice-neuro (workstations/alice-neuro.yaml, modified): needs @alice or a Lab admin: @phartley',
    );
  });

  it.each([
    { delta: -35, after: 1200, line: '**$1,235.00 → $1,200.00** (-$35.00, -2.8%)' },
    { delta: 70.08, after: 70.08, line: '**$0.00 → $70.08** (+$70.08, new spend)' },
    { delta: 0, after: 500, line: '**$500.00 → $500.00** ($0.00, +0.0%)' },
  ])('totals: $delta/month to $after', ({ delta, after, line }) => {
    const { body } = renderPlanComment(
      input(
        plan([
          { ...resize, monthlyDeltaUSD: delta },
          { ...tick, monthlyDeltaUSD: -99 },
        ]),
        { runRateAfterUSD: after },
      ),
      GITHUB_COMMENT_LIMIT,
    );

    expect(body).toContain(`Monthly run-rate: ${line} from this change`);
  });

  it.each([
    {
      name: 'resize of a running instance (restart)',
      action: resize,
      what: 'resize: ⏸ running workstation down ≈ 2–5 min (stop, modify, start)',
    },
    {
      name: 'resize of a stopped instance',
      action: { ...resize, details: { ...resize.details, restart: false } },
      what: 'resize',
    },
    {
      name: 'replace of a running instance from a prebuilt image',
      action: replace('i-0a11ce', ''),
      what: 'replace: ⏸ running workstation down ≈ 5–10 min (snapshot, launch from the image)',
    },
    {
      name: 'environment change of a running instance (installed at first boot)',
      action: replace('i-0a11ce', '#!/bin/bash\napt-get install -y r-base'),
      what: 'replace: ⏸ running workstation down ≈ 15–30 min (snapshot, launch, install the environment at first boot)',
    },
    {
      name: 'replace of a stopped instance',
      action: replace('i-0ca401', ''),
      what: 'replace',
    },
    {
      name: 'orphan without a known cost',
      action: { ...orphan, instanceId: 'i-0ther' },
      what: 'orphan: left running, still costing; remove with `prune: true` in labops.yaml',
    },
  ])('$name: $what', ({ action, what }) => {
    const { body } = renderPlanComment(input(plan([action])), GITHUB_COMMENT_LIMIT);

    expect(rows(body, 'This change (1)')[0]?.[2]).toBe(what);
  });

  it.each([
    { kind: 'create', symbol: '+' },
    { kind: 'retag', symbol: '~' },
    { kind: 'replace', symbol: '±' },
    { kind: 'destroy', symbol: '− ⚠️' },
    { kind: 'stop', symbol: '⏻' },
    { kind: 'hibernate', symbol: '⏻' },
    { kind: 'submit-job', symbol: '+' },
    { kind: 'cancel-job', symbol: '− ⚠️' },
  ])('marks a $kind row with $symbol', ({ kind, symbol }) => {
    const a = {
      ...resize,
      kind,
      destructive: symbol.includes('⚠️'),
      details: kind === 'replace' ? replace('i-0ca401', '').details : { kind },
    } as Action;

    const { body } = renderPlanComment(input(plan([a])), GITHUB_COMMENT_LIMIT);

    expect(rows(body, 'This change (1)')[0]?.[0]).toBe(symbol);
  });

  it.each([
    { rule: 'schedule: off hours (Mon-Fri 08:00-19:00 UTC)', apart: true },
    { rule: 'calendar: winter break', apart: true },
    { rule: 'idle 52m < 5% CPU', apart: true },
    { rule: 'budget neuro-fall at 102% of $6,000', apart: true },
    { rule: 'retention', apart: true },
    { rule: 'spec', apart: false },
    { rule: 'prune', apart: false },
  ])('rule $rule is apart from the change: $apart', ({ rule, apart }) => {
    const { body } = renderPlanComment(input(plan([{ ...tick, rule }])), GITHUB_COMMENT_LIMIT);

    expect(body.includes('#### Also due now, not from this change (1)')).toBe(apart);
    expect(body.includes('#### This change (1)')).toBe(!apart);
  });

  it('keeps at least 30 rows of the change and every destructive or disruptive row past them when collapsed', () => {
    const creates = Array.from({ length: 400 }, (_, i): Action => ({
      ...base,
      id: `Workstation/ws-${i}/create`,
      kind: 'create',
      resource: { kind: 'Workstation', name: `ws-${i}` },
      rule: 'spec',
      reason: 'new workstation '.repeat(20),
      monthlyDeltaUSD: 10,
      details: { kind: 'create' } as never,
    }));
    const destroys = Array.from({ length: 5 }, (_, i): Action => ({
      ...base,
      id: `Workstation/gone-${i}/destroy`,
      kind: 'destroy',
      resource: { kind: 'Workstation', name: `gone-${i}` },
      instanceId: `i-g${i}`,
      rule: 'prune',
      reason: 'its spec was deleted',
      monthlyDeltaUSD: -20,
      destructive: true,
      details: { kind: 'destroy', snapshotRoot: true, retainRoot: false, keptVolumes: [] },
    }));
    const actions = [...destroys, ...creates.slice(0, 200), resize, ...creates.slice(200)];

    const { body, level } = renderPlanComment(input(plan(actions)), 40_000);

    expect(level).toBe('collapsed');
    const shown = rows(body, `This change (${actions.length})`);
    expect(shown.length).toBe(CHANGE_ROWS_KEPT);
    expect(shown.slice(0, 6).map((r) => r[1])).toEqual([
      ...destroys.map((d) => `Workstation/${d.resource.name}`),
      'Workstation/alice-neuro',
    ]);
    expect(body).toContain('… and 376 more (376 create) in the [job summary]');
  });

  it('lists destructive and disruptive rows past 30 when there are more of them', () => {
    const destroys = Array.from({ length: 45 }, (_, i): Action => ({
      ...base,
      id: `Workstation/gone-${i}/destroy`,
      kind: 'destroy',
      resource: { kind: 'Workstation', name: `gone-${i}` },
      rule: 'prune',
      reason: 'its spec was deleted '.repeat(30),
      monthlyDeltaUSD: -20,
      destructive: true,
      details: { kind: 'destroy', snapshotRoot: true, retainRoot: false, keptVolumes: [] },
    }));
    const creates = Array.from({ length: 300 }, (_, i): Action => ({
      ...destroys[0]!,
      id: `Workstation/ws-${i}/create`,
      kind: 'create',
      resource: { kind: 'Workstation', name: `ws-${i}` },
      destructive: false,
      details: { kind: 'create' } as never,
    }));

    const { body, level } = renderPlanComment(input(plan([...destroys, ...creates])), 60_000);

    expect(level).toBe('collapsed');
    expect(rows(body, 'This change (345)').map((r) => r[1])).toEqual(
      destroys.map((d) => `Workstation/${d.resource.name}`),
    );
  });

  it.each([
    { owners: ['alice'], admins: ['phartley', 'pi-two'], need: '@alice or a Lab admin: @phartley, @pi-two' },
    { owners: ['alice', 'bob'], admins: ['alice', 'pi'], need: '@alice and @bob or a Lab admin: @pi' },
    { owners: [], admins: ['phartley'], need: 'a Lab admin: @phartley' },
    { owners: [], admins: [], need: 'a Lab admin (labops.yaml names none)' },
  ])('a missing approval of owners $owners mentions: $need', ({ owners, admins, need }) => {
    const { body } = renderPlanComment(
      input(plan([resize]), { approvals: [check('alice-neuro', owners), check('ok-ws', ['carol'], true)], admins }),
      GITHUB_COMMENT_LIMIT,
    );

    expect(body).toContain(`(workstations/alice-neuro.yaml, modified): needs ${need}\n`);
    expect(body).toContain('approved by carol');
    expect(body).not.toContain('@carol');
  });

  it('mentions missing approvers in the summary fallback too', () => {
    const many = Array.from({ length: 3000 }, (_, i): Action => ({ ...resize, id: `r${i}`, reason: '🧪'.repeat(40) }));

    const { body, level } = renderPlanComment(
      input(plan(many), { approvals: [check('alice-neuro', ['alice'])], missing: ['x'] }),
      60_000,
    );

    expect(level).toBe('summary');
    expect(body).toContain('needs @alice or a Lab admin: @phartley');
    expect(body).toContain('#### ⚠️ Destructive or disruptive (3000)');
  });

  it.each([
    { handle: 'alice', shown: '@alice' },
    { handle: 'pi-two', shown: '@pi-two' },
    { handle: 'a'.repeat(39), shown: `@${'a'.repeat(39)}` },
    { handle: 'a'.repeat(40), shown: 'a'.repeat(40) },
    { handle: '-alice', shown: '-alice' },
    { handle: 'al--ice', shown: 'al--ice' },
  ])('mention($handle) is $shown', ({ handle, shown }) => {
    expect(mention(handle)).toBe(shown);
  });

  it('names the lab by repository and folder', () => {
    expect([labName('acme/neuro-lab', 'labs/neuro'), labName('acme/neuro-lab', '.')]).toEqual([
      'acme/neuro-lab (labs/neuro)',
      'acme/neuro-lab',
    ]);
  });
});

function replace(oldInstanceId: string, userData: string): Action {
  return {
    ...base,
    id: 'Workstation/alice-neuro/replace',
    kind: 'replace',
    resource: { kind: 'Workstation', name: 'alice-neuro' },
    instanceId: oldInstanceId,
    rule: 'spec',
    reason: 'environment changed',
    monthlyDeltaUSD: 0,
    details: {
      kind: 'replace',
      launch: { userData } as never,
      oldInstanceId,
      snapshotRoot: true,
      retainRoot: false,
      moveVolumes: [],
      thenState: 'running',
    },
  };
}
