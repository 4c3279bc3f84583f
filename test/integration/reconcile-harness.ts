/**
 * Shared fixtures of the reconcile-* end-to-end tests: a lab folder on disk (labops.yaml plus
 * workstation files), the simulator in-process, and the whole pipeline (`run`) with the real SDK
 * through `createAwsPorts`, whose sleep advances the simulated clock. Also runs the real CLI
 * (`runCli`) against the same simulator through the SDK's configuration chain.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateImageCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { stringify } from 'yaml';
import { createAwsPorts } from '../../reconciler/src/aws/factory.js';
import type { AwsPortsHandle } from '../../reconciler/src/aws/factory.js';
import { runCli } from '../../reconciler/src/cli/run-cli.js';
import { loadCatalog } from '../../reconciler/src/environments/catalog.js';
import type { ObservedInstance } from '../../reconciler/src/model/observed.js';
import { TAG } from '../../reconciler/src/model/tags.js';
import { run } from '../../reconciler/src/engine/pipeline.js';
import type { RunMode } from '../../reconciler/src/engine/pipeline.js';
import { view } from '../support/run-view.js';
import type { RunView } from '../support/run-view.js';
import { captureIo } from '../support/io.js';
import { makeLab } from '../support/lab-fixture.js';
import { labQueues, startTestSim } from '../support/sim.js';
import type { TestSim, TestSimOptions } from '../support/sim.js';

export const REPO = 'lab/reconcile-e2e';
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** Every Region a test lab may use. */
export const REGIONS = ['us-east-1', 'us-west-2'];

/** The Lab spec's knobs the tests turn. */
export interface LabSettings {
  accountId?: string;
  prune?: boolean;
  selfHeal?: boolean;
  timezone?: string;
  breaks?: { name: string; from: string; to: string }[];
  /** @default [us-east-1] */
  regions?: string[];
}

/** labops.yaml for a lab in us-east-1 (and `regions`, when given). */
export function labYaml(settings: LabSettings = {}): string {
  return stringify({
    apiVersion: 'labops/v1',
    kind: 'Lab',
    metadata: { name: 'reconcile-e2e' },
    spec: {
      aws: { accountId: settings.accountId ?? ACCOUNT, defaultRegion: REGION, regions: settings.regions ?? [REGION] },
      admins: ['pi'],
      policy: {
        allowedInstanceTypes: ['t3.*', 'm6i.*', 'r6i.*'],
        maxHourlyUSDPerWorkstation: 3,
        maxWorkstationsPerOwner: 3,
        prune: settings.prune ?? false,
        selfHeal: settings.selfHeal ?? false,
        requireBudget: false,
      },
      calendar: { timezone: settings.timezone ?? 'America/New_York', breaks: settings.breaks ?? [] },
    },
  });
}

/** A Workstation file: base-ubuntu on m6i.large with a 20 GiB `data` volume, plus `spec` overrides. */
export function workstationYaml(
  name: string,
  spec: Record<string, unknown> = {},
  owner = 'alice',
  labels?: Record<string, string>,
): string {
  return stringify({
    apiVersion: 'labops/v1',
    kind: 'Workstation',
    metadata: { name, owner, project: 'neuro', ...(labels === undefined ? {} : { labels }) },
    spec: {
      environment: 'base-ubuntu@^1',
      instanceType: 'm6i.large',
      storage: { rootGiB: 40, volumes: [{ name: 'data', sizeGiB: 20, type: 'gp3' }] },
      ...spec,
    },
  });
}

/** A lab on disk, the simulator, and the pipeline wired to it. */
export interface ReconcileHarness {
  sim: TestSim;
  ports: AwsPortsHandle;
  dir: string;
  /** Writes (or replaces) a file of the lab. */
  write(path: string, text: string): void;
  remove(path: string): void;
  /** The simulator's clock now. */
  now(): Promise<Date>;
  /** Runs the pipeline at `now` (default: the simulator's clock). */
  run(mode: RunMode, now?: Date): Promise<RunView>;
  /** Runs the CLI in-process against the simulator (AWS_ENDPOINT_URL and credentials in the environment). */
  cli(...argv: string[]): Promise<{ code: number; out: string; err: string }>;
  /** Mutating EC2 calls so far, by operation (everything but Describe*). */
  mutations(): Promise<Record<string, number>>;
  /** The live instances of workstation `name` in any Region, as DescribeInstances shows them. */
  instances(name: string): Promise<ObservedInstance[]>;
  close(): Promise<void>;
}

/** Starts a simulator at `start` and writes a lab with `files` (labops.yaml from `settings` unless given). */
export async function startReconcile(
  files: Record<string, string>,
  settings: LabSettings = {},
  options: TestSimOptions = {},
): Promise<ReconcileHarness> {
  // A new account has no Batch queue: the ones the tests' Jobs name exist from the start.
  const sim = await startTestSim({ log: () => {}, queues: labQueues('us-east-1', 'us-west-2'), ...options });
  const settingsOf = sim.settings(REGION);
  const ports = createAwsPorts({
    region: REGION,
    endpoint: sim.url,
    credentials: settingsOf.credentials,
    maxAttempts: settingsOf.maxAttempts,
    retryStrategy: settingsOf.retryStrategy,
  });
  const lab = makeLab({ 'labops.yaml': labYaml(settings), ...files }, null);
  const catalog = loadCatalog().environments;
  const saved = { ...process.env };
  const now = async (): Promise<Date> => new Date(await sim.control.now());
  return {
    sim,
    ports,
    dir: lab.dir,
    write: (path, text) => writeFileSync(join(lab.dir, path), text),
    remove: (path) => rmSync(join(lab.dir, path)),
    now,
    async run(mode, at) {
      const when = at ?? (await now());
      return view(
        await run(
          { dir: lab.dir, mode, now: when, repo: () => Promise.resolve(REPO) },
          {
            catalog,
            ports: () => ports,
            sleep: (ms) => sim.control.advance(`${Math.ceil(ms / 1000)}s`).then(() => undefined),
            random: () => 0.5,
          },
        ),
      );
    },
    async cli(...argv) {
      Object.assign(process.env, sim.env(REGION));
      delete process.env.AWS_PROFILE;
      const io = captureIo(lab.dir, { ...process.env, NO_COLOR: '1' });
      try {
        const code = await runCli([...argv, '--repo', REPO], io);
        return { code, out: io.out, err: io.err };
      } finally {
        for (const key of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
    },
    async mutations() {
      const calls = await sim.control.calls();
      return Object.fromEntries(
        Object.entries(calls).filter(
          ([op]) =>
            !/^(EC2\.Describe|EC2\.GetConsoleOutput$|CloudWatch\.GetMetricData$|STS\.GetCallerIdentity$)/.test(op),
        ),
      );
    },
    async instances(name) {
      const observed = await ports.ec2.observe(REGIONS, REPO, { images: [] });
      return observed.instances.filter(
        (i) => i.tags[TAG.name] === name && i.state !== 'terminated' && i.state !== 'shutting-down',
      );
    },
    async close() {
      ports.destroy();
      await sim.close();
      lab.cleanup();
    },
  };
}

/** `kind name` of every action of a run's plan, for compact expectations. */
export function actionsOf(result: RunView): string[] {
  return (result.plan?.actions ?? []).map((a) => `${a.kind} ${a.resource.name}`);
}

/** Applies until a plan is empty (at most `rounds` times), at the simulator's clock; returns the last apply. */
export async function converge(h: ReconcileHarness, rounds = 3): Promise<RunView> {
  let last = await h.run('apply');
  for (let i = 1; i < rounds && actionsOf(await h.run('plan')).length > 0; i += 1) last = await h.run('apply');
  return last;
}

/**
 * An own AMI in us-east-1 carrying `tags`, made the way an EnvironmentImage build ends (Image
 * Builder's CreateImage of its provisioned build instance, then the instance terminated); the
 * clock moves on 35 minutes, so the image is `available`. Returns its id.
 */
export async function taggedImage(h: ReconcileHarness, tags: Record<string, string>): Promise<string> {
  const ec2 = h.sim.ec2(REGION);
  const base = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['099720109477'],
      Filters: [{ Name: 'name', Values: ['ubuntu/images/*jammy-22.04-amd64*'] }],
    }),
  );
  const baseId = (base.Images ?? []).map((i) => i.ImageId ?? '').sort()[0];
  const launched = await ec2.send(
    new RunInstancesCommand({ ImageId: baseId, InstanceType: 'm6i.large', MinCount: 1, MaxCount: 1 }),
  );
  const instanceId = launched.Instances?.[0]?.InstanceId ?? '';
  // The build instance provisions (pending → running) before it is imaged.
  await h.sim.control.advance('5m');
  const image = await ec2.send(
    new CreateImageCommand({
      InstanceId: instanceId,
      Name: `built-${instanceId}`,
      TagSpecifications: [
        { ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  await h.sim.control.advance('30m');
  return image.ImageId ?? '';
}

/** The user data the simulator stored for workstation `name`'s instance (what RunInstances was given), decoded. */
export async function userDataOf(h: ReconcileHarness, name: string): Promise<string> {
  const [instance] = await h.instances(name);
  const state = (await h.sim.control.state()).ec2 as { instances: Record<string, { userData?: string }> };
  return Buffer.from(state.instances[instance?.instanceId ?? '']?.userData ?? '', 'base64').toString('utf8');
}
