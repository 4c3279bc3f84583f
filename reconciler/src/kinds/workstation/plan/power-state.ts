/**
 * The desired power state of a workstation at an instant: `spec.state`, then the schedule and
 * calendar breaks, then budget overrides, then the idle rule. Each later rule can only turn a
 * workstation that would run off (it never starts a stopped one, nor turns stopped into
 * hibernated). The decision names the rule that made it.
 */
import type { DesiredLab, DesiredWorkstation } from '../../../model/desired.js';
import { formatDuration } from '../../../model/duration.js';
import type { PowerState } from '../../../model/launch.js';
import type { ObservedInstance, ObservedUtilisation } from '../../../model/observed.js';
import { TAG } from '../../../model/tags.js';
import { localTime } from '../../../model/time-zone.js';
import { isWithinWorkHours } from '../../../model/work-hours.js';
import type { BudgetOverride } from '../../../model/budget.js';

/** State reason of a plain (not hibernate) stop requested through the API. */
export const SHUTDOWN_REASON = 'Client.UserInitiatedShutdown';

/** Which rule decided a power state: drives cost attribution (time-based rules cost nothing extra). */
export type PowerCause = 'spec' | 'schedule' | 'calendar' | 'budget' | 'idle';

/** A desired power state with the rule that decided it. */
export interface PowerDecision {
  state: PowerState;
  /** Rule text for actions: `spec`, `schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)`, `calendar: winter`, … */
  rule: string;
  cause: PowerCause;
}

/** What the power rules need to know beyond the spec. */
export interface PowerInputs {
  lab: DesiredLab;
  now: Date;
  overrides: readonly BudgetOverride[];
  /** Whether the instance can hibernate (configured at launch); for a new launch, `spec.hibernation`. */
  hibernationConfigured: boolean;
  /** CPU use, only for an instance that is running now. */
  utilisation?: ObservedUtilisation;
}

/** The desired power state of `ws` at `inputs.now`. */
export function desiredPowerState(ws: DesiredWorkstation, inputs: PowerInputs): PowerDecision {
  let decision: PowerDecision = { state: ws.state, rule: 'spec', cause: 'spec' };
  decision = applySchedule(ws, inputs, decision);
  decision = applyBudget(ws, inputs.overrides, decision);
  decision = applyIdle(ws, inputs.utilisation, decision);
  if (decision.state === 'hibernated' && !inputs.hibernationConfigured) {
    return { ...decision, state: 'stopped', rule: `${decision.rule} (stop: hibernation not configured at launch)` };
  }
  return decision;
}

/**
 * Why labops should not hibernate this instance again, if it should not: the note apply left
 * (`labops:hibernation-failed`) when a hibernate it asked for became a plain stop, or, not yet
 * noted, a stop AWS reports as `Client.UserInitiatedShutdown` on an instance whose last desired
 * state labops set was `hibernated` ("If the instance cannot hibernate successfully, a normal
 * shutdown occurs").
 */
export function hibernationFailure(
  instance: Pick<ObservedInstance, 'state' | 'stateReason' | 'tags'>,
): { note: string; noted: boolean } | undefined {
  const noted = instance.tags[TAG.hibernationFailed];
  if (noted !== undefined) return { note: noted, noted: true };
  if (
    instance.state === 'stopped' &&
    instance.tags[TAG.desiredState] === 'hibernated' &&
    instance.stateReason === SHUTDOWN_REASON
  ) {
    return { note: `last hibernate ended as ${SHUTDOWN_REASON}`, noted: false };
  }
  return undefined;
}

/** A stop instead of a hibernate for a workstation whose hibernation failed (the reason in the rule). */
export function avoidFailedHibernation(decision: PowerDecision, failure: { note: string } | undefined): PowerDecision {
  if (decision.state !== 'hibernated' || failure === undefined) return decision;
  return {
    ...decision,
    state: 'stopped',
    rule: `${decision.rule} (stop: hibernation failed before — ${failure.note}; remove tag ${TAG.hibernationFailed} to try again)`,
  };
}

/** The calendar break `now` falls in (dates inclusive, read in the calendar's zone), if any. */
export function activeBreak(lab: DesiredLab, now: Date): { name: string } | undefined {
  const today = localTime(now, lab.calendar.timezone).date;
  return lab.calendar.breaks.find((b) => b.from <= today && today <= b.to);
}

/** `schedule: off hours (Mon-Fri 08:00-19:00 America/New_York)` and friends. */
export function scheduleRule(schedule: NonNullable<DesiredWorkstation['schedule']>, within: boolean): string {
  return `schedule: ${within ? 'work hours' : 'off hours'} (${schedule.workHours} ${schedule.timezone})`;
}

function offState(action: 'hibernate' | 'stop'): PowerState {
  return action === 'hibernate' ? 'hibernated' : 'stopped';
}

/**
 * Schedules and breaks only touch workstations that have a schedule: a break is "off hours all
 * day", and a workstation without work hours has none. A break is named in preference to the
 * weekly schedule, since it explains why the workstation is off on a working day too.
 */
function applySchedule(ws: DesiredWorkstation, inputs: PowerInputs, decision: PowerDecision): PowerDecision {
  const schedule = ws.schedule;
  if (schedule === undefined || decision.state !== 'running') return decision;
  const inBreak = activeBreak(inputs.lab, inputs.now);
  if (inBreak !== undefined)
    return { state: offState(schedule.offHoursAction), rule: `calendar: ${inBreak.name}`, cause: 'calendar' };
  const within = isWithinWorkHours(schedule.windows, inputs.now, schedule.timezone);
  if (!within)
    return { state: offState(schedule.offHoursAction), rule: scheduleRule(schedule, false), cause: 'schedule' };
  return { state: 'running', rule: scheduleRule(schedule, true), cause: 'schedule' };
}

function applyBudget(
  ws: DesiredWorkstation,
  overrides: readonly BudgetOverride[],
  decision: PowerDecision,
): PowerDecision {
  if (decision.state !== 'running') return decision;
  const override = overrides.find((o) => o.project === ws.project && o.action !== 'block-launches');
  if (override === undefined || override.action === 'block-launches') return decision;
  return { state: offState(override.action), rule: override.rule, cause: 'budget' };
}

function applyIdle(
  ws: DesiredWorkstation,
  utilisation: ObservedUtilisation | undefined,
  decision: PowerDecision,
): PowerDecision {
  if (decision.state !== 'running' || ws.idle === undefined || utilisation === undefined) return decision;
  if (utilisation.idleSeconds < ws.idle.afterSeconds) return decision;
  const idleFor = formatDuration(Math.floor(utilisation.idleSeconds / 60) * 60);
  return { state: offState(ws.idle.action), rule: `idle ${idleFor} < ${ws.idle.cpuBelowPercent}% CPU`, cause: 'idle' };
}
