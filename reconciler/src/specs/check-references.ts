/**
 * Cross-document checks: unique names, environments that resolve, job dependencies that
 * exist without cycles, restores from real schedules, and budgets that match projects.
 */
import type { ResolveResult } from '../environments/model.js';
import type { Problem } from '../model/problem.js';
import { didYouMean } from '../model/suggest.js';
import { parseEnvironmentRef } from '../environments/ref.js';
import { InvalidNames } from './invalid-names.js';
import { problemAt, whereDefined } from './lab-specs.js';
import type { LabSpecs, SpecEntry } from './lab-specs.js';
import type { LoadedDocument } from './load.js';
import { SPEC_KINDS } from './types.js';
import type { Job, Workstation } from './types.js';

/**
 * Duplicate names per kind (Environments: per name and version). A name belongs to the file that
 * declares it at the approved base (`claims`): any other declaration is the duplicate, so a new
 * spec can never re-point an existing resource; a declaration of a name whose base file still
 * declares it, or can no longer be read, is refused the same way. Without a base, the earlier
 * declaration in file order is kept.
 */
export function checkUniqueNames(
  specs: LabSpecs,
  claims: ReadonlyMap<string, string> = new Map(),
  documents: readonly LoadedDocument[] = [],
  filesRead: readonly string[] = [],
): Problem[] {
  const problems: Problem[] = [];
  const groups: [string, SpecEntry<{ metadata: { name: string; version?: string } }>[]][] = [
    ['Workstation', specs.workstations],
    ['Budget', specs.budgets],
    ['SnapshotSchedule', specs.schedules],
    ['Job', specs.jobs],
    ['JobQueue', specs.queues],
    ['Environment', specs.environments],
    ['EnvironmentImage', specs.images],
  ];
  for (const [kind, entries] of groups) {
    const byKey = new Map<string, SpecEntry<{ metadata: { name: string; version?: string } }>[]>();
    for (const entry of entries) {
      const { name, version } = entry.spec.metadata;
      const key = version ? `${name}@${version}` : name;
      byKey.set(key, [...(byKey.get(key) ?? []), entry]);
    }
    for (const [key, list] of byKey) {
      const owner = claims.get(`${kind}/${key}`);
      const keeper =
        list.find((e) => e.doc.file === owner) ??
        (owner !== undefined && stillClaims(documents, filesRead, owner, kind, key) ? undefined : list[0]);
      for (const entry of list) {
        if (entry === keeper) continue;
        const where = keeper ? whereDefined(keeper.doc) : (owner ?? '');
        problems.push(
          problemAt(
            entry.doc,
            ['metadata', 'name'],
            `duplicate ${kind} "${key}": ${owner !== undefined && (!keeper || keeper.doc.file === owner) ? `it belongs to ${where}` : `already defined at ${where}`}`,
          ),
        );
      }
    }
  }
  return problems;
}

/**
 * True when `file`, read now, still stands for `kind`/`key`: it names it (under any kind labops
 * does not know, e.g. a typo), or it cannot be read at all.
 */
function stillClaims(
  documents: readonly LoadedDocument[],
  filesRead: readonly string[],
  file: string,
  kind: string,
  key: string,
): boolean {
  if (!filesRead.includes(file)) return false;
  const docs = documents.filter((d) => d.file === file);
  if (!docs.length) return true;
  return (
    docs.some(
      (d) =>
        d.name === key.split('@')[0] && (d.kind === kind || !(SPEC_KINDS as readonly string[]).includes(d.kind ?? '')),
    ) || docs.some((d) => d.kind === undefined || d.name === undefined)
  );
}

/**
 * Workstation environments and lab-local `inherits` resolve (semver, cycles, missing parents). A
 * reference that does not resolve because the lab's own Environment of that name is invalid says
 * so, pointing at its error.
 */
export function checkEnvironments(
  specs: LabSpecs,
  resolve: (ref: string) => ResolveResult,
  invalid = new InvalidNames(),
): Problem[] {
  const problems: Problem[] = [];
  const failed = (doc: LoadedDocument, path: (string | number)[], ref: string, message: string): Problem => {
    const parsed = parseEnvironmentRef(ref);
    const declaration = parsed.ok ? invalid.find('Environment', parsed.name) : undefined;
    return declaration ? invalid.knockOn(doc, path, declaration, 'Environment') : problemAt(doc, path, message);
  };
  for (const { doc, spec } of specs.workstations) {
    const result = resolve(spec.spec.environment);
    if (!result.ok) problems.push(failed(doc, ['spec', 'environment'], spec.spec.environment, result.message));
  }
  for (const { doc, spec } of specs.environments) {
    const result = resolve(`${spec.metadata.name}@${spec.metadata.version}`);
    if (result.ok) continue;
    const { inherits } = spec.spec;
    problems.push(
      inherits
        ? failed(doc, ['spec', 'inherits'], inherits, result.message)
        : problemAt(doc, ['metadata', 'name'], result.message),
    );
  }
  return problems;
}

/** Job `dependsOn`: names exist (or are invalid, said so), no self-reference, no cycle, N_TO_N only between equal arrays. */
export function checkJobDependencies(specs: LabSpecs, invalid = new InvalidNames()): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(specs.jobs.map((entry) => [entry.spec.metadata.name, entry]));
  for (const { doc, spec } of specs.jobs) {
    for (const [i, dep] of (spec.spec.dependsOn ?? []).entries()) {
      const target = byName.get(dep.job);
      const broken = target ? undefined : invalid.find('Job', dep.job);
      if (dep.job === spec.metadata.name)
        problems.push(problemAt(doc, ['spec', 'dependsOn', i, 'job'], `job "${dep.job}" cannot depend on itself`));
      else if (broken) problems.push(invalid.knockOn(doc, ['spec', 'dependsOn', i, 'job'], broken, 'Job'));
      else if (!target)
        problems.push(
          problemAt(
            doc,
            ['spec', 'dependsOn', i, 'job'],
            `no Job named "${dep.job}"${didYouMean(dep.job, byName.keys())}`,
          ),
        );
      else if (dep.type === 'N_TO_N' && (spec.spec.array === undefined || spec.spec.array !== target.spec.spec.array)) {
        problems.push(
          problemAt(
            doc,
            ['spec', 'dependsOn', i, 'type'],
            `N_TO_N needs both jobs to be arrays of one size (this: ${spec.spec.array ?? 'not an array'}, ${dep.job}: ${target.spec.spec.array ?? 'not an array'})`,
          ),
        );
      }
    }
  }
  for (const cycle of findCycles(specs.jobs)) {
    const entry = byName.get(cycle[0] ?? '');
    if (entry === undefined) continue;
    const index = (entry.spec.spec.dependsOn ?? []).findIndex((d) => d.job === cycle[1]);
    problems.push(
      problemAt(entry.doc, ['spec', 'dependsOn', Math.max(0, index), 'job'], `dependency cycle: ${cycle.join(' → ')}`),
    );
  }
  return problems;
}

/** Each elementary cycle once, as names starting and ending with its smallest member. */
function findCycles(jobs: readonly SpecEntry<Job>[]): string[][] {
  const edges = new Map(
    jobs.map((j) => [
      j.spec.metadata.name,
      (j.spec.spec.dependsOn ?? []).map((d) => d.job).filter((n) => n !== j.spec.metadata.name),
    ]),
  );
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    for (const next of edges.get(name) ?? []) {
      if (!edges.has(next)) continue;
      if (state.get(next) === 'active') {
        const loop = stack.slice(stack.indexOf(next));
        const first = [...loop].sort()[0] ?? next;
        const start = loop.indexOf(first);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        cycles.set(rotated.join('\0'), [...rotated, first]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...edges.keys()].sort()) if (!state.has(name)) visit(name);
  return [...cycles.values()];
}

/**
 * `restoreFrom` names a SnapshotSchedule (that selects this workstation); selectors name real
 * things. A name or project only an invalid spec has is said to be invalid, pointing at its error.
 */
export function checkSnapshotReferences(specs: LabSpecs, invalid = new InvalidNames()): Problem[] {
  const problems: Problem[] = [];
  const schedules = new Map(specs.schedules.map((s) => [s.spec.metadata.name, s]));
  const workstationNames = new Set(specs.workstations.map((w) => w.spec.metadata.name));
  for (const { doc, spec } of specs.workstations) {
    if (!spec.spec.restoreFrom) continue;
    const [scheduleName = ''] = spec.spec.restoreFrom.split('/');
    const schedule = schedules.get(scheduleName);
    const broken = schedule ? undefined : invalid.find('SnapshotSchedule', scheduleName);
    if (broken) problems.push(invalid.knockOn(doc, ['spec', 'restoreFrom'], broken, 'SnapshotSchedule'));
    else if (!schedule) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'restoreFrom'],
          `no SnapshotSchedule named "${scheduleName}"${didYouMean(scheduleName, schedules.keys())}`,
        ),
      );
    } else if (!selects(schedule.spec.spec.selector, spec)) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'restoreFrom'],
          `SnapshotSchedule "${scheduleName}" does not select this workstation, so it has no snapshots of it`,
          'warning',
        ),
      );
    }
  }
  for (const { doc, spec } of specs.schedules) {
    const selector = spec.spec.selector;
    for (const [i, name] of (selector.workstations ?? []).entries()) {
      const broken = workstationNames.has(name) ? undefined : invalid.find('Workstation', name);
      if (broken) problems.push(invalid.knockOn(doc, ['spec', 'selector', 'workstations', i], broken, 'Workstation'));
      else if (!workstationNames.has(name))
        problems.push(
          problemAt(
            doc,
            ['spec', 'selector', 'workstations', i],
            `no Workstation named "${name}"${didYouMean(name, workstationNames)}`,
          ),
        );
    }
    if ((selector.project || selector.labels) && !specs.workstations.some((w) => selects(selector, w.spec))) {
      const field = selector.project ? 'project' : 'labels';
      const broken = selector.project ? invalid.withProject(['Workstation'], selector.project) : undefined;
      problems.push(
        broken
          ? invalid.knockOn(
              doc,
              ['spec', 'selector', field],
              broken,
              'Workstation',
              'warning',
              `selector matches no valid Workstation: Workstation "${broken.name}" of project "${selector.project ?? ''}" is invalid`,
            )
          : problemAt(doc, ['spec', 'selector', field], 'selector matches no Workstation', 'warning'),
      );
    }
  }
  return problems;
}

/** True when a snapshot selector picks the workstation. */
export function selects(
  selector: { project?: string; workstations?: string[]; labels?: Record<string, string | undefined> },
  ws: Workstation,
): boolean {
  if (selector.project !== undefined) return ws.metadata.project === selector.project;
  if (selector.workstations) return selector.workstations.includes(ws.metadata.name);
  if (selector.labels) return Object.entries(selector.labels).every(([k, v]) => ws.metadata.labels?.[k] === v);
  return false;
}

/**
 * Budgets whose project nothing uses: a warning (projects no budget covers: check-policy.ts
 * `checkBudgetCoverage`); when only an invalid Workstation or Job has it, the warning says so.
 */
export function checkBudgetProjects(specs: LabSpecs, invalid = new InvalidNames()): Problem[] {
  const problems: Problem[] = [];
  const used = new Set([...specs.workstations, ...specs.jobs].map((e) => e.spec.metadata.project));
  for (const { doc, spec } of specs.budgets) {
    const broken = used.has(spec.spec.project)
      ? undefined
      : invalid.withProject(['Workstation', 'Job'], spec.spec.project);
    if (broken) {
      const kind = broken.kind ?? 'spec';
      problems.push(
        invalid.knockOn(
          doc,
          ['spec', 'project'],
          broken,
          kind,
          'warning',
          `no valid Workstation or Job has project "${spec.spec.project}": ${kind} "${broken.name}" is invalid`,
        ),
      );
    } else if (!used.has(spec.spec.project)) {
      problems.push(
        problemAt(
          doc,
          ['spec', 'project'],
          `no Workstation or Job has project "${spec.spec.project}"${didYouMean(spec.spec.project, used)}`,
          'warning',
        ),
      );
    }
  }
  return problems;
}
