/**
 * Instance type changes on a live instance. A spec change is a `resize` (stop, modify, start
 * again if it should run). AWS cannot change the type of a hibernation-enabled or Spot instance,
 * nor across architectures: those need a `replace` (see `typeChangeNeedsReplace`). A type that
 * differs from `labops:instance-type` was changed outside labops: drift, reverted only with selfHeal.
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { PowerState } from '../../../model/launch.js';
import type { Action } from '../../../model/plan.js';
import type { ObservedInstance } from '../../../model/observed.js';
import { TAG } from '../../../model/tags.js';
import { instanceTypeInfo } from '../../../cost/prices/index.js';
import { newAction } from '../../../engine/actions.js';
import type { PlanContext } from './context.js';
import { computeMonthlyUSD, expectedRunningHours } from '../../../cost/monthly.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';

/** The type part of an instance's plan. */
export interface TypeOutcome {
  /** A `resize`, or a `drift` report of a type changed outside labops. */
  action?: Action;
  /** Tags to set alongside (`labops:instance-type`). */
  set: Record<string, string>;
}

/** True when the observed type is not the one labops last set. */
export function typeDrifted(instance: ObservedInstance): boolean {
  const tagged = instance.tags[TAG.instanceType];
  return tagged !== undefined && tagged !== instance.instanceType;
}

/** Why a spec type change cannot be done in place, or undefined when a resize can do it. */
export function typeChangeNeedsReplace(ws: DesiredWorkstation, instance: ObservedInstance): string | undefined {
  if (ws.instanceType === instance.instanceType || typeDrifted(instance)) return undefined;
  const change = `instanceType ${instance.instanceType} → ${ws.instanceType}`;
  if (instance.hibernationConfigured)
    return `${change} needs a new instance: AWS cannot change the type of a hibernation-enabled instance`;
  if (ws.spot) return `${change} needs a new instance: AWS cannot change the type of a Spot instance`;
  const from = instanceTypeInfo(instance.instanceType)?.architecture;
  const to = instanceTypeInfo(ws.instanceType)?.architecture;
  if (from !== undefined && to !== undefined && from !== to)
    return `${change} needs a new instance: ${from} and ${to} cannot be swapped in place`;
  return undefined;
}

/**
 * Plans a type change. `before` is the state the instance is in, `target` the state the power
 * rules want after this plan: the resize restarts it only when it was running and should run.
 */
export function planResize(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  before: PowerState,
  target: PowerState,
): TypeOutcome {
  if (ws.instanceType === instance.instanceType) {
    // The spec may have caught up with a change made outside labops: record the type.
    const stale = instance.tags[TAG.instanceType] !== undefined && instance.tags[TAG.instanceType] !== ws.instanceType;
    return { set: stale ? { [TAG.instanceType]: ws.instanceType } : {} };
  }
  const tagged = instance.tags[TAG.instanceType];
  const drifted = tagged !== undefined && tagged !== instance.instanceType;
  const rule = drifted ? 'drift: instance type changed outside labops' : 'spec';
  if (drifted && !ctx.desired.lab.selfHeal) {
    const action = newAction(WORKSTATION_PLAN_ACTIONS, {
      kind: 'drift',
      name: ws.name,
      region: instance.region,
      instanceId: instance.instanceId,
      rule,
      reason: `labops last set ${tagged}, the instance is ${instance.instanceType}; selfHeal is off, so labops leaves it (spec: ${ws.instanceType})`,
      monthlyDeltaUSD: 0,
      details: { kind: 'drift', observed: instance.instanceType, expected: tagged },
      suffix: 'instance-type',
    });
    return { action, set: {} };
  }
  const hours = expectedRunningHours(ws);
  const delta =
    computeMonthlyUSD(ws.instanceType, instance.region, hours) -
    computeMonthlyUSD(instance.instanceType, instance.region, hours);
  const restart = before === 'running' && target === 'running';
  const action = newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'resize',
    name: ws.name,
    region: instance.region,
    instanceId: instance.instanceId,
    rule,
    reason: `instanceType ${instance.instanceType} → ${ws.instanceType}${restart ? ' (stop, modify, start)' : ''}`,
    monthlyDeltaUSD: delta,
    details: { kind: 'resize', from: instance.instanceType, to: ws.instanceType, restart },
  });
  return { action, set: { [TAG.instanceType]: ws.instanceType } };
}
