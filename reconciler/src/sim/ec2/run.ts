/**
 * RunInstances: image and type checks, hibernation prerequisites, block device mappings that
 * create volumes, tags on create, and `ClientToken` idempotency as AWS documents it (same token
 * and parameters: the same reservation; same token, other parameters: IdempotentParameterMismatch).
 */
import { instanceTypeInfo } from '../../cost/prices/index.js';
import { SimError } from '../core/contract.js';
import type { SimContext } from '../core/contract.js';
import { catalogImage } from './catalog.js';
import { checkId, requireString, tagsFor } from './input.js';
import { ec2Of, later, newId } from './model.js';
import type { Ec2Image, Ec2Instance, Ec2State } from './model.js';
import { reservationOutput } from './output.js';
import { launchMarket, launchNetwork } from './launch-options.js';
import { AZ_LETTERS, defaultVpcOf } from './default-vpc.js';
import type { LaunchMarket, LaunchNetwork } from './launch-options.js';
import { createVolume, VOLUME_TYPES } from './volume-store.js';
import { hexFrom } from '../core/random.js';

/** An image visible in `region`: own or public catalog. */
export function findImage(ec2: Ec2State, region: string, imageId: string): Ec2Image | undefined {
  const own = ec2.images[imageId];
  if (own !== undefined && own.region === region) return own;
  return catalogImage(region, imageId);
}

/**
 * Canonical JSON of a request without the members that may differ between identical retries:
 * the token, DryRun, and the Availability Zone (AWS ignores zone differences on a retry), so a
 * `Placement` left empty without its zone counts as no `Placement` at all.
 */
export function fingerprint(input: Record<string, unknown>): string {
  const { ClientToken: _t, DryRun: _d, ...rest } = input;
  const placement = rest.Placement as Record<string, unknown> | undefined;
  if (placement !== undefined) {
    const { AvailabilityZone: _az, ...otherPlacement } = placement;
    if (Object.values(otherPlacement).some((v) => v !== undefined)) rest.Placement = otherPlacement;
    else delete rest.Placement;
  }
  return JSON.stringify(rest, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

function counts(input: Record<string, unknown>): number {
  if (input.MinCount === undefined)
    throw new SimError('MissingParameter', 'The request must contain the parameter MinCount');
  if (input.MaxCount === undefined)
    throw new SimError('MissingParameter', 'The request must contain the parameter MaxCount');
  const min = Number(input.MinCount);
  const max = Number(input.MaxCount);
  if (!Number.isInteger(min) || min < 1)
    throw new SimError(
      'InvalidParameterValue',
      `Value (${min}) for parameter minCount is invalid. Expected a positive integer.`,
    );
  if (!Number.isInteger(max) || max < min)
    throw new SimError(
      'InvalidParameterValue',
      `Value (${max}) for parameter maxCount is invalid. Expected a value of at least minCount.`,
    );
  return max;
}

function azFor(ctx: SimContext, input: Record<string, unknown>, subnetId: string | undefined): string {
  const region = ctx.region;
  const placementAz = (input.Placement as { AvailabilityZone?: string } | undefined)?.AvailabilityZone;
  if (placementAz !== undefined) {
    if (!placementAz.startsWith(region))
      throw new SimError('InvalidParameterValue', `Invalid availability zone: [${placementAz}]`);
    return placementAz;
  }
  const subnet = subnetId ?? '';
  const ownAz = defaultVpcOf(ctx, region)?.subnets.find((s) => s.id === subnet)?.az;
  if (ownAz !== undefined) return ownAz;
  return `${region}${AZ_LETTERS[subnet.length === 0 ? 0 : parseInt(hexFrom(subnet.length, subnet.charCodeAt(subnet.length - 1), 2), 16) % AZ_LETTERS.length]}`;
}

interface DeviceRequest {
  DeviceName?: string;
  NoDevice?: string;
  Ebs?: {
    VolumeSize?: number;
    VolumeType?: string;
    Encrypted?: boolean;
    DeleteOnTermination?: boolean;
    SnapshotId?: string;
    Iops?: number;
    Throughput?: number;
  };
}

function checkHibernation(
  input: Record<string, unknown>,
  type: string,
  memoryGiB: number,
  supported: boolean,
  root: { encrypted: boolean; size: number },
): void {
  if ((input.HibernationOptions as { Configured?: boolean } | undefined)?.Configured !== true) return;
  const fail = (why: string): never => {
    throw new SimError(
      'UnsupportedHibernationConfiguration',
      `The instance could not be launched because one or more parameter values do not meet the prerequisites for enabling hibernation: ${why}`,
    );
  };
  if (!supported) fail(`instance type ${type} does not support hibernation`);
  if (!root.encrypted) fail('the root volume must be encrypted');
  if (root.size < memoryGiB)
    fail(`the root volume (${root.size} GiB) must be at least as large as the instance memory (${memoryGiB} GiB)`);
}

function rootOf(
  image: Ec2Image,
  mappings: DeviceRequest[],
): { size: number; volumeType: string; encrypted: boolean; deleteOnTermination: boolean; snapshotId: string } {
  const base = image.devices.find((d) => d.deviceName === image.rootDeviceName) ?? image.devices[0];
  const override = mappings.find((m) => m.DeviceName === image.rootDeviceName)?.Ebs ?? {};
  const size = override.VolumeSize ?? base?.volumeSize ?? 8;
  if (size < (base?.volumeSize ?? 1))
    throw new SimError(
      'InvalidBlockDeviceMapping',
      `Volume of size ${size}GB is smaller than snapshot '${base?.snapshotId}', expect size >= ${base?.volumeSize}GB`,
    );
  return {
    size,
    volumeType: override.VolumeType ?? base?.volumeType ?? 'gp3',
    encrypted: override.Encrypted ?? base?.encrypted ?? false,
    deleteOnTermination: override.DeleteOnTermination ?? true,
    snapshotId: base?.snapshotId ?? '',
  };
}

/** The RunInstances handler. */
export function runInstances(input: Record<string, unknown>, ctx: SimContext): unknown {
  const ec2 = ec2Of(ctx.state);
  const token = typeof input.ClientToken === 'string' ? input.ClientToken : undefined;
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]*$/.test(token))) {
    throw new SimError(
      'InvalidParameterValue',
      'Value for parameter clientToken is invalid: at most 64 ASCII characters.',
    );
  }
  const tokenKey = token === undefined ? undefined : `${ctx.region}|${token}`;
  const previous = tokenKey === undefined ? undefined : ec2.tokens[tokenKey];
  const print = fingerprint(input);
  if (previous !== undefined) return replay(ec2, previous, print, ctx);
  const max = counts(input);
  const imageId = requireString(input, 'ImageId');
  checkId('image', imageId);
  const image = findImage(ec2, ctx.region, imageId);
  if (image === undefined) throw new SimError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  if (image.state !== 'available')
    throw new SimError('InvalidAMIID.Unavailable', `The image id '[${imageId}]' is not available`);
  const instanceType = typeof input.InstanceType === 'string' ? input.InstanceType : 'm1.small';
  const info = instanceTypeInfo(instanceType);
  if (info === undefined)
    throw new SimError('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
  if (info.architecture !== image.architecture) {
    throw new SimError(
      'InvalidParameterValue',
      `The architecture '${info.architecture}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI.`,
    );
  }
  const mappings = Array.isArray(input.BlockDeviceMappings) ? (input.BlockDeviceMappings as DeviceRequest[]) : [];
  const root = rootOf(image, mappings);
  checkHibernation(input, instanceType, info.memoryGiB, info.hibernationSupported, root);
  const instanceTags = tagsFor(input, 'instance', [
    'instance',
    'volume',
    'network-interface',
    'spot-instances-request',
  ]);
  const volumeTags = tagsFor(input, 'volume', ['instance', 'volume', 'network-interface', 'spot-instances-request']);
  const devices = planDevices(image, root, mappings);
  const defaultVpc = defaultVpcOf(ctx, ctx.region);
  const network = launchNetwork(input, (subnetId) => defaultVpc?.subnets.some((s) => s.id === subnetId) === true);
  // "If you don't specify a subnet ID, we choose a default subnet from your default VPC for you.
  // If you don't have a default VPC, you must specify a subnet ID in the request."
  if (network.subnetId === undefined && defaultVpc === undefined)
    throw new SimError('VPCIdNotSpecified', 'No default VPC for this user');
  const market = launchMarket(input);
  const reservation = newId(ctx, 'r');
  const instances: Ec2Instance[] = [];
  for (let index = 0; index < max; index += 1) {
    instances.push(
      launchOne({
        input,
        ctx,
        image,
        instanceType,
        devices,
        instanceTags,
        volumeTags,
        reservationId: reservation.id,
        index,
        token,
        network,
        market,
      }),
    );
  }
  if (tokenKey !== undefined)
    ec2.tokens[tokenKey] = {
      fingerprint: print,
      reservationId: reservation.id,
      instanceIds: instances.map((i) => i.id),
    };
  return reservationOutput(ctx.config.accountId, reservation.id, instances, ctx.state);
}

function replay(
  ec2: Ec2State,
  previous: { fingerprint: string; reservationId?: string; instanceIds?: string[] },
  print: string,
  ctx: SimContext,
): unknown {
  if (previous.fingerprint !== print) {
    throw new SimError(
      'IdempotentParameterMismatch',
      'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
    );
  }
  const instances = (previous.instanceIds ?? [])
    .map((id) => ec2.instances[id])
    .filter((i): i is Ec2Instance => i !== undefined);
  if (instances.length === 0 || instances.every((i) => i.state === 'terminated')) {
    throw new SimError(
      'IdempotentInstanceTerminated',
      'The client token has already been used for a request whose instances have been terminated.',
    );
  }
  return reservationOutput(ctx.config.accountId, previous.reservationId ?? '', instances, ctx.state);
}

interface LaunchPlan {
  input: Record<string, unknown>;
  ctx: SimContext;
  image: Ec2Image;
  instanceType: string;
  devices: PlannedDevice[];
  instanceTags: Record<string, string>;
  volumeTags: Record<string, string>;
  reservationId: string;
  index: number;
  token: string | undefined;
  network: LaunchNetwork;
  market: LaunchMarket | undefined;
}

function launchOne(plan: LaunchPlan): Ec2Instance {
  const { input, ctx, image } = plan;
  const { id, seq } = newId(ctx, 'i');
  const now = ctx.now.toISOString();
  const { network, market } = plan;
  const az = azFor(ctx, input, network.subnetId);
  const n = seq % 65_536;
  const defaultVpc = defaultVpcOf(ctx, ctx.region);
  const subnetId = network.subnetId ?? defaultVpc?.subnets.find((s) => s.az === az)?.id ?? '';
  const instance: Ec2Instance = {
    id,
    seq,
    region: ctx.region,
    az,
    reservationId: plan.reservationId,
    instanceType: plan.instanceType,
    imageId: image.id,
    architecture: image.architecture,
    state: 'pending',
    transitionAt: later(ctx.now, 30 + Math.floor(ctx.random() * 31)),
    createdAt: now,
    launchTime: now,
    stateTransitionReason: '',
    tags: { ...plan.instanceTags },
    clientToken: plan.token,
    hibernationConfigured: (input.HibernationOptions as { Configured?: boolean } | undefined)?.Configured === true,
    userData: typeof input.UserData === 'string' ? input.UserData : undefined,
    subnetId,
    // A named subnet outside the default VPC is taken at its word; the sim has no other VPC to put it in.
    vpcId: defaultVpc?.vpcId ?? `vpc-0${hexFrom(ctx.config.seed ^ 0x7bc, 1, 16)}`,
    securityGroupIds:
      network.securityGroupIds ??
      (defaultVpc === undefined ? [`sg-0${hexFrom(ctx.config.seed ^ 0x5e9, 1, 16)}`] : [defaultVpc.securityGroupId]),
    mapPublicIp: network.mapPublicIp,
    spot: market
      ? {
          requestId: `sir-${hexFrom(ctx.config.seed ^ 0x5b07, seq, 8)}`,
          type: market.spotInstanceType,
          interruptionBehavior: market.interruptionBehavior,
        }
      : undefined,
    iamInstanceProfile: input.IamInstanceProfile as Ec2Instance['iamInstanceProfile'],
    metadataOptions: input.MetadataOptions as Record<string, unknown> | undefined,
    keyName: typeof input.KeyName === 'string' ? input.KeyName : undefined,
    rootDeviceName: image.rootDeviceName,
    blockDevices: [],
    privateIp: `10.0.${Math.floor(n / 256)}.${n % 256}`,
    amiLaunchIndex: plan.index,
    disableApiTermination: input.DisableApiTermination === true ? true : undefined,
    disableApiStop: input.DisableApiStop === true ? true : undefined,
  };
  ec2Of(ctx.state).instances[id] = instance;
  attachLaunchVolumes(plan, instance);
  return instance;
}

interface PlannedDevice {
  deviceName: string;
  size: number;
  volumeType: string;
  encrypted: boolean;
  deleteOnTermination: boolean;
  snapshotId: string;
}

/** The volumes each instance gets: the root, the image's other devices, then the request's extra mappings. */
function planDevices(image: Ec2Image, root: ReturnType<typeof rootOf>, mappings: DeviceRequest[]): PlannedDevice[] {
  const devices: PlannedDevice[] = [{ deviceName: image.rootDeviceName, ...root }];
  for (const device of image.devices) {
    if (device.deviceName === image.rootDeviceName || mappings.some((m) => m.DeviceName === device.deviceName))
      continue;
    devices.push({ ...device, size: device.volumeSize });
  }
  for (const m of mappings) {
    if (
      m.DeviceName === undefined ||
      m.DeviceName === image.rootDeviceName ||
      m.Ebs === undefined ||
      m.NoDevice !== undefined
    )
      continue;
    const fromImage = image.devices.find((d) => d.deviceName === m.DeviceName);
    const size = m.Ebs.VolumeSize ?? fromImage?.volumeSize;
    if (size === undefined || size < 1 || size > 65_536)
      throw new SimError(
        'InvalidBlockDeviceMapping',
        `The device '${m.DeviceName}' needs a VolumeSize between 1 and 65536 GiB or a SnapshotId`,
      );
    const volumeType = m.Ebs.VolumeType ?? 'gp3';
    if (!VOLUME_TYPES.has(volumeType))
      throw new SimError('InvalidParameterValue', `Value (${volumeType}) for parameter volumeType is invalid.`);
    devices.push({
      deviceName: m.DeviceName,
      size,
      volumeType,
      encrypted: m.Ebs.Encrypted ?? false,
      deleteOnTermination: m.Ebs.DeleteOnTermination ?? true,
      snapshotId: m.Ebs.SnapshotId ?? fromImage?.snapshotId ?? '',
    });
  }
  return devices;
}

function attachLaunchVolumes(plan: LaunchPlan, instance: Ec2Instance): void {
  const { ctx } = plan;
  for (const d of plan.devices) {
    const volume = createVolume(ctx, {
      az: instance.az,
      size: d.size,
      volumeType: d.volumeType,
      encrypted: d.encrypted,
      snapshotId: d.snapshotId || undefined,
      tags: plan.volumeTags,
      immediate: true,
    });
    const attachTime = ctx.now.toISOString();
    volume.state = 'in-use';
    volume.attachment = {
      instanceId: instance.id,
      device: d.deviceName,
      state: 'attached',
      attachTime,
      deleteOnTermination: d.deleteOnTermination,
    };
    instance.blockDevices.push({
      deviceName: d.deviceName,
      volumeId: volume.id,
      deleteOnTermination: d.deleteOnTermination,
      attachTime,
    });
  }
}
