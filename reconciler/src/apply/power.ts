/**
 * Putting an instance into a power state: start, stop or hibernate, then wait for the state.
 * Idempotent: an instance already there (or on its way) is only waited for. Hibernation needs
 * the instance to have been up about two minutes; until then EC2 answers IncorrectInstanceState,
 * so the request is repeated with backoff. An instance not enabled for hibernation is stopped.
 */
import { hasAwsCode } from '../aws/errors.js';
import type { InstanceDescription } from '../aws/ports.js';
import type { PowerState } from '../model/launch.js';
import { TAG } from '../model/tags.js';
import type { ActionContext } from './context.js';
import { ApplyError } from './errors.js';
import { waitInstance } from './waits.js';

/** Seconds an instance must have run before it can hibernate. */
export const HIBERNATE_READY_MS = 120_000;

/** Where an instance ended up, and anything worth telling. */
export interface PowerOutcome {
  state: PowerState;
  instance: InstanceDescription;
  detail?: string;
}

/** Waits out pending/stopping; fails on shutting-down/terminated. */
export function settle(ctx: ActionContext, instanceId: string): Promise<InstanceDescription> {
  return waitInstance(ctx, instanceId, ['running', 'stopped']);
}

async function startAndWait(ctx: ActionContext, instanceId: string): Promise<PowerOutcome> {
  const now = await settle(ctx, instanceId);
  if (now.state === 'stopped') await ctx.ec2.start(ctx.region, instanceId);
  return { state: 'running', instance: await waitInstance(ctx, instanceId, ['running'], ['shutting-down', 'terminated']) };
}

/** Sends StopInstances with Hibernate, repeating while EC2 says the instance is not ready yet. */
async function requestHibernate(ctx: ActionContext, instanceId: string, readyAtMs: number | undefined): Promise<'hibernate' | 'stop'> {
  if (readyAtMs !== undefined && ctx.elapsedMs() < readyAtMs) {
    await ctx.pause(readyAtMs - ctx.elapsedMs(), `letting ${instanceId} run 2 minutes before hibernating`);
  }
  return ctx.wait(`${instanceId} ready to hibernate`, async () => {
    try {
      await ctx.ec2.stop(ctx.region, instanceId, true);
      return 'hibernate' as const;
    } catch (err: unknown) {
      if (hasAwsCode(err, 'UnsupportedHibernationConfiguration')) {
        await ctx.ec2.stop(ctx.region, instanceId, false);
        return 'stop' as const;
      }
      if (hasAwsCode(err, 'IncorrectInstanceState')) return undefined;
      throw err;
    }
  });
}

async function stopAndWait(ctx: ActionContext, instanceId: string, hibernate: boolean, readyAtMs: number | undefined): Promise<PowerOutcome> {
  const now = await settle(ctx, instanceId);
  if (now.state === 'stopped') {
    const hibernated = now.stateReason === 'Client.UserInitiatedHibernate';
    const detail = hibernate && !hibernated ? 'already stopped (a stopped instance cannot hibernate)' : undefined;
    return { state: hibernated ? 'hibernated' : 'stopped', instance: now, detail };
  }
  let how: 'hibernate' | 'stop' = 'stop';
  if (hibernate && now.hibernationConfigured) how = await requestHibernate(ctx, instanceId, readyAtMs);
  else await ctx.ec2.stop(ctx.region, instanceId, false);
  const instance = await waitInstance(ctx, instanceId, ['stopped'], ['pending', 'shutting-down', 'terminated']);
  const fellBack = hibernate && how === 'stop';
  return { state: how === 'hibernate' ? 'hibernated' : 'stopped', instance, detail: fellBack ? 'not enabled for hibernation: stopped instead' : undefined };
}

/**
 * Brings an instance to `target` and waits for it.
 * @param readyAtMs for a just-launched instance: the action clock (`ctx.elapsedMs()`) at which it may hibernate
 * @throws {AwsError} from the call; {@link ApplyError} `unexpected-state` or `wait-timeout`
 */
export function ensurePower(ctx: ActionContext, instanceId: string, target: PowerState, readyAtMs?: number): Promise<PowerOutcome> {
  if (target === 'running') return startAndWait(ctx, instanceId);
  return stopAndWait(ctx, instanceId, target === 'hibernated', readyAtMs);
}

/** Records the power state labops put the instance in (`labops:desired-state`), unless already so. */
export async function markDesiredState(ctx: ActionContext, instance: InstanceDescription, state: PowerState): Promise<void> {
  if (instance.tags[TAG.desiredState] === state) return;
  await ctx.ec2.createTags(ctx.region, [instance.instanceId], { [TAG.desiredState]: state });
}

/** Stops an instance (plain stop) and waits; used before resizes, detaches and retained roots. */
export async function stopForChange(ctx: ActionContext, instanceId: string): Promise<InstanceDescription> {
  // Say so before stopping: if labops dies after StopInstances, the next run sees a stop labops
  // made (and finishes the change), not a workstation stopped outside labops (drift, left alone).
  await ctx.ec2.createTags(ctx.region, [instanceId], { [TAG.desiredState]: 'stopped' });
  const outcome = await stopAndWait(ctx, instanceId, false, undefined);
  if (outcome.instance.state !== 'stopped') throw new ApplyError('unexpected-state', `${instanceId} did not stop`, { resource: instanceId });
  return outcome.instance;
}
