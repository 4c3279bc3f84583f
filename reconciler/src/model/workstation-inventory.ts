/**
 * Which observed instances the workstation planner sees: only live instances tagged with this
 * repository and kind Workstation, grouped by workstation name, newest generation first.
 */
import type { InstanceState, ObservedAttachment, ObservedInstance } from './observed.js';
import { TAG } from './tags.js';
import { compareText } from './problem.js';

/** States in which an instance no longer counts as existing. */
const GONE: readonly InstanceState[] = ['shutting-down', 'terminated'];

/** Root device names EC2 uses for the AMIs labops launches. */
const ROOT_DEVICES: readonly string[] = ['/dev/xvda', '/dev/sda1'];

/** True for an instance of this repository's Workstations (any state). */
export function isOwnedWorkstation(instance: ObservedInstance, repo: string): boolean {
  return (
    instance.tags[TAG.repo] === repo &&
    instance.tags[TAG.kind] === 'Workstation' &&
    instance.tags[TAG.name] !== undefined
  );
}

/** True while the instance exists (not shutting down or terminated). */
export function isLive(instance: ObservedInstance): boolean {
  return !GONE.includes(instance.state);
}

/** The `labops:generation` tag as a number; 0 when absent or malformed. */
export function generationOf(instance: ObservedInstance): number {
  const value = Number(instance.tags[TAG.generation]);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * Live owned instances by workstation name, each list newest first: highest generation, then
 * latest launch, then instance id (so the order never depends on AWS's listing order).
 */
export function liveInstancesByName(
  instances: readonly ObservedInstance[],
  repo: string,
): Map<string, ObservedInstance[]> {
  const byName = new Map<string, ObservedInstance[]>();
  for (const instance of instances) {
    const name = instance.tags[TAG.name];
    if (name === undefined || !isOwnedWorkstation(instance, repo) || !isLive(instance)) continue;
    byName.set(name, [...(byName.get(name) ?? []), instance]);
  }
  for (const list of byName.values()) list.sort(newestFirst);
  return new Map([...byName.entries()].sort(([a], [b]) => compareText(a, b)));
}

/**
 * Generation for a new launch of a workstation with no live instance: one more than any
 * terminated instance of the same name still visible, so its ClientToken is never reused
 * (EC2 answers `IdempotentInstanceTerminated` to a token whose instance was terminated).
 */
export function nextGeneration(instances: readonly ObservedInstance[], repo: string, name: string): number {
  let next = 0;
  for (const instance of instances) {
    if (isOwnedWorkstation(instance, repo) && instance.tags[TAG.name] === name)
      next = Math.max(next, generationOf(instance) + 1);
  }
  return next;
}

function newestFirst(a: ObservedInstance, b: ObservedInstance): number {
  return (
    generationOf(b) - generationOf(a) ||
    compareText(b.launchTime, a.launchTime) ||
    compareText(a.instanceId, b.instanceId)
  );
}

/** The root volume attachment: tagged `labops:volume=root`, else on a root device name. */
export function rootAttachment(instance: ObservedInstance): ObservedAttachment | undefined {
  return (
    instance.attachments.find((a) => a.name === 'root') ??
    instance.attachments.find((a) => a.name === undefined && ROOT_DEVICES.includes(a.device))
  );
}

/** Every attachment other than the root volume. */
export function dataAttachments(instance: ObservedInstance): ObservedAttachment[] {
  const root = rootAttachment(instance);
  return instance.attachments.filter((a) => a !== root).sort((a, b) => compareText(a.device, b.device));
}

/** Running or off: stopped and hibernated are both off (a failed hibernate falls back to stop). */
export type PowerClass = 'on' | 'off';

/** The power class of a stable state; undefined for states in transition. */
export function powerClass(state: string): PowerClass | undefined {
  if (state === 'running') return 'on';
  if (state === 'stopped' || state === 'hibernated') return 'off';
  return undefined;
}

/**
 * A workstation's state in every report — status, cost, STATUS.md: `hibernated` when AWS says the
 * stop was a hibernate, `absent` when there is no instance, else the EC2 state (`running`,
 * `stopped`, `pending`, `stopping`, …). The one place EC2's state becomes labops' word for it.
 */
export function workstationState(instance: ObservedInstance | undefined): string {
  if (instance === undefined) return 'absent';
  return observedPowerState(instance) ?? instance.state;
}

/** The observed stable state as labops names it: `hibernated` when AWS says the stop was a hibernate. */
export function observedPowerState(instance: ObservedInstance): 'running' | 'stopped' | 'hibernated' | undefined {
  if (instance.state === 'running') return 'running';
  if (instance.state !== 'stopped') return undefined;
  return instance.stateReason === 'Client.UserInitiatedHibernate' ? 'hibernated' : 'stopped';
}
