/**
 * Turns a validated lab's Workstations into the planner's Desired state: every default settled,
 * environments resolved and rendered, the launch hash computed. Invalid specs become *unknown* names, so
 * the planner leaves their instances alone instead of treating them as deleted.
 */
import type { ResolvedEnvironment } from '../../environments/model.js';
import { renderUserData } from '../../environments/user-data.js';
import type { Desired, DesiredEnvironment, DesiredLab, DesiredWorkstation } from '../../model/desired.js';
import { parseDurationSeconds } from '../../model/duration.js';
import { stableHash } from '../../model/tags.js';
import { parseWorkHours } from '../../model/work-hours.js';
import { instanceTypeInfo } from '../../cost/prices/index.js';
import type { Workstation } from '../../specs/types.js';
import type { LabValidation } from '../../specs/validate.js';

/** Root volume size when neither the spec nor the environment names one. */
export const DEFAULT_ROOT_GIB = 50;

/** The valid Workstations, defaults settled, and the names of the invalid ones (their instances are left alone). */
export function desiredWorkstations(
  validation: LabValidation,
  lab: DesiredLab,
): Pick<Desired, 'workstations' | 'unknownWorkstations'> {
  const workstations: DesiredWorkstation[] = [];
  for (const { spec } of validation.specs.workstations) {
    const env = validation.environments.get(spec.metadata.name);
    if (env) workstations.push(desiredWorkstation(spec, env, lab));
  }
  const unknownWorkstations = validation.invalid.flatMap((i) => (i.kind === 'Workstation' && i.name ? [i.name] : []));
  return { workstations, unknownWorkstations };
}

function desiredWorkstation(ws: Workstation, env: ResolvedEnvironment, lab: DesiredLab): DesiredWorkstation {
  const s = ws.spec;
  const region = s.region ?? lab.defaultRegion;
  const hibernation = s.hibernation ?? false;
  const environment = desiredEnvironment(env, ws);
  const rootGiB = s.storage?.rootGiB ?? defaultRootGiB(env, s.instanceType, hibernation);
  const image = {
    strategy: s.image?.strategy ?? 'ami_preferred',
    ...(s.image?.ami ? { ami: s.image.ami } : {}),
  } as const;
  // Following the latest image changes which AMI a launch uses, not what the spec asks for: it
  // stays out of the launch hash, so turning it on or off replaces nothing by itself.
  const follow = s.image?.follow ?? 'pinned';
  const desired: DesiredWorkstation = {
    name: ws.metadata.name,
    owner: ws.metadata.owner,
    project: ws.metadata.project,
    labels: definedValues(ws.metadata.labels ?? {}),
    region,
    instanceType: s.instanceType,
    state: s.state ?? 'running',
    hibernation,
    spot: s.spot ?? false,
    rootGiB,
    volumes: (s.storage?.volumes ?? []).map((v) => ({
      name: v.name,
      sizeGiB: v.sizeGiB,
      type: v.type ?? 'gp3',
      ...(v.iops ? { iops: v.iops } : {}),
      ...(v.throughputMiBps ? { throughputMiBps: v.throughputMiBps } : {}),
    })),
    image: follow === 'latest' ? { ...image, follow } : image,
    deletionPolicy: s.deletionPolicy ?? 'Snapshot',
    environment,
    launchHash: stableHash({
      environment: `${env.name}@${env.version}`,
      image,
      region,
      rootGiB,
      restoreFrom: s.restoreFrom ?? null,
    }),
  };
  if (s.schedule) {
    const parsed = parseWorkHours(s.schedule.workHours);
    desired.schedule = {
      workHours: s.schedule.workHours,
      windows: parsed.ok ? parsed.windows : [],
      offHoursAction: s.schedule.offHoursAction ?? 'stop',
      timezone: s.schedule.timezone ?? lab.calendar.timezone,
    };
  }
  if (s.idle) {
    desired.idle = {
      afterSeconds: parseDurationSeconds(s.idle.after) ?? 1800,
      cpuBelowPercent: s.idle.cpuBelowPercent ?? 5,
      action: s.idle.action ?? 'stop',
    };
  }
  if (s.restoreFrom) desired.restoreFrom = s.restoreFrom;
  if (s.network) desired.network = { ...s.network };
  const instanceProfile = s.access?.instanceProfile ?? lab.instanceProfile;
  if (instanceProfile !== undefined) desired.instanceProfile = instanceProfile;
  return desired;
}

/** The environment's minimum (or 50 GiB); with hibernation, room for the RAM image on top. */
function defaultRootGiB(env: ResolvedEnvironment, instanceType: string, hibernation: boolean): number {
  const base = env.spec.recommended?.minRootGiB ?? DEFAULT_ROOT_GIB;
  const memory = instanceTypeInfo(instanceType)?.memoryGiB ?? 0;
  return hibernation ? base + Math.ceil(memory) : base;
}

/**
 * The workstation's environment. Its user data is rendered when first read and kept: only a
 * launch reads it, and rendering it for every workstation of a converged 10,000-workstation lab
 * cost over a second and 10,000 strings of several KiB each.
 */
function desiredEnvironment(env: ResolvedEnvironment, ws: Workstation): DesiredEnvironment {
  const idle = ws.spec.idle;
  let userData: string | undefined;
  return {
    name: env.name,
    version: env.version,
    os: env.os,
    architecture: env.architecture,
    images: definedValues(env.spec.images ?? {}),
    get userData(): string {
      userData ??= renderUserData(env, {
        workstationName: ws.metadata.name,
        owner: ws.metadata.owner,
        idleAgent: idle ? { cpuBelowPercent: idle.cpuBelowPercent ?? 5 } : {},
      });
      return userData;
    },
    servicePorts: (env.spec.services ?? []).map((s) => s.port),
  };
}

function definedValues(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
