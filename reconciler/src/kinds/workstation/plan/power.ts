/**
 * Power actions for a live instance: start, stop or hibernate towards the desired state, unless
 * the instance is in transition (wait), was changed outside labops (drift: reported, or reverted
 * with selfHeal), or is held off after an idle stop.
 *
 * Drift compares the observed state with `labops:desired-state` by power class (on/off): stopped
 * and hibernated are both off, since a hibernate that fails becomes a plain stop. Such a
 * workstation is stopped, not hibernated, from then on (`labops:hibernation-failed`).
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { PowerState } from '../../../model/launch.js';
import type { Action } from '../../../model/plan.js';
import type { ObservedInstance } from '../../../model/observed.js';
import { TAG } from '../../../model/tags.js';
import { newAction } from '../../../engine/actions.js';
import { HIBERNATE_AFTER_LAUNCH_MS, type PlanContext } from './context.js';
import { computeMonthlyUSD, scheduledHours } from '../../../cost/monthly.js';
import { observedPowerState, powerClass } from '../../../model/workstation-inventory.js';
import { avoidFailedHibernation, hibernationFailure } from './power-state.js';
import type { PowerDecision } from './power-state.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';

/** The power part of an instance's plan. */
export interface PowerPlan {
  /** A start/stop/hibernate, or a `drift` report. */
  action?: Action;
  /** The state the instance is in once this plan is applied (its observed state when nothing changes it). */
  target: PowerState;
  /** Tags to set and remove alongside (idle hold, a stale `labops:desired-state`). */
  set: Record<string, string>;
  remove: string[];
  /** The rule behind those tag changes, for the retag that carries them. */
  tagRule?: string;
}

/** The power state of a live instance in a stable state (see `observedPowerState`). */
export type ObservedPowerState = NonNullable<ReturnType<typeof observedPowerState>>;

/**
 * Plans the power state of a live instance in a stable state (running or stopped). A workstation
 * whose hibernation failed is stopped instead (the reason in the rule), and a failure seen here
 * first (a plain stop where labops asked for a hibernate) is noted in `labops:hibernation-failed`.
 */
export function planPower(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  observed: ObservedPowerState,
  wanted: PowerDecision,
): PowerPlan {
  const failure = hibernationFailure(instance);
  const outcome = planPowerOf(ctx, ws, instance, observed, avoidFailedHibernation(wanted, failure));
  if (failure === undefined || failure.noted) return outcome;
  return {
    ...outcome,
    set: { ...outcome.set, [TAG.hibernationFailed]: failure.note },
    tagRule: outcome.tagRule ?? 'hibernation failed: AWS stopped it instead',
  };
}

function planPowerOf(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  observed: ObservedPowerState,
  decision: PowerDecision,
): PowerPlan {
  const tagged = instance.tags[TAG.desiredState];
  const observedClass = powerClass(observed);
  const taggedClass = tagged === undefined ? observedClass : (powerClass(tagged) ?? observedClass);
  const wantedClass = powerClass(decision.state);
  const held = instance.tags[TAG.idleHold] !== undefined;
  const none: PowerPlan = { target: observed, set: {}, remove: [] };

  if (held && observedClass === 'off' && taggedClass === 'off') {
    // Held off after an idle stop: stays off; once another rule wants it off, that rule takes over.
    return wantedClass === 'on' ? none : { ...none, remove: [TAG.idleHold], tagRule: decision.rule };
  }
  if (held && observedClass === 'on' && taggedClass === 'off' && wantedClass === 'on') {
    // Its owner started it again: not drift, the hold ends.
    return {
      target: observed,
      set: { [TAG.desiredState]: 'running' },
      remove: [TAG.idleHold],
      tagRule: 'idle hold: started by its owner',
    };
  }
  const remove = held && decision.cause !== 'idle' ? [TAG.idleHold] : [];
  if (observedClass !== taggedClass) {
    if (observedClass === wantedClass)
      return { target: observed, set: { [TAG.desiredState]: observed }, remove, tagRule: decision.rule };
    const rule = `drift: ${observedClass === 'off' ? 'stopped' : 'started'} outside labops`;
    if (!ctx.desired.lab.selfHeal)
      return { ...none, action: driftAction(ws, instance, rule, observed, tagged ?? observed, decision) };
    return powerChange(ctx, ws, instance, observed, { ...decision, rule }, true, remove);
  }
  if (observedClass === wantedClass) return { ...none, remove, tagRule: decision.rule };
  return powerChange(ctx, ws, instance, observed, decision, false, remove);
}

function driftAction(
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  rule: string,
  observed: string,
  tagged: string,
  decision: PowerDecision,
): Action {
  return newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'drift',
    name: ws.name,
    region: instance.region,
    instanceId: instance.instanceId,
    rule,
    reason: `labops last set ${tagged}, the instance is ${observed}; selfHeal is off, so labops leaves it (desired now: ${decision.state}, ${decision.rule})`,
    monthlyDeltaUSD: 0,
    details: { kind: 'drift', observed, expected: tagged },
    suffix: 'power',
  });
}

function powerChange(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  observed: ObservedPowerState,
  decision: PowerDecision,
  heal: boolean,
  remove: string[],
): PowerPlan {
  const kind: 'start' | 'stop' | 'hibernate' =
    decision.state === 'running' ? 'start' : decision.state === 'hibernated' ? 'hibernate' : 'stop';
  if (kind === 'hibernate' && ctx.now.getTime() - Date.parse(instance.launchTime) < HIBERNATE_AFTER_LAUNCH_MS) {
    // AWS refuses to hibernate within about two minutes of launch: wait for the next reconcile.
    return { target: observed, set: {}, remove: [] };
  }
  const set: Record<string, string> = decision.cause === 'idle' ? { [TAG.idleHold]: decision.rule } : {};
  const action = newAction(WORKSTATION_PLAN_ACTIONS, {
    kind,
    name: ws.name,
    region: instance.region,
    instanceId: instance.instanceId,
    rule: decision.rule,
    reason: `${observed} → ${decision.state}`,
    monthlyDeltaUSD: heal ? 0 : powerDeltaUSD(ws, instance, decision),
    details: { kind },
  });
  return { action, target: decision.state, set, remove, tagRule: decision.rule };
}

/**
 * Spec- and budget-driven power changes move the run-rate by the hours the workstation would
 * otherwise run; schedule, calendar and idle changes are already part of the scheduled run-rate
 * (or too short-lived to estimate), and drift corrections restore it: they cost 0.
 */
function powerDeltaUSD(ws: DesiredWorkstation, instance: ObservedInstance, decision: PowerDecision): number {
  if (decision.cause !== 'spec' && decision.cause !== 'budget') return 0;
  const monthly = computeMonthlyUSD(instance.instanceType, instance.region, scheduledHours(ws));
  return decision.state === 'running' ? monthly : -monthly;
}
