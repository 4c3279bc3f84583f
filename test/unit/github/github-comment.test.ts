/** The pull request comment: size limit with multibyte text, degradation, injection-proof escaping, approval rules. */
import { describe, expect, it } from 'vitest';
import { currentApprovers } from '../../../reconciler/src/github/approvals.js';
import { checkApprovals, diffSpecSets } from '../../../reconciler/src/trust/approvals.js';
import { loadSpecSet } from '../../../reconciler/src/trust/spec-set.js';
import type { SpecSet } from '../../../reconciler/src/trust/spec-set.js';
import { gitTree } from '../../../reconciler/src/specs/lab-tree.js';
import { formatMarker, parseMarker } from '../../../reconciler/src/github/comment.js';
import { chooseFlow, parseEvent } from '../../../reconciler/src/github/event.js';
import type { Action, Plan } from '../../../reconciler/src/model/plan.js';
import { GITHUB_COMMENT_LIMIT, commentSize, fencedBlock } from '../../../reconciler/src/report/markdown-safe.js';
import { renderPlanComment } from '../../../reconciler/src/report/pr-comment.js';
import type { PlanCommentInput } from '../../../reconciler/src/report/pr-comment.js';

const INJECT = '@everyone </details><script>alert(1)</script> ``` [x](javascript:alert(1)) <!-- -->';

function action(i: number, destructive: boolean, reason: string): Action {
  return {
    id: `Workstation/ws-${i}/${destructive ? 'destroy' : 'create'}`,
    kind: destructive ? 'destroy' : 'create',
    resource: { kind: 'Workstation', name: `ws-${i}` },
    region: 'us-east-1',
    rule: 'spec',
    reason,
    monthlyDeltaUSD: destructive ? -10 : 12.5,
    destructive,
    details: {} as Action['details'],
    after: [],
  } as Action;
}

function input(plan: Plan, extra: Partial<PlanCommentInput> = {}): PlanCommentInput {
  return {
    title: 'labops plan — lab',
    desiredOnly: false,
    problems: [],
    plan,
    approvals: [],
    missing: [],
    summaryUrl: 'https://github.com/o/r/actions/runs/1',
    ...extra,
  };
}

describe('renderPlanComment', () => {
  it('keeps a 200 KB plan of multibyte text under GitHub’s limit, destructive actions first, with a pointer to the job summary', () => {
    const reason = 'Größe 日本語の説明 🎉🧪 '.repeat(6);
    const actions = [
      ...Array.from({ length: 20 }, (_, i) => action(i, true, reason)),
      ...Array.from({ length: 2000 }, (_, i) => action(i + 100, false, reason)),
    ];
    const plan: Plan = { now: '2026-09-01T08:00:00Z', actions, refusals: [], monthlyDeltaUSD: 24800 };
    expect(actions.map((a) => a.reason).join('').length).toBeGreaterThan(200_000);

    const { body, level } = renderPlanComment(input(plan), GITHUB_COMMENT_LIMIT - 1024);

    expect(level).toBe('collapsed');
    expect(commentSize(body)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT - 1024);
    // GitHub counts characters (code points): Array.from counts them the same way.
    expect(Array.from(body).length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    // Never collapsed below 30 rows of the change: the 20 destroys first, then 10 creates, the rest counted.
    expect(body.indexOf('ws-0 ')).toBeLessThan(body.indexOf('ws-100 '));
    expect(body).toContain('ws-19');
    expect(body).toContain('ws-109 ');
    expect(body).not.toContain('ws-110 ');
    expect(body).toContain('… and 1990 more (1990 create)');
    expect(body).toContain('job summary');
  });

  it('falls back to a summary (as many destructive rows as fit, never a split surrogate pair) when even destructive actions overflow', () => {
    const actions = Array.from({ length: 3000 }, (_, i) => action(i, true, '🧪'.repeat(40)));
    const plan: Plan = { now: '2026-09-01T08:00:00Z', actions, refusals: [], monthlyDeltaUSD: -30000 };

    const { body, level } = renderPlanComment(input(plan), 60_000);

    expect(level).toBe('summary');
    expect(commentSize(body)).toBeLessThanOrEqual(60_000);
    expect(body).toMatch(/and \d+ more destructive action\(s\) in the job summary/);
    expect(body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('keeps injection strings inert: no raw HTML, no mention, no broken fence', () => {
    const plan: Plan = {
      now: '2026-09-01T08:00:00Z',
      actions: [action(1, false, INJECT)],
      refusals: [{ code: 'no-base-image', message: INJECT }],
      monthlyDeltaUSD: 12.5,
    };
    const problems = [
      {
        file: 'workstations/x.yaml',
        line: 3,
        column: 1,
        path: 'spec.environment',
        message: INJECT,
        severity: 'error' as const,
      },
    ];

    const { body } = renderPlanComment(input(plan, { problems, sourceLine: () => `environment: "${INJECT}"` }), 60_000);

    const code = /^(`{3,})yaml\n([^\n]*)\n\1$/gm;
    const outsideCode = body.replace(code, '');
    expect(body).not.toMatch(/@everyone/);
    expect(body).toContain('@\u200deveryone');
    expect(outsideCode).not.toContain('</details><script>');
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).not.toContain('```');
    expect(outsideCode).not.toMatch(/<\/details>/);
    expect([...body.matchAll(code)].map((m) => m[1])).toEqual(['````']);
  });
});

describe('fencedBlock', () => {
  it.each([['plain'], ['```'], ['a ````` b']])('uses a fence longer than any backtick run in %j', (text) => {
    const block = fencedBlock(text);

    const fence = block.split('\n')[0]!.replace(/text$/, '');
    expect(fence.length).toBeGreaterThan(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)));
    expect(block.endsWith(fence)).toBe(true);
  });
});

describe('marker', () => {
  it('round-trips and refuses values that could end the comment', () => {
    const marker = {
      kind: 'plan' as const,
      repo: 'o/r',
      path: 'lab',
      validAt: '2026-09-01T08:00:00Z',
      planHash: 'sha256:ab',
    };

    expect(parseMarker(`${formatMarker(marker)}\nbody`)).toEqual(marker);
    expect(() => formatMarker({ ...marker, path: 'a -->' })).toThrow(/not allowed/);
  });
});

describe('who may change what', () => {
  const LAB =
    'apiVersion: labops/v1\nkind: Lab\nmetadata: { name: l }\nspec: { aws: { accountId: "123456789012", defaultRegion: us-east-1 }, admins: [pi] }\n';
  const ws = (owner: string, type = 'm6i.large'): string =>
    `apiVersion: labops/v1\nkind: Workstation\nmetadata: { name: w1, owner: ${owner}, project: p }\nspec: { environment: e, instanceType: ${type} }\n`;
  const budget = 'apiVersion: labops/v1\nkind: Budget\nmetadata: { name: b1 }\nspec: { project: p, limitUSD: 10 }\n';
  /** The spec set of an in-memory lab (labops.yaml plus `files`). */
  const set = (files: Record<string, string>): SpecSet => {
    const all = new Map(Object.entries({ 'labops.yaml': LAB, ...files }));
    return loadSpecSet(
      gitTree({
        where: 'memory',
        entries: new Map([...all.keys()].map((path) => [path, { mode: '100644', id: path }])),
        blob: (id) => Buffer.from(all.get(id)!),
      }),
    );
  };
  const change = (before: Record<string, string>, after: Record<string, string>) =>
    diffSpecSets(set(before), set(after));

  it.each([
    [
      'owner changes own workstation',
      change({ 'workstations/w.yaml': ws('alice') }, { 'workstations/w.yaml': ws('alice', 'm6i.xlarge') }),
      'alice',
      [],
      true,
    ],
    [
      'stranger changes a workstation',
      change({ 'workstations/w.yaml': ws('alice') }, { 'workstations/w.yaml': ws('alice', 'm6i.xlarge') }),
      'mallory',
      [],
      false,
    ],
    [
      'owner handover needs both owners',
      change({ 'workstations/w.yaml': ws('alice') }, { 'workstations/w.yaml': ws('bob') }),
      'alice',
      [],
      false,
    ],
    [
      'owner handover approved by the new owner',
      change({ 'workstations/w.yaml': ws('alice') }, { 'workstations/w.yaml': ws('bob') }),
      'alice',
      ['bob'],
      true,
    ],
    ['budget by a non-admin', change({}, { 'budgets/b.yaml': budget }), 'alice', [], false],
    ['budget approved by an admin', change({}, { 'budgets/b.yaml': budget }), 'alice', ['pi'], true],
  ])('%s', (_name, changes, author, approvers, ok) => {
    const checks = checkApprovals(changes, { author, approvers, admins: ['pi'] });

    expect(changes.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.ok)).toBe(ok);
  });

  it('counts only the latest deciding review per reviewer, on the current head', () => {
    const reviews = [
      { id: 1, reviewer: 'pi', state: 'APPROVED', commitId: 'head', submittedAt: '2026-09-01T01:00:00Z' },
      { id: 2, reviewer: 'pi', state: 'CHANGES_REQUESTED', commitId: 'head', submittedAt: '2026-09-01T02:00:00Z' },
      { id: 3, reviewer: 'bob', state: 'APPROVED', commitId: 'old', submittedAt: '2026-09-01T01:00:00Z' },
      { id: 4, reviewer: 'carol', state: 'APPROVED', commitId: 'head', submittedAt: '2026-09-01T01:00:00Z' },
      { id: 5, reviewer: 'carol', state: 'COMMENTED', commitId: 'head', submittedAt: '2026-09-01T03:00:00Z' },
    ];

    expect(currentApprovers(reviews, 'head')).toEqual(['carol']);
  });
});

describe('chooseFlow', () => {
  it.each([
    [
      'pull_request',
      {
        pull_request: {
          number: 2,
          user: { login: 'a' },
          head: { sha: 'h', repo: { full_name: 'o/r' } },
          base: { sha: 'b', ref: 'main', repo: { full_name: 'o/r' } },
          updated_at: '2026-01-01T00:00:00Z',
        },
        repository: { full_name: 'o/r', default_branch: 'main' },
      },
      'refs/pull/2/merge',
      'plan',
    ],
    [
      'push',
      { ref: 'refs/heads/main', after: 'abc', repository: { full_name: 'o/r', default_branch: 'main' } },
      'refs/heads/main',
      'apply',
    ],
    [
      'push',
      { ref: 'refs/heads/topic', after: 'abc', repository: { full_name: 'o/r', default_branch: 'main' } },
      'refs/heads/topic',
      'validate',
    ],
    ['schedule', { schedule: '*/15 * * * *' }, 'refs/heads/main', 'reconcile'],
  ])('auto on %s → %s', (name, payload, ref, flow) => {
    const event = parseEvent(name, payload, { repository: 'o/r', ref, sha: 'abc' });

    expect(chooseFlow('auto', event)).toBe(flow);
  });
});
