/**
 * Budget stops and hibernations for live instances that no valid spec declares: a workstation
 * whose spec is invalid (unknown, otherwise left as is) or was deleted while prune is off. A
 * budget covers a project, not a set of spec files, so breaking or deleting a spec must not take
 * a running instance out of its project's `stop` or `hibernate`. The project is the instance's
 * `labops:project` tag, which labops set from the last valid spec (observation already keeps only
 * instances whose `labops:repo` is this repository).
 */
import type { Action } from '../../../model/plan.js';
import type { ObservedInstance } from '../../../model/observed.js';
import { TAG } from '../../../model/tags.js';
import { HOURS_PER_MONTH } from '../../../cost/prices/index.js';
import { newAction } from '../../../engine/actions.js';
import { HIBERNATE_AFTER_LAUNCH_MS, type PlanContext } from './context.js';
import { computeMonthlyUSD } from '../../../cost/monthly.js';
import { isUnknown } from './orphans.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';

/**
 * Stops (or hibernates) every running instance of `name`, an undeclared workstation, whose
 * project has a budget `stop` or `hibernate` in force. Nothing when prune is about to destroy an
 * orphan anyway, or when no such budget action is in force. Instances are newest first; actions
 * on older ones carry their instance id as suffix.
 */
export function planUndeclaredBudgetPower(
  ctx: PlanContext,
  name: string,
  instances: readonly ObservedInstance[],
): Action[] {
  const unknown = isUnknown(ctx, name);
  if (!unknown && ctx.desired.lab.prune) return [];
  const actions: Action[] = [];
  for (const [index, instance] of instances.entries()) {
    if (instance.state !== 'running') continue;
    const project = instance.tags[TAG.project];
    const override = ctx.overrides.find((o) => o.project === project && o.action !== 'block-launches');
    if (project === undefined || override === undefined) continue;
    const hibernate = override.action === 'hibernate' && instance.hibernationConfigured;
    // AWS refuses to hibernate within about two minutes of launch: wait for the next reconcile.
    if (hibernate && ctx.now.getTime() - Date.parse(instance.launchTime) < HIBERNATE_AFTER_LAUNCH_MS) continue;
    const kind = hibernate ? 'hibernate' : 'stop';
    const why = unknown
      ? 'its spec is invalid, so labops changes nothing else about it'
      : 'its spec was deleted (prune is off)';
    const fallback =
      override.action === 'hibernate' && !hibernate ? ' (stop: hibernation not configured at launch)' : '';
    actions.push(
      newAction(WORKSTATION_PLAN_ACTIONS, {
        kind,
        name,
        region: instance.region,
        instanceId: instance.instanceId,
        rule: `${override.rule}${fallback}`,
        reason: `${instance.instanceId} (${instance.instanceType}) running → ${hibernate ? 'hibernated' : 'stopped'}: ${why}, but the budget of project ${project} applies to every instance of the project`,
        // Without a spec there is no schedule: the instance is counted as running all month.
        monthlyDeltaUSD: -computeMonthlyUSD(instance.instanceType, instance.region, HOURS_PER_MONTH),
        details: { kind },
        ...(index === 0 ? {} : { suffix: instance.instanceId }),
      }),
    );
  }
  return actions;
}
