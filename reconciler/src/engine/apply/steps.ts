/**
 * One action, carried out: dispatch by kind to its steps. Power changes wait for the target
 * state and record it in `labops:desired-state`; resize stops, changes the type and restarts;
 * retag sets and removes tags (and names volumes a launch left unnamed); orphan and drift only report and make no call.
 */
import type { ActionDetails } from '../../model/launch.js';
import { TAG } from '../../model/tags.js';
import type { ActionContext } from './context.js';
import { runCreate, runReplace } from '../../kinds/workstation/apply/create-replace.js';
import { ApplyError } from './errors.js';
import { ensurePower, markDesiredState, stopForChange } from '../../kinds/workstation/apply/power.js';
import { runCancelJob, runSubmitJob } from '../../kinds/job/apply.js';
import { settledAll } from '../../kinds/workstation/apply/launch.js';
import { runDestroy } from '../../kinds/workstation/apply/retire.js';
import { runCopySnapshot, runDeleteSnapshot, runSnapshot } from '../../kinds/snapshot-schedule/apply.js';
import { readInstance, waitInstance } from './ec2-waits.js';

/** What an action's steps report back. */
export interface StepResult {
  instanceId?: string;
  detail?: string;
  snapshotIds?: string[];
  volumeIds?: string[];
  jobId?: string;
}

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

async function runResize(ctx: ActionContext, details: Extract<ActionDetails, { kind: 'resize' }>): Promise<StepResult> {
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

async function runRetag(ctx: ActionContext, details: Extract<ActionDetails, { kind: 'retag' }>): Promise<StepResult> {
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

/**
 * Carries out one action.
 * @throws {AwsError} or {@link ApplyError}; the caller turns it into a failed result
 */
export async function runSteps(ctx: ActionContext): Promise<StepResult> {
  const { action } = ctx;
  switch (action.kind) {
    case 'create':
      return runCreate(ctx, action.details);
    case 'replace':
      return runReplace(ctx, action.details);
    case 'start':
      return runPower(ctx, 'running');
    case 'stop':
      return runPower(ctx, 'stopped');
    case 'hibernate':
      return runPower(ctx, 'hibernated');
    case 'resize':
      return runResize(ctx, action.details);
    case 'retag':
      return runRetag(ctx, action.details);
    case 'destroy':
      return runDestroy(ctx, targetOf(ctx), action.details);
    case 'snapshot':
      return runSnapshot(ctx, action.details);
    case 'copy-snapshot':
      return runCopySnapshot(ctx, action.details);
    case 'delete-snapshot':
      return runDeleteSnapshot(ctx, action.details);
    case 'submit-job':
      return runSubmitJob(ctx, action.details);
    case 'cancel-job':
      return runCancelJob(ctx, action.details);
    case 'orphan':
    case 'drift':
      return { instanceId: action.instanceId, detail: 'reported only' };
  }
}
