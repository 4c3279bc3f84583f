/**
 * Launching a declared workstation that has no live instance. The create carries the launch
 * resolved in full and the power state it should be in now (`thenState`): a workstation that
 * should be off now is still created, and the executor stops it after launch.
 */
import type { DesiredWorkstation } from '../../../model/desired.js';
import { newAction } from '../../../engine/actions.js';
import type { PlanContext } from './context.js';
import type { PlanPart } from '../../../model/plan.js';
import { desiredMonthlyUSD } from '../../../cost/monthly.js';
import { launchUses, unapprovedData } from './data-owners.js';
import { resolveImage } from './images.js';
import { nextGeneration } from '../../../model/workstation-inventory.js';
import { launchRequest } from './launch-request.js';
import { desiredPowerState } from './power-state.js';
import { resolveRestore, withRestore } from './restore.js';
import { WORKSTATION_PLAN_ACTIONS } from '../actions.js';
import { withImageSavings } from './image-savings.js';

const SOURCES = {
  pinned: 'pinned image',
  built: 'built image',
  prebuilt: 'prebuilt image',
  copy: 'a copy of the prebuilt image',
  base: 'base image + cloud-init',
} as const;

/** Plans the launch of `ws`: a `create`, or a refusal (budget blocks launches, no image in reach, data not approved). */
export function planCreate(ctx: PlanContext, ws: DesiredWorkstation): PlanPart {
  const block = ctx.overrides.find((o) => o.project === ws.project && o.action === 'block-launches');
  if (block !== undefined) {
    const message = `workstation ${ws.name}: launch blocked by ${block.rule} (project ${ws.project})`;
    return {
      actions: [],
      refusals: [{ code: 'budget-blocked', message, resource: { kind: 'Workstation', name: ws.name } }],
    };
  }
  const resolved = resolveImage(
    ws,
    ctx.desired.lab.repo,
    ctx.observed.images,
    ctx.imageBuilds,
    ctx.now,
    ctx.imageTargets,
  );
  if (!resolved.ok) return { actions: [], refusals: [resolved.refusal] };
  const image = resolved.image;
  const power = desiredPowerState(ws, {
    lab: ctx.desired.lab,
    now: ctx.now,
    overrides: ctx.overrides,
    hibernationConfigured: ws.hibernation,
  });
  const restore = resolveRestore(ws, ctx.desired.schedules, ctx.desired.lab.repo, ctx.observed);
  if (!restore.ok) return { actions: [], refusals: [restore.refusal] };
  const unapproved = unapprovedData(
    ws,
    launchUses(ws, image, restore.point, ctx.observed.images),
    ctx.dataApproved,
    'not launched',
  );
  if (unapproved !== undefined) return { actions: [], refusals: [unapproved] };
  const restoredImage = restore.point?.type === 'image';
  const launch = withRestore(
    launchRequest(ctx.desired.lab.repo, ws, image, {
      generation: nextGeneration(ctx.observed.instances, ctx.desired.lab.repo, ws.name),
      thenState: power.state,
      volumes: ws.volumes,
    }),
    ws,
    restore.point,
  );
  const source = image.copyImage
    ? `${SOURCES.copy} ${image.copyImage.sourceImageId} from ${image.copyImage.sourceRegion}`
    : `${SOURCES[image.source]} ${image.imageId}`;
  const from =
    restore.point?.type === 'image'
      ? `image ${launch.imageId} (restored from ${restore.point.label})`
      : `${source}${restoreNote(ws, restore.point)}`;
  const then = power.state === 'running' ? '' : `, then ${power.state} (${power.rule})`;
  const note = image.note === undefined || restoredImage ? '' : ` (${image.note})`;
  const action = newAction(WORKSTATION_PLAN_ACTIONS, {
    kind: 'create',
    name: ws.name,
    region: ws.region,
    rule: 'spec',
    reason: `no instance: launch ${ws.instanceType} in ${ws.region} from ${from}${note}${then}`,
    monthlyDeltaUSD: desiredMonthlyUSD(ws),
    details: {
      kind: 'create',
      launch,
      ...(image.copyImage === undefined || restoredImage ? {} : { copyImage: image.copyImage }),
      thenState: power.state,
    },
  });
  const launched = restoredImage
    ? action
    : withImageSavings(action, image, ctx.imageBuilds, ctx.observed.images, ctx.provisionTimes, ws.environment.name);
  return { actions: [launched], refusals: [] };
}

/** `, data volumes restored from nightly slot …` (or that there is nothing to restore yet). */
export function restoreNote(
  ws: DesiredWorkstation,
  point: { label: string; volumeSnapshots: Record<string, string> } | undefined,
): string {
  if (ws.restoreFrom === undefined) return '';
  if (point === undefined) return ` (restoreFrom ${ws.restoreFrom}: no snapshot yet, data volumes start empty)`;
  const names = Object.keys(point.volumeSnapshots).filter((n) => ws.volumes.some((v) => v.name === n));
  return names.length === 0
    ? ` (restoreFrom ${point.label}: no data volume snapshot matches)`
    : `, ${names.join(', ')} restored from ${point.label}`;
}
