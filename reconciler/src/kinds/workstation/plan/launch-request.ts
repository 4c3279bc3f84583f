/** Launch requests and the tags labops keeps on a workstation instance. */
import type { DesiredVolume, DesiredWorkstation } from '../../../model/desired.js';
import type { LaunchRequest, PowerState } from '../../../model/launch.js';
import { TAG, clientToken, ownershipTags, sortKeys } from '../../../model/tags.js';
import type { ResolvedImage } from './images.js';

/**
 * Tags labops keeps in step with the spec on a live instance (a change is a `retag`): ownership
 * (repo, kind, name, project, owner, labels), the console `Name` and the deletion policy.
 */
export function managedTags(repo: string, ws: DesiredWorkstation): Record<string, string> {
  return {
    ...ownershipTags(repo, ws),
    [TAG.display]: ws.name,
    [TAG.deletionPolicy]: ws.deletionPolicy,
  };
}

/** Where and how a launch happens beyond the spec itself. */
export interface LaunchPlacement {
  generation: number;
  thenState: PowerState;
  /** Data volumes to create at launch (all of the spec's for a create; the missing ones for a replace). */
  volumes: DesiredVolume[];
  availabilityZone?: string;
}

/**
 * The full RunInstances request. Tags: managed tags, launch hash, environment, resolved AMI
 * (`''` while a cross-region copy is pending: the executor fills in the copy's id), generation,
 * instance type, and `labops:desired-state` = `running`: the state a launch puts the instance in.
 * The create's power step records `thenState` once it gets there; tagging `thenState` up front
 * made a create interrupted before that step read as drift ("started outside labops") forever,
 * and made the request (so its ClientToken) depend on the schedule of the moment.
 */
export function launchRequest(
  repo: string,
  ws: DesiredWorkstation,
  image: ResolvedImage,
  placement: LaunchPlacement,
): LaunchRequest {
  const tags: Record<string, string> = {
    ...managedTags(repo, ws),
    [TAG.specHash]: ws.launchHash,
    [TAG.environment]: `${ws.environment.name}@${ws.environment.version}`,
    [TAG.ami]: image.imageId,
    [TAG.generation]: String(placement.generation),
    [TAG.desiredState]: 'running',
    [TAG.instanceType]: ws.instanceType,
  };
  const request: LaunchRequest = {
    region: ws.region,
    imageId: image.imageId,
    instanceType: ws.instanceType,
    userData: image.userData,
    rootGiB: ws.rootGiB,
    volumes: placement.volumes.map((v) => ({ ...v })),
    hibernation: ws.hibernation,
    spot: ws.spot,
    tags: sortKeys(tags),
    clientToken: clientToken(repo, 'Workstation', ws.name, ws.launchHash, placement.generation),
  };
  if (placement.availabilityZone !== undefined) request.availabilityZone = placement.availabilityZone;
  if (ws.network?.subnetId !== undefined) request.subnetId = ws.network.subnetId;
  if (ws.network?.securityGroupIds !== undefined) request.securityGroupIds = [...ws.network.securityGroupIds];
  if (ws.instanceProfile !== undefined) request.instanceProfile = ws.instanceProfile;
  return request;
}
