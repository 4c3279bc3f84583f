/**
 * A change waiting for AWS — a workstation for its image (`image-building`), a replaced compute
 * environment or a removed queue for its jobs (`queue-draining`, `queue-busy`) — reads as a wait in
 * every plan rendering (text, markdown, the PR comment), never as a refused apply; a budget hold
 * reads as a budget line; anything else as refused.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanRefusal } from '../../../reconciler/src/model/plan.js';
import { renderPlanText } from '../../../reconciler/src/report/plan-text.js';
import { renderPlanMarkdown } from '../../../reconciler/src/report/plan-markdown.js';
import { renderPlanComment } from '../../../reconciler/src/report/pr-comment.js';

const MESSAGE = 'the thing the refusal says';

function planWith(code: PlanRefusal['code']): Plan {
  return {
    now: '2026-09-16T15:00:00.000Z',
    actions: [],
    refusals: [{ code, message: MESSAGE, resource: { kind: 'JobQueue', name: 'research-spot' } }],
    monthlyDeltaUSD: 0,
  };
}

function comment(plan: Plan): string {
  return renderPlanComment(
    {
      title: 'labops plan',
      desiredOnly: false,
      problems: [],
      plan,
      approvals: [],
      missing: [],
      summaryUrl: 'https://github.com/acme/neuro-lab/actions/runs/1',
    },
    65_000,
  ).body;
}

describe('a refusal reads as what it is, in every rendering', () => {
  it.each<[PlanRefusal['code'], string, string, string]>([
    ['image-building', `… waiting: ${MESSAGE}`, `> [!NOTE]\n> Waiting: ${MESSAGE}`, `> [!NOTE]\n> Waiting: ${MESSAGE}`],
    ['queue-draining', `… waiting: ${MESSAGE}`, `> [!NOTE]\n> Waiting: ${MESSAGE}`, `> [!NOTE]\n> Waiting: ${MESSAGE}`],
    ['queue-busy', `… waiting: ${MESSAGE}`, `> [!NOTE]\n> Waiting: ${MESSAGE}`, `> [!NOTE]\n> Waiting: ${MESSAGE}`],
    [
      'budget-withheld',
      `! budget: ${MESSAGE}`,
      `> [!WARNING]\n> Budget: ${MESSAGE}`,
      `> [!WARNING]\n> Budget: ${MESSAGE}`,
    ],
    [
      'aws-budget-foreign',
      `! budget: ${MESSAGE}`,
      `> [!WARNING]\n> Budget: ${MESSAGE}`,
      `> [!WARNING]\n> Budget: ${MESSAGE}`,
    ],
    [
      'job-queue',
      `✗ apply refused: ${MESSAGE}`,
      `> [!CAUTION]\n> Apply refused: ${MESSAGE}`,
      `> [!CAUTION]\n> Left out: ${MESSAGE}`,
    ],
  ])('%s', (code, text, markdown, pr) => {
    const plan = planWith(code);

    const rendered = [renderPlanText(plan, { color: false }, 'Plan'), renderPlanMarkdown(plan, 'Plan'), comment(plan)];

    expect(rendered[0]).toContain(text);
    expect(rendered[1]).toContain(markdown);
    expect(rendered[2]).toContain(pr);
  });
});
