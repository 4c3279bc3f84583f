/**
 * `--target` (engine/pipeline.ts `targeted`): a bare name cuts the plan to every kind's resource of
 * that name; `Kind/name` (what `labops env build` passes) to that kind's only, so a Workstation
 * named like an EnvironmentImage is never applied by a build request.
 */
import { describe, expect, it } from 'vitest';
import { targeted } from '../../../reconciler/src/engine/pipeline.js';
import type { Action, Plan } from '../../../reconciler/src/model/plan.js';

function action(id: string, after: string[] = []): Action {
  const [kind = '', name = '', verb = ''] = id.split('/');
  return {
    id,
    kind: verb,
    resource: { kind, name },
    region: 'us-east-1',
    rule: 'spec',
    reason: id,
    monthlyDeltaUSD: 1,
    destructive: false,
    after,
    details: {},
  } as unknown as Action;
}

const plan: Plan = {
  now: '2026-11-16T12:00:00.000Z',
  actions: [
    action('EnvironmentImage/neuro/create-image-resource'),
    action('EnvironmentImage/neuro/build-image', ['EnvironmentImage/neuro/create-image-resource']),
    action('Workstation/neuro/create'),
    action('Workstation/alice/create'),
  ],
  refusals: [
    { code: 'image-in-use', message: 'image', resource: { kind: 'EnvironmentImage', name: 'neuro' } },
    { code: 'budget-blocked', message: 'workstation', resource: { kind: 'Workstation', name: 'neuro' } },
    { code: 'wrong-account', message: 'whole plan' },
  ],
  monthlyDeltaUSD: 4,
};

describe('targeted', () => {
  it.each<[string, string, string[], string[], number]>([
    [
      'a bare name: every kind of that name, with what it waits for',
      'neuro',
      [
        'EnvironmentImage/neuro/create-image-resource',
        'EnvironmentImage/neuro/build-image',
        'Workstation/neuro/create',
      ],
      ['image', 'workstation', 'whole plan'],
      1,
    ],
    [
      'Kind/name: that kind only',
      'EnvironmentImage/neuro',
      ['EnvironmentImage/neuro/create-image-resource', 'EnvironmentImage/neuro/build-image'],
      ['image', 'whole plan'],
      2,
    ],
    ['Kind/name of a kind the name has no action of: none', 'Job/neuro', [], ['whole plan'], 4],
  ])('%s', (_name, target, actions, refusals, omitted) => {
    const cut = targeted(plan, target);

    expect({
      actions: cut.actions.map((a) => a.id),
      refusals: cut.refusals.map((r) => r.message),
      partial: cut.partial,
    }).toEqual({ actions, refusals, partial: { target, omitted } });
  });
});
