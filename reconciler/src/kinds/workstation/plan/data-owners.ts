/**
 * Data belongs to its owner. An image a SnapshotSchedule made of a workstation (tagged
 * `labops:workstation` and `labops:owner`) holds that workstation's disks, so it is its owner's
 * data, as are its snapshots. A workstation uses someone else's data when its `image.ami`, or an
 * `images` entry of its environment, names such an image of another owner, or when its
 * `restoreFrom` names another owner's snapshots. Pure: the approval check lists these uses, and
 * the planner refuses a launch that would read one its owner has not approved.
 */
import type { Desired, DesiredWorkstation } from '../../../model/desired.js';
import type { Observed, ObservedImage, ObservedInstance } from '../../../model/observed.js';
import { liveInstancesByName } from '../../../model/workstation-inventory.js';
import type { DataUse, PlanRefusal } from '../../../model/plan.js';

export type { DataUse };
import { SCHEDULE_TAG } from '../../../model/schedule.js';
import { TAG } from '../../../model/tags.js';
import { compareText } from '../../../model/problem.js';
import type { ResolvedImage } from './images.js';
import type { RestorePoint } from './restore.js';
import { ownerKey, restoreSource } from './restore.js';

/** The use of `imageId` by `ws` when labops made that image of a workstation someone else owns. */
export function imageUse(
  ws: DesiredWorkstation,
  imageId: string,
  images: readonly ObservedImage[],
): DataUse | undefined {
  const image = images.find((i) => i.imageId === imageId && i.tags[SCHEDULE_TAG.workstation] !== undefined);
  if (image === undefined) return undefined;
  const owner = ownerKey(image.tags[TAG.owner]);
  if (owner === ownerKey(ws.owner)) return undefined;
  return {
    workstation: ws.name,
    owner,
    what: `image ${imageId} made from workstation ${image.tags[SCHEDULE_TAG.workstation]}`,
  };
}

/**
 * The use of another owner's snapshots that `ws.restoreFrom` names (`SCHEDULE/WHICH/WORKSTATION@OWNER`).
 * Counted as written, whether or not such snapshots exist yet, so an approval never depends on
 * what happens to be in AWS when it is checked.
 */
export function restoreUse(ws: DesiredWorkstation): DataUse | undefined {
  const source = restoreSource(ws);
  if (source === undefined || source.owner === ownerKey(ws.owner)) return undefined;
  return {
    workstation: ws.name,
    owner: source.owner,
    what: `snapshots of ${source.workstation} (owner ${source.owner})`,
  };
}

/**
 * A workstation whose live instance carries another person's `labops:owner` tag: the spec would
 * take over their instance (and the data on its volumes) — an orphan left by a removed spec, or a
 * name someone else held. An instance with no owner tag counts as the admins'.
 */
export function instanceUse(ws: DesiredWorkstation, instance: ObservedInstance): DataUse | undefined {
  const owner = ownerKey(instance.tags[TAG.owner]);
  if (owner === ownerKey(ws.owner)) return undefined;
  return {
    workstation: ws.name,
    owner,
    what: `instance ${instance.instanceId} of workstation ${ws.name}${owner ? ` (labops:owner ${owner})` : ' (no labops:owner tag)'}`,
  };
}

/**
 * Every use of another owner's data in `desired`: pinned images, environment images (for every
 * workstation of that environment) and restores, one entry per workstation, owner and thing used,
 * sorted by workstation, owner and text.
 */
export function foreignDataUse(desired: Desired, observed: Observed): DataUse[] {
  const uses = new Map<string, DataUse>();
  const add = (use: DataUse | undefined): void => {
    if (use !== undefined) uses.set(`${use.workstation}\0${use.owner}\0${use.what}`, use);
  };
  for (const ws of desired.workstations) {
    const imageIds = [...(ws.image.ami === undefined ? [] : [ws.image.ami]), ...Object.values(ws.environment.images)];
    for (const imageId of imageIds) add(imageUse(ws, imageId, observed.images));
    add(restoreUse(ws));
    for (const instance of liveInstancesByName(observed.instances, desired.lab.repo).get(ws.name) ?? [])
      add(instanceUse(ws, instance));
  }
  return [...uses.values()].sort(
    (a, b) => compareText(a.workstation, b.workstation) || compareText(a.owner, b.owner) || compareText(a.what, b.what),
  );
}

/**
 * The uses of other people's data a launch of `ws` would read: the image it boots (a copy reads
 * its source) unless a restore replaces it, and the restored snapshots or image.
 */
export function launchUses(
  ws: DesiredWorkstation,
  image: ResolvedImage,
  point: RestorePoint | undefined,
  images: readonly ObservedImage[],
): DataUse[] {
  const uses: DataUse[] = [];
  if (point?.type !== 'image') {
    const imageId = image.source === 'copy' ? image.copyImage?.sourceImageId : image.imageId;
    const use = imageId === undefined ? undefined : imageUse(ws, imageId, images);
    if (use !== undefined) uses.push(use);
  }
  if (point !== undefined && point.owner !== ownerKey(ws.owner)) {
    uses.push({
      workstation: ws.name,
      owner: point.owner,
      what: `snapshots of ${point.workstation} (owner ${point.owner})`,
    });
  }
  return uses;
}

/**
 * The refusal of a launch of `ws` that would read data `approved` says its owner has not approved,
 * or undefined (none, or no `approved` given). `outcome` says what happens instead: `not launched`.
 */
export function unapprovedData(
  ws: DesiredWorkstation,
  uses: readonly DataUse[],
  approved: ((use: DataUse) => boolean) | undefined,
  outcome: string,
): PlanRefusal | undefined {
  if (approved === undefined) return undefined;
  const missing = uses.filter((use) => !approved(use));
  if (missing.length === 0) return undefined;
  const needs = missing.map(
    (use) =>
      `needs ${use.owner === '' ? "an admin's (the data has no recorded owner)" : `${use.owner}'s`} approval: ${use.what}`,
  );
  return {
    code: 'data-not-approved',
    message: `workstation ${ws.name}: ${outcome}: ${needs.join('; ')}`,
    resource: { kind: 'Workstation', name: ws.name },
  };
}
