/**
 * What a run reads for Workstations, in bulk: one tag-filtered EC2 listing per Region (instances,
 * volumes, images), the CPU of running instances with an idle policy (CloudWatch GetMetricData), and
 * how long newly started workstations of imaged environments took to be ready (provision-times.ts).
 * For an account where nothing exists yet (a desired-only plan), the images the workstations name
 * are taken to exist.
 */
import type { ImageQuery, UtilisationQuery } from '../../aws/ports.js';
import type { Observation, ObserveInputs } from '../../engine/kind.js';
import { baseImageQuery } from '../../model/base-images.js';
import type { Desired } from '../../model/desired.js';
import type { Observed, ObservedImage } from '../../model/observed.js';
import { measureProvisionTimes } from './provision-times.js';

/** The Workstation slice of Observed. */
export type ObservedWorkstations = Pick<Observed, 'instances' | 'volumes' | 'images' | 'utilisation'>;

/** Image id shown for base images in a desired-only plan (the real one is chosen at apply). */
export const DESIRED_ONLY_IMAGE = 'ami-chosen-at-apply';

/** EC2 listings per Region, then the CPU of idle-policy instances running longer than their idle window. */
export async function observeWorkstations({
  desired,
  ports,
  record,
  now,
}: ObserveInputs): Promise<Observation<ObservedWorkstations>> {
  const ec2 = await ports.ec2.observe(desired.lab.regions, desired.lab.repo, { images: imageQueries(desired) });
  const idle = new Map(desired.workstations.filter((w) => w.idle).map((w) => [w.name, w]));
  const queries: UtilisationQuery[] = [];
  for (const instance of ec2.instances) {
    const ws = idle.get(instance.tags['labops:name'] ?? '');
    if (!ws?.idle || instance.state !== 'running') continue;
    // Datapoints from before the last start say nothing about now: an instance up for less than
    // the idle window cannot have been idle that long (its owner may have just started it again).
    if (now.getTime() - Date.parse(instance.launchTime) < ws.idle.afterSeconds * 1000) continue;
    queries.push({
      instanceId: instance.instanceId,
      region: instance.region,
      cpuBelowPercent: ws.idle.cpuBelowPercent,
      windowSeconds: ws.idle.afterSeconds,
    });
  }
  const utilisation = queries.length ? await ports.metrics.utilisation(queries, now) : {};
  const measured = await measureProvisionTimes({ desired, ports, record, now }, ec2.instances);
  return { observed: { ...ec2, utilisation }, ...(measured === undefined ? {} : { record: measured }) };
}

/** Own images in every Region, plus the base OS image of each workstation's environment in its Region. */
function imageQueries(desired: Desired): ImageQuery[] {
  const queries = new Map<string, ImageQuery>();
  for (const region of desired.lab.regions) queries.set(`${region} self`, { region, query: 'self' });
  for (const ws of desired.workstations) {
    const query = baseImageQuery(ws.environment.os, ws.environment.architecture);
    queries.set(`${ws.region} ${query.owner} ${query.namePattern}`, { region: ws.region, query });
    for (const region of Object.keys(ws.environment.images)) queries.set(`${region} self`, { region, query: 'self' });
  }
  // The base image an EnvironmentImage's recipe starts from, in the Region Image Builder runs in.
  for (const image of desired.environmentImages) {
    const env = image.environment;
    const query = baseImageQuery(env.os, env.architecture);
    queries.set(`${image.homeRegion} ${query.owner} ${query.namePattern}`, { region: image.homeRegion, query });
  }
  return [...queries.values()];
}

/** Nothing exists yet in the lab's own account; the images the workstations name are taken to exist. */
export function unobservedWorkstations(desired: Desired, now: Date): ObservedWorkstations {
  const images: ObservedImage[] = [];
  for (const ws of desired.workstations) {
    const env = ws.environment;
    const query = baseImageQuery(env.os, env.architecture);
    const name = query.namePattern.replace(/\*/g, 'desired-only').replace(/\?/g, 'x');
    const common = { architecture: env.architecture, creationDate: now.toISOString(), state: 'available', tags: {} };
    images.push({ imageId: DESIRED_ONLY_IMAGE, region: ws.region, name, ownerId: query.owner, ...common });
    for (const [region, imageId] of Object.entries(env.images))
      images.push({ imageId, region, name: `${env.name}-${env.version}`, ownerId: desired.lab.accountId, ...common });
  }
  for (const image of desired.environmentImages) {
    const env = image.environment;
    const query = baseImageQuery(env.os, env.architecture);
    const name = query.namePattern.replace(/\*/g, 'desired-only').replace(/\?/g, 'x');
    const common = { architecture: env.architecture, creationDate: now.toISOString(), state: 'available', tags: {} };
    images.push({ imageId: DESIRED_ONLY_IMAGE, region: image.homeRegion, name, ownerId: query.owner, ...common });
  }
  return { instances: [], volumes: [], images, utilisation: {} };
}
