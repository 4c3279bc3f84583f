/**
 * Putting an instance into a power state: start, stop or hibernate, then wait for the state.
 * Idempotent: an instance already there (or on its way) is only waited for. Hibernation needs
 * the instance to have been up about two minutes: labops measures that on AWS's clock (the
 * `Date` of EC2's reply against the instance's `LaunchTime`), so it waits only the remainder,
 * and repeats the request with backoff while EC2 still answers IncorrectInstanceState. An
 * instance not enabled for hibernation is stopped. A hibernate is verified once the instance is
 * stopped: AWS falls back to a normal shutdown when hibernation fails, which the state reason
 * (`Client.UserInitiatedShutdown`, not `Client.UserInitiatedHibernate`) tells; labops then
 * reports `stopped`, tags the instance `labops:hibernation-failed`, and stops it on later runs.
 */
import { hasAwsCode } from '../../../aws/errors.js';
import type { InstanceDescription } from '../../../aws/ports.js';
import type { PowerState } from '../../../model/launch.js';
import { TAG } from '../../../model/tags.js';
import type { ActionContext } from '../../../engine/apply/context.js';
import { ApplyError } from '../../../engine/apply/errors.js';
import { readInstance, waitInstance } from '../../../engine/apply/ec2-waits.js';

/** How long after its launch (or start) AWS lets an instance hibernate: "about two minutes". */
export const HIBERNATE_READY_MS = 120_000;

/** State reason of a stop that was a hibernate. */
export const HIBERNATE_REASON = 'Client.UserInitiatedHibernate';

/** Start of the detail of a hibernate that AWS turned into a plain stop. */
export const HIBERNATION_FAILED = 'hibernation failed';

/** Longest real sleep between two readings of AWS's clock while waiting to hibernate. */
const CLOCK_POLL_CAP_MS = 15_000;
/** First real sleep, before the pace of AWS's clock against the local one is known. */
const CLOCK_POLL_FIRST_MS = 1_000;
const CLOCK_POLL_MIN_MS = 50;

/** Where an instance ended up, and anything worth telling. */
export interface PowerResult {
  state: PowerState;
  instance: InstanceDescription;
  detail?: string;
}

/** Waits out pending/stopping; fails on shutting-down/terminated. */
export function settle(ctx: ActionContext, instanceId: string): Promise<InstanceDescription> {
  return waitInstance(ctx, instanceId, ['running', 'stopped']);
}

async function startAndWait(ctx: ActionContext, instanceId: string, known?: InstanceDescription): Promise<PowerResult> {
  const now = known ?? (await settle(ctx, instanceId));
  if (now.state === 'running') return { state: 'running', instance: now };
  await ctx.ec2.start(ctx.region, [instanceId]);
  return {
    state: 'running',
    instance: await waitInstance(ctx, instanceId, ['running'], ['shutting-down', 'terminated']),
  };
}

/**
 * Waits until the instance has been up {@link HIBERNATE_READY_MS} by AWS's clock: each reading
 * of the instance carries the reply's `Date`, the wait sleeps only the remainder (scaled by how
 * fast AWS's clock was seen to run against the local sleeps, so a simulated clock is not
 * overslept) and reads again. An instance launched long ago does not wait; without a `Date`
 * (no clock to measure against) it does not wait either, and EC2's IncorrectInstanceState
 * answers are retried instead.
 */
async function untilHibernateReady(ctx: ActionContext, first: InstanceDescription): Promise<void> {
  const readyAt = Date.parse(first.launchTime) + HIBERNATE_READY_MS;
  if (Number.isNaN(readyAt)) return;
  let current: InstanceDescription | undefined = first;
  let rate: number | undefined;
  let previous: { awsMs: number; sleptMs: number } | undefined;
  for (;;) {
    const awsMs = Date.parse(current?.observedAt ?? '');
    if (current !== undefined && Number.isNaN(awsMs)) return;
    if (current !== undefined) {
      const remaining = readyAt - awsMs;
      if (remaining <= 0) return;
      if (previous !== undefined && awsMs > previous.awsMs)
        rate = (awsMs - previous.awsMs) / Math.max(1, ctx.elapsedMs() - previous.sleptMs);
      previous = { awsMs, sleptMs: ctx.elapsedMs() };
      const sleep =
        rate === undefined
          ? Math.min(remaining, CLOCK_POLL_FIRST_MS)
          : Math.min(CLOCK_POLL_CAP_MS, Math.max(CLOCK_POLL_MIN_MS, remaining / rate));
      await ctx.pause(
        Math.ceil(sleep),
        `${first.instanceId} up ${Math.floor((HIBERNATE_READY_MS - remaining) / 1000)}s of the 2 minutes before it can hibernate (AWS's clock)`,
      );
    } else {
      await ctx.pause(CLOCK_POLL_FIRST_MS, `waiting for ${first.instanceId} to show`);
    }
    current = await readInstance(ctx, first.instanceId);
  }
}

/** Sends StopInstances with Hibernate, repeating while EC2 says the instance is not ready yet. */
async function requestHibernate(ctx: ActionContext, instance: InstanceDescription): Promise<'hibernate' | 'stop'> {
  await untilHibernateReady(ctx, instance);
  const instanceId = instance.instanceId;
  return ctx.wait(`${instanceId} ready to hibernate`, async () => {
    try {
      await ctx.ec2.stop(ctx.region, [instanceId], true);
      return 'hibernate' as const;
    } catch (err: unknown) {
      if (hasAwsCode(err, 'UnsupportedHibernationConfiguration')) {
        await ctx.ec2.stop(ctx.region, [instanceId], false);
        return 'stop' as const;
      }
      if (hasAwsCode(err, 'IncorrectInstanceState')) return undefined;
      throw err;
    }
  });
}

/** Whether a stopped instance's last stop was a hibernate, per AWS's state reason. */
export function wasHibernated(instance: Pick<InstanceDescription, 'stateReason'>): boolean {
  return instance.stateReason === HIBERNATE_REASON;
}

/** `hibernation failed: AWS stopped it instead (Client.UserInitiatedShutdown: …)`. */
function failedDetail(instance: InstanceDescription): string {
  const why = instance.stateReasonMessage ?? instance.stateReason ?? 'no state reason';
  return `${HIBERNATION_FAILED}: AWS stopped it instead (${why})`;
}

/** Notes a failed hibernation on the instance, so later runs stop it instead (plan/power-state.ts). */
async function markHibernationFailed(ctx: ActionContext, instance: InstanceDescription): Promise<void> {
  const at = instance.observedAt ?? new Date().toISOString();
  await ctx.ec2.createTags(ctx.region, [instance.instanceId], {
    [TAG.hibernationFailed]: `${at} ${instance.stateReason ?? 'no state reason'}`,
  });
}

async function stopAndWait(
  ctx: ActionContext,
  instanceId: string,
  hibernate: boolean,
  known?: InstanceDescription,
): Promise<PowerResult> {
  const now = known ?? (await settle(ctx, instanceId));
  if (now.state === 'stopped') {
    const hibernated = wasHibernated(now);
    const detail = hibernate && !hibernated ? 'already stopped (a stopped instance cannot hibernate)' : undefined;
    return { state: hibernated ? 'hibernated' : 'stopped', instance: now, detail };
  }
  let how: 'hibernate' | 'stop' = 'stop';
  if (hibernate && now.hibernationConfigured) how = await requestHibernate(ctx, now);
  else await ctx.ec2.stop(ctx.region, [instanceId], false);
  const instance = await waitInstance(ctx, instanceId, ['stopped'], ['pending', 'shutting-down', 'terminated']);
  if (how === 'hibernate' && !wasHibernated(instance)) {
    // "If the instance cannot hibernate successfully, a normal shutdown occurs."
    await markHibernationFailed(ctx, instance);
    return { state: 'stopped', instance, detail: failedDetail(instance) };
  }
  const fellBack = hibernate && how === 'stop';
  return {
    state: how === 'hibernate' ? 'hibernated' : 'stopped',
    instance,
    detail: fellBack ? 'not enabled for hibernation: stopped instead' : undefined,
  };
}

/**
 * Brings an instance to `target` and waits for it; a hibernate is verified (see the file header).
 * @param settled the instance as just read in `running` or `stopped` (saves the first read) @default read first
 * @throws {AwsError} from the call; {@link ApplyError} `unexpected-state` or `wait-timeout`
 */
export function ensurePower(
  ctx: ActionContext,
  instanceId: string,
  target: PowerState,
  settled?: InstanceDescription,
): Promise<PowerResult> {
  if (target === 'running') return startAndWait(ctx, instanceId, settled);
  return stopAndWait(ctx, instanceId, target === 'hibernated', settled);
}

/** Records the power state labops put the instance in (`labops:desired-state`), unless already so. */
export async function markDesiredState(
  ctx: ActionContext,
  instance: InstanceDescription,
  state: PowerState,
): Promise<void> {
  if (instance.tags[TAG.desiredState] === state) return;
  await ctx.ec2.createTags(ctx.region, [instance.instanceId], { [TAG.desiredState]: state });
}

/** Stops an instance (plain stop) and waits; used before resizes, detaches and retained roots. */
export async function stopForChange(ctx: ActionContext, instanceId: string): Promise<InstanceDescription> {
  // Say so before stopping: if labops dies after StopInstances, the next run sees a stop labops
  // made (and finishes the change), not a workstation stopped outside labops (drift, left alone).
  await ctx.ec2.createTags(ctx.region, [instanceId], { [TAG.desiredState]: 'stopped' });
  const outcome = await stopAndWait(ctx, instanceId, false);
  if (outcome.instance.state !== 'stopped')
    throw new ApplyError('unexpected-state', `${instanceId} did not stop`, { resource: instanceId });
  return outcome.instance;
}
