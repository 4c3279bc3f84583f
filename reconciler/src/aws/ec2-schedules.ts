/**
 * The EC2 calls of SnapshotSchedules: a bulk, tag-filtered DescribeSnapshots per Region, and the
 * snapshot and image mutations that take, copy and expire scheduled snapshots. Part of the EC2
 * adapter (`createEc2Adapter` spreads these in); each call's failure is wrapped once into AwsError.
 */
import {
  CopySnapshotCommand,
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  paginateDescribeImages,
  paginateDescribeSnapshots,
} from '@aws-sdk/client-ec2';
import type { EC2Client, Filter, Image, Snapshot } from '@aws-sdk/client-ec2';
import type { ObservedSnapshot } from '../model/schedule.js';
import { TAG } from '../model/tags.js';
import { AwsError, awsCall, toAwsError } from './errors.js';
import { describeImageOf, tagList, tagRecord } from './ec2-normalise.js';
import type { Ec2Port } from './ports.js';

/** Largest DescribeSnapshots page. */
const SNAPSHOT_PAGE = 1000;

type ScheduleMethods = Pick<
  Ec2Port,
  | 'observeSnapshots'
  | 'listSnapshots'
  | 'findImages'
  | 'createImage'
  | 'copySnapshot'
  | 'deleteSnapshot'
  | 'deregisterImage'
>;

function tagFilters(tags: Record<string, string>): Filter[] {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

/** A listed snapshot in the model's terms. */
export function observeSnapshot(snapshot: Snapshot, region: string): ObservedSnapshot {
  const start = snapshot.StartTime;
  return {
    snapshotId: snapshot.SnapshotId ?? '',
    region,
    volumeId: snapshot.VolumeId ?? '',
    state: snapshot.State ?? '',
    startTime: start === undefined ? '' : new Date(start).toISOString(),
    sizeGiB: snapshot.VolumeSize ?? 0,
    tags: tagRecord(snapshot.Tags),
  };
}

async function listSnapshots(
  client: EC2Client,
  region: string,
  tags: Record<string, string>,
): Promise<ObservedSnapshot[]> {
  const out: ObservedSnapshot[] = [];
  try {
    for await (const page of paginateDescribeSnapshots(
      { client, pageSize: SNAPSHOT_PAGE },
      { OwnerIds: ['self'], Filters: tagFilters(tags) },
    )) {
      for (const snapshot of page.Snapshots ?? []) out.push(observeSnapshot(snapshot, region));
    }
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeSnapshots', Object.values(tags).join(','));
  }
  return out;
}

async function listImages(client: EC2Client, tags: Record<string, string>): Promise<Image[]> {
  const out: Image[] = [];
  try {
    for await (const page of paginateDescribeImages(
      { client, pageSize: 1000 },
      { Owners: ['self'], Filters: tagFilters(tags) },
    ))
      out.push(...(page.Images ?? []));
  } catch (err: unknown) {
    throw toAwsError(err, 'DescribeImages', Object.values(tags).join(','));
  }
  return out;
}

/** The schedule methods of the EC2 port over a per-Region client source (`onceFor`: CopySnapshot, retried only when throttled). */
export function createScheduleMethods(
  clientFor: (region: string) => EC2Client,
  onceFor: (region: string) => EC2Client = clientFor,
): ScheduleMethods {
  return {
    async observeSnapshots(regions, repo) {
      const tags = { [TAG.repo]: repo, [TAG.kind]: 'SnapshotSchedule' };
      const parts = await Promise.all(
        [...new Set(regions)].map((region) => listSnapshots(clientFor(region), region, tags)),
      );
      return parts.flat();
    },

    listSnapshots: (region, tags) => listSnapshots(clientFor(region), region, tags),

    async findImages(region, tags) {
      return (await listImages(clientFor(region), tags)).map((image) => describeImageOf(image, region));
    },

    async createImage(region, instanceId, name, tags) {
      const out = await awsCall('CreateImage', instanceId, () =>
        clientFor(region).send(
          new CreateImageCommand({
            InstanceId: instanceId,
            Name: name,
            NoReboot: true,
            TagSpecifications: [
              { ResourceType: 'image', Tags: tagList(tags) },
              { ResourceType: 'snapshot', Tags: tagList(tags) },
            ],
          }),
        ),
      );
      if (out.ImageId === undefined)
        throw new AwsError({
          code: 'InvalidAMIID.NotFound',
          message: `CreateImage ${name}: no image id returned`,
          retryable: true,
          operation: 'CreateImage',
          resource: name,
        });
      return out.ImageId;
    },

    async copySnapshot(region, sourceRegion, sourceSnapshotId, tags, description) {
      const out = await awsCall('CopySnapshot', sourceSnapshotId, () =>
        onceFor(region).send(
          new CopySnapshotCommand({
            SourceRegion: sourceRegion,
            SourceSnapshotId: sourceSnapshotId,
            Description: description,
            Encrypted: true,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: tagList(tags) }],
          }),
        ),
      );
      if (out.SnapshotId === undefined)
        throw new AwsError({
          code: 'InvalidSnapshot.NotFound',
          message: `CopySnapshot ${sourceSnapshotId}: no snapshot id returned`,
          retryable: true,
          operation: 'CopySnapshot',
          resource: sourceSnapshotId,
        });
      return out.SnapshotId;
    },

    async deleteSnapshot(region, snapshotId) {
      await awsCall('DeleteSnapshot', snapshotId, () =>
        clientFor(region).send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })),
      );
    },

    async deregisterImage(region, imageId) {
      await awsCall('DeregisterImage', imageId, () =>
        clientFor(region).send(new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true })),
      );
    },
  };
}
