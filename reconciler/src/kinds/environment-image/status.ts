/**
 * The built environment images in `labops status`: one row per AMI this repository's
 * EnvironmentImage built — an output AMI of one of its observed Image Builder builds
 * (model/image-provenance.ts), never an AMI because of its tags — environment@version (the build's),
 * Region, the AMI's state, age and the workstations whose instance runs from it — and one per
 * build without an AMI yet: still under way (its Image Builder status), or the newest of its
 * version and FAILED (with Image Builder's reason). Pure: a function of what was observed.
 */
import type { StatusSection } from '../../engine/kind.js';
import type { Desired } from '../../model/desired.js';
import { IMAGE_BUILD_IN_PROGRESS } from '../../model/observed.js';
import { buildOfImage } from '../../model/image-provenance.js';
import type { Observed, ObservedImageBuild } from '../../model/observed.js';
import type { RunRecord } from '../../model/record.js';
import { compareText } from '../../model/problem.js';
import { TAG } from '../../model/tags.js';
import { markdownCell } from '../../report/plan-markdown.js';
import { alignRows } from '../../report/status-text.js';
import { age } from '../../record/status-md.js';

/** One built image (or a build without one) in `labops status`. */
export interface EnvironmentImageStatus {
  /** `name@version` of the environment. */
  environment: string;
  region: string;
  /** The AMI; null for a build without one yet. */
  imageId: string | null;
  /** The AMI's state (`available`, `pending`, `failed`), or the build's status (`BUILDING`, `FAILED: reason`). */
  state: string;
  /** How long ago the AMI was created (or the build started), e.g. `3h 20m`, `2d 4h`. */
  age: string;
  /** Names of the workstations whose instance runs from the AMI, sorted. */
  usedBy: string[];
}

/** The rows: by environment@version, then Region, newest first. */
export function buildEnvironmentImageStatus(
  desired: Desired,
  observed: Observed,
  builds: readonly ObservedImageBuild[],
  now: Date,
): EnvironmentImageStatus[] {
  const repo = desired.lab.repo;
  const at = now.toISOString();
  const rows: (EnvironmentImageStatus & { created: string })[] = [];
  for (const image of observed.images) {
    const build = buildOfImage(image, builds);
    if (build === undefined) continue;
    const environment = build.environment;
    const usedBy = observed.instances
      .filter(
        (i) =>
          i.imageId === image.imageId &&
          i.region === image.region &&
          i.state !== 'terminated' &&
          i.tags[TAG.repo] === repo,
      )
      .map((i) => i.tags[TAG.name] ?? i.instanceId);
    rows.push({
      environment,
      region: image.region,
      imageId: image.imageId,
      state: image.state,
      age: age(image.creationDate, at),
      usedBy: [...new Set(usedBy)].sort(compareText),
      created: image.creationDate,
    });
  }
  for (const build of builds) {
    const newest = isNewestOfVersion(build, builds);
    if (!IMAGE_BUILD_IN_PROGRESS.has(build.status) && !(build.status === 'FAILED' && newest)) continue;
    rows.push({
      environment: build.environment,
      region: build.region,
      imageId: null,
      state: build.status === 'FAILED' ? `FAILED: ${build.reason ?? 'no reason given'}` : build.status,
      age: age(build.dateCreated, at),
      usedBy: [],
      created: build.dateCreated,
    });
  }
  rows.sort(
    (a, b) =>
      compareText(a.environment, b.environment) ||
      compareText(a.region, b.region) ||
      compareText(b.created, a.created) ||
      compareText(a.imageId ?? '', b.imageId ?? ''),
  );
  return rows.map(({ created: _created, ...row }) => row);
}

function isNewestOfVersion(build: ObservedImageBuild, builds: readonly ObservedImageBuild[]): boolean {
  return !builds.some(
    (b) =>
      b.environment === build.environment &&
      (b.dateCreated > build.dateCreated || (b.dateCreated === build.dateCreated && b.arn < build.arn)),
  );
}

const HEADER = ['ENVIRONMENT', 'REGION', 'IMAGE', 'STATE', 'AGE', 'USED BY'];

function cells(images: readonly EnvironmentImageStatus[]): string[][] {
  return images.map((i) => [i.environment, i.region, i.imageId ?? '-', i.state, i.age, i.usedBy.join(', ') || '-']);
}

/** The images as aligned text; empty when there are none. */
export function renderEnvironmentImageStatusText(images: readonly EnvironmentImageStatus[]): string {
  if (images.length === 0) return '';
  const lines = alignRows([HEADER, ...cells(images)]).map((l) => `  ${l}`);
  return `${['', 'Environment images:', ...lines].join('\n')}\n`;
}

/** The images as a markdown table; empty when there are none. */
export function renderEnvironmentImageStatusMarkdown(images: readonly EnvironmentImageStatus[]): string {
  if (images.length === 0) return '';
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => ' --- ').join('|')}|`,
    ...cells(images).map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
  return `${['', '#### Environment images', '', ...table].join('\n')}\n`;
}

/**
 * The section, as the engine shows it. `builds` is `observed.imageBuilds` (this repository's
 * Image Builder builds); the engine's `status` hook passes it: `(d, o, r, now) =>
 * environmentImageStatusSection(d, o, r, now, o.imageBuilds)`.
 */
export function environmentImageStatusSection(
  desired: Desired,
  observed: Observed,
  _record: RunRecord,
  now: Date,
  builds: readonly ObservedImageBuild[],
): StatusSection {
  const rows = buildEnvironmentImageStatus(desired, observed, builds, now);
  return {
    key: 'environmentImages',
    rows,
    text: renderEnvironmentImageStatusText(rows),
    markdown: renderEnvironmentImageStatusMarkdown(rows),
  };
}
