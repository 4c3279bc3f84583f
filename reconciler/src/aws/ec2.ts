/**
 * The EC2 adapter: {@link Ec2Port} on SDK v3 `EC2Client`s, one per Region. Each method is one
 * API call (the SDK retries throttling and 5xx itself), its failure wrapped once into AwsError.
 */
import {
  AttachVolumeCommand,
  CopyImageCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DeleteVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { AwsError, awsCall } from './errors.js';
import { listInstancesById, listLabopsNamed } from './ec2-instance-reads.js';
import { replyDate } from './reply-date.js';
import { copyImageInput, runInstancesInput } from './ec2-launch.js';
import { describeImageOf, describeInstance, describeSnapshotOf, describeVolume, tagList } from './ec2-normalise.js';
import { readDefaultNetwork } from './ec2-network.js';
import { observeRegions } from './ec2-observe.js';
import { readinessOf } from './ec2-readiness.js';
import { createScheduleMethods } from './ec2-schedules.js';
import type { Ec2Port } from './ports.js';

function notFound(code: string, operation: string, resource: string): AwsError {
  return new AwsError({
    code,
    message: `${operation} ${resource}: ${code}: not returned`,
    retryable: true,
    operation,
    resource,
  });
}

/**
 * Builds the EC2 port over a per-Region client source (see `createAwsPorts`); `onceFor` sends
 * the mutations without an idempotency token (CreateSnapshot, CopySnapshot): retried only when
 * throttled. @default clientFor
 */
export function createEc2Adapter(
  clientFor: (region: string) => EC2Client,
  onceFor: (region: string) => EC2Client = clientFor,
): Ec2Port {
  return {
    ...createScheduleMethods(clientFor, onceFor),
    observe: (regions, repo, options) => observeRegions(clientFor, regions, repo, options),
    readiness: (region, instanceIds) => readinessOf(clientFor(region), instanceIds),
    defaultNetwork: (region) => readDefaultNetwork(clientFor(region), region),

    async describeInstances(region, instanceIds) {
      const command = new DescribeInstancesCommand({ InstanceIds: instanceIds });
      const clock = replyDate(command);
      const out = await awsCall('DescribeInstances', instanceIds.join(','), () => clientFor(region).send(command));
      const observedAt = clock();
      return (out.Reservations ?? [])
        .flatMap((r) => r.Instances ?? [])
        .map((i) => ({ ...describeInstance(i), ...(observedAt === undefined ? {} : { observedAt }) }));
    },

    listInstances: (region, instanceIds) => listInstancesById(clientFor(region), instanceIds),

    listLabopsNamed: (region, names) => listLabopsNamed(clientFor(region), names),

    async describeVolumes(region, volumeIds) {
      const out = await awsCall('DescribeVolumes', volumeIds.join(','), () =>
        clientFor(region).send(new DescribeVolumesCommand({ VolumeIds: volumeIds })),
      );
      return (out.Volumes ?? []).map(describeVolume);
    },

    async findSnapshots(region, volumeId, tags) {
      const Filters = [
        { Name: 'volume-id', Values: [volumeId] },
        ...Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] })),
      ];
      const out = await awsCall('DescribeSnapshots', volumeId, () =>
        clientFor(region).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters })),
      );
      return (out.Snapshots ?? []).map(describeSnapshotOf);
    },

    async describeSnapshot(region, snapshotId) {
      const out = await awsCall('DescribeSnapshots', snapshotId, () =>
        clientFor(region).send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })),
      );
      const snapshot = out.Snapshots?.[0];
      if (snapshot === undefined) throw notFound('InvalidSnapshot.NotFound', 'DescribeSnapshots', snapshotId);
      return describeSnapshotOf(snapshot);
    },

    async describeImage(region, imageId) {
      const out = await awsCall('DescribeImages', imageId, () =>
        clientFor(region).send(new DescribeImagesCommand({ ImageIds: [imageId] })),
      );
      const image = out.Images?.[0];
      if (image === undefined) throw notFound('InvalidAMIID.NotFound', 'DescribeImages', imageId);
      return describeImageOf(image, region);
    },

    async launch(request, options) {
      const out = await awsCall('RunInstances', request.clientToken, () =>
        clientFor(request.region).send(new RunInstancesCommand(runInstancesInput(request, options))),
      );
      const instance = out.Instances?.[0];
      if (instance?.InstanceId === undefined)
        throw notFound('InvalidInstanceID.NotFound', 'RunInstances', request.clientToken);
      return { instanceId: instance.InstanceId, availabilityZone: instance.Placement?.AvailabilityZone ?? '' };
    },

    async start(region, instanceIds) {
      await awsCall('StartInstances', instanceIds.join(','), () =>
        clientFor(region).send(new StartInstancesCommand({ InstanceIds: instanceIds })),
      );
    },

    async stop(region, instanceIds, hibernate = false) {
      await awsCall('StopInstances', instanceIds.join(','), () =>
        clientFor(region).send(
          new StopInstancesCommand({ InstanceIds: instanceIds, Hibernate: hibernate || undefined }),
        ),
      );
    },

    async modifyInstanceType(region, instanceId, instanceType) {
      await awsCall('ModifyInstanceAttribute', instanceId, () =>
        clientFor(region).send(
          new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceType: { Value: instanceType } }),
        ),
      );
    },

    async terminate(region, instanceId) {
      await awsCall('TerminateInstances', instanceId, () =>
        clientFor(region).send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })),
      );
    },

    async createTags(region, resourceIds, tags) {
      await awsCall('CreateTags', resourceIds.join(','), () =>
        clientFor(region).send(new CreateTagsCommand({ Resources: resourceIds, Tags: tagList(tags) })),
      );
    },

    async deleteTags(region, resourceIds, keys) {
      await awsCall('DeleteTags', resourceIds.join(','), () =>
        clientFor(region).send(new DeleteTagsCommand({ Resources: resourceIds, Tags: keys.map((Key) => ({ Key })) })),
      );
    },

    async createSnapshot(region, volumeId, tags, description) {
      const out = await awsCall('CreateSnapshot', volumeId, () =>
        onceFor(region).send(
          new CreateSnapshotCommand({
            VolumeId: volumeId,
            Description: description,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: tagList(tags) }],
          }),
        ),
      );
      if (out.SnapshotId === undefined) throw notFound('InvalidSnapshot.NotFound', 'CreateSnapshot', volumeId);
      return out.SnapshotId;
    },

    async detachVolume(region, volumeId, instanceId) {
      await awsCall('DetachVolume', volumeId, () =>
        clientFor(region).send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId })),
      );
    },

    async attachVolume(region, volumeId, instanceId, device) {
      await awsCall('AttachVolume', volumeId, () =>
        clientFor(region).send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device })),
      );
    },

    async deleteVolume(region, volumeId) {
      await awsCall('DeleteVolume', volumeId, () =>
        clientFor(region).send(new DeleteVolumeCommand({ VolumeId: volumeId })),
      );
    },

    async copyImage(request) {
      const out = await awsCall('CopyImage', request.clientToken, () =>
        clientFor(request.region).send(new CopyImageCommand(copyImageInput(request))),
      );
      if (out.ImageId === undefined) throw notFound('InvalidAMIID.NotFound', 'CopyImage', request.clientToken);
      return out.ImageId;
    },
  };
}
