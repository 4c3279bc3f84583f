/** The Workstation kind: its whole lifecycle, as the engine calls it. */
import type { Kind } from '../../engine/kind.js';
import { WORKSTATION_ACTIONS } from './actions.js';
import { WORKSTATION_STEPS } from './apply/steps.js';
import { desiredWorkstations } from './desired.js';
import { observeWorkstations, unobservedWorkstations } from './observe.js';
import type { ObservedWorkstations } from './observe.js';
import { planWorkstations } from './plan/index.js';
import { instancesAfter, lastSnapshots, recordResources } from './record.js';

/** Workstations: EC2 instances with their volumes, launched, powered, resized, replaced and retired. */
export const workstation: Kind<
  (typeof WORKSTATION_ACTIONS)[number]['kind'],
  ReturnType<typeof desiredWorkstations>,
  ObservedWorkstations
> = {
  name: 'Workstation',
  actions: WORKSTATION_ACTIONS,
  steps: WORKSTATION_STEPS,
  desired: desiredWorkstations,
  observe: observeWorkstations,
  unobserved: unobservedWorkstations,
  plan: ({ desired, observed, record, now, overrides, allowDestroyAll, dataApproved }) => {
    const plan = planWorkstations(desired, observed, now, {
      allowDestroyAll,
      overrides: [...overrides],
      ...(dataApproved ? { dataApproved } : {}),
      imageBuilds: observed.imageBuilds,
      provisionTimes: record.provisionTimes ?? {},
      imageTargets: Object.fromEntries(
        desired.environmentImages.map((i) => [`${i.environment.name}@${i.environment.version}`, i.regions]),
      ),
    });
    return { actions: plan.actions, refusals: plan.refusals };
  },
  recordApplied: ({ observed, plan, applied, now }) =>
    recordResources(instancesAfter(observed, plan, applied, now), now, lastSnapshots(observed, plan, applied, now)),
};
