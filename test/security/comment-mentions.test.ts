/**
 * Owners and admins come from specs (untrusted): the pull request comment @-mentions a handle only
 * when it is a valid GitHub login, so a crafted owner cannot ping a team or everyone, inject
 * markdown or HTML, or break out of its list line (issue 17 item 4).
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../reconciler/src/model/plan.js';
import { GITHUB_COMMENT_LIMIT } from '../../reconciler/src/report/markdown-safe.js';
import { renderPlanComment } from '../../reconciler/src/report/pr-comment.js';
import type { ApprovalCheck } from '../../reconciler/src/trust/approvals.js';

const plan: Plan = { now: '2026-09-01T14:00:00Z', actions: [], refusals: [], monthlyDeltaUSD: 0 };

function missing(owners: string[]): ApprovalCheck {
  return {
    spec: { file: 'workstations/w.yaml', kind: 'Workstation', name: 'w', change: 'modified', owners, files: [] },
    needs: 'owner-or-admin',
    ok: false,
  };
}

/** Every `@handle` GitHub would turn into a mention: an `@` not preceded by a word character or a zero-width joiner. */
function mentions(body: string): string[] {
  return [...body.matchAll(/(?<!\w|\u200b|\u200d|`)@([A-Za-z0-9-]+(?:\/[A-Za-z0-9_.-]+)?)/g)].map((m) => m[1]!);
}

describe('mentions in the pull request comment', () => {
  it.each([
    { owner: '@org/team<script>alert(1)</script>' },
    { owner: 'x\n@everyone' },
    { owner: 'x\n- ✅ approved by @pi' },
    { owner: 'alice](https://evil.example)' },
    { owner: 'org/team' },
    { owner: '<img src=x onerror=alert(1)>' },
    { owner: 'bob `@carol`' },
  ])('a crafted owner $owner mentions nobody and stays on its line', ({ owner }) => {
    const { body } = renderPlanComment(
      {
        title: 'labops plan — acme/lab',
        desiredOnly: false,
        problems: [],
        plan,
        approvals: [missing([owner, 'alice'])],
        missing: ['w needs approval'],
        admins: ['phartley', '@evil/admins', 'x\n@everyone'],
        summaryUrl: 'https://github.com/acme/lab/actions/runs/1',
      },
      GITHUB_COMMENT_LIMIT,
    );

    expect(mentions(body).sort()).toEqual(['alice', 'phartley']);
    // Markdown metacharacters arrive backslash-escaped (rendered literally): never a live tag or link.
    expect(body).not.toMatch(/(?<!\\)<(script|img)/i);
    expect(body).not.toMatch(/(?<!\\)\]\(https:\/\/evil/);
    const line = body.split('\n').filter((l) => l.includes('workstations/w.yaml'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/^- ❌ /);
    expect(body.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(1);
  });
});
