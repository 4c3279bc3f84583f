/**
 * The Workstation's executor steps: create and replace launch (and retire the old instance), power
 * changes wait for the target state and record it in `labops:desired-state`; resize stops, changes
 * the type and restarts; retag sets and removes tags (and names volumes a launch left unnamed);
 * destroy retires the instance per its deletion policy.
 */
import type { Steps, StepResult } from '../../../engine/kind.js';
import type { ActionContext } from '../../../engine/apply/context.js';
import { ApplyError } from '../../../engine/apply/errors.js';
import { readInstance, waitInstance } from '../../../engine/apply/ec2-waits.js';
import type { DetailsOf } from '../../../model/plan.js';
import { TAG } from '../../../model/tags.js';
import type { WORKSTATION_ACTIONS } from '../actions.js';
import { runCreate, runReplace } from './create-replace.js';
import { settledAll } from './launch.js';
import { ensurePower, markDesiredState, stopForChange } from './power.js';
import { runDestroy } from './retire.js';

function targetOf(ctx: ActionContext): string {
  const id = ctx.action.instanceId;
  if (id === undefined || id === '')
    throw new ApplyError('invalid-action', `${ctx.action.id}: a ${ctx.action.kind} needs an instanceId`, {
      resource: ctx.action.id,
    });
  return id;
}

async function runPower(ctx: ActionContext, target: 'running' | 'stopped' | 'hibernated'): Promise<StepResult> {
  const instanceId = targetOf(ctx);
  const outcome = await ensurePower(ctx, instanceId, target);
  await markDesiredState(ctx, outcome.instance, outcome.state);
  return { instanceId, detail: outcome.detail };
}

async function runResize(ctx: ActionContext, details: DetailsOf<'resize'>): Promise<StepResult> {
  const instanceId = targetOf(ctx);
  const before = await readInstance(ctx, instanceId);
  if (before === undefined)
    throw new ApplyError('unexpected-state', `${instanceId} not found`, { resource: instanceId });
  if (before.instanceType !== details.to) {
    const stopped = await stopForChange(ctx, instanceId);
    if (stopped.instanceType !== details.to) await ctx.ec2.modifyInstanceType(ctx.region, instanceId, details.to);
  }
  if (!details.restart) {
    const after = await waitInstance(ctx, instanceId, ['running', 'stopped']);
    if (after.state === 'stopped' && before.state === 'running') await markDesiredState(ctx, after, 'stopped');
    return { instanceId, detail: `${details.from} → ${details.to}` };
  }
  const outcome = await ensurePower(ctx, instanceId, 'running');
  await markDesiredState(ctx, outcome.instance, 'running');
  return { instanceId, detail: `${details.from} → ${details.to}, restarted` };
}

async function runRetag(ctx: ActionContext, details: DetailsOf<'retag'>): Promise<StepResult> {
  const instanceId = targetOf(ctx);
  if (Object.keys(details.set).length > 0) await ctx.ec2.createTags(ctx.region, [instanceId], details.set);
  if (details.remove.length > 0) await ctx.ec2.deleteTags(ctx.region, [instanceId], details.remove);
  // Side by side: volumes of one name (across the apply's retags) share one CreateTags.
  await settledAll(
    Object.entries(details.volumes ?? {}).map(([volumeId, name]) =>
      ctx.ec2.createTags(ctx.region, [volumeId], { [TAG.volume]: name }),
    ),
  );
  return { instanceId };
}

/** One step per Workstation action kind. */
export const WORKSTATION_STEPS: Steps<(typeof WORKSTATION_ACTIONS)[number]['kind']> = {
  create: runCreate,
  replace: runReplace,
  start: (ctx) => runPower(ctx, 'running'),
  stop: (ctx) => runPower(ctx, 'stopped'),
  hibernate: (ctx) => runPower(ctx, 'hibernated'),
  resize: runResize,
  retag: runRetag,
  destroy: (ctx, details) => runDestroy(ctx, targetOf(ctx), details),
};
