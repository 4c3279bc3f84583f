/**
 * How EC2 resources move with simulated time: instances leave pending/stopping/shutting-down,
 * terminated instances disappear after about an hour, volumes finish creating, attaching and
 * detaching, snapshots complete, images become available. Due events are applied in time
 * order, each at its own instant, so billing segments start and end exactly then.
 */
import type { SimContext, SimState } from '../core/contract.js';
import { ec2Of, later } from './model.js';
import type { Ec2Instance, Ec2State } from './model.js';
import { closeSegments, openInstanceSegments } from './usage.js';
import { removeVolume } from './volume-store.js';
import { hexFrom } from '../core/random.js';

/** How long a terminated instance stays visible. */
export const TERMINATED_VISIBLE_SECONDS = 3600;

interface DueEvent {
  at: number;
  apply: () => void;
}

function instanceEvent(state: SimState, ec2: Ec2State, inst: Ec2Instance, ctx: SimContext): DueEvent | undefined {
  if (inst.transitionAt === undefined) return undefined;
  const atIso = inst.transitionAt;
  const at = Date.parse(atIso);
  return {
    at,
    apply: () => {
      inst.transitionAt = undefined;
      if (inst.state === 'pending') {
        inst.state = 'running';
        if (inst.mapPublicIp !== false)
          inst.publicIp = `54.${parseInt(hexFrom(ctx.config.seed, inst.seq, 2), 16)}.${Math.floor(inst.seq / 256) % 256}.${inst.seq % 256}`;
        openInstanceSegments(state, inst, atIso);
      } else if (inst.state === 'stopping') {
        inst.state = 'stopped';
        inst.publicIp = undefined;
        closeSegments(state, inst.id, atIso);
      } else if (inst.state === 'shutting-down') {
        inst.state = 'terminated';
        releaseVolumes(state, ec2, inst, atIso);
        inst.transitionAt = later(new Date(at), TERMINATED_VISIBLE_SECONDS);
      } else if (inst.state === 'terminated') {
        delete ec2.instances[inst.id];
      }
    },
  };
}

/** Deletes or detaches every volume of a terminated instance; like AWS, it then lists no block devices. */
function releaseVolumes(state: SimState, ec2: Ec2State, inst: Ec2Instance, at: string): void {
  for (const device of inst.blockDevices) {
    const volume = ec2.volumes[device.volumeId];
    if (volume === undefined) continue;
    if (device.deleteOnTermination) {
      removeVolume(state, volume.id, at);
    } else {
      volume.attachment = undefined;
      volume.state = 'available';
    }
  }
  inst.blockDevices = [];
}

function collect(state: SimState, ec2: Ec2State, until: number, ctx: SimContext): DueEvent[] {
  const due: DueEvent[] = [];
  for (const inst of Object.values(ec2.instances)) {
    const event = instanceEvent(state, ec2, inst, ctx);
    if (event !== undefined && event.at <= until) due.push(event);
  }
  for (const vol of Object.values(ec2.volumes)) {
    if (vol.availableAt !== undefined && Date.parse(vol.availableAt) <= until) {
      due.push({
        at: Date.parse(vol.availableAt),
        apply: () => ((vol.state = vol.attachment ? 'in-use' : 'available'), (vol.availableAt = undefined)),
      });
    }
    const a = vol.attachment;
    if (a?.transitionAt !== undefined && Date.parse(a.transitionAt) <= until) {
      due.push({
        at: Date.parse(a.transitionAt),
        apply: () => {
          if (a.state === 'attaching') {
            a.state = 'attached';
            a.transitionAt = undefined;
          } else {
            detachFromInstance(ec2, vol.id, a.instanceId);
            vol.attachment = undefined;
            vol.state = 'available';
          }
        },
      });
    }
  }
  for (const snap of Object.values(ec2.snapshots)) {
    if (snap.state === 'pending' && Date.parse(snap.completeAt) <= until)
      due.push({ at: Date.parse(snap.completeAt), apply: () => (snap.state = 'completed') });
  }
  for (const image of Object.values(ec2.images)) {
    if (image.state === 'pending' && image.availableAt !== undefined && Date.parse(image.availableAt) <= until) {
      due.push({
        at: Date.parse(image.availableAt),
        apply: () => ((image.state = 'available'), (image.availableAt = undefined)),
      });
    }
  }
  return due;
}

/** Removes a volume from an instance's block devices. */
export function detachFromInstance(ec2: Ec2State, volumeId: string, instanceId: string): void {
  const inst = ec2.instances[instanceId];
  if (inst !== undefined) inst.blockDevices = inst.blockDevices.filter((d) => d.volumeId !== volumeId);
}

/** The EC2 service's `advance`: applies every event due by `to`, in time order. */
export function advanceEc2(state: SimState, _from: Date, to: Date, ctx: SimContext): void {
  const ec2 = ec2Of(state);
  const until = to.getTime();
  for (let round = 0; round < 4; round += 1) {
    const due = collect(state, ec2, until, ctx);
    if (due.length === 0) return;
    due.sort((a, b) => a.at - b.at);
    for (const event of due) event.apply();
  }
}
