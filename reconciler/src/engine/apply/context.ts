/**
 * What every action step gets: the EC2 port (the apply's session: paced, batched, coalesced), the
 * batched instance reads, the action's Region, launch settings, and waits that poll with backoff
 * on the injected sleep and report progress. Inside a wait, a poll that was throttled past the
 * SDK's retries counts as "no answer yet", never as a failure. An action has started once its
 * first mutation is sent: one that had not when the apply was stopped (SIGTERM) never sends it.
 */
import { isTransient } from '../../aws/errors.js';
import type { BatchPort, BudgetsPort, Ec2Port, ImageBuilderPort, LaunchOptions } from '../../aws/ports.js';
import type { Action } from '../../model/plan.js';
import { pollUntil } from './backoff.js';
import type { SendGate } from './coalesce.js';
import type { Ec2Session } from './ec2-session.js';
import { ApplyError } from './errors.js';
import type { InstanceReader } from './instance-reader.js';
import type { ApplyDeps } from './types.js';

/** Context of one running action. */
export interface ActionContext {
  ec2: Ec2Port;
  /** Instance reads and waits, batched per Region across the apply. */
  instances: InstanceReader;
  /** Batch, for Job actions. @default undefined (a Job action then fails as invalid) */
  batch?: BatchPort;
  /** AWS Budgets, for the AWS budget mirror's actions. @default undefined (such an action then fails as invalid) */
  budgets?: BudgetsPort;
  /** EC2 Image Builder, for EnvironmentImage actions. @default undefined (such an action then fails as invalid) */
  imageBuilder?: ImageBuilderPort;
  action: Action;
  region: string;
  /** Deployment launch settings (instance profile, public IP). */
  launch: Pick<LaunchOptions, 'instanceProfile' | 'publicIp'>;
  /**
   * Polls `probe` with backoff until it returns a value. A throttle or 5xx past the SDK's retries
   * is a poll without an answer, unless `mutates` (the probe sends a mutation, which is never
   * sent again after an answer that may hide its effect). @throws {ApplyError} `wait-timeout`
   */
  wait<T>(what: string, probe: () => Promise<T | undefined>, options?: { mutates?: boolean }): Promise<T>;
  /** A deliberate pause (counted like the waits' sleeps). */
  pause(ms: number, why: string): Promise<void>;
  /** Milliseconds slept so far in this action (waits and pauses): the action's own clock. */
  elapsedMs(): number;
  /** A progress message (`waiting` phase). */
  progress(message: string): void;
}

/** A port the action needs, or an `invalid-action` ApplyError when the run gave none. */
function portOf<T>(ctx: ActionContext, port: T | undefined, service: string): T {
  if (port === undefined)
    throw new ApplyError('invalid-action', `${ctx.action.id}: no ${service} port given to apply`, {
      resource: ctx.action.id,
    });
  return port;
}

/** The Batch port of a Job or JobQueue action. @throws {ApplyError} `invalid-action` when none was given */
export function batchOf(ctx: ActionContext): BatchPort {
  return portOf(ctx, ctx.batch, 'Batch');
}

/** The Budgets port of an AWS budget mirror action. @throws {ApplyError} `invalid-action` when none was given */
export function budgetsOf(ctx: ActionContext): BudgetsPort {
  return portOf(ctx, ctx.budgets, 'Budgets');
}

/** `stopped by SIGTERM` when the signal was aborted with a reason string (the shells pass the signal's name). */
export function stoppedBy(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? `stopped by ${signal.reason}` : 'apply was stopped';
}

/**
 * The gate of an action's mutations: the first one marks the action started; before that, a
 * stopped apply refuses it with `stopped` (the action is reported skipped, nothing was changed).
 */
function startGate(action: Action, signal: AbortSignal | undefined): SendGate {
  let started = false;
  return () => {
    if (!started && signal?.aborted)
      throw new ApplyError('stopped', `${action.id} not started: ${stoppedBy(signal)}`, { retryable: true });
    started = true;
  };
}

/** Batch with its mutations behind the gate. */
function gatedBatch(batch: BatchPort, gate: SendGate): BatchPort {
  return {
    ...batch,
    registerDefinition: (...args) => (gate(), batch.registerDefinition(...args)),
    submitJob: (request) => (gate(), batch.submitJob(request)),
    cancelJob: (...args) => (gate(), batch.cancelJob(...args)),
    terminateJob: (...args) => (gate(), batch.terminateJob(...args)),
    createComputeEnvironment: (...args) => (gate(), batch.createComputeEnvironment(...args)),
    updateComputeEnvironment: (...args) => (gate(), batch.updateComputeEnvironment(...args)),
    deleteComputeEnvironment: (...args) => (gate(), batch.deleteComputeEnvironment(...args)),
    createJobQueue: (...args) => (gate(), batch.createJobQueue(...args)),
    updateJobQueue: (...args) => (gate(), batch.updateJobQueue(...args)),
    deleteJobQueue: (...args) => (gate(), batch.deleteJobQueue(...args)),
  };
}

/** The Image Builder port of an EnvironmentImage action. @throws {ApplyError} `invalid-action` when none was given */
export function imageBuilderOf(ctx: ActionContext): ImageBuilderPort {
  return portOf(ctx, ctx.imageBuilder, 'Image Builder');
}

/** Image Builder with its mutations behind the gate. */
function gatedImageBuilder(port: ImageBuilderPort, gate: SendGate): ImageBuilderPort {
  return {
    ...port,
    createComponent: (...args) => (gate(), port.createComponent(...args)),
    createRecipe: (...args) => (gate(), port.createRecipe(...args)),
    createInfrastructure: (...args) => (gate(), port.createInfrastructure(...args)),
    createDistribution: (...args) => (gate(), port.createDistribution(...args)),
    createImage: (...args) => (gate(), port.createImage(...args)),
    deleteImage: (...args) => (gate(), port.deleteImage(...args)),
    tagResource: (...args) => (gate(), port.tagResource(...args)),
  };
}

/** Budgets with its mutations behind the gate. */
function gatedBudgets(budgets: BudgetsPort, gate: SendGate): BudgetsPort {
  return {
    ...budgets,
    create: (...args) => (gate(), budgets.create(...args)),
    update: (...args) => (gate(), budgets.update(...args)),
    createNotification: (...args) => (gate(), budgets.createNotification(...args)),
    deleteNotification: (...args) => (gate(), budgets.deleteNotification(...args)),
    createSubscriber: (...args) => (gate(), budgets.createSubscriber(...args)),
    deleteSubscriber: (...args) => (gate(), budgets.deleteSubscriber(...args)),
    delete: (...args) => (gate(), budgets.delete(...args)),
  };
}

/** Builds the context of one action over the apply's EC2 session. */
export function actionContext(action: Action, deps: ApplyDeps, session: Ec2Session): ActionContext {
  let slept = 0;
  const gate = startGate(action, deps.signal);
  const random = deps.random ?? (() => Math.random());
  async function sleep(ms: number): Promise<void> {
    await deps.sleep(ms);
    slept += ms;
  }
  function progress(message: string): void {
    deps.onProgress?.({ actionId: action.id, phase: 'waiting', message });
  }
  return {
    ec2: session.port(gate),
    instances: session.instances,
    ...(deps.batch === undefined ? {} : { batch: gatedBatch(deps.batch, gate) }),
    ...(deps.budgets === undefined ? {} : { budgets: gatedBudgets(deps.budgets, gate) }),
    ...(deps.imageBuilder === undefined ? {} : { imageBuilder: gatedImageBuilder(deps.imageBuilder, gate) }),
    action,
    region: action.region,
    launch: { instanceProfile: deps.instanceProfile, publicIp: deps.publicIp },
    wait(what, probe, options = {}) {
      progress(`waiting for ${what}`);
      // A poll throttled (or 5xx) beyond the SDK's retries is just a poll without an answer:
      // the wait's own backoff decides when to ask again, so attempts are not multiplied.
      const tolerant = async (): Promise<Awaited<ReturnType<typeof probe>>> => {
        try {
          return await probe();
        } catch (err: unknown) {
          if (options.mutates === true || !isTransient(err)) throw err;
          deps.log?.warn({ actionId: action.id, code: err.code, what }, 'poll failed, waiting on');
          return undefined;
        }
      };
      return pollUntil(tolerant, { sleep, random, what, maxTotalMs: deps.maxWaitMs });
    },
    async pause(ms, why) {
      progress(why);
      await sleep(ms);
    },
    elapsedMs: () => slept,
    progress,
  };
}
