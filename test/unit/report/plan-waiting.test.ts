/** A workstation waiting for its image (`image-building`) reads as a wait in every plan rendering, never as a refused apply. */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../reconciler/src/model/plan.js';
import { renderPlanText } from '../../../reconciler/src/report/plan-text.js';
import { renderPlanMarkdown } from '../../../reconciler/src/report/plan-markdown.js';

const MESSAGE =
  'workstation alice-neuro: image building, ready in ~30 min (neuroimaging@1.2.0, Image Builder BUILDING); launched once it is available in us-east-1';

const plan: Plan = {
  now: '2026-09-16T15:00:00.000Z',
  actions: [],
  refusals: [{ code: 'image-building', message: MESSAGE, resource: { kind: 'Workstation', name: 'alice-neuro' } }],
  monthlyDeltaUSD: 0,
};

describe('image-building in the plan', () => {
  it.each<[string, () => string, string]>([
    ['text', () => renderPlanText(plan, { color: false }, 'Plan'), `… waiting: ${MESSAGE}`],
    [
      'markdown',
      () => renderPlanMarkdown(plan, 'Plan'),
      '> [!NOTE]\n> Waiting: workstation alice-neuro: image building, ready in ~30 min',
    ],
  ])('%s', (_, render, expected) => {
    const out = render();

    expect(out).toContain(expected);
    expect(out.toLowerCase()).not.toContain('apply refused');
  });
});
