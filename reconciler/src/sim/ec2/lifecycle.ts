/**
 * StartInstances, StopInstances (with Hibernate and Force) and TerminateInstances. Each validates
 * every id first, so one bad id fails the whole request and changes nothing; then moves each
 * instance into its transitional state, which {@link advanceEc2} completes as time passes.
 * Under a `hibernationFails` fault a hibernate that passed its checks becomes a normal shutdown
 * (state reason `Client.UserInitiatedShutdown`), as AWS does when hibernation fails.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { instancesById } from './describe-instances.js';
import { coercedStringList } from './input.js';
import { later } from './model.js';
import type { Ec2Instance, InstanceStateName } from './model.js';
import { stateOf } from './output.js';
import { closeSegments } from './usage.js';

/** Seconds an instance must have been up before it can hibernate (the hibernation agent starts). */
export const HIBERNATE_READY_SECONDS = 120;

function targets(input: Record<string, unknown>, ctx: SimContext): Ec2Instance[] {
  const ids = coercedStringList(input, 'InstanceIds');
  if (ids.length === 0) throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  return instancesById(ids, ctx);
}

function change(inst: Ec2Instance, previous: InstanceStateName): Record<string, unknown> {
  return { InstanceId: inst.id, CurrentState: stateOf(inst.state), PreviousState: stateOf(previous) };
}

function wrongState(inst: Ec2Instance, action: string): SimError {
  return new SimError(
    'IncorrectInstanceState',
    `The instance '${inst.id}' is not in a state from which it can be ${action}.`,
  );
}

/** The StartInstances handler. */
export function startInstances(input: Record<string, unknown>, ctx: SimContext): unknown {
  const instances = targets(input, ctx);
  for (const inst of instances) {
    if (!['stopped', 'pending', 'running'].includes(inst.state)) throw wrongState(inst, 'started');
  }
  const changes = instances.map((inst) => {
    const previous = inst.state;
    if (previous === 'stopped') {
      inst.state = 'pending';
      inst.launchTime = ctx.now.toISOString();
      inst.transitionAt = later(
        ctx.now,
        inst.hibernated ? 20 + Math.floor(ctx.random() * 21) : 30 + Math.floor(ctx.random() * 31),
      );
      inst.stateReason = undefined;
      inst.stateTransitionReason = '';
    }
    return change(inst, previous);
  });
  return { StartingInstances: changes };
}

/** The StopInstances handler. */
export function stopInstances(input: Record<string, unknown>, ctx: SimContext): unknown {
  const instances = targets(input, ctx);
  const hibernate = input.Hibernate === true;
  for (const inst of instances) {
    if (inst.disableApiStop)
      throw new SimError(
        'OperationNotPermitted',
        `The instance '${inst.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`,
      );
    if (!['running', 'stopping', 'stopped'].includes(inst.state)) throw wrongState(inst, 'stopped');
    if (inst.spot?.type === 'one-time') {
      throw new SimError(
        'UnsupportedOperation',
        `You can't stop the Spot Instance '${inst.id}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with a persistent request.`,
      );
    }
    if (!hibernate || inst.state !== 'running') continue;
    if (!inst.hibernationConfigured) {
      throw new SimError(
        'UnsupportedHibernationConfiguration',
        `The instance '${inst.id}' could not be hibernated because it is not enabled for hibernation.`,
      );
    }
    if (ctx.now.getTime() - Date.parse(inst.launchTime) < HIBERNATE_READY_SECONDS * 1000) {
      throw new SimError(
        'IncorrectInstanceState',
        `The instance '${inst.id}' is not ready to hibernate yet; wait about two minutes after it starts.`,
      );
    }
  }
  // "If the instance cannot hibernate successfully, a normal shutdown occurs."
  const hibernates = hibernate && ctx.hibernationFails !== true;
  const changes = instances.map((inst) => {
    const previous = inst.state;
    if (previous === 'running') {
      inst.state = 'stopping';
      inst.hibernated = hibernates;
      const seconds = input.Force === true ? 10 : hibernates ? 60 + Math.floor(ctx.random() * 31) : 30;
      inst.transitionAt = later(ctx.now, seconds);
      const at = ctx.now.toISOString();
      inst.stateTransitionReason = `User initiated (${at.slice(0, 19).replace('T', ' ')} GMT)`;
      inst.stateReason = hibernates
        ? { Code: 'Client.UserInitiatedHibernate', Message: 'Client.UserInitiatedHibernate: User initiated hibernate' }
        : { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
      // Hibernation is billed while stopping (RAM is being saved); a plain stop is not.
      closeSegments(ctx.state, inst.id, at, hibernates ? 'PublicIPv4' : '');
      if (!hibernates) inst.publicIp = undefined;
    }
    return change(inst, previous);
  });
  return { StoppingInstances: changes };
}

/** The TerminateInstances handler (idempotent: terminating again succeeds). */
export function terminateInstances(input: Record<string, unknown>, ctx: SimContext): unknown {
  const instances = targets(input, ctx);
  for (const inst of instances) {
    if (inst.disableApiTermination && inst.state !== 'terminated' && inst.state !== 'shutting-down') {
      throw new SimError(
        'OperationNotPermitted',
        `The instance '${inst.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
    }
  }
  const changes = instances.map((inst) => {
    const previous = inst.state;
    if (previous !== 'terminated' && previous !== 'shutting-down') {
      const at = ctx.now.toISOString();
      inst.state = 'shutting-down';
      inst.transitionAt = later(ctx.now, 30);
      inst.stateTransitionReason = `User initiated (${at.slice(0, 19).replace('T', ' ')} GMT)`;
      inst.stateReason = {
        Code: 'Client.UserInitiatedShutdown',
        Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
      };
      closeSegments(ctx.state, inst.id, at);
      inst.publicIp = undefined;
    }
    return change(inst, previous);
  });
  return { TerminatingInstances: changes };
}
