/**
 * Lab policy: instance types that exist and are allowed, the hourly price ceiling, how many
 * workstations one owner may have, and the regions specs may use.
 */
import type { Problem } from '../model/problem.js';
import { globToRegExp } from '../model/glob.js';
import { didYouMean } from '../model/suggest.js';
import { hourlyPriceUSD, instanceTypeInfo, listInstanceTypes } from '../pricing/index.js';
import { allowedRegions, problemAt, regionOf } from './lab-specs.js';
import type { LabSpecs, SpecEntry } from './lab-specs.js';
import type { Workstation } from './types.js';

/** Instance types exist in the price table, match the allowed globs and stay under the price ceiling. */
export function checkInstancePolicy(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  const lab = specs.lab?.spec;
  const policy = lab?.spec.policy;
  const allowed = policy?.allowedInstanceTypes?.map(globToRegExp);
  for (const { doc, spec } of specs.workstations) {
    const type = spec.spec.instanceType;
    const at = ['spec', 'instanceType'];
    if (!instanceTypeInfo(type)) {
      problems.push(problemAt(doc, at, `unknown instance type "${type}"${didYouMean(type, listInstanceTypes().map((t) => t.instanceType))}`));
      continue;
    }
    if (allowed && !allowed.some((re) => re.test(type))) {
      problems.push(problemAt(doc, at, `instance type "${type}" is not allowed by the lab policy (allowedInstanceTypes: ${policy!.allowedInstanceTypes!.join(', ')})`));
    }
    const region = regionOf(spec.spec, lab);
    if (!region) continue;
    const price = hourlyPriceUSD(type, region);
    if (price === undefined) {
      problems.push(problemAt(doc, at, `no on-demand price known for ${type} in ${region}; cost estimates will leave it out`, 'warning'));
    } else if (policy?.maxHourlyUSDPerWorkstation !== undefined && price > policy.maxHourlyUSDPerWorkstation) {
      problems.push(problemAt(doc, at, `${type} costs $${price.toFixed(4)}/hour in ${region}, over the lab's limit of $${policy.maxHourlyUSDPerWorkstation.toFixed(2)}/hour per workstation`));
    }
  }
  return problems;
}

/**
 * At most `maxWorkstationsPerOwner` workstations per owner. The error goes on the declarations
 * beyond the limit, never on an existing workstation: declarations whose `Workstation/<name>` is
 * in `baseNames` (the names at the approved base commit) are counted first and are never errors,
 * then the others in file order, and those past the limit are reported. Without a base, file
 * order alone decides (the later ones are reported). Whether an instance is already live cannot
 * weigh in: validation has no AWS access, so file order plus the base is the whole rule. When the
 * base alone already exceeds the limit (the limit was lowered), those base workstations get a
 * warning, not an error, so lowering a limit never strands a running workstation as unknown.
 */
export function checkOwnerLimits(specs: LabSpecs, baseNames?: ReadonlySet<string>): Problem[] {
  const limit = specs.lab?.spec.spec.policy?.maxWorkstationsPerOwner;
  if (limit === undefined) return [];
  const byOwner = new Map<string, SpecEntry<Workstation>[]>();
  for (const entry of specs.workstations) {
    const owned = byOwner.get(entry.spec.metadata.owner) ?? [];
    owned.push(entry);
    byOwner.set(entry.spec.metadata.owner, owned);
  }
  const atBase = (entry: SpecEntry<Workstation>): boolean => baseNames?.has(`Workstation/${entry.spec.metadata.name}`) ?? false;
  const problems: Problem[] = [];
  for (const [owner, owned] of byOwner) {
    if (owned.length <= limit) continue;
    const ranked = [...owned.filter(atBase), ...owned.filter((e) => !atBase(e))];
    const limitText = `the lab's maxWorkstationsPerOwner is ${limit}`;
    for (const entry of ranked.slice(limit)) {
      const others = ranked.filter((e) => e !== entry).slice(0, limit).map((e) => e.spec.metadata.name);
      if (atBase(entry)) {
        problems.push(problemAt(entry.doc, ['metadata', 'owner'], `${owner} has ${owned.length} workstations, over the limit (${limitText}); ${entry.spec.metadata.name} exists at the base and stays, but no new one can be added`, 'warning'));
      } else {
        problems.push(problemAt(entry.doc, ['metadata', 'owner'], `${owner} already has ${limit} workstation${limit === 1 ? '' : 's'} (${others.join(', ')}); ${limitText}, so ${entry.spec.metadata.name} cannot be added`));
      }
    }
  }
  return problems;
}

/** Every region a spec names is one the lab allows. */
export function checkRegions(specs: LabSpecs): Problem[] {
  const lab = specs.lab?.spec;
  if (!lab) return [];
  const problems: Problem[] = [];
  const regions = allowedRegions(lab);
  const labDoc = specs.lab!.doc;
  if (lab.spec.aws.regions && !regions.includes(lab.spec.aws.defaultRegion)) {
    problems.push(problemAt(labDoc, ['spec', 'aws', 'defaultRegion'], `defaultRegion ${lab.spec.aws.defaultRegion} is not in aws.regions (${regions.join(', ')})`));
  }
  const check = (doc: Parameters<typeof problemAt>[0], path: (string | number)[], region: string | undefined): void => {
    if (region && !regions.includes(region)) problems.push(problemAt(doc, path, `region ${region} is not one of the lab's regions (${regions.join(', ')})${didYouMean(region, regions)}`));
  };
  for (const { doc, spec } of [...specs.workstations, ...specs.jobs]) check(doc, ['spec', 'region'], spec.spec.region);
  for (const { doc, spec } of specs.schedules) {
    for (const [i, region] of (spec.spec.copyTo ?? []).entries()) check(doc, ['spec', 'copyTo', i], region);
  }
  return problems;
}
