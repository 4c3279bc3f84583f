/**
 * `labops env build NAME@VERSION [DIR] [apply options]`: builds an environment version's image now,
 * outside its schedule. The build is still declared in the lab (an EnvironmentImage whose
 * environment resolves to NAME@VERSION): the command only asks the reconciler to do it now — it runs
 * `labops apply DIR` with a "build now" request for that version, so the plan shows
 * `build image NAME@VERSION (requested)` and applies it with everything else the lab needs.
 */
import { resolve } from 'node:path';
import { loadCatalog } from '../../environments/index.js';
import { UsageError } from '../../errors.js';
import { validateLab } from '../../specs/validate.js';
import type { Io } from '../io.js';
import { parsePipelineCommand, withStopSignals } from '../pipeline-command.js';

/** `name@1.2.3`: an exact version, as Image Builder's recipe versions are. */
const EXACT_REF = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)@(\d+\.\d+\.\d+)$/;

/** The exact versions the lab's valid EnvironmentImages bake, `name@version`, sorted. */
export function declaredImageVersions(dir: string): string[] {
  const validation = validateLab(dir, { catalog: loadCatalog().environments });
  return [...validation.imageEnvironments.values()].map((e) => `${e.name}@${e.version}`).sort();
}

/** Runs `labops env build` (argv after `build`); returns the exit status. */
export async function runEnvBuildCommand(argv: string[], io: Io): Promise<number> {
  const [ref, ...rest] = argv;
  if (ref === undefined || ref.startsWith('-') || !EXACT_REF.test(ref))
    throw new UsageError(
      `labops env build: expected NAME@VERSION with an exact version (e.g. neuroimaging@1.3.0), got ${ref ?? 'nothing'}`,
    );
  const dirArg = rest.find((a) => !a.startsWith('-'));
  const dir = resolve(io.cwd, dirArg ?? '.');
  const declared = declaredImageVersions(dir);
  if (!declared.includes(ref)) {
    io.stderr(
      `labops env build: no EnvironmentImage in ${dir} declares ${ref}${declared.length ? ` (declared: ${declared.join(', ')})` : ''}; add one under images/ first\n`,
    );
    return 1;
  }
  const invocation = parsePipelineCommand('apply', rest, io, { name: 'env build', imageBuildRequests: [ref] });
  if (!invocation) return 0;
  return withStopSignals((signal) => invocation.once(signal));
}
