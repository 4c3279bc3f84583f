/**
 * The pure workstation planner: Desired + Observed + clock → Plan. No I/O, no clock reads, no
 * randomness; inputs are iterated in sorted order, so the same inputs give a byte-identical plan.
 */
import type { Desired, DesiredWorkstation } from '../../../model/desired.js';
import type { Observed, ObservedInstance } from '../../../model/observed.js';
import type { Action, Plan, PlanRefusal } from '../../../model/plan.js';
import { TAG } from '../../../model/tags.js';
import { orderActions, roundUSD } from '../../../engine/actions.js';
import { compareText } from '../../../model/problem.js';
import { planUndeclaredBudgetPower } from './budget-power.js';
import type { PlanContext } from './context.js';
import { planCreate } from './create.js';
import { planExisting } from './existing.js';
import { generationOf, liveInstancesByName } from '../../../model/workstation-inventory.js';
import { instanceUse, unapprovedData } from './data-owners.js';
import { planReplace } from './replace.js';
import type { PlanWorkstationsOptions } from './options.js';
import { planDuplicates, planOrphans } from './orphans.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';

/**
 * The instance a replacement left behind when its run died before retiring it: a live instance one
 * generation older than the newest, which was launched from the current spec (so re-running the
 * replace returns it by its ClientToken rather than launching another). Undefined when there is none.
 */
function interruptedReplace(
  ws: DesiredWorkstation,
  newest: ObservedInstance,
  older: readonly ObservedInstance[],
): ObservedInstance | undefined {
  if (newest.tags[TAG.specHash] !== ws.launchHash) return undefined;
  return older.find((i) => generationOf(i) === generationOf(newest) - 1);
}

/**
 * Plans every Workstation of the lab at `now`.
 * Refuses the plan as a whole when the credentials are for another account, or when it would
 * destroy every live instance without `allowDestroyAll` (fail closed).
 */
export function planWorkstations(
  desired: Desired,
  observed: Observed,
  now: Date,
  options: PlanWorkstationsOptions = {},
): Plan {
  const ctx: PlanContext = {
    desired,
    observed,
    now,
    overrides: options.overrides ?? [],
    imageBuilds: options.imageBuilds ?? [],
    imageTargets: options.imageTargets ?? {},
    provisionTimes: options.provisionTimes ?? {},
    ...(options.dataApproved === undefined ? {} : { dataApproved: options.dataApproved }),
  };
  const actions: Action[] = [];
  const refusals: PlanRefusal[] = [];
  if (observed.accountId !== desired.lab.accountId) {
    refusals.push({
      code: 'wrong-account',
      message: `observed account ${observed.accountId} is not the lab's account ${desired.lab.accountId}`,
    });
  }
  const live = liveInstancesByName(observed.instances, desired.lab.repo);
  const workstations = [...desired.workstations].sort((a, b) => compareText(a.name, b.name));
  for (const ws of workstations) {
    const [newest, ...older] = live.get(ws.name) ?? [];
    // A spec never takes over an instance someone else owns without their approval (a name takeover).
    const takeover =
      newest === undefined
        ? undefined
        : unapprovedData(
            ws,
            [instanceUse(ws, newest)].filter((u) => u !== undefined),
            ctx.dataApproved,
            'left as it is',
          );
    if (takeover !== undefined) {
      refusals.push(takeover);
      continue;
    }
    const unfinished = newest === undefined ? undefined : interruptedReplace(ws, newest, older);
    if (newest !== undefined && unfinished !== undefined) {
      // A replacement whose run died after launching it: the same replace again finishes it (its
      // RunInstances has the same ClientToken, so AWS answers with the instance already launched).
      const part = planReplace(
        ctx,
        ws,
        unfinished,
        `finishing an interrupted replacement: ${newest.instanceId} (generation ${generationOf(newest)}) was launched, ${unfinished.instanceId} was not yet retired`,
        newest,
      );
      actions.push(
        ...part.actions,
        ...planDuplicates(
          ctx,
          ws,
          newest,
          older.filter((i) => i !== unfinished),
        ),
      );
      refusals.push(...part.refusals);
      continue;
    }
    const part = newest === undefined ? planCreate(ctx, ws) : planExisting(ctx, ws, newest);
    actions.push(...part.actions, ...(newest === undefined ? [] : planDuplicates(ctx, ws, newest, older)));
    refusals.push(...part.refusals);
  }
  const declared = new Set(workstations.map((ws) => ws.name));
  for (const [name, instances] of live)
    if (!declared.has(name))
      actions.push(...planOrphans(ctx, name, instances), ...planUndeclaredBudgetPower(ctx, name, instances));

  const everything = destroysEverything(
    actions,
    [...live.values()].flat().map((i) => i.instanceId),
  );
  if (everything !== undefined && options.allowDestroyAll !== true) refusals.push(everything);
  return {
    now: now.toISOString(),
    actions: orderActions(actions, WORKSTATION_PLAN_ACTIONS),
    refusals: refusals.sort(
      (a, b) =>
        compareText(a.code, b.code) ||
        compareText(a.resource?.name ?? '', b.resource?.name ?? '') ||
        compareText(a.message, b.message),
    ),
    monthlyDeltaUSD: roundUSD(actions.reduce((sum, a) => sum + a.monthlyDeltaUSD, 0)),
  };
}

/** A refusal when the destroy actions cover every live instance (at least one). */
function destroysEverything(actions: readonly Action[], liveIds: readonly string[]): PlanRefusal | undefined {
  if (liveIds.length === 0) return undefined;
  const destroyed = new Set(actions.filter((a) => a.kind === 'destroy').map((a) => a.instanceId));
  if (!liveIds.every((id) => destroyed.has(id))) return undefined;
  return {
    code: 'destroys-everything',
    message: `the plan destroys all ${liveIds.length} live workstation instance(s); apply refuses unless destroying everything is explicitly allowed`,
  };
}
