/**
 * The plan for the live instance of a declared workstation: a replacement when its launch spec
 * changed or, with `image.follow: latest`, a newer built image of its environment version is
 * available (nothing else then), otherwise at most one power action, a resize, one retag after
 * them, and reports of drift. An instance in transition (pending, stopping) only gets its tags
 * fixed: power and type changes wait for a stable state.
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import type { Action, PlanRefusal } from '../../../model/plan.js';
import type { ObservedInstance } from '../../../model/observed.js';
import { TAG } from '../../../model/tags.js';
import { newAction } from '../../../engine/actions.js';
import type { PlanContext } from './context.js';
import type { PlanPart } from '../../../model/plan.js';
import { dataAttachments, observedPowerState } from '../../../model/workstation-inventory.js';
import { managedTags } from './launch-request.js';
import { sortKeys } from '../../../model/tags.js';
import { planPower } from './power.js';
import { desiredPowerState } from './power-state.js';
import type { PowerDecision } from './power-state.js';
import { launchChanges, planReplace } from './replace.js';
import { followLatestChange } from './images.js';
import { planResize, typeChangeNeedsReplace } from './resize.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';

/** Plans the newest live instance of `ws`. */
export function planExisting(ctx: PlanContext, ws: DesiredWorkstation, instance: ObservedInstance): PlanPart {
  const refusals: PlanRefusal[] = [];
  const observed = observedPowerState(instance);
  const follow = followLatestChange(ws, instance, ctx.observed.images, ctx.imageBuilds);
  const changes = [...launchChanges(ws, instance), ...(follow === undefined ? [] : [follow])];
  const typeReplace = typeChangeNeedsReplace(ws, instance);
  if (observed !== undefined && (changes.length > 0 || typeReplace !== undefined)) {
    const replaced = planReplace(
      ctx,
      ws,
      instance,
      [...changes, ...(typeReplace === undefined ? [] : [typeReplace])].join('; '),
    );
    if (replaced.actions.length > 0) return replaced;
    refusals.push(...replaced.refusals);
  }
  const volumes = unnamedVolumes(ws, instance);
  const actions: Action[] = [volumeReport(ws, withVolumeNames(instance, volumes))].filter((a) => a !== undefined);
  if (observed === undefined)
    return {
      actions: [...actions, ...retag(ctx, ws, instance, { set: {}, remove: [], after: [], volumes })],
      refusals,
    };

  const utilisation = ctx.observed.utilisation[instance.instanceId];
  const decision = desiredPowerState(ws, {
    lab: ctx.desired.lab,
    now: ctx.now,
    overrides: ctx.overrides,
    hibernationConfigured: instance.hibernationConfigured,
    ...(observed === 'running' && utilisation !== undefined ? { utilisation } : {}),
  });
  const withheld = withheldStart(ctx, ws, instance, observed, decision);
  if (withheld !== undefined) refusals.push(withheld);
  const power = planPower(ctx, ws, instance, observed, decision);
  // A type change that needs a replacement was refused above: the instance keeps its type.
  const type = typeReplace === undefined ? planResize(ctx, ws, instance, observed, power.target) : { set: {} };
  let powerAction = power.action;
  if (type.action?.kind === 'resize' && (powerAction?.kind === 'stop' || powerAction?.kind === 'hibernate')) {
    // The resize stops the instance and, since it should not run, does not start it again.
    powerAction = undefined;
  }
  const resize = type.action?.kind === 'resize' ? type.action : undefined;
  if (resize !== undefined && powerAction?.kind === 'start') powerAction = { ...powerAction, after: [resize.id] };
  for (const action of [type.action, powerAction]) if (action !== undefined) actions.push(action);
  const changers = [resize, powerAction?.kind === 'drift' ? undefined : powerAction]
    .filter((a) => a !== undefined)
    .map((a) => a.id);
  const powerTags = Object.keys(power.set).length > 0 || power.remove.length > 0;
  const tagRule = powerTags ? (power.tagRule ?? 'spec') : 'spec';
  actions.push(
    ...retag(ctx, ws, instance, {
      set: { ...power.set, ...type.set },
      remove: power.remove,
      after: changers,
      rule: tagRule,
      volumes,
    }),
  );
  return { actions, refusals };
}

/**
 * The note a plan carries for a workstation that is off and would start (spec, schedule) but for
 * a budget `stop` or `hibernate` in force: `start withheld: budget … stop in force since …`.
 */
function withheldStart(
  ctx: PlanContext,
  ws: DesiredWorkstation,
  instance: ObservedInstance,
  observed: string,
  decision: PowerDecision,
): PlanRefusal | undefined {
  if (decision.cause !== 'budget' || observed === 'running') return undefined;
  const override = ctx.overrides.find((o) => o.project === ws.project && o.action !== 'block-launches');
  if (override === undefined) return undefined;
  const without = desiredPowerState(ws, {
    lab: ctx.desired.lab,
    now: ctx.now,
    overrides: [],
    hibernationConfigured: instance.hibernationConfigured,
  });
  if (without.state !== 'running') return undefined;
  const since = override.since === undefined ? '' : ` since ${override.since}`;
  return {
    code: 'budget-withheld',
    message: `workstation ${ws.name}: start withheld (${without.rule}): ${override.rule}, ${override.action} in force${since}`,
    resource: { kind: 'Workstation', name: ws.name },
  };
}

/** Tag changes the power and type rules ask for, on top of the managed tags. */
interface TagChanges {
  set: Record<string, string>;
  remove: string[];
  /** Actions of the same instance the retag follows. */
  after: string[];
  /** Rule of the power/type tag changes; `spec` whenever a managed tag changes too. @default 'spec' */
  rule?: string;
  /** Names for volumes the launch left unnamed, by volume id. @default none */
  volumes?: Record<string, string>;
}

/**
 * One `retag` with every tag change for the instance: managed tags that differ from the spec,
 * labels no longer in it, and the tags the power and type rules keep. It runs after the power
 * or type change of the same instance.
 */
function retag(ctx: PlanContext, ws: DesiredWorkstation, instance: ObservedInstance, changes: TagChanges): Action[] {
  const managed = managedTags(ctx.desired.lab.repo, ws);
  const wanted = { ...managed, ...changes.set };
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(wanted)) if (instance.tags[key] !== value) set[key] = value;
  const remove = Object.keys(instance.tags)
    .filter((key) => (key.startsWith(TAG.labelPrefix) && !(key in wanted)) || changes.remove.includes(key))
    .sort();
  const volumes = changes.volumes ?? {};
  const named = Object.keys(volumes).sort();
  if (Object.keys(set).length === 0 && remove.length === 0 && named.length === 0) return [];
  const changed = [...Object.keys(set), ...remove].sort();
  const specChange = changed.some((key) => key in managed || key.startsWith(TAG.labelPrefix)) || named.length > 0;
  const reasons = [
    changed.length > 0 ? `tags ${changed.join(', ')}` : '',
    named.length > 0
      ? `volume names ${named.map((id) => `${id}=${volumes[id]}`).join(', ')} (its launch did not get to name them)`
      : '',
  ];
  return [
    newAction(WORKSTATION_PLAN_ACTIONS, {
      kind: 'retag',
      name: ws.name,
      region: instance.region,
      instanceId: instance.instanceId,
      rule: specChange ? 'spec' : (changes.rule ?? 'spec'),
      reason: reasons.filter((r) => r !== '').join('; '),
      monthlyDeltaUSD: 0,
      details: {
        kind: 'retag',
        set: sortKeys(set),
        remove,
        ...(named.length > 0 ? { volumes: sortKeys(volumes) } : {}),
      },
      after: changes.after,
    }),
  ];
}

/**
 * Names for the data volumes a launch left without `labops:volume` (RunInstances tags every
 * volume alike; the names come in a later call, which a throttle or a crash can stop): unnamed
 * data volumes in device order, matched to the spec's volumes not attached under their name, in
 * spec order — the order the launch gave them devices in — while size and type agree. Anything
 * that does not match stays unnamed and is reported. (The root is known by its device.)
 */
function unnamedVolumes(ws: DesiredWorkstation, instance: ObservedInstance): Record<string, string> {
  const names: Record<string, string> = {};
  const data = dataAttachments(instance);
  const missing = ws.volumes.filter((v) => !data.some((a) => a.name === v.name));
  const unnamed = data.filter((a) => a.name === undefined);
  for (const [i, attachment] of unnamed.entries()) {
    const volume = missing[i];
    if (volume === undefined || attachment.sizeGiB !== volume.sizeGiB || attachment.type !== volume.type) break;
    names[attachment.volumeId] = volume.name;
  }
  return names;
}

/** The instance as it will be once `names` are on its volumes. */
function withVolumeNames(instance: ObservedInstance, names: Record<string, string>): ObservedInstance {
  if (Object.keys(names).length === 0) return instance;
  return {
    ...instance,
    attachments: instance.attachments.map((a) =>
      a.name === undefined && names[a.volumeId] !== undefined ? { ...a, name: names[a.volumeId] } : a,
    ),
  };
}

/**
 * Data volumes added to, removed from or resized in the spec of a live instance. labops creates
 * data volumes only at launch and never deletes or shrinks one in place, so these are reported
 * (a `drift` report with rule `spec: data volumes`); added volumes are created at the next
 * replacement, and volumes no longer in the spec stay attached.
 */
function volumeReport(ws: DesiredWorkstation, instance: ObservedInstance): Action | undefined {
  const attached = dataAttachments(instance).filter((a) => a.name !== undefined);
  const notes: string[] = [];
  for (const volume of ws.volumes) {
    const found = attached.find((a) => a.name === volume.name);
    if (found === undefined)
      notes.push(
        `${volume.name} (${volume.sizeGiB} GiB ${volume.type}) is in the spec but not attached: it is created at the next replacement`,
      );
    else if (found.sizeGiB !== volume.sizeGiB)
      notes.push(
        `${volume.name} is ${found.sizeGiB} GiB, the spec says ${volume.sizeGiB} GiB: labops does not resize volumes`,
      );
  }
  for (const a of attached)
    if (!ws.volumes.some((v) => v.name === a.name))
      notes.push(`${a.name} (${a.volumeId}) is no longer in the spec: it stays attached`);
  if (notes.length === 0) return undefined;
  const list = (items: string[]): string => items.sort().join(', ') || 'none';
  return newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'drift',
    name: ws.name,
    region: instance.region,
    instanceId: instance.instanceId,
    rule: 'spec: data volumes',
    reason: notes.join('; '),
    monthlyDeltaUSD: 0,
    details: {
      kind: 'drift',
      observed: list(attached.map((a) => `${a.name}:${a.sizeGiB}`)),
      expected: list(ws.volumes.map((v) => `${v.name}:${v.sizeGiB}`)),
    },
    suffix: 'volumes',
  });
}
