/**
 * How an image build moves on the simulated clock. At CreateImage the whole schedule is fixed:
 *
 * | status       | lasts                                                                 |
 * |--------------|-----------------------------------------------------------------------|
 * | PENDING      | 60 s                                                                  |
 * | CREATING     | 180 s (the build instance launches, SSM agent registers)              |
 * | BUILDING     | 300 s + 90 s per step of the components' build and validate phases    |
 * | TESTING      | 300 s + 60 s per step of their test phases (skipped when tests are off) |
 * | DISTRIBUTING | 240 s + 2 s per GiB of the image's volumes + 120 s per further Region |
 *
 * then AVAILABLE. A two-component recipe with a dozen steps takes about 40 minutes, as real
 * builds do. A fault (`imageTestFails`, `imageBuildFails`) ends the build FAILED halfway through
 * TESTING or BUILDING, with a reason naming the failing step.
 *
 * Side effects at each transition, at its own instant: BUILDING opens the build instance's
 * instance-hour segment (first instance type of the infrastructure configuration, tagged with the
 * image's tags); DISTRIBUTING closes it and starts the snapshots of the output AMI in every
 * distribution Region (billed while they exist); AVAILABLE registers the AMIs in EC2 (state
 * `available`, owner the account, named and tagged per the distribution). FAILED closes the
 * instance's segment.
 */
import type { SimContext, SimState } from '../core/contract.js';
import { ec2Of, newId } from '../ec2/model.js';
import { closeSegments, openInstanceSegments } from '../ec2/usage.js';
import { findImage } from '../ec2/run.js';
import { removeSnapshot, startSnapshot } from '../ec2/volume-store.js';
import { documentPhases, resolveComponent } from './components.js';
import { imageBuilderStateOf } from './model.js';
import type { IbImage, IbStep } from './model.js';
import { recipeDevices } from './recipes.js';

/** What a build fault does: the phase the build fails in and, optionally, the step named. */
export interface ImageBuildFault {
  phase: 'BUILDING' | 'TESTING';
  step?: string;
}

/** The systemd unit labops' image builds install to print the readiness marker at each boot (environments/provision-script.ts). */
const MARKER_UNIT = 'labops-provision-marker.service';

/** Seconds each phase takes (see the file comment). */
export const PHASE_SECONDS = {
  pending: 60,
  creating: 180,
  buildBase: 300,
  buildPerStep: 90,
  testBase: 300,
  testPerStep: 60,
  distributeBase: 240,
  distributePerGiB: 2,
  distributePerExtraRegion: 120,
} as const;

/** The Regions a build distributes to: its distribution configuration's, else the build's own. */
export function distributionRegions(state: SimState, image: IbImage): string[] {
  const dist = imageBuilderStateOf(state).distributions.find((d) => d.arn === image.distributionConfigurationArn);
  return dist === undefined ? [image.region] : dist.distributions.map((d) => d.region);
}

/** Fixes the schedule of a new build (and, with a fault, its failure). */
export function buildSchedule(ctx: SimContext, image: IbImage, fault: ImageBuildFault | undefined): IbStep[] {
  const ib = imageBuilderStateOf(ctx.state);
  const recipe = ib.recipes.find((r) => r.arn === image.recipeArn);
  const components = (recipe?.components ?? []).map((c) => resolveComponent(ctx, c.componentArn));
  if (components.some((c) => c.data.includes(`systemctl enable ${MARKER_UNIT}`))) image.bootMarker = true;
  const phases = components.map((c) => ({ component: c, phases: documentPhases(c.data) }));
  const buildSteps = phases.flatMap((p) => [...(p.phases.get('build') ?? []), ...(p.phases.get('validate') ?? [])]);
  const testSteps = phases.flatMap((p) =>
    (p.phases.get('test') ?? []).map((s) => ({ component: p.component, step: s })),
  );
  const gib = recipe === undefined ? 8 : recipeDevices(recipe).reduce((sum, d) => sum + d.sizeGiB, 0);
  const regions = distributionRegions(ctx.state, image).length;
  const s = PHASE_SECONDS;
  const building = s.buildBase + s.buildPerStep * buildSteps.length;
  const testing = s.testBase + s.testPerStep * testSteps.length;
  const distributing = s.distributeBase + s.distributePerGiB * gib + s.distributePerExtraRegion * (regions - 1);
  let at = ctx.now.getTime() + s.pending * 1000;
  const steps: IbStep[] = [{ status: 'CREATING', at }];
  at += s.creating * 1000;
  steps.push({ status: 'BUILDING', at });
  if (fault?.phase === 'BUILDING') {
    const failed = phases.find((p) => p.phases.has('build'));
    const step = fault.step ?? failed?.phases.get('build')?.[0]?.name ?? 'build';
    image.failure = {
      at: 'BUILDING',
      reason: `Build failed: component '${failed?.component.name ?? 'unknown'}' (${failed?.component.arn ?? ''}) phase 'build' step '${step}' failed with exit code 1.`,
    };
    steps.push({ status: 'FAILED', at: at + (building * 1000) / 2 });
    return steps;
  }
  at += building * 1000;
  if (image.imageTestsEnabled) {
    steps.push({ status: 'TESTING', at });
    if (fault?.phase === 'TESTING') {
      const failed = testSteps.find((t) => fault.step === undefined || t.step.name === fault.step) ?? testSteps[0];
      const step = fault.step ?? failed?.step.name ?? 'test';
      image.failure = {
        at: 'TESTING',
        reason: `Image test failed: component '${failed?.component.name ?? 'unknown'}' (${failed?.component.arn ?? ''}) phase 'test' step '${step}' failed with exit code 1.`,
      };
      steps.push({ status: 'FAILED', at: at + (testing * 1000) / 2 });
      return steps;
    }
    at += testing * 1000;
  }
  steps.push({ status: 'DISTRIBUTING', at });
  at += distributing * 1000;
  steps.push({ status: 'AVAILABLE', at });
  return steps;
}

/** `{{ imagebuilder:buildDate }}` and `{{ imagebuilder:buildVersion }}` in an AMI name or description. */
export function expandName(template: string, image: IbImage, at: Date): string {
  const buildDate = at.toISOString().replace(/:/g, '-');
  return template
    .replace(/\{\{\s*imagebuilder:buildDate\s*\}\}/g, buildDate)
    .replace(/\{\{\s*imagebuilder:buildVersion\s*\}\}/g, String(image.buildVersion));
}

function regionContext(ctx: SimContext, region: string, at: number): SimContext {
  return { ...ctx, region, now: new Date(at) };
}

function startBuilding(state: SimState, image: IbImage, ctx: SimContext, at: number): void {
  const infra = imageBuilderStateOf(state).infrastructure.find((c) => c.arn === image.infrastructureConfigurationArn);
  const { id } = newId(regionContext(ctx, image.region, at), 'i');
  image.instanceId = id;
  openInstanceSegments(
    state,
    {
      id,
      instanceType: image.instanceType,
      region: image.region,
      tags: { ...(infra?.resourceTags ?? {}), ...image.tags },
    },
    new Date(at).toISOString(),
  );
}

function stopInstance(state: SimState, image: IbImage, at: number): void {
  if (image.instanceId !== undefined) closeSegments(state, image.instanceId, new Date(at).toISOString());
}

/** Starts the output snapshots in every Region; fails the build when an AMI name is taken there. */
function startDistributing(state: SimState, image: IbImage, ctx: SimContext, at: number): string | undefined {
  const ib = imageBuilderStateOf(state);
  const recipe = ib.recipes.find((r) => r.arn === image.recipeArn);
  const dist = ib.distributions.find((d) => d.arn === image.distributionConfigurationArn);
  const targets = dist?.distributions ?? [{ region: image.region }];
  const when = new Date(image.dateCreated);
  const planned = targets.map((d) => {
    const ami = d.amiDistributionConfiguration;
    const name = expandName(ami?.name ?? `${image.name} {{ imagebuilder:buildDate }}`, image, when);
    const description = ami?.description === undefined ? recipe?.description : expandName(ami.description, image, when);
    return { region: d.region, name, description, tags: { ...(ami?.amiTags ?? {}) } };
  });
  const ec2 = ec2Of(state);
  for (const p of planned) {
    if (Object.values(ec2.images).some((i) => i.region === p.region && i.name === p.name))
      return `Distribution failed: the AMI name '${p.name}' is already in use in ${p.region} (InvalidAMIName.Duplicate).`;
  }
  const devices = recipe === undefined ? [] : recipeDevices(recipe);
  image.pendingAmis = planned.map((p) => {
    const rctx = regionContext(ctx, p.region, at);
    const snapshots = devices.map(
      (d) =>
        startSnapshot(
          rctx,
          { volumeId: 'vol-ffffffff', size: d.sizeGiB, encrypted: false },
          `Created by EC2 Image Builder for ${image.arn}`,
          p.tags,
        ).id,
    );
    return { ...p, snapshots };
  });
  return undefined;
}

/** Registers the distributed AMIs in EC2, available, owned by the account. */
function finishDistributing(state: SimState, image: IbImage, ctx: SimContext, at: number): void {
  const ec2 = ec2Of(state);
  const recipe = imageBuilderStateOf(state).recipes.find((r) => r.arn === image.recipeArn);
  const devices = recipe === undefined ? [] : recipeDevices(recipe);
  const iso = new Date(at).toISOString();
  for (const p of image.pendingAmis ?? []) {
    for (const id of p.snapshots) {
      const snap = ec2.snapshots[id];
      if (snap !== undefined && Date.parse(snap.completeAt) <= at) snap.state = 'completed';
    }
    const { id, seq } = newId(regionContext(ctx, p.region, at), 'ami');
    ec2.images[id] = {
      id,
      seq,
      region: p.region,
      name: p.name,
      description: p.description,
      state: 'available',
      architecture: architectureOf(state, image),
      rootDeviceName: recipe?.parentRootDevice ?? '/dev/xvda',
      devices: devices.map((d, i) => ({
        deviceName: d.deviceName,
        snapshotId: p.snapshots[i] ?? '',
        volumeSize: d.sizeGiB,
        volumeType: d.volumeType,
        encrypted: false,
        deleteOnTermination: true,
      })),
      creationDate: iso,
      ownerId: ctx.config.accountId,
      public: false,
      tags: { ...p.tags, CreatedBy: 'EC2 Image Builder', Ec2ImageBuilderArn: image.arn },
      ...(image.bootMarker === true ? { bootMarker: true } : {}),
    };
    image.amis.push({
      region: p.region,
      image: id,
      name: p.name,
      ...(p.description === undefined ? {} : { description: p.description }),
      accountId: ctx.config.accountId,
    });
  }
  delete image.pendingAmis;
}

function architectureOf(state: SimState, image: IbImage): string {
  const recipe = imageBuilderStateOf(state).recipes.find((r) => r.arn === image.recipeArn);
  const parent = recipe === undefined ? undefined : findImage(ec2Of(state), image.region, recipe.parentImage);
  return parent?.architecture ?? 'x86_64';
}

/** Cancels a build in progress: its instance stops billing, snapshots already started are deleted. */
export function cancelBuild(ctx: SimContext, image: IbImage): void {
  const at = ctx.now.getTime();
  stopInstance(ctx.state, image, at);
  for (const p of image.pendingAmis ?? [])
    for (const id of p.snapshots) removeSnapshot({ ...ctx, region: p.region }, id);
  delete image.pendingAmis;
  image.steps = [];
  image.status = 'CANCELLED';
  image.reason = 'Image creation was canceled by CancelImageCreation.';
}

/** Applies every transition due by `to`, each at its own instant. */
export function advanceImageBuilder(state: SimState, _from: Date, to: Date, ctx: SimContext): void {
  const ib = imageBuilderStateOf(state);
  for (const image of ib.images) {
    while (image.steps.length > 0 && (image.steps[0]?.at ?? Infinity) <= to.getTime()) {
      const step = image.steps.shift();
      if (step === undefined) break;
      image.status = step.status;
      if (step.status === 'BUILDING') startBuilding(state, image, ctx, step.at);
      else if (step.status === 'DISTRIBUTING') {
        stopInstance(state, image, step.at);
        const failed = startDistributing(state, image, ctx, step.at);
        if (failed !== undefined) {
          image.status = 'FAILED';
          image.reason = failed;
          image.steps = [];
        }
      } else if (step.status === 'AVAILABLE') finishDistributing(state, image, ctx, step.at);
      else if (step.status === 'FAILED') {
        stopInstance(state, image, step.at);
        image.reason = image.failure?.reason ?? 'Build failed.';
      }
    }
  }
}
