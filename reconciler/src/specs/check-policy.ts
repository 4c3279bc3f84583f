/**
 * Lab policy: instance types that exist and are allowed, the hourly price ceiling, how many
 * workstations one owner may have, the regions specs may use, a Budget for every project
 * (`requireBudget`) and the cost ceiling of one Job (`maxJobUSD`).
 */
import type { Problem } from '../model/problem.js';
import { globToRegExp } from '../model/glob.js';
import { jobEstimate } from '../cost/job-estimate.js';
import { didYouMean } from '../model/suggest.js';
import { hourlyPriceUSD, instanceTypeInfo, listInstanceTypes } from '../cost/prices/index.js';
import { desiredJob } from '../kinds/job/desired.js';
import { allowedRegions, problemAt, regionOf } from './lab-specs.js';
import type { LabSpecs, SpecEntry } from './lab-specs.js';
import type { LoadedDocument } from './load.js';
import type { Workstation } from './types.js';

/** Instance types exist in the price table, match the allowed globs and stay under the price ceiling. */
export function checkInstancePolicy(specs: LabSpecs): Problem[] {
  const problems: Problem[] = [];
  const lab = specs.lab?.spec;
  const policy = lab?.spec.policy;
  const globs = policy?.allowedInstanceTypes;
  const allowed = globs?.map(globToRegExp);
  for (const { doc, spec } of specs.workstations) {
    const type = spec.spec.instanceType;
    const at = ['spec', 'instanceType'];
    if (!instanceTypeInfo(type)) {
      problems.push(
        problemAt(
          doc,
          at,
          `unknown instance type "${type}"${didYouMean(
            type,
            listInstanceTypes().map((t) => t.instanceType),
          )}`,
        ),
      );
      continue;
    }
    if (globs && allowed && !allowed.some((re) => re.test(type))) {
      problems.push(
        problemAt(
          doc,
          at,
          `instance type "${type}" is not allowed by the lab policy (allowedInstanceTypes: ${globs.join(', ')})`,
        ),
      );
    }
    const region = regionOf(spec.spec, lab);
    if (!region) continue;
    const price = hourlyPriceUSD(type, region);
    if (price === undefined) {
      problems.push(
        problemAt(
          doc,
          at,
          `no on-demand price known for ${type} in ${region}; cost estimates will leave it out`,
          'warning',
        ),
      );
    } else if (policy?.maxHourlyUSDPerWorkstation !== undefined && price > policy.maxHourlyUSDPerWorkstation) {
      problems.push(
        problemAt(
          doc,
          at,
          `${type} costs $${price.toFixed(4)}/hour in ${region}, over the lab's limit of $${policy.maxHourlyUSDPerWorkstation.toFixed(2)}/hour per workstation`,
        ),
      );
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
  const atBase = (entry: SpecEntry<Workstation>): boolean =>
    baseNames?.has(`Workstation/${entry.spec.metadata.name}`) ?? false;
  const problems: Problem[] = [];
  for (const [owner, owned] of byOwner) {
    if (owned.length <= limit) continue;
    const ranked = [...owned.filter(atBase), ...owned.filter((e) => !atBase(e))];
    const limitText = `the lab's maxWorkstationsPerOwner is ${limit}`;
    for (const entry of ranked.slice(limit)) {
      const others = ranked
        .filter((e) => e !== entry)
        .slice(0, limit)
        .map((e) => e.spec.metadata.name);
      if (atBase(entry)) {
        problems.push(
          problemAt(
            entry.doc,
            ['metadata', 'owner'],
            `${owner} has ${owned.length} workstations, over the limit (${limitText}); ${entry.spec.metadata.name} exists at the base and stays, but no new one can be added`,
            'warning',
          ),
        );
      } else {
        problems.push(
          problemAt(
            entry.doc,
            ['metadata', 'owner'],
            `${owner} already has ${limit} workstation${limit === 1 ? '' : 's'} (${others.join(', ')}); ${limitText}, so ${entry.spec.metadata.name} cannot be added`,
          ),
        );
      }
    }
  }
  return problems;
}

/** Every region a spec names is one the lab allows. */
export function checkRegions(specs: LabSpecs): Problem[] {
  if (!specs.lab) return [];
  const { spec: lab, doc: labDoc } = specs.lab;
  const problems: Problem[] = [];
  const regions = allowedRegions(lab);
  if (lab.spec.aws.regions && !regions.includes(lab.spec.aws.defaultRegion)) {
    problems.push(
      problemAt(
        labDoc,
        ['spec', 'aws', 'defaultRegion'],
        `defaultRegion ${lab.spec.aws.defaultRegion} is not in aws.regions (${regions.join(', ')})`,
      ),
    );
  }
  const check = (doc: Parameters<typeof problemAt>[0], path: (string | number)[], region: string | undefined): void => {
    if (region && !regions.includes(region))
      problems.push(
        problemAt(
          doc,
          path,
          `region ${region} is not one of the lab's regions (${regions.join(', ')})${didYouMean(region, regions)}`,
        ),
      );
  };
  for (const { doc, spec } of [...specs.workstations, ...specs.jobs, ...specs.queues])
    check(doc, ['spec', 'region'], spec.spec.region);
  for (const { doc, spec } of specs.schedules) {
    for (const [i, region] of (spec.spec.copyTo ?? []).entries()) check(doc, ['spec', 'copyTo', i], region);
  }
  return problems;
}

/**
 * Every Workstation and Job belongs to a project a Budget covers: an error on `metadata.project`
 * under `policy.requireBudget` (the default), a warning without it (then only once the lab has a
 * Budget at all, as before the policy existed). Reported once per project, on its first spec.
 * `budgetDocuments` are every document of kind Budget, valid or not: a Budget with an error of its
 * own still names the project it covers, and that error is reported on the Budget, not here; so
 * are `brokenBudgetProjects`, the projects Budgets that did not load (a YAML error) seem to name.
 */
export function checkBudgetCoverage(
  specs: LabSpecs,
  budgetDocuments: readonly LoadedDocument[],
  brokenBudgetProjects: readonly string[] = [],
): Problem[] {
  const required = specs.lab?.spec.spec.policy?.requireBudget ?? true;
  const budgeted = new Set<string>([...specs.budgets.map((b) => b.spec.spec.project), ...brokenBudgetProjects]);
  for (const doc of budgetDocuments) {
    const project = (doc.value as { spec?: { project?: unknown } } | undefined)?.spec?.project;
    if (typeof project === 'string') budgeted.add(project);
  }
  if (!required && !budgetDocuments.length) return [];
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const { doc, spec } of [...specs.workstations, ...specs.jobs]) {
    const project = spec.metadata.project;
    if (budgeted.has(project) || reported.has(project)) continue;
    reported.add(project);
    const why = required ? ` (the lab's policy.requireBudget: every project needs a Budget)` : '';
    problems.push(
      problemAt(
        doc,
        ['metadata', 'project'],
        `project "${project}" has no Budget${why}${didYouMean(project, budgeted)}`,
        required ? 'error' : 'warning',
      ),
    );
  }
  return problems;
}

/**
 * One Job's estimated cost stays within `policy.maxJobUSD`. The estimate is the plan's
 * (plan/job-estimate.ts: vCPUs and memory on the cheapest fitting type for its timeout, times its
 * array size), computed here so the refusal lands on the Job's line. A Job whose cost cannot be
 * estimated (a registered definition, no priced type fits) is an error too while the cap is set:
 * a cap that an unpriced Job could step around would not be a cap.
 */
export function checkJobCost(specs: LabSpecs): Problem[] {
  const lab = specs.lab?.spec;
  const cap = lab?.spec.policy?.maxJobUSD;
  if (lab === undefined || cap === undefined) return [];
  const defaults = { timezone: lab.spec.calendar?.timezone ?? 'UTC', defaultRegion: lab.spec.aws.defaultRegion };
  const arrays = new Map(specs.jobs.map((j) => [j.spec.metadata.name, j.spec.spec.array]));
  const problems: Problem[] = [];
  for (const { doc, spec } of specs.jobs) {
    const estimate = jobEstimate(desiredJob(spec, arrays, defaults));
    const capText = `the lab's maxJobUSD of $${cap.toFixed(2)}`;
    if (estimate === undefined) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'definition'],
          `job ${spec.metadata.name}: its cost cannot be estimated (registered definition, or no priced instance type fits), so it cannot be held to ${capText}`,
        ),
      );
    } else if (estimate.usd > cap) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'definition'],
          `job ${spec.metadata.name} is estimated at ${estimate.basis}, over ${capText}`,
        ),
      );
    }
  }
  return problems;
}
