/**
 * `labops cleanup [DIR] [--delete ID]... [--yes]`: what labops leaves costing money until a person
 * decides — data volumes kept after a destroy (labops never deletes data), orphaned instances
 * (spec removed with `prune: false`, or an older duplicate) and images of SnapshotSchedules that
 * no longer exist (retention only runs for a declared schedule) — each with its monthly cost;
 * and, for the ids a person names, deletion after a confirmation.
 *
 * Only what this listing shows can be deleted, and each item is read again right before: it must
 * still carry this lab's `labops:repo` tag, and, because tags are only labels anyone with
 * `ec2:CreateTags` can write, an instance must also have been launched with the ClientToken labops
 * derives for that workstation (set by RunInstances, never changeable), a volume must be
 * unattached. Deleting twice is harmless: an item already gone is reported as such.
 */
import { createInterface } from 'node:readline/promises';
import { AwsError, hasAwsCode } from '../../aws/errors.js';
import type { AwsPorts } from '../../aws/ports.js';
import { snapshotMonthlyUSD } from '../../cost/monthly.js';
import { roundUSD } from '../../engine/actions.js';
import { run } from '../../engine/pipeline.js';
import { LabopsError, UsageError } from '../../errors.js';
import { buildStatus } from '../../kinds/workstation/status-rows.js';
import type { Desired } from '../../model/desired.js';
import type { Observed } from '../../model/observed.js';
import { SCHEDULE_TAG } from '../../model/schedule.js';
import { TAG, clientToken } from '../../model/tags.js';
import { formatUSD } from '../../report/money.js';
import { createRuntime } from '../../runtime/runtime.js';
import type { Runtime } from '../../runtime/runtime.js';
import { formatOption, parseCommand } from '../args.js';
import { inCommand } from '../command-error.js';
import type { Io } from '../io.js';
import { CLEANUP_FLAGS } from '../definitions.js';
import { resolveRepoName } from '../repo-name.js';
import { resolve } from 'node:path';

/** One thing `labops cleanup` can delete. */
export interface CleanupItem {
  kind: 'volume' | 'instance' | 'image';
  id: string;
  region: string;
  /** The workstation or schedule it belonged to. */
  name: string;
  /** Why it is listed. */
  reason: string;
  monthlyUSD: number;
}

/** What is left costing money: kept volumes, orphans, images of removed schedules (cheapest last). */
export function cleanupItems(desired: Desired, observed: Observed, now: Date): CleanupItem[] {
  const status = buildStatus(desired, observed, now);
  const items: CleanupItem[] = [
    ...status.keptVolumes.map((v): CleanupItem => ({
      kind: 'volume',
      id: v.volumeId,
      region: v.region,
      name: v.name,
      reason: `${v.volume ?? 'untagged'} volume, ${v.sizeGiB} GiB ${v.type}, attached to nothing`,
      monthlyUSD: v.monthlyUSD,
    })),
    ...status.orphans
      .filter((o) => o.reason !== 'spec unreadable')
      .map((o): CleanupItem => ({
        kind: 'instance',
        id: o.instanceId,
        region: o.region,
        name: o.name,
        reason: `orphan (${o.reason}), ${o.state} ${o.instanceType}`,
        monthlyUSD: o.monthlyUSD,
      })),
  ];
  const schedules = new Set(desired.schedules.map((s) => s.name));
  for (const image of observed.images) {
    const schedule = image.tags[SCHEDULE_TAG.schedule];
    if (image.tags[TAG.repo] !== desired.lab.repo || schedule === undefined || schedules.has(schedule)) continue;
    const snapshots = observed.snapshots.filter((s) => image.snapshotIds?.includes(s.snapshotId));
    items.push({
      kind: 'image',
      id: image.imageId,
      region: image.region,
      name: schedule,
      reason: `image ${image.name} of SnapshotSchedule ${schedule}, which no longer exists`,
      monthlyUSD: roundUSD(snapshots.reduce((sum, s) => sum + snapshotMonthlyUSD(image.region, s.sizeGiB), 0)),
    });
  }
  return items.sort((a, b) => b.monthlyUSD - a.monthlyUSD || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Runs `labops cleanup`; 0 when everything named was deleted (or nothing was named). */
export async function runCleanupCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('cleanup', argv, CLEANUP_FLAGS);
  if (positionals.length > 1)
    throw new UsageError(`labops cleanup: expected at most one DIR, got ${positionals.length}`);
  const format = formatOption('cleanup', values.format, ['text', 'json']);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const named = [...new Set(values.delete ?? [])];
  const runtime = await createRuntime({ env: io.env });
  try {
    const { desired, observed } = await observe(dir, values.repo, runtime, io);
    const items = cleanupItems(desired, observed, new Date());
    if (named.length === 0) {
      report(items, format, io);
      return 0;
    }
    const chosen: CleanupItem[] = [];
    for (const id of named) {
      const item = items.find((i) => i.id === id);
      if (item !== undefined) chosen.push(item);
      else if (await gone(runtime, desired.lab.regions, id)) io.stdout(`already gone: ${id}\n`);
      else
        throw new LabopsError(
          'not-cleanable',
          `labops cleanup: ${id} is not in the list of what labops left behind (run labops cleanup to see it); nothing was deleted`,
        );
    }
    if (chosen.length === 0) return 0;
    const total = roundUSD(chosen.reduce((sum, i) => sum + i.monthlyUSD, 0));
    for (const item of chosen) io.stdout(`  ${describe(item)}\n`);
    if (!values.yes && !(await confirm(io, `Delete ${chosen.length} (${formatUSD(total)}/month)? Type yes: `)))
      return 1;
    let failed = 0;
    for (const item of chosen) {
      try {
        const outcome = await deleteItem(runtime.ports(item.region), desired.lab.repo, item);
        io.stdout(`${outcome === 'gone' ? 'already gone' : 'deleted'}: ${item.kind} ${item.id} (${item.name})\n`);
      } catch (err) {
        if (!(err instanceof LabopsError)) throw err;
        failed++;
        io.stderr(`labops cleanup: ${item.id}: ${err.message}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  } finally {
    runtime.close();
  }
}

/** Desired and observed state (the plan-mode pipeline: read-only, no record, no Cost Explorer). */
async function observe(
  dir: string,
  repoFlag: string | undefined,
  runtime: Runtime,
  io: Io,
): Promise<{ desired: Desired; observed: Observed }> {
  let result;
  try {
    result = await run(
      {
        dir,
        mode: 'plan',
        now: new Date(),
        repo: (labName) => resolveRepoName({ flag: repoFlag, env: io.env, dir, labName }),
      },
      runtime.runDeps({ without: ['record', 'costs'] }),
    );
  } catch (err) {
    throw err instanceof AwsError ? inCommand('cleanup', err, '', 'AWS ') : err;
  }
  if (result.outcome === 'invalid')
    throw new LabopsError('invalid-lab', 'labops cleanup: labops.yaml is missing or invalid; run labops validate');
  const { desired, observed } = result;
  // Schedules' snapshots are observed only while the lab has schedules; an image of a removed
  // one needs them for its cost.
  if (observed.snapshots.length === 0 && observed.images.some((i) => i.tags[SCHEDULE_TAG.schedule] !== undefined)) {
    try {
      const snapshots = await runtime
        .ports(desired.lab.defaultRegion)
        .ec2.observeSnapshots(desired.lab.regions, desired.lab.repo);
      return { desired, observed: { ...observed, snapshots } };
    } catch (err) {
      throw err instanceof AwsError ? inCommand('cleanup', err, '', 'AWS ') : err;
    }
  }
  return { desired, observed };
}

function describe(item: CleanupItem): string {
  return `${item.kind.padEnd(8)} ${item.id.padEnd(21)} ${item.region.padEnd(14)} ${formatUSD(item.monthlyUSD).padStart(10)}/month  ${item.name}: ${item.reason}`;
}

function report(items: readonly CleanupItem[], format: string, io: Io): void {
  const total = roundUSD(items.reduce((sum, i) => sum + i.monthlyUSD, 0));
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ version: 1, items, totalMonthlyUSD: total }, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    io.stdout('Nothing to clean up: no kept volumes, orphans or images of removed schedules.\n');
    return;
  }
  for (const item of items) io.stdout(`${describe(item)}\n`);
  io.stdout(
    `\n${items.length} item(s), ${formatUSD(total)}/month. Delete with: labops cleanup --delete ID [--delete ID]... (data is gone for good)\n`,
  );
}

/** Asks on a terminal; off a terminal there is no one to ask, so --yes is required. */
async function confirm(io: Io, question: string): Promise<boolean> {
  if (!io.isTTY || !process.stdin.isTTY)
    throw new LabopsError(
      'confirmation-required',
      'labops cleanup: deleting needs a confirmation: run it on a terminal, or pass --yes; nothing was deleted',
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    if (answer.trim().toLowerCase() === 'yes') return true;
    io.stderr('labops cleanup: not confirmed; nothing was deleted\n');
    return false;
  } finally {
    rl.close();
  }
}

/**
 * True when AWS has no such volume, instance or image in any of the lab's Regions any more (or
 * only a terminated instance): a second `--delete` of what the first deleted is not an error.
 */
async function gone(runtime: Runtime, regions: readonly string[], id: string): Promise<boolean> {
  const kind = id.startsWith('vol-')
    ? 'volume'
    : id.startsWith('i-')
      ? 'instance'
      : id.startsWith('ami-')
        ? 'image'
        : undefined;
  if (kind === undefined || !/^[a-z]+-[0-9a-f]{8,17}$/.test(id)) return false;
  for (const region of regions) {
    const { ec2 } = runtime.ports(region);
    try {
      if (kind === 'volume') {
        const [v] = await ec2.describeVolumes(region, [id]);
        if (v !== undefined && v.state !== 'deleting' && v.state !== 'deleted') return false;
      } else if (kind === 'instance') {
        const [i] = await ec2.listInstances(region, [id]);
        if (i !== undefined && i.state !== 'terminated' && i.state !== 'shutting-down') return false;
      } else if ((await ec2.describeImage(region, id)).state !== 'deregistered') return false;
    } catch (err) {
      if (!hasAwsCode(err, 'InvalidVolume.NotFound', 'InvalidInstanceID.NotFound', 'InvalidAMIID.NotFound')) throw err;
    }
  }
  return true;
}

/** Refuses an item whose fresh description does not prove labops made it for this lab. */
function notOwned(item: CleanupItem, why: string): LabopsError {
  return new LabopsError('not-owned', `not deleted: ${item.kind} ${item.id} ${why}; labops deletes only what it made`);
}

/**
 * Reads the item again and deletes it when it is still this lab's: `gone` when AWS no longer has it.
 * @throws {LabopsError} `not-owned` when the fresh read does not prove ownership; {@link AwsError} from AWS
 */
export async function deleteItem(ports: AwsPorts, repo: string, item: CleanupItem): Promise<'deleted' | 'gone'> {
  const { ec2 } = ports;
  try {
    if (item.kind === 'volume') {
      const [volume] = await ec2.describeVolumes(item.region, [item.id]);
      if (volume === undefined || volume.state === 'deleting' || volume.state === 'deleted') return 'gone';
      if (volume.tags[TAG.repo] !== repo) throw notOwned(item, `is not tagged labops:repo=${repo}`);
      if (volume.attachment !== undefined || volume.state !== 'available')
        throw notOwned(item, `is ${volume.attachment ? `attached to ${volume.attachment.instanceId}` : volume.state}`);
      await ec2.deleteVolume(item.region, item.id);
      return 'deleted';
    }
    if (item.kind === 'instance') {
      const [instance] = await ec2.describeInstances(item.region, [item.id]);
      if (instance === undefined || instance.state === 'terminated' || instance.state === 'shutting-down')
        return 'gone';
      const t = instance.tags;
      const name = t[TAG.name];
      if (t[TAG.repo] !== repo || t[TAG.kind] !== 'Workstation' || name === undefined)
        throw notOwned(item, `is not tagged as a Workstation of ${repo}`);
      const generation = Number(t[TAG.generation] ?? '0');
      const expected = clientToken(repo, 'Workstation', name, t[TAG.specHash] ?? '', generation);
      if (instance.clientToken !== expected)
        throw notOwned(item, 'was not launched by labops for this lab (its ClientToken does not match its tags)');
      await ec2.terminate(item.region, item.id);
      return 'deleted';
    }
    const image = await ec2.describeImage(item.region, item.id);
    if (image.state === 'deregistered') return 'gone';
    if (image.tags[TAG.repo] !== repo || image.tags[SCHEDULE_TAG.schedule] === undefined)
      throw notOwned(item, `is not tagged as a SnapshotSchedule image of ${repo}`);
    await ec2.deregisterImage(item.region, item.id);
    return 'deleted';
  } catch (err) {
    if (hasAwsCode(err, 'InvalidVolume.NotFound', 'InvalidInstanceID.NotFound', 'InvalidAMIID.NotFound')) return 'gone';
    throw err;
  }
}
