/**
 * DescribeInstanceStatus and GetConsoleOutput, as labops' `status` reads a workstation's readiness.
 *
 * Status checks: AWS runs them on running instances; they read `initializing` for the first minutes
 * after a start, then `ok` (or `impaired`). "By default, only running instances are described,
 * unless you specifically indicate to return the status of all instances" (DescribeInstanceStatus).
 * The sim says `initializing` for {@link STATUS_CHECK_SECONDS} after the last start, then `ok`, or
 * `impaired` once the control endpoint `instance-health` says so.
 *
 * Console output: "For Linux instances, the instance console output displays the exact console
 * output that would normally be displayed on a physical monitor attached to a computer"
 * (GetConsoleOutput), base64-encoded. The sim prints a few boot lines and, for an instance whose
 * user data runs labops' provisioning script, the script's marker line once provisioning is done:
 * {@link DEFAULT_PROVISION_SECONDS} after launch by default, or the outcome the control endpoint
 * `provision` sets (ready or failed, after how many seconds, which steps failed). An instance booted
 * from an image whose build installed labops' marker unit prints `… ready after 45s (image)`
 * {@link DEFAULT_IMAGE_BOOT_SECONDS} after each start (or the control endpoint's seconds).
 */
import { SimError, wireText } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { instancesById } from './describe-instances.js';
import { visible } from './describe-instances.js';
import { checkId, coercedStringList, idsWithoutMaxResults, notFound, pageRequest, takePage } from './input.js';
import { ec2Of, STATE_CODES } from './model.js';
import type { Ec2Instance } from './model.js';
import { findImage } from './run.js';

/** How long status checks read `initializing` after a start. */
export const STATUS_CHECK_SECONDS = 120;

/** How long the simulated provisioning script runs after launch, unless the control endpoint says. */
export const DEFAULT_PROVISION_SECONDS = 240;

/**
 * How long an instance booted from a built environment image takes to reach multi-user, when its
 * marker unit prints the marker (unless the control endpoint `provision` says how many seconds).
 */
export const DEFAULT_IMAGE_BOOT_SECONDS = 45;

/** The marker the provisioning script prints (environments/provision-script.ts). */
const MARKER = 'labops-provision:';

function checkStatus(inst: Ec2Instance, now: Date): 'ok' | 'impaired' | 'initializing' {
  if (inst.health === 'impaired') return 'impaired';
  return now.getTime() - Date.parse(inst.launchTime) < STATUS_CHECK_SECONDS * 1000 ? 'initializing' : 'ok';
}

function summary(status: 'ok' | 'impaired' | 'initializing') {
  return {
    Status: status,
    Details: [
      { Name: 'reachability', Status: status === 'ok' ? 'passed' : status === 'impaired' ? 'failed' : 'initializing' },
    ],
  };
}

/** The DescribeInstanceStatus handler: ids or all, running only unless IncludeAllInstances. */
export function describeInstanceStatus(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ids = coercedStringList(input, 'InstanceIds');
  idsWithoutMaxResults(input, ids, 'instancesSet');
  const page = pageRequest(input, 5, 1000);
  const all = wireText(input.IncludeAllInstances ?? 'false') === 'true';
  const source =
    ids.length > 0 ? instancesById(ids, ctx).sort((a, b) => a.seq - b.seq) : Object.values(ec2Of(ctx.state).instances);
  const result = takePage(
    source,
    page,
    (inst) => inst.region === ctx.region && visible(inst.createdAt, ctx) && (all || inst.state === 'running'),
  );
  return {
    InstanceStatuses: result.items.map((inst) => {
      const running = inst.state === 'running';
      const status = running ? checkStatus(inst, ctx.now) : undefined;
      return {
        InstanceId: inst.id,
        AvailabilityZone: inst.az,
        InstanceState: { Code: STATE_CODES[inst.state], Name: inst.state },
        InstanceStatus: status ? summary(status) : { Status: 'not-applicable' },
        SystemStatus: status ? summary(status === 'impaired' ? 'ok' : status) : { Status: 'not-applicable' },
      };
    }),
    NextToken: result.nextToken,
  };
}

function runsProvisioning(inst: Ec2Instance): boolean {
  if (inst.userData === undefined) return false;
  return Buffer.from(inst.userData, 'base64').toString('utf8').includes(MARKER);
}

/** The GetConsoleOutput handler: boot lines, then the provisioning marker once it is printed. */
export function getConsoleOutput(input: Record<string, unknown>, ctx: SimContext): unknown {
  const id = wireText(input.InstanceId ?? '');
  checkId('instance', id);
  const [inst] = instancesById([id], ctx);
  if (inst === undefined) throw notFound('instance', [id]);
  const booted = inst.state !== 'pending' || Date.parse(inst.launchTime) < Date.parse(inst.createdAt);
  if (!booted) return { InstanceId: id, Timestamp: ctx.now.toISOString() };
  const lines = [
    '[    0.000000] Linux version 6.8.0-1015-aws (simulated by labops sim)',
    "Cloud-init v. 24.1.3 running 'init' (simulated)",
  ];
  if (runsProvisioning(inst)) {
    const provision = inst.provision ?? { result: 'ready', seconds: DEFAULT_PROVISION_SECONDS };
    const doneAt = Date.parse(inst.createdAt) + provision.seconds * 1000;
    if (ctx.now.getTime() >= doneAt)
      lines.push(
        provision.result === 'ready'
          ? `${MARKER} ready after ${provision.seconds}s`
          : `${MARKER} failed after ${provision.seconds}s: ${provision.steps ?? 'unknown'}`,
      );
  } else if (findImage(ec2Of(ctx.state), inst.region, inst.imageId)?.bootMarker === true) {
    // The image's marker unit prints at every boot, so the seconds count from the last start.
    const seconds = inst.provision?.seconds ?? DEFAULT_IMAGE_BOOT_SECONDS;
    if (ctx.now.getTime() >= Date.parse(inst.launchTime) + seconds * 1000)
      lines.push(`${MARKER} ready after ${seconds}s (image)`);
  }
  return {
    InstanceId: id,
    Timestamp: ctx.now.toISOString(),
    Output: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8').toString('base64'),
  };
}

/** Control `instance-health`: `{ instanceId, impaired }` makes its status checks fail (or pass again). */
export function setInstanceHealth(body: unknown, ctx: SimContext): unknown {
  const { instanceId, impaired } = (body ?? {}) as { instanceId?: unknown; impaired?: unknown };
  const inst = typeof instanceId === 'string' ? ec2Of(ctx.state).instances[instanceId] : undefined;
  if (inst === undefined) throw new SimError('InvalidParameterValue', 'instance-health: unknown "instanceId"');
  if (impaired === true) inst.health = 'impaired';
  else delete inst.health;
  return { instanceId, impaired: impaired === true };
}

/** Control `provision`: `{ instanceId, result: ready|failed, seconds, steps? }` sets how its provisioning ends. */
export function setProvision(body: unknown, ctx: SimContext): unknown {
  const { instanceId, result, seconds, steps } = (body ?? {}) as Record<string, unknown>;
  const inst = typeof instanceId === 'string' ? ec2Of(ctx.state).instances[instanceId] : undefined;
  if (inst === undefined) throw new SimError('InvalidParameterValue', 'provision: unknown "instanceId"');
  if ((result !== 'ready' && result !== 'failed') || typeof seconds !== 'number' || !(seconds >= 0))
    throw new SimError('InvalidParameterValue', 'provision: needs "result" ready|failed and "seconds" ≥ 0');
  inst.provision = { result, seconds, ...(typeof steps === 'string' ? { steps } : {}) };
  return { instanceId, ...inst.provision };
}
