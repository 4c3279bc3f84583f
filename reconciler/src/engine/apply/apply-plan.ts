/**
 * Applying a plan: refuse as a whole (plan-wide refusals, wrong account) before any mutation; then run
 * the actions in plan order with bounded concurrency, each after the actions it depends on, and
 * after earlier actions on the same workstation. A failed action does not stop independent ones;
 * its dependants are skipped with the reason. Every outcome is a value in the result.
 */
import type { Action, Plan } from '../../model/plan.js';
import { actionContext, stoppedBy } from './context.js';
import { createEc2Session } from './ec2-session.js';
import type { Ec2Session } from './ec2-session.js';
import { ApplyError, actionError } from './errors.js';
import { runTaskGraph } from './task-pool.js';
import { runSteps } from './steps.js';
import type { ActionError, ActionResult, ApplyDeps, ApplyResult } from './types.js';

/**
 * Actions in flight at once unless told otherwise. High, because an action in flight costs no
 * API rate: its EC2 calls wait for AWS's bucket tokens in the apply's session (RunInstances 2 a
 * second per Region, …) and its waits share batched reads, so a large apply keeps every Region's
 * launch rate at AWS's limit; the bound caps memory.
 */
export const DEFAULT_CONCURRENCY = 1000;

interface Task {
  id: string;
  after: string[];
  waitFor: string[];
  action: Action;
}

function base(action: Action): Pick<ActionResult, 'actionId' | 'kind' | 'name' | 'resourceKind'> {
  const kind = action.resource.kind === 'Workstation' ? {} : { resourceKind: action.resource.kind };
  return { actionId: action.id, kind: action.kind, name: action.resource.name, ...kind };
}

function refuseAll(plan: Plan, error: ActionError): ApplyResult {
  const results = plan.actions.map((a): ActionResult => ({
    ...base(a),
    status: 'skipped',
    error,
    ...(a.instanceId ? { instanceId: a.instanceId } : {}),
  }));
  return { results, ok: false, error };
}

/** The refusal that stops the whole plan, if any: plan refusals, then the account check. */
async function refusal(plan: Plan, deps: ApplyDeps): Promise<ActionError | undefined> {
  // A refusal naming a resource only explains why that resource has no action; the rest may run.
  const whole = plan.refusals.filter((r) => r.resource === undefined);
  if (whole.length > 0) {
    const message = `plan refused: ${whole.map((r) => `${r.code}: ${r.message}`).join('; ')}`;
    return { code: 'plan-refused', message, retryable: false };
  }
  let account: string;
  try {
    account = await deps.identity.accountId();
  } catch (err: unknown) {
    const cause = actionError(err);
    return {
      code: 'identity-unavailable',
      message: `cannot confirm the account (${cause.code}): nothing applied`,
      retryable: cause.retryable,
    };
  }
  if (account !== deps.expectedAccountId) {
    return {
      code: 'wrong-account',
      message: `credentials are for account ${account}, the lab is account ${deps.expectedAccountId}: nothing applied`,
      retryable: false,
    };
  }
  return undefined;
}

/** Workstation actions that change an instance's power, type or existence: the instance is in a transitional state meanwhile. */
const INSTANCE_CHANGES: ReadonlySet<Action['kind']> = new Set(['replace', 'resize', 'start', 'stop', 'hibernate']);
/** Actions that read an instance or its volumes: CreateImage needs it `running` or `stopped`. */
const INSTANCE_READS: ReadonlySet<Action['kind']> = new Set(['snapshot', 'copy-snapshot']);

/** The workstation a snapshot or copy action reads, if it names one. */
function readWorkstation(action: Action): string | undefined {
  return action.details.kind === 'snapshot' ? action.details.workstation : undefined;
}

/** Whether `change` (a Workstation action) changes the instance that `read` snapshots or images. */
function changesReadInstance(change: Action, read: Action): boolean {
  if (change.region !== read.region) return false;
  if (change.instanceId !== undefined && change.instanceId === read.instanceId) return true;
  return change.resource.name === readWorkstation(read);
}

/**
 * Tasks with their hard dependencies and the implicit ordering of actions on one workstation (one
 * instance). Schedule and Job actions order themselves with `after` only: a schedule's snapshots
 * of different workstations run side by side, and its retention runs after them. A snapshot,
 * image or copy of an instance also waits for every power, resize or replace action of that
 * instance in the plan: run side by side, CreateImage met a `stopping` instance and AWS refused it.
 */
function tasksOf(plan: Plan): Task[] {
  const previous = new Map<string, string>();
  const changes = plan.actions.filter((a) => a.resource.kind === 'Workstation' && INSTANCE_CHANGES.has(a.kind));
  return plan.actions.map((action) => {
    if (action.resource.kind !== 'Workstation') {
      const waitFor = INSTANCE_READS.has(action.kind)
        ? changes.filter((c) => changesReadInstance(c, action)).map((c) => c.id)
        : [];
      return { id: action.id, after: action.after, waitFor, action };
    }
    const key = `${action.region}|${action.resource.kind}|${action.resource.name}`;
    const before = previous.get(key);
    previous.set(key, action.id);
    return { id: action.id, after: action.after, waitFor: before === undefined ? [] : [before], action };
  });
}

/** Whether a create has a power change to make once launched (it ends stopped or hibernated). */
function createThenPowers(task: Task): boolean {
  return task.action.details.kind === 'create' && task.action.details.thenState !== 'running';
}

/**
 * The action a task runs: a snapshot or image whose workstation an earlier task of this apply
 * replaced reads the new instance (its `instanceId`); the planned details still name the old one,
 * which is gone by then. The kind's step finds the new instance's volumes again.
 */
function onLiveInstance(task: Task, finished: ReadonlyMap<string, ActionResult>): Action {
  if (!INSTANCE_READS.has(task.action.kind)) return task.action;
  const replaced = task.waitFor
    .map((id) => finished.get(id))
    .find((r) => r?.kind === 'replace' && r.status === 'done' && r.instanceId !== undefined);
  if (replaced?.instanceId === undefined || replaced.instanceId === task.action.instanceId) return task.action;
  return { ...task.action, instanceId: replaced.instanceId };
}

/**
 * The order tasks start in: plan order, except that creates with a stop or hibernate to follow
 * their launch go first. Launches queue for RunInstances' tokens in start order (2 a second per
 * Region), so an apply ends sooner when the last to launch are those with least left to do.
 */
function startOrder(tasks: Task[]): Task[] {
  return [...tasks.filter(createThenPowers), ...tasks.filter((t) => !createThenPowers(t))];
}

async function runOne(action: Action, deps: ApplyDeps, session: Ec2Session): Promise<ActionResult> {
  const ctx = actionContext(action, deps, session);
  deps.onProgress?.({
    actionId: action.id,
    phase: 'started',
    message: `${action.kind} ${action.resource.kind}/${action.resource.name}`,
  });
  try {
    const step = await runSteps(ctx);
    deps.onProgress?.({ actionId: action.id, phase: 'done', message: step.detail ?? `${action.kind} done` });
    deps.log?.info({ actionId: action.id, kind: action.kind, instanceId: step.instanceId }, 'action done');
    return { ...base(action), status: 'done', ...withoutUndefined(step) };
  } catch (err: unknown) {
    const error = actionError(err);
    // Stopped before its first mutation: not started, as if it had never been picked up.
    if (err instanceof ApplyError && err.code === 'stopped') {
      deps.onProgress?.({ actionId: action.id, phase: 'skipped', message: error.message });
      return { ...base(action), status: 'skipped', error };
    }
    deps.onProgress?.({ actionId: action.id, phase: 'failed', message: error.message });
    deps.log?.warn(
      { actionId: action.id, kind: action.kind, code: error.code, retryable: error.retryable },
      'action failed',
    );
    return {
      ...base(action),
      status: 'failed',
      error,
      ...(action.instanceId ? { instanceId: action.instanceId } : {}),
    };
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as Partial<T>;
}

/**
 * Applies a plan through the ports.
 * @returns one result per action, in plan order; `ok` when all are done
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  const refused = await refusal(plan, deps);
  if (refused !== undefined) {
    deps.log?.warn({ code: refused.code }, 'apply refused');
    return refuseAll(plan, refused);
  }
  const time = { sleep: (ms: number) => deps.sleep(ms), now: () => (deps.clock ? deps.clock() : performance.now()) };
  const session = createEc2Session(deps.ec2, {
    time,
    random: () => (deps.random ? deps.random() : Math.random()),
    ...(deps.maxWaitMs === undefined ? {} : { maxWaitMs: deps.maxWaitMs }),
    ...(deps.log ? { log: deps.log } : {}),
  });
  const finished = new Map<string, ActionResult>();
  const byId = await runTaskGraph(startOrder(tasksOf(plan)), deps.concurrency ?? DEFAULT_CONCURRENCY, {
    run: async (task): Promise<ActionResult> => {
      if (!deps.signal?.aborted) {
        const result = await runOne(onLiveInstance(task, finished), deps, session);
        finished.set(task.id, result);
        return result;
      }
      const error = new ApplyError('stopped', `${task.id} not started: ${stoppedBy(deps.signal)}`, { retryable: true });
      return { ...base(task.action), status: 'skipped', error: actionError(error) };
    },
    blocked: (task, reason): ActionResult => {
      const error = new ApplyError('dependency-failed', `${task.id} skipped: ${reason}`);
      deps.onProgress?.({ actionId: task.id, phase: 'skipped', message: error.message });
      return { ...base(task.action), status: 'skipped', error: actionError(error) };
    },
    succeeded: (result) => result.status === 'done',
  });
  const results = plan.actions.map((a) => byId.get(a.id) ?? { ...base(a), status: 'skipped' as const });
  return { results, ok: results.every((r) => r.status === 'done') };
}
