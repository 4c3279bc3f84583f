/**
 * What every action step gets: the EC2 port, the action's Region, launch settings, and waits
 * that poll with backoff on the injected sleep and report progress.
 */
import type { Ec2Port, LaunchOptions } from '../aws/ports.js';
import type { Action } from '../model/plan.js';
import { pollUntil } from './backoff.js';
import type { ApplyDeps } from './types.js';

/** Context of one running action. */
export interface ActionContext {
  ec2: Ec2Port;
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
    action,
    region: action.region,
    launch: { instanceProfile: deps.instanceProfile, publicIp: deps.publicIp },
    wait(what, probe) {
      progress(`waiting for ${what}`);
      return pollUntil(probe, { sleep, random, what, maxTotalMs: deps.maxWaitMs });
    },
    async pause(ms, why) {
      progress(why);
      await sleep(ms);
    },
    elapsedMs: () => slept,
    progress,
  };
}
