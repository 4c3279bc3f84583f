/**
 * EnvironmentImage checks: the environment reference resolves (a lab-local Environment that is
 * itself invalid is pointed at); the resolved environment is pinned by at most one EnvironmentImage
 * per version (two would race for one Image Builder recipe version); every Region is one of the
 * Lab's; every build instance type is in the price table, of the environment's architecture and
 * allowed by the Lab policy (the default, the environment's first recommended type, too); and
 * `rebuild.every` is a duration longer than zero (`0d` would rebuild on every run).
 */
import type { ResolveResult } from '../environments/model.js';
import { parseEnvironmentRef } from '../environments/ref.js';
import { parseDurationMs } from '../model/duration.js';
import { globToRegExp } from '../model/glob.js';
import type { FieldPath, Problem } from '../model/problem.js';
import { didYouMean } from '../model/suggest.js';
import { instanceTypeInfo, listInstanceTypes } from '../cost/prices/index.js';
import { InvalidNames } from './invalid-names.js';
import { allowedRegions, problemAt, whereDefined } from './lab-specs.js';
import type { LabSpecs } from './lab-specs.js';

/** The problems of every EnvironmentImage, given the lab's environment resolver. */
export function checkEnvironmentImages(
  specs: LabSpecs,
  resolve: (ref: string) => ResolveResult,
  invalid = new InvalidNames(),
): Problem[] {
  const problems: Problem[] = [];
  const lab = specs.lab?.spec;
  const regions = lab ? allowedRegions(lab) : undefined;
  const globs = lab?.spec.policy?.allowedInstanceTypes;
  const allowed = globs?.map(globToRegExp);
  const byVersion = new Map<string, string>();
  for (const entry of specs.images) {
    const { doc, spec } = entry;
    const s = spec.spec;
    const result = resolve(s.environment);
    if (!result.ok) {
      const parsed = parseEnvironmentRef(s.environment);
      const declaration = parsed.ok ? invalid.find('Environment', parsed.name) : undefined;
      problems.push(
        declaration
          ? invalid.knockOn(doc, ['spec', 'environment'], declaration, 'Environment')
          : problemAt(doc, ['spec', 'environment'], result.message),
      );
    }
    const env = result.ok ? result.env : undefined;
    if (env !== undefined) {
      const key = `${env.name}@${env.version}`;
      const first = byVersion.get(key);
      if (first !== undefined)
        problems.push(
          problemAt(
            doc,
            ['spec', 'environment'],
            `${key} is already baked by the EnvironmentImage at ${first}: one EnvironmentImage per environment version (they would share one Image Builder recipe)`,
          ),
        );
      else byVersion.set(key, whereDefined(doc));
    }
    for (const [i, region] of (s.regions ?? []).entries()) {
      if (regions !== undefined && !regions.includes(region))
        problems.push(
          problemAt(
            doc,
            ['spec', 'regions', i],
            `region ${region} is not one of the lab's regions (${regions.join(', ')})${didYouMean(region, regions)}`,
          ),
        );
    }
    const fallback = env?.spec.recommended?.instanceTypes?.[0];
    const types: [string, FieldPath][] =
      s.instanceTypes !== undefined
        ? s.instanceTypes.map((t, i) => [t, ['spec', 'instanceTypes', i]])
        : fallback !== undefined
          ? [[fallback, ['spec', 'environment']]]
          : [];
    if (s.instanceTypes === undefined && env !== undefined && fallback === undefined)
      problems.push(
        problemAt(
          doc,
          ['spec'],
          `instanceTypes is required: environment ${env.name}@${env.version} recommends no instance type to build on`,
          'error',
          'key',
        ),
      );
    for (const [type, at] of types) {
      const info = instanceTypeInfo(type);
      const own = s.instanceTypes !== undefined;
      const what = own
        ? `instance type "${type}"`
        : `build instance type ${type} (the environment's first recommended type)`;
      if (info === undefined) {
        problems.push(
          problemAt(
            doc,
            at,
            `unknown ${what}${
              own
                ? didYouMean(
                    type,
                    listInstanceTypes().map((t) => t.instanceType),
                  )
                : ''
            }`,
          ),
        );
        continue;
      }
      if (env !== undefined && info.architecture !== env.architecture)
        problems.push(
          problemAt(
            doc,
            at,
            `${what} is ${info.architecture}; environment ${env.name} is built for ${env.architecture}`,
          ),
        );
      if (globs !== undefined && allowed !== undefined && !allowed.some((re) => re.test(type)))
        problems.push(
          problemAt(
            doc,
            at,
            `${what} is not allowed by the lab policy (allowedInstanceTypes: ${globs.join(', ')})${own ? '' : ': set spec.instanceTypes'}`,
          ),
        );
    }
    const every = s.rebuild?.every;
    if (every !== undefined && (parseDurationMs(every) ?? 0) <= 0)
      problems.push(
        problemAt(doc, ['spec', 'rebuild', 'every'], `rebuild.every must be longer than zero (got ${every})`),
      );
  }
  return problems;
}
