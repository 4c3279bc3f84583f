/**
 * `labops cleanup` through the built CLI against `labops sim`: it lists a kept data volume, an
 * orphaned instance (spec removed, prune off) and an image of a SnapshotSchedule that no longer
 * exists, with their monthly cost from the price table; deletes only the ids named, only after a
 * confirmation (refused off a terminal without --yes); and a second run of the same delete is
 * harmless. Needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateImageCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageMonthlyUSD } from '../../reconciler/src/cost/monthly.js';
import { packageRoot } from '../../reconciler/src/package-root.js';
import { LAB_YAML, workstationYaml } from '../integration/run-harness.js';
import { runBuiltCli } from '../support/cli-run.js';
import { makeLab } from '../support/lab-fixture.js';
import { startTestSim } from '../support/sim.js';
import type { TestSim } from '../support/sim.js';

const REPO = 'lab-org/cleanup-lab';
let sim: TestSim;
let labDir: string;
const cleanups: (() => void)[] = [];
const ids = { keptVolume: '', orphan: '', image: '', alice: '' };

const labops = (args: string[]) => runBuiltCli([...args, '--repo', REPO], labDir, sim.env());

interface CleanupJson {
  items: { kind: string; id: string; name: string; monthlyUSD: number }[];
  totalMonthlyUSD: number;
}

/** `labops cleanup` on a terminal (util-linux `script` gives it a pseudo-terminal), answering `reply`. */
function onTerminal(args: string[], reply: string): Promise<{ status: number | null; output: string }> {
  const bin = join(packageRoot(), 'dist/reconciler/src/cli/main.js');
  const command = [process.execPath, bin, ...args, '--repo', REPO].map((a) => `'${a}'`).join(' ');
  return new Promise((done) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: labDir,
      env: { ...process.env, ...sim.env(), NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Type yes:')) child.stdin.write(`${reply}\n`);
    });
    child.on('close', (status) => done({ status, output }));
  });
}

/** An instance's state; `gone` once EC2 stops showing it (an hour after termination: six seconds at the sim's speed). */
async function instanceState(id: string): Promise<string | undefined> {
  const out = await sim.ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name ?? 'gone';
}

async function volumeExists(id: string): Promise<boolean> {
  const out = await sim.ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [id] }] }));
  return (out.Volumes ?? []).some((v) => v.State !== 'deleted');
}

beforeAll(async () => {
  // Arrange: alice-ws and bob-ws applied; bob's spec then removed (prune off: an orphan); a data
  // volume left by a destroyed carol-ws; an image of the removed SnapshotSchedule old-weekly.
  sim = await startTestSim({ start: '2026-09-01T14:00:00Z', clock: { speed: 600 } });
  const lab = makeLab(
    {
      'labops.yaml': LAB_YAML.replace('PRUNE', 'false'),
      'workstations/alice.yaml': workstationYaml('alice-ws'),
      'workstations/bob.yaml': workstationYaml('bob-ws'),
    },
    null,
  );
  cleanups.push(lab.cleanup);
  labDir = lab.dir;
  const applied = await labops(['apply', '.', '--record', 'off']);
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stdout}${applied.stderr}`);
  rmSync(join(labDir, 'workstations/bob.yaml'));
  const instances = (await sim.ec2().send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!);
  const byName = (n: string) => instances.find((i) => i.Tags?.some((t) => t.Key === 'labops:name' && t.Value === n))!;
  ids.orphan = byName('bob-ws').InstanceId!;
  ids.alice = byName('alice-ws').InstanceId!;
  const tags = [
    { Key: 'labops:repo', Value: REPO },
    { Key: 'labops:kind', Value: 'Workstation' },
    { Key: 'labops:name', Value: 'carol-ws' },
    { Key: 'labops:volume', Value: 'data' },
  ];
  const volume = await sim.ec2().send(
    new CreateVolumeCommand({
      AvailabilityZone: 'us-east-1a',
      Size: 100,
      VolumeType: 'gp3',
      TagSpecifications: [{ ResourceType: 'volume', Tags: tags }],
    }),
  );
  ids.keptVolume = volume.VolumeId!;
  const imageTags = [
    { Key: 'labops:repo', Value: REPO },
    { Key: 'labops:kind', Value: 'SnapshotSchedule' },
    { Key: 'labops:schedule', Value: 'old-weekly' },
    { Key: 'labops:workstation', Value: 'alice-ws' },
  ];
  const image = await sim.ec2().send(
    new CreateImageCommand({
      InstanceId: ids.alice,
      Name: 'labops-old-weekly-alice-ws-2026-08-30',
      NoReboot: true,
      TagSpecifications: [
        { ResourceType: 'image', Tags: imageTags },
        { ResourceType: 'snapshot', Tags: imageTags },
      ],
    }),
  );
  ids.image = image.ImageId!;
  await sim.control.advance('30m');
}, 90_000);
afterAll(async () => {
  await sim.close();
  cleanups.forEach((c) => c());
});

describe('labops cleanup (built CLI against the sim)', { timeout: 60_000 }, () => {
  it("lists the kept volume, the orphan and the removed schedule's image with their monthly cost", async () => {
    const result = await labops(['cleanup', '--format', 'json']);

    expect(result.status, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as CleanupJson;
    expect(body.items.map((i) => [i.kind, i.id, i.name]).sort()).toEqual(
      [
        ['image', ids.image, 'old-weekly'],
        ['instance', ids.orphan, 'bob-ws'],
        ['volume', ids.keptVolume, 'carol-ws'],
      ].sort(),
    );
    const volume = body.items.find((i) => i.kind === 'volume')!;
    expect(volume.monthlyUSD).toBeCloseTo(storageMonthlyUSD('us-east-1', [{ sizeGiB: 100, type: 'gp3' }]), 2);
    expect(body.items.every((i) => i.monthlyUSD > 0)).toBe(true);
    expect(body.items.some((i) => i.id === ids.alice)).toBe(false);
  });

  it('text: one line per item with its cost, and how to delete', async () => {
    const result = await labops(['cleanup']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`volume\\s+${ids.keptVolume}\\s+us-east-1\\s+\\$8\\.00/month  carol-ws`));
    expect(result.stdout).toContain('3 item(s)');
    expect(result.stdout).toContain('labops cleanup --delete ID');
  });

  it('off a terminal without --yes: refused, nothing deleted', async () => {
    const result = await labops(['cleanup', '--delete', ids.keptVolume]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'deleting needs a confirmation: run it on a terminal, or pass --yes; nothing was deleted',
    );
    expect(await volumeExists(ids.keptVolume)).toBe(true);
  });

  it('on a terminal: asks, and anything but yes deletes nothing', async () => {
    const result = await onTerminal(['cleanup', '--delete', ids.keptVolume], 'no');

    expect(result.output).toContain('Delete 1 ($8.00/month)? Type yes:');
    expect(result.output).toContain('not confirmed; nothing was deleted');
    expect(result.status).toBe(1);
    expect(await volumeExists(ids.keptVolume)).toBe(true);
  });

  it('refuses an id it did not list (a live workstation), deleting nothing', async () => {
    const result = await labops(['cleanup', '--delete', ids.keptVolume, '--delete', ids.alice, '--yes']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${ids.alice} is not in the list of what labops left behind`);
    expect([await volumeExists(ids.keptVolume), await instanceState(ids.alice)]).toEqual([true, 'running']);
  });

  it('deletes exactly the ids named with --yes, and a second run of the same delete is harmless', async () => {
    const first = await labops(['cleanup', '--delete', ids.keptVolume, '--delete', ids.orphan, '--yes']);
    const second = await labops(['cleanup', '--delete', ids.keptVolume, '--delete', ids.orphan, '--yes']);

    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`deleted: volume ${ids.keptVolume} (carol-ws)`);
    expect(first.stdout).toContain(`deleted: instance ${ids.orphan} (bob-ws)`);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(`already gone: ${ids.keptVolume}\nalready gone: ${ids.orphan}\n`);
    expect(await volumeExists(ids.keptVolume)).toBe(false);
    expect(['shutting-down', 'terminated', 'gone']).toContain(await instanceState(ids.orphan));
    expect(await instanceState(ids.alice)).toBe('running');
    const images = await sim.ec2().send(new DescribeImagesCommand({ ImageIds: [ids.image] }));
    expect(images.Images?.[0]?.State).toBe('available');
  });

  it('deregisters a named image of a removed schedule', async () => {
    const result = await labops(['cleanup', '--delete', ids.image, '--yes']);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`deleted: image ${ids.image} (old-weekly)`);
    const images = await sim
      .ec2()
      .send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: [ids.image] }] }));
    expect((images.Images ?? []).filter((i) => i.State !== 'deregistered')).toEqual([]);
  });
});
