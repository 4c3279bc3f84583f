/**
 * The pure JobQueue planner: Desired + Batch's queues and compute environments → actions.
 *
 * - A missing compute environment is created (ENABLED; the step waits until it is VALID), a
 *   missing queue after its environments. `maxVcpus`, `minVcpus`, state, priority and the queue's
 *   order are updated in place.
 * - Anything else about an environment changes its Batch name (model/job-queue.ts), so a change is
 *   blue/green across runs: the new environment is created, the queue's order switched to it, the
 *   old one DISABLED (its running jobs finish), and the old one deleted once the queue has no job
 *   waiting or running — until then the plan says it is draining.
 * - A removed queue (prune on) is DISABLED, deleted once it has no job waiting or running, then
 *   its environments; with prune off it is reported.
 * - Budget actions in force for the queue's project: `block-launches` and `stop` keep the queue
 *   DISABLED (jobs already running finish); `stop` also sets its environments' vCPUs to 0. Lifted,
 *   the plan goes back to the spec.
 * - A queue or environment of a declared name that is not this repository's is refused, never adopted.
 * No I/O, no clock reads.
 */
import { orderActions } from '../../engine/actions.js';
import { resourceAction } from '../../engine/clock-actions.js';
import type { BudgetOverride } from '../../model/budget.js';
import type { Desired } from '../../model/desired.js';
import { queueCeilingUSDPerHour } from '../../model/job-queue.js';
import type {
  DesiredComputeEnvironment,
  DesiredJobQueue,
  ObservedBatchQueue,
  ObservedComputeEnvironment,
} from '../../model/job-queue.js';
import type { Observed } from '../../model/observed.js';
import type { Action, PlanPart, PlanRefusal } from '../../model/plan.js';
import { compareText } from '../../model/problem.js';
import { TAG, ownershipTags } from '../../model/tags.js';
import { JOB_QUEUE_PLAN_ACTIONS } from './actions.js';
import { resolveQueues } from './network.js';

const D = JOB_QUEUE_PLAN_ACTIONS;

/** `$12.34/h` with cents. */
function perHour(usd: number): string {
  return `$${usd.toFixed(2)}/h`;
}

/** The queue's worst-case burn for plan reasons. */
export function ceilingText(queue: DesiredJobQueue): string {
  const ceiling = queueCeilingUSDPerHour(queue);
  const vcpus = queue.computeEnvironments.reduce((n, ce) => n + ce.maxVcpus, 0);
  return ceiling === undefined
    ? `ceiling ${vcpus} vCPUs (price unknown: a type without a price, or optimal)`
    : `ceiling ${vcpus} vCPUs, worst case ${perHour(ceiling)} (maxVcpus × the priciest type's vCPU-hour)`;
}

function ceText(ce: DesiredComputeEnvironment): string {
  const cap = ce.ceilingUSDPerHour === undefined ? 'price unknown' : `worst case ${perHour(ce.ceilingUSDPerHour)}`;
  return `${ce.capacity === 'spot' ? 'Spot' : 'on-demand'} ${ce.instanceTypes.join(', ')}, ${ce.minVcpus}..${ce.maxVcpus} vCPUs (${cap})${networkText(ce)}`;
}

/** Where a network left to the Region's default goes, for plan reasons; nothing for the spec's own. */
function networkText(ce: DesiredComputeEnvironment): string {
  if (ce.networkDefaults !== undefined) return ", in the Region's default VPC (not read)";
  if (ce.defaultVpcId === undefined) return '';
  return `, in default VPC ${ce.defaultVpcId} (subnets ${ce.subnets.join(', ')}; security groups ${ce.securityGroupIds.join(', ')})`;
}

/** What budget actions in force make of a queue: its state and its environments' vCPU bounds, and the rule why. */
interface Effective {
  state: 'ENABLED' | 'DISABLED';
  zeroVcpus: boolean;
  rule: string;
}

function effective(queue: DesiredJobQueue, overrides: readonly BudgetOverride[]): Effective {
  const mine = overrides.filter((o) => o.project === queue.project);
  const stop = mine.find((o) => o.action === 'stop');
  const block = stop ?? mine.find((o) => o.action === 'block-launches');
  if (block === undefined) return { state: queue.state, zeroVcpus: false, rule: 'spec' };
  return { state: 'DISABLED', zeroVcpus: stop !== undefined, rule: block.rule };
}

function ours(tags: Record<string, string>, repo: string): boolean {
  return tags[TAG.repo] === repo && tags[TAG.kind] === 'JobQueue';
}

function refusal(queue: string, message: string, code: PlanRefusal['code'] = 'job-queue'): PlanRefusal {
  return { code, message, resource: { kind: 'JobQueue', name: queue } };
}

/** The compute environments of queue `name` in a Region (by their `labops:name` tag). */
function environmentsOf(environments: readonly ObservedComputeEnvironment[], repo: string, name: string) {
  return environments.filter((ce) => ours(ce.tags, repo) && ce.tags[TAG.name] === name);
}

/**
 * The old environments of a queue being retired: out of the order (by the queue update), DISABLED,
 * then deleted once nothing waits or runs in the queue.
 */
function retire(
  queue: string,
  region: string,
  old: readonly ObservedComputeEnvironment[],
  active: number | undefined,
  after: string[],
  repo: string,
  out: { actions: Action[]; refusals: PlanRefusal[] },
): void {
  for (const ce of [...old].sort((a, b) => compareText(a.name, b.name))) {
    if (ce.status === 'DELETING') continue;
    const waitFor = [...after];
    if (ce.state !== 'DISABLED') {
      const disable = resourceAction(D, 'JobQueue', queue, 'update-compute-environment', ce.name, {
        region,
        rule: 'spec',
        reason: `disable ${ce.name} (replaced or removed): Batch places no new job on it; running jobs finish`,
        monthlyDeltaUSD: 0,
        details: { kind: 'update-compute-environment', queue, computeEnvironment: ce.name, repo, state: 'DISABLED' },
        after,
      });
      out.actions.push(disable);
      waitFor.push(disable.id);
    }
    if (active === undefined || active > 0) {
      out.refusals.push(
        refusal(
          queue,
          `compute environment ${ce.name} is draining: deleted once job queue ${queue} has no job waiting or running (${active ?? 'unknown'} now)`,
          'queue-draining',
        ),
      );
      continue;
    }
    out.actions.push(
      resourceAction(D, 'JobQueue', queue, 'delete-compute-environment', ce.name, {
        region,
        rule: 'spec',
        reason: `delete ${ce.name}: DISABLED, out of the queue's order, no job waiting or running`,
        monthlyDeltaUSD: 0,
        details: { kind: 'delete-compute-environment', queue, computeEnvironment: ce.name, repo },
        after: waitFor,
      }),
    );
  }
}

function planQueue(
  desired: Desired,
  queue: DesiredJobQueue,
  observed: Observed,
  overrides: readonly BudgetOverride[],
  out: { actions: Action[]; refusals: PlanRefusal[] },
): void {
  const repo = desired.lab.repo;
  const region = queue.region;
  const queues = observed.batchQueues[region] ?? [];
  const environments = observed.computeEnvironments[region] ?? [];
  const seen = queues.find((q) => q.name === queue.name);
  if (queue.external) {
    if (seen === undefined)
      out.refusals.push(refusal(queue.name, `external job queue ${queue.name} does not exist in ${region}`));
    return;
  }
  if (seen !== undefined && !ours(seen.tags, repo)) {
    out.refusals.push(
      refusal(
        queue.name,
        `a Batch job queue named ${queue.name} exists in ${region} that this repository did not create (no labops:repo=${repo}): declare it with external: true, or choose another name`,
      ),
    );
    return;
  }
  if (seen?.status === 'DELETING') {
    out.refusals.push(
      refusal(queue.name, `job queue ${queue.name} is being deleted in ${region}: created again at a later run`),
    );
    return;
  }
  const eff = effective(queue, overrides);
  const tags = ownershipTags(repo, queue, 'JobQueue');
  const creates: string[] = [];
  const updates: string[] = [];
  for (const ce of queue.computeEnvironments) {
    const have = environments.find((e) => e.name === ce.batchName);
    const maxVcpus = eff.zeroVcpus ? 0 : ce.maxVcpus;
    const minVcpus = eff.zeroVcpus ? 0 : ce.minVcpus;
    if (have !== undefined && !ours(have.tags, repo)) {
      out.refusals.push(
        refusal(
          queue.name,
          `a Batch compute environment named ${ce.batchName} exists in ${region} that this repository did not create`,
        ),
      );
      return;
    }
    if (have === undefined || have.status === 'DELETING') {
      if (have?.status === 'DELETING') {
        out.refusals.push(
          refusal(queue.name, `compute environment ${ce.batchName} is being deleted: created again at a later run`),
        );
        return;
      }
      const action = resourceAction(D, 'JobQueue', queue.name, 'create-compute-environment', ce.key, {
        region,
        rule: eff.rule,
        reason: `create ${ce.batchName}: ${ceText(ce)}`,
        monthlyDeltaUSD: 0,
        details: {
          kind: 'create-compute-environment',
          queue: queue.name,
          request: {
            name: ce.batchName,
            type: ce.capacity === 'spot' ? 'SPOT' : 'EC2',
            maxVcpus,
            minVcpus,
            instanceTypes: ce.instanceTypes,
            allocationStrategy: ce.allocationStrategy,
            ...(ce.bidPercentage === undefined ? {} : { bidPercentage: ce.bidPercentage }),
            subnets: ce.subnets,
            securityGroupIds: ce.securityGroupIds,
            instanceRole: ce.instanceRole,
            ...(ce.imageType === undefined ? {} : { imageType: ce.imageType }),
            tags: { ...tags, 'labops:compute-environment': ce.key },
          },
        },
      });
      out.actions.push(action);
      creates.push(action.id);
      continue;
    }
    const change: { maxVcpus?: number; minVcpus?: number; state?: 'ENABLED' } = {};
    if (have.maxVcpus !== maxVcpus) change.maxVcpus = maxVcpus;
    if ((have.minVcpus ?? 0) !== minVcpus) change.minVcpus = minVcpus;
    if (have.state !== 'ENABLED') change.state = 'ENABLED';
    if (Object.keys(change).length === 0) continue;
    const what = [
      change.maxVcpus === undefined ? '' : `maxVcpus ${have.maxVcpus ?? '?'} → ${change.maxVcpus}`,
      change.minVcpus === undefined ? '' : `minVcpus ${have.minVcpus ?? 0} → ${change.minVcpus}`,
      change.state === undefined ? '' : `state ${have.state} → ENABLED`,
    ].filter((t) => t !== '');
    const action = resourceAction(D, 'JobQueue', queue.name, 'update-compute-environment', ce.key, {
      region,
      rule: eff.rule,
      reason: `${ce.batchName}: ${what.join(', ')}${eff.zeroVcpus ? ' (budget stop: no instance runs)' : ''}`,
      monthlyDeltaUSD: 0,
      details: {
        kind: 'update-compute-environment',
        queue: queue.name,
        computeEnvironment: ce.batchName,
        repo,
        ...change,
      },
    });
    out.actions.push(action);
    updates.push(action.id);
  }
  const order = queue.computeEnvironments.map((ce) => ce.batchName);
  let queueAction: string | undefined;
  if (seen === undefined) {
    const action = resourceAction(D, 'JobQueue', queue.name, 'create-job-queue', undefined, {
      region,
      rule: eff.rule,
      reason: `create job queue ${queue.name} (priority ${queue.priority}${eff.state === 'DISABLED' ? ', DISABLED' : ''}) on ${order.join(' → ')}; ${ceilingText(queue)}`,
      monthlyDeltaUSD: 0,
      details: { kind: 'create-job-queue', queue: queue.name, priority: queue.priority, state: eff.state, order, tags },
      after: creates,
    });
    out.actions.push(action);
    queueAction = action.id;
  } else {
    const arnToName = new Map(environments.map((e) => [e.arn, e.name]));
    const seenOrder = seen.order.map((arn) => arnToName.get(arn) ?? arn);
    const change: { priority?: number; state?: 'ENABLED' | 'DISABLED'; order?: string[] } = {};
    if (seen.priority !== queue.priority) change.priority = queue.priority;
    if (seen.state !== eff.state) change.state = eff.state;
    if (seenOrder.join('\n') !== order.join('\n')) change.order = order;
    if (Object.keys(change).length > 0) {
      const what = [
        change.priority === undefined ? '' : `priority ${seen.priority} → ${change.priority}`,
        change.state === undefined
          ? ''
          : `state ${seen.state} → ${change.state}${eff.rule !== 'spec' && change.state === 'DISABLED' ? ' (jobs already running finish)' : ''}`,
        change.order === undefined ? '' : `order ${seenOrder.join(' → ')} ⇒ ${order.join(' → ')}`,
      ].filter((t) => t !== '');
      const action = resourceAction(D, 'JobQueue', queue.name, 'update-job-queue', undefined, {
        region,
        rule: eff.rule,
        reason: `${what.join(', ')}; ${ceilingText(queue)}`,
        monthlyDeltaUSD: 0,
        details: { kind: 'update-job-queue', queue: queue.name, repo, ...change },
        after: [...creates, ...updates],
      });
      out.actions.push(action);
      queueAction = action.id;
    }
  }
  const old = environmentsOf(environments, repo, queue.name).filter((e) => !order.includes(e.name));
  if (old.length > 0)
    retire(
      queue.name,
      region,
      old,
      observed.activeJobs[`${region}/${queue.name}`],
      queueAction === undefined ? [] : [queueAction],
      repo,
      out,
    );
}

/** A queue of this repository no JobQueue declares: DISABLED, then deleted with its environments (prune), or reported. */
function planRemoved(
  desired: Desired,
  region: string,
  seen: ObservedBatchQueue,
  observed: Observed,
  out: { actions: Action[]; refusals: PlanRefusal[] },
): void {
  const repo = desired.lab.repo;
  const name = seen.name;
  const own = environmentsOf(observed.computeEnvironments[region] ?? [], repo, name);
  if (!desired.lab.prune) {
    out.actions.push(
      resourceAction(D, 'JobQueue', name, 'orphan', undefined, {
        region,
        rule: 'orphan',
        reason: `JobQueue file removed; job queue ${name} (${seen.state}) and ${own.length} compute environment(s) left in place (prune is off)`,
        monthlyDeltaUSD: 0,
        details: { kind: 'orphan' },
      }),
    );
    return;
  }
  if (seen.status === 'DELETING') {
    retire(name, region, own, 0, [], repo, out);
    return;
  }
  const after: string[] = [];
  if (seen.state !== 'DISABLED') {
    const disable = resourceAction(D, 'JobQueue', name, 'update-job-queue', undefined, {
      region,
      rule: 'prune',
      reason: `JobQueue file removed: disable ${name} (it accepts no new job; jobs in it finish)`,
      monthlyDeltaUSD: 0,
      details: { kind: 'update-job-queue', queue: name, repo, state: 'DISABLED' },
    });
    out.actions.push(disable);
    after.push(disable.id);
  }
  const active = observed.activeJobs[`${region}/${name}`];
  if (active === undefined || active > 0) {
    out.refusals.push(
      refusal(
        name,
        `job queue ${name} is not deleted while jobs wait or run in it (${active ?? 'unknown'} now): deleted at the run after they finish`,
        'queue-busy',
      ),
    );
    return;
  }
  const del = resourceAction(D, 'JobQueue', name, 'delete-job-queue', undefined, {
    region,
    rule: 'prune',
    reason: `JobQueue file removed: delete ${name} (DISABLED, no job waiting or running), then its ${own.length} compute environment(s)`,
    monthlyDeltaUSD: 0,
    details: { kind: 'delete-job-queue', queue: name, repo },
    after,
  });
  out.actions.push(del);
  retire(name, region, own, 0, [del.id], repo, out);
}

/**
 * Plans every JobQueue: creations and in-place updates, blue/green replacements across runs,
 * removed queues, and the budget actions in force.
 */
export function planJobQueues(
  desired: Desired,
  observed: Observed,
  overrides: readonly BudgetOverride[] = [],
): PlanPart {
  const out = { actions: [] as Action[], refusals: [] as PlanRefusal[] };
  const { queues, refused } = resolveQueues(desired, observed);
  for (const queue of [...queues].sort((a, b) => compareText(a.name, b.name)))
    planQueue(desired, queue, observed, overrides, out);
  for (const [name, message] of [...refused].sort(([a], [b]) => compareText(a, b)))
    out.refusals.push(refusal(name, message, 'no-default-network'));
  const repo = desired.lab.repo;
  for (const region of Object.keys(observed.batchQueues).sort()) {
    for (const seen of observed.batchQueues[region] ?? []) {
      if (!ours(seen.tags, repo)) continue;
      const declared = desired.jobQueues.some((q) => q.name === seen.name && q.region === region);
      if (declared || desired.unknownJobQueues.includes(seen.name)) continue;
      planRemoved(desired, region, seen, observed, out);
    }
  }
  return { actions: orderActions(out.actions, D), refusals: out.refusals };
}
