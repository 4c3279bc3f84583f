/** Hand-built Desired and Observed values for planner table tests: small builders with sane defaults. */
import type {
  Desired,
  DesiredEnvironment,
  DesiredLab,
  DesiredWorkstation,
} from '../../../../reconciler/src/model/desired.js';
import type { ObservedImage, ObservedInstance, Observed } from '../../../../reconciler/src/model/observed.js';
import type { Plan } from '../../../../reconciler/src/model/plan.js';
import { TAG, ownershipTags } from '../../../../reconciler/src/model/tags.js';
import { parseWorkHours } from '../../../../reconciler/src/model/work-hours.js';

export const REPO = 'uni/neuro-lab';
export const ACCOUNT = '123456789012';
export const UBUNTU_OWNER = '099720109477';
/** Wednesday 2026-09-16, 11:00 in New York: inside `Mon-Fri 08:00-19:00`. */
export const WORK_HOURS = new Date('2026-09-16T15:00:00Z');
/** Wednesday 2026-09-16, 22:00 in New York: outside work hours. */
export const NIGHT = new Date('2026-09-17T02:00:00Z');
/** Long before any `now` used in tests. */
export const LAUNCHED = '2026-09-01T12:00:00.000Z';

/** The lab: us-east-1, prune and selfHeal off, a New York calendar with two breaks. */
export function lab(overrides: Partial<DesiredLab> = {}): DesiredLab {
  return {
    repo: REPO,
    accountId: ACCOUNT,
    defaultRegion: 'us-east-1',
    regions: ['us-east-1', 'us-west-2'],
    prune: false,
    selfHeal: false,
    calendar: {
      timezone: 'America/New_York',
      breaks: [
        { name: 'thanksgiving', from: '2026-11-25', to: '2026-11-29' },
        { name: 'winter', from: '2026-12-19', to: '2027-01-10' },
      ],
    },
    ...overrides,
  };
}

/** The neuroimaging environment on Ubuntu 22.04 x86_64, with no prebuilt images unless given. */
export function environment(overrides: Partial<DesiredEnvironment> = {}): DesiredEnvironment {
  return {
    name: 'neuroimaging',
    version: '1.2.0',
    os: 'ubuntu-22.04',
    architecture: 'x86_64',
    images: {},
    userData: '#cloud-config\npackages: [fsl]\n',
    servicePorts: [8888],
    ...overrides,
  };
}

/** A schedule in New York time (or `timezone`). */
export function schedule(
  workHours = 'Mon-Fri 08:00-19:00',
  offHoursAction: 'hibernate' | 'stop' = 'stop',
  timezone = 'America/New_York',
): NonNullable<DesiredWorkstation['schedule']> {
  const parsed = parseWorkHours(workHours);
  if (!parsed.ok) throw new Error(parsed.message);
  return { workHours, windows: parsed.windows, offHoursAction, timezone };
}

/** alice-neuro: m6i.large in us-east-1, running, 100 GiB root, a 500 GiB `data` volume, script strategy. */
export function workstation(overrides: Partial<DesiredWorkstation> = {}): DesiredWorkstation {
  return {
    name: 'alice-neuro',
    owner: 'alice',
    project: 'neuro-lab',
    labels: {},
    region: 'us-east-1',
    instanceType: 'm6i.large',
    state: 'running',
    hibernation: false,
    spot: false,
    rootGiB: 100,
    volumes: [{ name: 'data', sizeGiB: 500, type: 'gp3' }],
    image: { strategy: 'script' },
    deletionPolicy: 'Snapshot',
    environment: environment(),
    launchHash: 'launch-v1',
    ...overrides,
  };
}

/** Desired state of the lab. */
export function desired(
  workstations: DesiredWorkstation[],
  overrides: Partial<Omit<Desired, 'lab'>> & { lab?: Partial<DesiredLab> } = {},
): Desired {
  const { lab: labOverrides, ...rest } = overrides;
  return {
    lab: lab(labOverrides),
    workstations,
    unknownWorkstations: [],
    unknownFiles: [],
    schedules: [],
    jobs: [],
    unknownJobs: [],
    awsBudgets: [],
    unknownBudgets: [],
    jobQueues: [],
    unknownJobQueues: [],
    environmentImages: [],
    unknownEnvironmentImages: [],
    ...rest,
  };
}

/** The newest Ubuntu 22.04 amd64 image in us-east-1, unless overridden. */
export function baseImage(overrides: Partial<ObservedImage> = {}): ObservedImage {
  return {
    imageId: 'ami-base0916',
    region: 'us-east-1',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-jammy-22.04-amd64-server-20260916',
    architecture: 'x86_64',
    creationDate: '2026-09-16T00:00:00.000Z',
    state: 'available',
    ownerId: UBUNTU_OWNER,
    tags: {},
    ...overrides,
  };
}

/** A lab-owned prebuilt image. */
export function ownImage(imageId: string, region: string): ObservedImage {
  return baseImage({
    imageId,
    region,
    name: `neuroimaging-1.2.0-${region}`,
    ownerId: ACCOUNT,
    creationDate: '2026-08-01T00:00:00.000Z',
  });
}

/** The tags labops puts on a workstation instance at launch. */
export function launchTags(ws: DesiredWorkstation, state = 'running', generation = 0): Record<string, string> {
  return {
    ...ownershipTags(REPO, ws),
    [TAG.display]: ws.name,
    [TAG.deletionPolicy]: ws.deletionPolicy,
    [TAG.specHash]: ws.launchHash,
    [TAG.environment]: `${ws.environment.name}@${ws.environment.version}`,
    [TAG.ami]: 'ami-base0801',
    [TAG.generation]: String(generation),
    [TAG.desiredState]: state,
    [TAG.instanceType]: ws.instanceType,
  };
}

/** The instance labops launched for `ws`, in sync with it: running, its volumes attached. */
export function instanceOf(ws: DesiredWorkstation, overrides: Partial<ObservedInstance> = {}): ObservedInstance {
  const id = `i-${ws.name}`;
  return {
    instanceId: id,
    region: ws.region,
    state: 'running',
    instanceType: ws.instanceType,
    launchTime: LAUNCHED,
    imageId: 'ami-base0801',
    tags: launchTags(ws, overrides.state === 'stopped' ? 'stopped' : 'running'),
    hibernationConfigured: ws.hibernation,
    attachments: [
      {
        volumeId: `vol-${ws.name}-root`,
        device: '/dev/sda1',
        name: 'root',
        sizeGiB: ws.rootGiB,
        type: 'gp3',
        deleteOnTermination: true,
      },
      ...ws.volumes.map((v, i) => ({
        volumeId: `vol-${ws.name}-${v.name}`,
        device: `/dev/sd${'fghij'[i]}`,
        name: v.name,
        sizeGiB: v.sizeGiB,
        type: v.type,
        deleteOnTermination: false,
      })),
    ],
    ...overrides,
  };
}

/** Observed state: the lab account, a base image in us-east-1 unless `images` is given. */
export function observed(instances: ObservedInstance[], overrides: Partial<Observed> = {}): Observed {
  return {
    accountId: ACCOUNT,
    observedAt: '2026-09-16T15:00:00.000Z',
    instances,
    volumes: [],
    images: [baseImage()],
    utilisation: {},
    snapshots: [],
    jobs: [],
    jobQueues: {},
    awsBudgets: [],
    batchQueues: {},
    computeEnvironments: {},
    activeJobs: {},
    imageBuilds: [],
    imageResources: [],
    ...overrides,
  };
}

/** `kind id` of every action, in plan order: compact expectations for table tests. */
export function summary(plan: Plan): string[] {
  return plan.actions.map((a) => `${a.kind} ${a.resource.name}${a.instanceId === undefined ? '' : ` ${a.instanceId}`}`);
}

/** The one action of `kind` in the plan (throws when there is not exactly one). */
export function only(plan: Plan, kind: string): Plan['actions'][number] {
  const found = plan.actions.filter((a) => a.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${JSON.stringify(summary(plan))}`);
  return found[0]!;
}
