/**
 * Image operations: CreateImage (a snapshot of every attached volume), CopyImage (idempotent by
 * `ClientToken`, new snapshots in the destination Region, each tagged with the request's snapshot
 * TagSpecifications), DescribeImages (public catalog plus own
 * images) and DeregisterImage.
 */
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { catalogImages } from './catalog.js';
import { instancesById } from './describe-instances.js';
import { checkFilterNames, compileFilters, filterPredicate, tagFilterValues } from './filters.js';
import {
  checkId,
  idsWithoutMaxResults,
  notFound,
  pageRequest,
  requireString,
  coercedStringList,
  tagsFor,
  takePage,
} from './input.js';
import { ec2Of, newId } from './model.js';
import type { Ec2Image, Ec2ImageDevice } from './model.js';
import { imageOutput } from './output.js';
import { findImage } from './run.js';
import { removeSnapshot, startSnapshot } from './volume-store.js';

const IMAGE_FILTERS: ReadonlySet<string> = new Set([
  'name',
  'image-id',
  'owner-id',
  'owner-alias',
  'architecture',
  'state',
  'is-public',
  'root-device-name',
  'description',
]);

function imageFilterValues(image: Ec2Image, name: string): readonly (string | undefined)[] | undefined {
  switch (name) {
    case 'name':
      return [image.name];
    case 'image-id':
      return [image.id];
    case 'owner-id':
      return [image.ownerId];
    case 'owner-alias':
      return [image.ownerAlias];
    case 'architecture':
      return [image.architecture];
    case 'state':
      return [image.state];
    case 'is-public':
      return [String(image.public)];
    case 'root-device-name':
      return [image.rootDeviceName];
    case 'description':
      return [image.description];
  }
  return tagFilterValues(image.tags, name);
}

function checkName(name: string, ctx: SimContext): void {
  if (name.length < 3 || name.length > 128 || !/^[A-Za-z0-9()[\]. /'@_-]+$/.test(name)) {
    throw new SimError(
      'InvalidAMIName.Malformed',
      `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`,
    );
  }
  const taken = Object.values(ec2Of(ctx.state).images).some((i) => i.region === ctx.region && i.name === name);
  if (taken) throw new SimError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI`);
}

function register(
  ctx: SimContext,
  image: Omit<Ec2Image, 'id' | 'seq' | 'state' | 'availableAt' | 'creationDate' | 'ownerId' | 'public' | 'region'>,
  done: number,
): Ec2Image {
  const { id, seq } = newId(ctx, 'ami');
  const full: Ec2Image = {
    ...image,
    id,
    seq,
    region: ctx.region,
    state: 'pending',
    availableAt: new Date(done + 10_000).toISOString(),
    creationDate: ctx.now.toISOString(),
    ownerId: ctx.config.accountId,
    public: false,
  };
  ec2Of(ctx.state).images[id] = full;
  return full;
}

/** The CreateImage handler. */
export function createImage(input: Record<string, unknown>, ctx: SimContext): unknown {
  const [inst] = instancesById([requireString(input, 'InstanceId')], ctx);
  const name = requireString(input, 'Name');
  if (inst === undefined || (inst.state !== 'running' && inst.state !== 'stopped')) {
    throw new SimError(
      'IncorrectInstanceState',
      `The instance '${inst?.id ?? ''}' is not in the 'running' or 'stopped' state.`,
    );
  }
  checkName(name, ctx);
  const imageTags = tagsFor(input, 'image', ['image', 'snapshot']);
  const snapshotTags = tagsFor(input, 'snapshot', ['image', 'snapshot']);
  const ec2 = ec2Of(ctx.state);
  const devices: Ec2ImageDevice[] = [];
  let done = ctx.now.getTime();
  for (const device of inst.blockDevices) {
    const volume = ec2.volumes[device.volumeId];
    if (volume === undefined) continue;
    const snap = startSnapshot(
      ctx,
      { volumeId: volume.id, size: volume.size, encrypted: volume.encrypted, data: volume.data },
      `Created by CreateImage(${inst.id}) for ${name}`,
      snapshotTags,
    );
    done = Math.max(done, Date.parse(snap.completeAt));
    devices.push({
      deviceName: device.deviceName,
      snapshotId: snap.id,
      volumeSize: volume.size,
      volumeType: volume.volumeType,
      encrypted: volume.encrypted,
      deleteOnTermination: device.deleteOnTermination,
    });
  }
  const description = typeof input.Description === 'string' ? input.Description : undefined;
  const image = register(
    ctx,
    {
      name,
      description,
      architecture: inst.architecture,
      rootDeviceName: inst.rootDeviceName,
      devices,
      tags: imageTags,
      sourceInstanceId: inst.id,
    },
    done,
  );
  return { ImageId: image.id };
}

/** The CopyImage handler, called in the destination Region. */
export function copyImage(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ec2 = ec2Of(ctx.state);
  const token = typeof input.ClientToken === 'string' ? input.ClientToken : undefined;
  const key = token === undefined ? undefined : `copy|${ctx.region}|${token}`;
  const { ClientToken: _t, DryRun: _d, ...rest } = input;
  const print = JSON.stringify(rest);
  const previous = key === undefined ? undefined : ec2.tokens[key];
  if (previous !== undefined) {
    if (previous.fingerprint !== print)
      throw new SimError(
        'IdempotentParameterMismatch',
        'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
      );
    return { ImageId: previous.imageId };
  }
  const sourceRegion = requireString(input, 'SourceRegion');
  const sourceId = requireString(input, 'SourceImageId');
  checkId('image', sourceId);
  const source = findImage(ec2, sourceRegion, sourceId);
  if (source === undefined) throw notFound('image', [sourceId]);
  if (source.state !== 'available')
    throw new SimError('InvalidAMIID.Unavailable', `The image id '[${sourceId}]' is not available`);
  const name = requireString(input, 'Name');
  checkName(name, ctx);
  const encrypt = input.Encrypted === true;
  // "To tag the new snapshots, the value for ResourceType must be snapshot. The same tag is applied to all the new snapshots."
  const snapshotTags = tagsFor(input, 'snapshot', ['image', 'snapshot']);
  let done = ctx.now.getTime();
  const devices = source.devices.map((d) => {
    const data = ec2.snapshots[d.snapshotId]?.data;
    const snap = startSnapshot(
      ctx,
      {
        volumeId: 'vol-ffffffff',
        size: d.volumeSize,
        encrypted: d.encrypted || encrypt,
        data,
        sourceSnapshotId: d.snapshotId,
      },
      `Copied for DestinationAmi from SourceAmi ${sourceId} in ${sourceRegion}`,
      snapshotTags,
    );
    done = Math.max(done, Date.parse(snap.completeAt));
    return { ...d, snapshotId: snap.id, encrypted: snap.encrypted };
  });
  const tags = {
    ...(input.CopyImageTags === true ? source.tags : {}),
    ...tagsFor(input, 'image', ['image', 'snapshot']),
  };
  const description = typeof input.Description === 'string' ? input.Description : source.description;
  const image = register(
    ctx,
    { name, description, architecture: source.architecture, rootDeviceName: source.rootDeviceName, devices, tags },
    done,
  );
  if (key !== undefined) ec2.tokens[key] = { fingerprint: print, imageId: image.id };
  return { ImageId: image.id };
}

function ownerMatches(image: Ec2Image, owners: string[], accountId: string): boolean {
  if (owners.length === 0) return true;
  return owners.some((o) =>
    o === 'self' ? image.ownerId === accountId && !image.public : o === image.ownerId || o === image.ownerAlias,
  );
}

/** The DescribeImages handler: never `ImageIds` with `MaxResults`. */
export function describeImages(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ids = coercedStringList(input, 'ImageIds');
  const owners = coercedStringList(input, 'Owners');
  idsWithoutMaxResults(input, ids, 'imagesSet');
  const page = pageRequest(input, 5, 1000);
  const filters = compileFilters(input);
  checkFilterNames(filters, IMAGE_FILTERS);
  const matches = filterPredicate(filters, imageFilterValues);
  const ec2 = ec2Of(ctx.state);
  const own = Object.values(ec2.images).filter((i) => i.region === ctx.region);
  let source = [...catalogImages(ctx.region), ...own];
  if (ids.length > 0) {
    for (const id of ids) checkId('image', id);
    const wanted = new Set(ids);
    source = source.filter((i) => wanted.has(i.id));
    const missing = ids.filter((id) => !source.some((i) => i.id === id));
    if (missing.length > 0) throw notFound('image', missing);
  }
  const result = takePage(source, page, (i) => ownerMatches(i, owners, ctx.config.accountId) && matches(i));
  return { Images: result.items.map(imageOutput), NextToken: result.nextToken };
}

/** The DeregisterImage handler. */
export function deregisterImage(input: Record<string, unknown>, ctx: SimContext): unknown {
  const id = requireString(input, 'ImageId');
  checkId('image', id);
  const ec2 = ec2Of(ctx.state);
  const image = ec2.images[id];
  if (image === undefined || image.region !== ctx.region) {
    if (catalogImages(ctx.region).some((i) => i.id === id))
      throw new SimError('OperationNotPermitted', `You do not own the image ${id}`);
    throw notFound('image', [id]);
  }
  delete ec2.images[id];
  const results = [];
  if (input.DeleteAssociatedSnapshots === true) {
    for (const device of image.devices) {
      if (ec2.snapshots[device.snapshotId] === undefined) continue;
      removeSnapshot(ctx, device.snapshotId);
      results.push({ SnapshotId: device.snapshotId, ReturnCode: 'success' });
    }
  }
  return { Return: true, DeleteSnapshotResults: input.DeleteAssociatedSnapshots === true ? results : undefined };
}
