/**
 * The lab the chaos suite reconciles: five workstations in two Regions (work-hours schedules that
 * stop or hibernate them, one kept hibernated, one stopped), data volumes on each, a nightly
 * SnapshotSchedule with a cross-Region copy, and two Batch jobs (an array of 4 and a job that
 * depends on it). Two instants: `DAY` (work hours, nothing due yet) and `EVENING` (after work
 * hours and after the schedule's slot), so a second convergence exercises power changes,
 * snapshots and copies under the same faults.
 */
import { stringify } from 'yaml';

export const REPO = 'lab/chaos';
export const ACCOUNT = '123456789012';
export const REGIONS = ['us-east-1', 'us-west-2'];

/** Tuesday 10:00 in New York: work hours, the 18:00 snapshot slot not yet due. */
export const DAY = '2026-11-17T15:00:00Z';
/** Tuesday 19:30 in New York: work hours over, the 18:00 slot due. */
export const EVENING = '2026-11-18T00:30:00Z';

/** One workstation of the lab, and what the lab expects of it. */
export interface ChaosWorkstation {
  name: string;
  owner: string;
  region: string;
  instanceType: string;
  /** Data volume names. */
  volumes: string[];
  spec: Record<string, unknown>;
  /** Power state wanted at DAY and at EVENING. */
  day: 'running' | 'stopped' | 'hibernated';
  evening: 'running' | 'stopped' | 'hibernated';
}

const WORK_HOURS = 'Mon-Fri 08:00-19:00';

export const WORKSTATIONS: readonly ChaosWorkstation[] = [
  {
    name: 'east-alice',
    owner: 'alice',
    region: 'us-east-1',
    instanceType: 'm6i.large',
    volumes: ['data'],
    spec: { hibernation: true, schedule: { workHours: WORK_HOURS, offHoursAction: 'hibernate' } },
    day: 'running',
    evening: 'hibernated',
  },
  {
    name: 'east-bob',
    owner: 'bob',
    region: 'us-east-1',
    instanceType: 't3.large',
    volumes: ['data', 'scratch'],
    spec: { schedule: { workHours: WORK_HOURS, offHoursAction: 'stop' } },
    day: 'running',
    evening: 'stopped',
  },
  {
    name: 'east-carol',
    owner: 'carol',
    region: 'us-east-1',
    instanceType: 'm6i.large',
    volumes: ['data'],
    spec: { state: 'stopped' },
    day: 'stopped',
    evening: 'stopped',
  },
  {
    name: 'west-alice',
    owner: 'alice',
    region: 'us-west-2',
    instanceType: 't3.large',
    volumes: ['data'],
    spec: { hibernation: true, state: 'hibernated' },
    day: 'hibernated',
    evening: 'hibernated',
  },
  {
    name: 'west-dave',
    owner: 'dave',
    region: 'us-west-2',
    instanceType: 'm6i.large',
    volumes: ['data'],
    spec: { hibernation: true, schedule: { workHours: WORK_HOURS, offHoursAction: 'hibernate' } },
    day: 'running',
    evening: 'hibernated',
  },
];

/** The Batch jobs of the lab: name, Region, array size (parent only). */
export const JOBS = [
  { name: 'prep', region: 'us-west-2', array: 4 },
  { name: 'fit', region: 'us-west-2', array: undefined },
] as const;

function labYaml(): string {
  return stringify({
    apiVersion: 'labops/v1',
    kind: 'Lab',
    metadata: { name: 'chaos' },
    spec: {
      aws: { accountId: ACCOUNT, defaultRegion: 'us-east-1', regions: REGIONS },
      admins: ['pi'],
      policy: {
        allowedInstanceTypes: ['t3.*', 'm6i.*', 'r6i.*'],
        maxHourlyUSDPerWorkstation: 3,
        maxWorkstationsPerOwner: 3,
        prune: false,
        selfHeal: false,
        requireBudget: false,
      },
      calendar: { timezone: 'America/New_York', breaks: [] },
    },
  });
}

function workstationYaml(ws: ChaosWorkstation): string {
  return stringify({
    apiVersion: 'labops/v1',
    kind: 'Workstation',
    metadata: { name: ws.name, owner: ws.owner, project: 'neuro' },
    spec: {
      environment: 'base-ubuntu@^1',
      instanceType: ws.instanceType,
      region: ws.region,
      storage: { rootGiB: 40, volumes: ws.volumes.map((name) => ({ name, sizeGiB: 20, type: 'gp3' })) },
      ...ws.spec,
    },
  });
}

const SCHEDULE = `apiVersion: labops/v1
kind: SnapshotSchedule
metadata: { name: nightly }
spec:
  selector: { project: neuro }
  cron: "0 18 * * *"
  timezone: America/New_York
  type: volumes
  retain: { count: 3 }
  copyTo: [us-west-2]
`;

function jobYaml(name: string, extra: string): string {
  return `apiVersion: labops/v1
kind: Job
metadata: { name: ${name}, owner: bob, project: neuro }
spec:
  region: us-west-2
  queue: research-spot
  definition:
    image: public.ecr.aws/lab/model:1
    vcpus: 2
    memoryMiB: 4096
    environment: { LABOPS_SIM_DURATION: "30m" }
  timeout: 2h
${extra}`;
}

/** Every file of the lab, by path. */
export function chaosLabFiles(): Record<string, string> {
  const files: Record<string, string> = { 'labops.yaml': labYaml(), 'snapshots/nightly.yaml': SCHEDULE };
  for (const ws of WORKSTATIONS) files[`workstations/${ws.name}.yaml`] = workstationYaml(ws);
  files['jobs/prep.yaml'] = jobYaml('prep', '  array: 4\n');
  files['jobs/fit.yaml'] = jobYaml('fit', '  dependsOn: [ { job: prep } ]\n');
  return files;
}
