/**
 * How long workstations take from boot to ready, measured: the marker on their console
 * (aws/ec2-readiness.ts) says after how many seconds provisioning ended, and whether the instance
 * ran the provisioning script or booted from a built environment image (its marker unit). Each
 * instance is read once, soon after its start, and the seconds are kept in the run record
 * (`provisionTimes`), so the plan can say what a built image saves per launch from launches this
 * lab made rather than from the build's duration.
 *
 * Only workstations of environments an EnvironmentImage builds are read (the figure is shown for
 * those only), at most {@link MAX_READS} a run, and only within {@link MEASURE_WITHIN_MS} of their
 * last start: one DescribeInstanceStatus per Region and one GetConsoleOutput per instance read. A
 * Region whose reads AWS refuses is skipped; the figure is an estimate, never a reason to fail a run.
 *
 * The record is untrusted: a forged entry can only move the displayed estimate, which no decision
 * reads.
 */
import type { ObserveInputs } from '../../engine/kind.js';
import type { ObservedInstance } from '../../model/observed.js';
import type { RecordPatch, RunRecord } from '../../model/record.js';
import type { ProvisionTimeRecord } from '../../specs/generated/run-record.js';
import { TAG } from '../../model/tags.js';
import { readinessByRegion } from '../../aws/ec2-readiness.js';
import { compareText } from '../../model/problem.js';
import { medianOfNewest } from '../../model/stats.js';
import { boundedProvisionTimes } from '../../record/provision-times.js';
import type { ProvisionTimes } from '../../record/provision-times.js';

/** Most instances one run reads the console of for their provisioning time. */
export const MAX_READS = 50;

/** An instance is read only this long after its last start: provisioning ends well within it. */
export const MEASURE_WITHIN_MS = 6 * 3_600_000;

/** How many of the newest measurements a figure is the median of. */
export const MEASURED_LAUNCHES = 5;

const ENVIRONMENT = /^[a-z0-9][-a-z0-9]*@[0-9]+\.[0-9]+\.[0-9]+[-+.0-9A-Za-z]*$/;

/**
 * The running workstations of this repository to read now: an environment (`labops:environment`)
 * one of `environmentNames` names, not measured yet, started within {@link MEASURE_WITHIN_MS};
 * the most recently started first, at most {@link MAX_READS}.
 */
export function toMeasure(
  instances: readonly ObservedInstance[],
  repo: string,
  environmentNames: ReadonlySet<string>,
  measured: ProvisionTimes,
  now: Date,
): ObservedInstance[] {
  return instances
    .filter((i) => {
      const environment = i.tags[TAG.environment] ?? '';
      return (
        i.state === 'running' &&
        i.tags[TAG.repo] === repo &&
        i.tags[TAG.kind] === 'Workstation' &&
        ENVIRONMENT.test(environment) &&
        environmentNames.has(environment.split('@')[0] ?? '') &&
        !Object.hasOwn(measured, i.instanceId) &&
        now.getTime() - Date.parse(i.launchTime) <= MEASURE_WITHIN_MS
      );
    })
    .sort((a, b) => compareText(b.launchTime, a.launchTime) || compareText(a.instanceId, b.instanceId))
    .slice(0, MAX_READS);
}

/**
 * Reads the readiness of the workstations {@link toMeasure} picks and returns the record change
 * adding those that are ready, or undefined when there is nothing to add. A Region whose reads
 * fail is skipped.
 */
export async function measureProvisionTimes(
  { desired, ports, record, now }: Pick<ObserveInputs, 'desired' | 'ports' | 'record' | 'now'>,
  instances: readonly ObservedInstance[],
): Promise<RecordPatch | undefined> {
  const names = new Set(desired.environmentImages.map((i) => i.environment.name));
  if (names.size === 0) return undefined;
  const pick = toMeasure(instances, desired.lab.repo, names, record.provisionTimes ?? {}, now);
  const readiness = await readinessByRegion(
    pick,
    (region, ids) => ports.ec2.readiness(region, ids),
    () => undefined,
  );
  const found: Record<string, ProvisionTimeRecord> = {};
  for (const i of pick) {
    const r = readiness[i.instanceId];
    if (r?.state !== 'ready' || r.tookSeconds === null) continue;
    found[i.instanceId] = {
      environment: i.tags[TAG.environment] ?? '',
      path: r.path ?? 'script',
      seconds: Math.min(r.tookSeconds, 604_800),
      at: now.toISOString(),
    };
  }
  if (Object.keys(found).length === 0) return undefined;
  return (r: RunRecord) => ({ ...r, provisionTimes: boundedProvisionTimes({ ...(r.provisionTimes ?? {}), ...found }) });
}

/** A measured figure: the median seconds of the newest measurements, and how many there were. */
export interface MeasuredSeconds {
  seconds: number;
  launches: number;
}

/**
 * The median seconds to ready on `path` of the newest {@link MEASURED_LAUNCHES} measurements of
 * `environment` (`name@version`), else of any version of the environment; undefined when none.
 */
export function measuredSeconds(
  times: ProvisionTimes,
  environment: string,
  path: ProvisionTimeRecord['path'],
): MeasuredSeconds | undefined {
  const name = environment.split('@')[0] ?? '';
  const onPath = Object.entries(times)
    .filter(([, t]) => t.path === path && t.environment.split('@')[0] === name)
    .sort(([a, x], [b, y]) => compareText(y.at, x.at) || compareText(a, b))
    .map(([, t]) => t);
  const exact = onPath.filter((t) => t.environment === environment).map((t) => t.seconds);
  const measured = medianOfNewest(
    exact,
    onPath.map((t) => t.seconds),
    MEASURED_LAUNCHES,
  );
  return measured === undefined ? undefined : { seconds: Math.round(measured.value), launches: measured.samples };
}
