/**
 * What every action step gets: the EC2 port, the action's Region, launch settings, and waits
 * that poll with backoff on the injected sleep and report progress. Inside a wait, a poll that
 * was throttled past the SDK's retries counts as "no answer yet", never as a failure.
 */
import { isTransient } from '../aws/errors.js';
import type { BatchPort, Ec2Port, LaunchOptions } from '../aws/ports.js';
import type { Action } from '../model/plan.js';
import { pollUntil } from './backoff.js';
import type { ApplyDeps } from './types.js';

/** Context of one running action. */
export interface ActionContext {
  ec2: Ec2Port;
  /** Batch, for Job actions. @default undefined (a Job action then fails as invalid) */
  batch?: BatchPort;
  action: Action;
  region: string;
  /** Deployment launch settings (instance profile, public IP). */
  launch: Pick<LaunchOptions, 'instanceProfile' | 'publicIp'>;
  /** Polls `probe` with backoff until it returns a value. @throws {ApplyError} `wait-timeout` */
  wait<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  /** A deliberate pause (counted like the waits' sleeps). */
  pause(ms: number, why: string): Promise<void>;
  /** Milliseconds slept so far in this action (waits and pauses): the action's own clock. */
  elapsedMs(): number;
  /** A progress message (`waiting` phase). */
  progress(message: string): void;
}

/** Builds the context of one action. */
export function actionContext(action: Action, deps: ApplyDeps): ActionContext {
  let slept = 0;
  const random = deps.random ?? Math.random;
  async function sleep(ms: number): Promise<void> {
    await deps.sleep(ms);
    slept += ms;
  }
  function progress(message: string): void {
    deps.onProgress?.({ actionId: action.id, phase: 'waiting', message });
  }
  return {
    ec2: deps.ec2,
    ...(deps.batch === undefined ? {} : { batch: deps.batch }),
    action,
    region: action.region,
    launch: { instanceProfile: deps.instanceProfile, publicIp: deps.publicIp },
    wait(what, probe) {
      progress(`waiting for ${what}`);
      // A poll throttled (or 5xx) beyond the SDK's retries is just a poll without an answer:
      // the wait's own backoff decides when to ask again, so attempts are not multiplied.
      const tolerant = async (): Promise<Awaited<ReturnType<typeof probe>>> => {
        try {
          return await probe();
        } catch (err: unknown) {
          if (!isTransient(err)) throw err;
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
