/**
 * `labops env build NAME@VERSION [DIR] [options]`: builds an environment version's image now,
 * outside its schedule. The build is still declared in the lab (an EnvironmentImage whose
 * environment resolves to NAME@VERSION): the command only asks the reconciler to do it now — it runs
 * `labops apply DIR --target EnvironmentImage/IMAGE` with a "build now" request for that version, so
 * the plan shows `build image NAME@VERSION (requested)` and nothing else of the lab is changed.
 * A build of that version under way satisfies the request (the plan says so, none is started); a
 * request the plan refuses (a foreign resource, a changed environment, no base image) exits 1.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appliedOf, plannedRun } from '../../engine/pipeline.js';
import type { RunResult } from '../../engine/pipeline.js';
import { loadCatalog } from '../../environments/index.js';
import { UsageError } from '../../errors.js';
import { renderProblemsText } from '../../report/problems.js';
import { styleFor } from '../../report/style.js';
import { validateLab } from '../../specs/validate.js';
import type { LabValidation } from '../../specs/validate.js';
import { parseCommand } from '../args.js';
import { ENV_BUILD_FLAGS } from '../definitions.js';
import type { Io } from '../io.js';
import { parsePipelineCommand, withStopSignals } from '../pipeline-command.js';

/** `name@1.2.3`: an exact version, as Image Builder's recipe versions are. */
const EXACT_REF = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)@(\d+\.\d+\.\d+)$/;

/** The lab's valid EnvironmentImages by the exact version each bakes (`name@version`), sorted. */
function declaredImages(validation: LabValidation): Map<string, string> {
  const entries = [...validation.imageEnvironments].map(([image, env]): [string, string] => [
    `${env.name}@${env.version}`,
    image,
  ]);
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Runs `labops env build` (argv after `build`); returns the exit status. */
export async function runEnvBuildCommand(argv: string[], io: Io): Promise<number> {
  const [ref, ...rest] = argv;
  if (ref === undefined || ref.startsWith('-') || !EXACT_REF.test(ref))
    throw new UsageError(
      `labops env build: expected NAME@VERSION with an exact version (e.g. neuroimaging@1.3.0), got ${ref ?? 'nothing'}`,
    );
  const { values, positionals } = parseCommand('env build', rest, ENV_BUILD_FLAGS);
  if (positionals.length > 1)
    throw new UsageError(`labops env build: expected at most one DIR after ${ref}, got ${positionals.length}`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  if (!existsSync(join(dir, 'labops.yaml'))) {
    io.stderr(`labops env build: ${dir} is not a lab folder (it has no labops.yaml)\n`);
    return 1;
  }
  const validation = validateLab(dir, { catalog: loadCatalog().environments });
  const declared = declaredImages(validation);
  const image = declared.get(ref);
  if (image === undefined) {
    // An EnvironmentImage file with errors may be the one meant: its problems first, file:line:col.
    const broken = new Set(validation.invalid.filter((i) => i.kind === 'EnvironmentImage').map((i) => i.file));
    const problems = validation.problems.filter((p) => p.severity === 'error' && broken.has(p.file));
    const style = styleFor({ isTTY: io.isTTY }, Boolean(values['no-color']), io.env);
    if (problems.length) io.stderr(renderProblemsText(problems, validation.sourceLine, style));
    const known = declared.size ? ` (declared: ${[...declared.keys()].join(', ')})` : '';
    const fix = problems.length
      ? `; ${broken.size} EnvironmentImage file(s) have errors (above)`
      : '; add one under images/ first';
    io.stderr(`labops env build: no EnvironmentImage in ${dir} declares ${ref}${known}${fix}\n`);
    return 1;
  }
  const invocation = parsePipelineCommand('apply', rest, io, {
    name: 'env build',
    imageBuildRequests: [ref],
    target: `EnvironmentImage/${image}`,
    unmet: (result) => unmetRequest(result, image, ref),
  });
  if (!invocation) return 0;
  return withStopSignals((signal) => invocation.once(signal));
}

/**
 * Why the request was not met by a run that otherwise succeeded: no build started and none under
 * way (the plan refused it), or the build action did not run (stopped by a signal first).
 */
export function unmetRequest(result: RunResult, image: string, ref: string): string | undefined {
  const ran = plannedRun(result);
  if (ran === undefined) return undefined;
  const ours = (r: { kind: string; name: string } | undefined): boolean =>
    r?.kind === 'EnvironmentImage' && r.name === image;
  const build = ran.plan.actions.find((a) => a.kind === 'build-image' && ours(a.resource));
  if (build !== undefined) {
    const status = appliedOf(result)?.results.find((r) => r.actionId === build.id)?.status ?? 'skipped';
    return status === 'done' ? undefined : `labops env build: no build of ${ref} started: its action was ${status}`;
  }
  if (ran.plan.refusals.some((r) => r.code === 'image-building' && ours(r.resource))) return undefined;
  const codes = [...new Set(ran.plan.refusals.filter((r) => ours(r.resource)).map((r) => r.code))];
  return `labops env build: no build of ${ref} started: ${codes.length ? `the plan refuses it (${codes.join(', ')}: above)` : 'the plan has no build of it'}`;
}
