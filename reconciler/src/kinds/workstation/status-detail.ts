/**
 * One workstation in detail for `labops status NAME`: its status row plus volumes with sizes,
 * tags, environment, AMI, schedule, idle policy and CPU. Pure, like the rows it extends.
 */
import type { Desired } from '../../model/desired.js';
import type { Observed, ObservedInstance } from '../../model/observed.js';
import { TAG, sortKeys } from '../../model/tags.js';
import { compareText } from '../../model/problem.js';
import { liveInstancesByName } from '../../model/workstation-inventory.js';
import type { StatusReport, WorkstationStatus } from './status-rows.js';

/** A volume of the workstation: attached to its instance, or kept apart (e.g. after a replace). */
export interface VolumeStatus {
  volumeId: string;
  /** The spec's volume name, `root`, or null when untagged. */
  name: string | null;
  /** Device on the instance; null when not attached. */
  device: string | null;
  sizeGiB: number;
  type: string;
  /** `attached`, or the volume's own state (`available`, …) when it is not on the instance. */
  state: string;
  /** Deleted with the instance: true only for the root. */
  deleteOnTermination: boolean;
}

/** `labops status NAME`. */
export interface WorkstationDetail extends WorkstationStatus {
  /** `name@version` per spec; null for an invalid spec. */
  environment: string | null;
  /** `labops:environment` tag: what the instance was launched with. */
  launchedEnvironment: string | null;
  imageId: string | null;
  hibernationConfigured: boolean | null;
  schedule: string | null;
  idle: string | null;
  /** CloudWatch CPU over the idle window (running instances with an idle policy only). */
  cpu: { idleSeconds: number; averageCpuPercent: number } | null;
  volumes: VolumeStatus[];
  tags: Record<string, string>;
}

/** The detail of workstation `name`; undefined when it is neither declared, invalid nor orphaned. */
export function workstationDetail(
  report: StatusReport,
  desired: Desired,
  observed: Observed,
  name: string,
): WorkstationDetail | undefined {
  const row = report.workstations.find((w) => w.name === name) ?? orphanRow(report, name);
  if (row === undefined) return undefined;
  const ws = desired.workstations.find((w) => w.name === name);
  const instance = (liveInstancesByName(observed.instances, desired.lab.repo).get(name) ?? [])[0];
  const utilisation = instance === undefined ? undefined : observed.utilisation[instance.instanceId];
  return {
    ...row,
    environment: ws === undefined ? null : `${ws.environment.name}@${ws.environment.version}`,
    launchedEnvironment: instance?.tags[TAG.environment] ?? null,
    imageId: instance?.imageId ?? null,
    hibernationConfigured: instance?.hibernationConfigured ?? null,
    schedule:
      ws?.schedule === undefined
        ? null
        : `${ws.schedule.workHours} ${ws.schedule.timezone}, off hours: ${ws.schedule.offHoursAction}`,
    idle:
      ws?.idle === undefined
        ? null
        : `after ${Math.round(ws.idle.afterSeconds / 60)}m below ${ws.idle.cpuBelowPercent}% CPU: ${ws.idle.action}`,
    cpu:
      utilisation === undefined
        ? null
        : { idleSeconds: utilisation.idleSeconds, averageCpuPercent: utilisation.averageCpuPercent },
    volumes: volumesOf(observed, desired.lab.repo, name, instance),
    tags: sortKeys(instance?.tags ?? {}),
  };
}

/** An orphan shown as a row: no spec, so no desired state. */
function orphanRow(report: StatusReport, name: string): WorkstationStatus | undefined {
  const orphan = report.orphans.find((o) => o.name === name);
  if (orphan === undefined) return undefined;
  return {
    name,
    owner: '',
    project: '',
    region: orphan.region,
    spec: 'valid',
    instanceId: orphan.instanceId,
    state: orphan.state,
    desiredState: null,
    rule: `orphan: ${orphan.reason}`,
    matches: false,
    instanceType: orphan.instanceType,
    desiredInstanceType: null,
    privateIp: null,
    publicIp: null,
    launchedAt: orphan.launchedAt,
    readiness: null,
    monthlyUSD: orphan.monthlyUSD,
  };
}

function volumesOf(
  observed: Observed,
  repo: string,
  name: string,
  instance: ObservedInstance | undefined,
): VolumeStatus[] {
  const attached: VolumeStatus[] = (instance?.attachments ?? []).map((a) => ({
    volumeId: a.volumeId,
    name: a.name ?? null,
    device: a.device,
    sizeGiB: a.sizeGiB,
    type: a.type,
    state: 'attached',
    deleteOnTermination: a.deleteOnTermination,
  }));
  const onInstance = new Set(attached.map((v) => v.volumeId));
  const apart: VolumeStatus[] = observed.volumes
    .filter((v) => v.tags[TAG.repo] === repo && v.tags[TAG.name] === name && !onInstance.has(v.volumeId))
    .map((v) => ({
      volumeId: v.volumeId,
      name: v.tags[TAG.volume] ?? null,
      device: null,
      sizeGiB: v.sizeGiB,
      type: v.type,
      state: v.attachedTo === undefined ? v.state : `on ${v.attachedTo}`,
      deleteOnTermination: false,
    }));
  return [
    ...attached.sort((a, b) => compareText(a.device ?? '', b.device ?? '')),
    ...apart.sort((a, b) => compareText(a.volumeId, b.volumeId)),
  ];
}
