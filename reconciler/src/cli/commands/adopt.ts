/**
 * `labops adopt`: brings resources under this lab's id with EC2 CreateTags, after showing what it
 * will change. Two forms:
 *
 * - `--from OLD-ID`: every instance, volume, image and snapshot tagged `labops:repo` = OLD-ID in
 *   the lab's Regions is retagged with this lab's id (a renamed or transferred repository, an id
 *   that used to be derived from the origin remote). Idempotent: a second run finds nothing.
 * - `--instance i-… NAME`: a hand-made instance becomes workstation NAME. Refused unless NAME is a
 *   Workstation spec, the instance is in its Region with its instance type, running or stopped,
 *   carries no other lab's id, and the workstation has no instance yet.
 *
 * Without `--apply` it only prints the plan. Tags are untrusted input: ids and names are checked
 * against the schema's patterns before any call, and tag values are shown escaped.
 */
import { resolve } from 'node:path';
import type { AwsPorts, InstanceDescription } from '../../aws/ports.js';
import { buildDesired } from '../../engine/desired.js';
import { LabopsError, UsageError } from '../../errors.js';
import { managedTags } from '../../kinds/workstation/plan/launch-request.js';
import type { Desired } from '../../model/desired.js';
import { TAG } from '../../model/tags.js';
import { escapeControls } from '../../report/safe-text.js';
import { createRuntime } from '../../runtime/runtime.js';
import { validateLab } from '../../specs/validate.js';
import { parseCommand } from '../args.js';
import type { Io } from '../io.js';
import { ADOPT_FLAGS } from '../definitions.js';
import { REPO, resolveRepoName } from '../repo-name.js';

/** A tag value for a terminal: control characters and newlines escaped. */
const shown = (value: string): string => escapeControls(JSON.stringify(value).slice(1, -1));

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
/** Most resource ids EC2 CreateTags takes in one call. */
const TAG_BATCH = 1000;

/** A refusal of adopt: one line, exit status 1, nothing changed. */
export class AdoptRefusal extends LabopsError {
  constructor(message: string) {
    super('adopt-refused', `labops adopt: ${message}; nothing was changed`);
  }
}

/** One resource to retag. */
interface Retag {
  region: string;
  id: string;
  what: 'instance' | 'volume' | 'image' | 'snapshot' | 'compute environment' | 'job queue';
  name: string;
  /** Batch resources are retagged by ARN (TagResource), EC2 ones by id (CreateTags). */
  arn?: string;
}

/** Runs `labops adopt`; returns the exit status. */
export async function runAdoptCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('adopt', argv, ADOPT_FLAGS);
  if ((values.from === undefined) === (values.instance === undefined))
    throw new UsageError('labops adopt: give exactly one of --from OLD-ID or --instance INSTANCE-ID NAME');
  if (values.from !== undefined && !REPO.test(values.from))
    throw new UsageError(`labops adopt: --from must be a lab id owner/name (got ${JSON.stringify(values.from)})`);
  if (values.instance !== undefined && !INSTANCE_ID.test(values.instance))
    throw new UsageError(
      `labops adopt: --instance must be an instance id i-… (got ${JSON.stringify(values.instance)})`,
    );
  const expected = values.instance === undefined ? 1 : 2;
  if (positionals.length > expected)
    throw new UsageError(
      `labops adopt: expected ${expected === 1 ? '[DIR]' : '[DIR] NAME'}, got ${positionals.length} arguments`,
    );
  const name = values.instance === undefined ? undefined : positionals.at(-1);
  if (values.instance !== undefined && name === undefined)
    throw new UsageError('labops adopt: --instance INSTANCE-ID needs the workstation NAME');
  const dir = resolve(
    io.cwd,
    (values.instance === undefined ? positionals[0] : positionals.length === 2 ? positionals[0] : undefined) ?? '.',
  );

  const runtime = await createRuntime({ env: io.env });
  try {
    const validation = validateLab(dir, { catalog: runtime.catalog });
    const lab = validation.specs.lab?.spec;
    if (!lab || !validation.valid)
      throw new AdoptRefusal('labops.yaml is missing or the lab is invalid (run labops validate)');
    const repo = await resolveRepoName({
      flag: values.repo,
      env: io.env,
      dir,
      labName: lab.metadata.name,
      declared: lab.spec.id,
    });
    const desired = buildDesired(validation, repo);
    if (!desired) throw new AdoptRefusal('the lab is invalid (run labops validate)');
    const ports = runtime.ports(desired.lab.defaultRegion);
    if (values.from !== undefined) return await adoptFrom(values.from, desired, ports, Boolean(values.apply), io);
    if (values.instance === undefined || name === undefined)
      throw new UsageError('labops adopt: --instance needs NAME');
    return await adoptInstance(values.instance, name, desired, ports, Boolean(values.apply), io);
  } finally {
    runtime.close();
  }
}

async function checkAccount(ports: AwsPorts, desired: Desired): Promise<void> {
  const account = await ports.identity.accountId();
  if (account !== desired.lab.accountId)
    throw new AdoptRefusal(`the credentials are for account ${account}, not the lab's ${desired.lab.accountId}`);
}

async function adoptFrom(old: string, desired: Desired, ports: AwsPorts, apply: boolean, io: Io): Promise<number> {
  const repo = desired.lab.repo;
  if (old === repo) throw new AdoptRefusal(`--from ${old} is this lab's own id`);
  const regions = desired.lab.regions;
  const observed = await ports.ec2.observe(regions, old, {
    images: regions.map((region) => ({ region, query: 'self' })),
  });
  const snapshots = await ports.ec2.observeSnapshots(regions, old);
  // Volumes attached to those instances come as their attachments: retagged only when they carry OLD-ID themselves.
  const attached: Retag[] = [];
  for (const region of regions) {
    const here = observed.instances.filter((i) => i.region === region);
    const ids = here.flatMap((i) => i.attachments.map((a) => a.volumeId));
    if (!ids.length) continue;
    for (const v of await ports.ec2.describeVolumes(region, ids))
      if (v.tags[TAG.repo] === old)
        attached.push({ region, id: v.volumeId, what: 'volume', name: v.tags[TAG.name] ?? '' });
  }
  const items: Retag[] = [
    ...observed.instances.map((i) => ({
      region: i.region,
      id: i.instanceId,
      what: 'instance' as const,
      name: i.tags[TAG.name] ?? '',
    })),
    ...attached,
    ...observed.volumes.map((v) => ({
      region: v.region,
      id: v.volumeId,
      what: 'volume' as const,
      name: v.tags[TAG.name] ?? '',
    })),
    ...observed.images
      .filter((i) => i.tags[TAG.repo] === old)
      .map((i) => ({ region: i.region, id: i.imageId, what: 'image' as const, name: i.tags[TAG.name] ?? '' })),
    ...snapshots
      .filter((s) => s.tags[TAG.repo] === old)
      .map((s) => ({ region: s.region, id: s.snapshotId, what: 'snapshot' as const, name: s.tags[TAG.name] ?? '' })),
  ];
  // A JobQueue's compute environments and queue carry labops:repo as Batch tags (the instances a
  // compute environment launches take its computeResources.tags, which only a replacement changes).
  for (const region of regions) {
    const [environments, queues] = await Promise.all([
      ports.batch.describeComputeEnvironments(region),
      ports.batch.describeBatchQueues(region),
    ]);
    for (const ce of environments)
      if (ce.tags[TAG.repo] === old && ce.status !== 'DELETING')
        items.push({ region, id: ce.name, what: 'compute environment', name: ce.tags[TAG.name] ?? '', arn: ce.arn });
    for (const q of queues)
      if (q.tags[TAG.repo] === old && q.status !== 'DELETING')
        items.push({ region, id: q.name, what: 'job queue', name: q.tags[TAG.name] ?? '', arn: q.arn });
  }
  if (!items.length) {
    io.stdout(`labops adopt: nothing is tagged labops:repo=${old} in ${regions.join(', ')}; nothing to do\n`);
    return 0;
  }
  for (const item of items)
    io.stdout(
      `  ~ ${item.what} ${item.id} (${shown(item.name) || 'unnamed'}, ${item.region}): labops:repo ${old} → ${repo}\n`,
    );
  const ours = await ports.ec2.observe(regions, repo, { images: [] });
  const taken = new Set(ours.instances.filter((i) => i.state !== 'terminated').map((i) => i.tags[TAG.name]));
  const both = [...new Set(observed.instances.map((i) => i.tags[TAG.name] ?? '').filter((n) => taken.has(n)))].sort();
  if (both.length)
    throw new AdoptRefusal(
      `workstation(s) ${both.map(shown).join(', ')} have instances under both ${old} and ${repo}; retire one of each pair first`,
    );
  if (!apply) {
    io.stdout(`labops adopt: ${items.length} resource(s) to retag; run again with --apply to retag them\n`);
    return 0;
  }
  await checkAccount(ports, desired);
  for (const item of items)
    if (item.arn !== undefined) await ports.batch.tagResource(item.region, item.arn, { [TAG.repo]: repo });
  for (const region of [...new Set(items.map((i) => i.region))]) {
    const ids = items.filter((i) => i.region === region && i.arn === undefined).map((i) => i.id);
    if (!ids.length) continue;
    for (let i = 0; i < ids.length; i += TAG_BATCH)
      await ports.ec2.createTags(region, ids.slice(i, i + TAG_BATCH), { [TAG.repo]: repo });
  }
  io.stdout(`labops adopt: retagged ${items.length} resource(s) from ${old} to ${repo}\n`);
  return 0;
}

/** Why an instance cannot become workstation `name` of lab `repo`; undefined when it can. */
export function adoptionProblem(
  instance: InstanceDescription,
  ws: { name: string; region: string; instanceType: string },
  repo: string,
): string | undefined {
  const owner = instance.tags[TAG.repo];
  if (owner !== undefined && owner !== repo)
    return `${instance.instanceId} belongs to lab id "${shown(owner)}", not ${repo} (use labops adopt --from for a lab's own old id)`;
  const kind = instance.tags[TAG.kind];
  if (owner === repo && (kind !== 'Workstation' || instance.tags[TAG.name] !== ws.name))
    return `${instance.instanceId} is already this lab's ${shown(kind ?? 'resource')} "${shown(instance.tags[TAG.name] ?? '')}"`;
  if (instance.state !== 'running' && instance.state !== 'stopped')
    return `${instance.instanceId} is ${instance.state}; adopt a running or stopped instance`;
  if (instance.instanceType !== ws.instanceType)
    return `${instance.instanceId} is a ${instance.instanceType}, but workstation ${ws.name} asks for ${ws.instanceType} (change the spec or the instance first)`;
  return undefined;
}

async function adoptInstance(
  instanceId: string,
  name: string,
  desired: Desired,
  ports: AwsPorts,
  apply: boolean,
  io: Io,
): Promise<number> {
  const repo = desired.lab.repo;
  const ws = desired.workstations.find((w) => w.name === name);
  if (!ws) throw new AdoptRefusal(`no Workstation spec named "${shown(name)}" in the lab (write its spec first)`);
  const [instance] = await ports.ec2.listInstances(ws.region, [instanceId]);
  if (!instance) throw new AdoptRefusal(`no instance ${instanceId} in ${ws.region}, workstation ${name}'s Region`);
  const problem = adoptionProblem(instance, ws, repo);
  if (problem) throw new AdoptRefusal(problem);
  if (instance.tags[TAG.repo] === repo) {
    io.stdout(`labops adopt: ${instanceId} is already workstation ${name} of ${repo}; nothing to do\n`);
    return 0;
  }
  const current = (await ports.ec2.listLabopsNamed(ws.region, [name])).filter(
    (i) => i.tags[TAG.repo] === repo && i.instanceId !== instanceId,
  );
  if (current.length)
    throw new AdoptRefusal(`workstation ${name} already has instance ${current.map((i) => i.instanceId).join(', ')}`);
  const tags = {
    ...managedTags(repo, ws),
    [TAG.generation]: '0',
    [TAG.instanceType]: ws.instanceType,
    [TAG.desiredState]: instance.state,
  };
  const root = instance.blockDevices.find((b) => b.device === instance.rootDeviceName);
  io.stdout(
    `  ~ instance ${instanceId} (${ws.region}, ${instance.instanceType}, ${instance.state}): becomes workstation ${name} of ${repo}\n`,
  );
  if (root) io.stdout(`  ~ volume ${root.volumeId}: its root volume\n`);
  if (!apply) {
    io.stdout('labops adopt: run again with --apply to tag it\n');
    return 0;
  }
  await checkAccount(ports, desired);
  await ports.ec2.createTags(ws.region, [instanceId], tags);
  if (root)
    await ports.ec2.createTags(ws.region, [root.volumeId], {
      ...managedTags(repo, ws),
      [TAG.volume]: 'root',
    });
  io.stdout(`labops adopt: ${instanceId} is now workstation ${name} of ${repo}\n`);
  return 0;
}
