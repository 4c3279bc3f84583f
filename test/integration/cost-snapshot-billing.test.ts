/**
 * EBS snapshot billing in the sim, read back through Cost Explorer with the real SDK: snapshots
 * are billed incrementally as EBS bills them (the first for the volume's written blocks, later
 * ones for the blocks changed since the previous snapshot of the volume), a copy into another
 * Region is full the first time and incremental afterwards, and deleting a snapshot moves its
 * blocks to the next one. The write rate comes from the instance's `POST /_sim/load` profile.
 *
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-snapshots.html — "Snapshots are
 * incremental backups, which means that only the blocks on the device that have changed after
 * your most recent snapshot are saved."
 */
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { afterEach, describe, expect, it } from 'vitest';
import { HOURS_PER_MONTH, storagePricesUSD } from '../../reconciler/src/cost/prices/index.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** USD of one day of `gib` GiB of snapshot storage in a Region. */
function dayUSD(gib: number, region: string): number {
  return ((storagePricesUSD(region)?.snapshotGiBMonth ?? 0) * gib * 24) / HOURS_PER_MONTH;
}

/** Snapshot spend per day of a Region, as Cost Explorer reports it. */
async function snapshotDays(s: TestSim, region: string, start: string, end: string): Promise<Record<string, number>> {
  const out = await s.costExplorer().send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: start, End: end },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: {
        And: [
          { Dimensions: { Key: 'USAGE_TYPE', Values: ['EBS:SnapshotUsage'] } },
          { Dimensions: { Key: 'REGION', Values: [region] } },
        ],
      },
    }),
  );
  return Object.fromEntries(
    (out.ResultsByTime ?? []).map((r) => [r.TimePeriod?.Start ?? '', Number(r.Total?.UnblendedCost?.Amount ?? 0)]),
  );
}

/** Advances the sim clock to an instant (it only moves forward). */
async function advanceTo(s: TestSim, iso: string): Promise<void> {
  const now = Date.parse(await s.control.advance('0s'));
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (seconds > 0) await s.control.advance(`${seconds}s`);
}

describe('snapshot billing', () => {
  it('bills each snapshot for the blocks it adds, copies full then incremental, deletion moving blocks on', async () => {
    // Arrange: a 100 GiB volume written 4 GiB on the first day, then 1 GiB a day.
    sim = await startTestSim({ log: () => {}, start: '2026-09-01T00:00:00Z' });
    const east = sim.ec2('us-east-1');
    const west = sim.ec2('us-west-2');
    const images = await east.send(
      new DescribeImagesCommand({
        Owners: ['099720109477'],
        Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*'] }],
      }),
    );
    const image = images.Images?.[0];
    const run = await east.send(
      new RunInstancesCommand({
        ImageId: image?.ImageId,
        InstanceType: 'm6i.large',
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [{ DeviceName: image?.RootDeviceName, Ebs: { VolumeSize: 100 } }],
      }),
    );
    const instance = run.Instances?.[0];
    const volumeId = instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? '';
    await sim.control.load([
      { instanceId: instance?.InstanceId, cpuPercent: 40, ebsWriteGiBPerDay: 4, from: '2026-09-01T00:00:00Z' },
      { instanceId: instance?.InstanceId, cpuPercent: 40, ebsWriteGiBPerDay: 1, from: '2026-09-02T00:00:00Z' },
    ]);

    // Act
    await advanceTo(sim, '2026-09-02T00:00:00Z');
    const a = await east.send(new CreateSnapshotCommand({ VolumeId: volumeId })); // first: 4 GiB written
    await advanceTo(sim, '2026-09-03T00:00:00Z');
    const b = await east.send(new CreateSnapshotCommand({ VolumeId: volumeId })); // 1 GiB changed
    await advanceTo(sim, '2026-09-03T00:10:00Z');
    await west.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: b.SnapshotId })); // first copy: full 5 GiB
    await advanceTo(sim, '2026-09-04T00:00:00Z');
    const c = await east.send(new CreateSnapshotCommand({ VolumeId: volumeId })); // 1 GiB changed
    await advanceTo(sim, '2026-09-04T00:10:00Z');
    await west.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: c.SnapshotId })); // incremental: 1 GiB
    await advanceTo(sim, '2026-09-05T00:00:00Z');
    await east.send(new DeleteSnapshotCommand({ SnapshotId: a.SnapshotId })); // its 4 GiB move to b
    await advanceTo(sim, '2026-09-06T09:00:00Z');
    const eastDays = await snapshotDays(sim, 'us-east-1', '2026-09-02', '2026-09-06');
    const westDays = await snapshotDays(sim, 'us-west-2', '2026-09-05', '2026-09-06');

    // Assert: GiB stored per day, never the 100 GiB volume size per snapshot.
    const table: [string, number, number][] = [
      ['2026-09-02', eastDays['2026-09-02'] ?? -1, dayUSD(4, 'us-east-1')],
      ['2026-09-03', eastDays['2026-09-03'] ?? -1, dayUSD(4 + 1, 'us-east-1')],
      ['2026-09-04', eastDays['2026-09-04'] ?? -1, dayUSD(4 + 1 + 1, 'us-east-1')],
      ['2026-09-05 (a deleted, b holds its blocks)', eastDays['2026-09-05'] ?? -1, dayUSD(5 + 1, 'us-east-1')],
      [
        '2026-09-05 us-west-2 (full copy of b, incremental copy of c)',
        westDays['2026-09-05'] ?? -1,
        dayUSD(5 + 1, 'us-west-2'),
      ],
    ];
    for (const [day, actual, expected] of table)
      expect({ day, usd: actual }).toEqual({ day, usd: expect.closeTo(expected, 6) });
  }, 60_000);
});
