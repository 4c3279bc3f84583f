/**
 * Validates a whole lab repository: parse, schema, references, policy and semantics. Returns
 * every problem at once, sorted, with the specs that passed and the ones that did not (whose
 * resources later stages must treat as unknown, never as absent).
 */
import type { EnvironmentCandidate, ResolvedEnvironment, ResolveResult } from '../environments/model.js';
import { indexCandidates, resolveEnvironment } from '../environments/resolve.js';
import { hasErrors, sortProblems } from '../model/problem.js';
import type { Problem } from '../model/problem.js';
import {
  checkBudgetCoverage,
  checkInstancePolicy,
  checkJobCost,
  checkOwnerLimits,
  checkRegions,
} from './check-policy.js';
import {
  checkBudgetProjects,
  checkEnvironments,
  checkJobDependencies,
  checkSnapshotReferences,
  checkUniqueNames,
} from './check-references.js';
import {
  checkBudgetActions,
  checkCalendarsAndPeriods,
  checkEnvironmentFit,
  checkHibernation,
  checkWorkstationTimes,
} from './check-semantics.js';
import { InvalidNames } from './invalid-names.js';
import { checkEnvironmentImages } from './check-images.js';
import { checkJobQueueNames, checkJobQueues } from './check-queues.js';
import type { InvalidDeclaration } from './invalid-names.js';
import { loadLabFiles } from './lab-files.js';
import type { LabFiles } from './lab-files.js';
import type { LabOverlay } from './lab-files.js';
import type { LabTree } from './lab-tree.js';
import { problemAt, regionOf } from './lab-specs.js';
import type { LabSpecs, SpecEntry } from './lab-specs.js';
import type { LoadedDocument } from './load.js';
import { SPEC_KINDS } from './types.js';
import type {
  Budget,
  Environment,
  EnvironmentImage,
  Job,
  JobQueue,
  Lab,
  SnapshotSchedule,
  Workstation,
} from './types.js';
import { validateDocumentSchema } from './validate-schema.js';

/** A document that did not validate: what it was meant to be, as far as it can be told. */
export interface InvalidSpec {
  file: string;
  kind: string | undefined;
  name: string | undefined;
}

/** The outcome of validating a lab repository. */
export interface LabValidation {
  /** Absolute path of the repository root. */
  root: string;
  /** Spec files read, relative to the root. */
  files: string[];
  /** Files holding a labops spec (or named like one) that were not read, each with a warning. */
  unread: string[];
  /**
   * Every problem, sorted by file, line and column — except that a problem following from another
   * (a reference to a spec that is itself invalid) comes right after the problems of that spec's file.
   */
  problems: Problem[];
  /** True when no problem is an error (warnings allowed). */
  valid: boolean;
  /** Specs that passed every check. */
  specs: LabSpecs;
  /** Specs (or whole files) with errors: their resources are unknown, not absent. */
  invalid: InvalidSpec[];
  /** Resolved environment of each valid workstation, by workstation name. */
  environments: Map<string, ResolvedEnvironment>;
  /** Resolved environment of each valid EnvironmentImage, by its name. */
  imageEnvironments: Map<string, ResolvedEnvironment>;
  /** The text of a line of a file that was read, for showing problems in context. */
  sourceLine: (file: string, line: number) => string;
}

/** Options for {@link validateLab}. */
export interface ValidateOptions {
  /** The built-in environment catalog (see `loadCatalog`). */
  catalog: readonly EnvironmentCandidate[];
  /** Files read in place of the tree's (held changes). @default none */
  overlay?: LabOverlay;
  /**
   * What the approved base commit declares. `names` holds `Kind/name` keys (e.g.
   * `Workstation/alice-neuro`) of the specs present at the base; per-owner limits blame the
   * declarations not in it, never an existing workstation. @default none (file order decides)
   */
  base?: {
    names: ReadonlySet<string>;
    /**
     * Where each key is declared at the base (`Kind/name` → file). A name belongs to its file at
     * the base: a second declaration elsewhere is the duplicate (never the existing one), and a
     * name whose base file cannot be read now stays protected (unknown, never absent).
     * @default none (the earlier declaration in file order is kept)
     */
    claims?: ReadonlyMap<string, string>;
  };
}

/** Reads and validates the lab repository at `source` (a folder, or a commit's tree). Never throws for anything the repository holds. */
export function validateLab(source: string | LabTree, options: ValidateOptions): LabValidation {
  const files = loadLabFiles(source, options.overlay);
  const root = files.root;
  const problems: Problem[] = [...files.problems];
  const specs: LabSpecs = {
    lab: undefined,
    workstations: [],
    budgets: [],
    schedules: [],
    jobs: [],
    queues: [],
    environments: [],
    images: [],
  };
  if (files.lab) {
    const labProblems = validateDocumentSchema(files.lab);
    if (!labProblems.length && files.lab.kind !== 'Lab')
      labProblems.push(problemAt(files.lab, ['kind'], `labops.yaml must be kind Lab (got ${files.lab.kind})`));
    problems.push(...labProblems);
    if (!labProblems.length) specs.lab = { doc: files.lab, spec: files.lab.value as Lab };
  }
  const declarations: InvalidDeclaration[] = [];
  for (const doc of files.documents) {
    const docProblems = validateDocumentSchema(doc);
    if (!docProblems.length && doc.kind === 'Lab')
      docProblems.push(problemAt(doc, ['kind'], 'a Lab belongs in labops.yaml at the repository root, not here'));
    problems.push(...docProblems);
    if (!docProblems.length) addSpec(specs, doc);
    else declarations.push(...invalidDeclaration(doc, docProblems));
  }
  declarations.push(...brokenDeclarations(files));
  const invalidNames = new InvalidNames(declarations);
  const candidates: EnvironmentCandidate[] = [
    ...options.catalog,
    ...specs.environments.map((e) => ({ environment: e.spec, origin: 'lab' as const, file: e.doc.file })),
  ];
  const index = indexCandidates(candidates);
  const resolved = new Map<string, ResolveResult>();
  const resolve = (ref: string): ResolveResult => {
    let result = resolved.get(ref);
    if (!result) resolved.set(ref, (result = resolveEnvironment(ref, index)));
    return result;
  };
  problems.push(
    ...checkUniqueNames(specs, options.base?.claims, files.documents, files.files),
    ...checkEnvironments(specs, resolve, invalidNames),
    ...checkJobDependencies(specs, invalidNames),
    ...checkJobQueues(specs),
    ...checkEnvironmentImages(specs, resolve, invalidNames),
    ...checkJobQueueNames(specs, invalidNames),
    ...checkSnapshotReferences(specs, invalidNames),
    ...checkBudgetProjects(specs, invalidNames),
    ...checkBudgetCoverage(
      specs,
      files.documents.filter((d) => d.kind === 'Budget'),
      files.broken.flatMap((b) => (b.kind === 'Budget' && b.project !== undefined ? [b.project] : [])),
    ),
    ...checkJobCost(specs),
    ...checkInstancePolicy(specs),
    ...checkOwnerLimits(specs, options.base?.names),
    ...checkRegions(specs),
    ...checkHibernation(specs),
    ...checkWorkstationTimes(specs),
    ...checkCalendarsAndPeriods(specs),
    ...checkBudgetActions(specs),
  );
  const environments = new Map<string, ResolvedEnvironment>();
  for (const entry of specs.workstations) {
    const result = resolve(entry.spec.spec.environment);
    if (!result.ok) continue;
    environments.set(entry.spec.metadata.name, result.env);
    problems.push(...checkEnvironmentFit(entry, result.env, regionOf(entry.spec.spec, specs.lab?.spec)));
  }
  const sorted = invalidNames.causesFirst(sortProblems(problems));
  const invalid = splitInvalid(specs, files.documents, files.lab, sorted, options.base?.claims);
  const imageEnvironments = new Map<string, ResolvedEnvironment>();
  for (const entry of specs.images) {
    const result = resolve(entry.spec.spec.environment);
    if (result.ok) imageEnvironments.set(entry.spec.metadata.name, result.env);
  }
  return {
    root,
    files: files.files,
    unread: files.unread,
    problems: sorted,
    valid: !hasErrors(sorted),
    specs,
    invalid,
    environments,
    imageEnvironments,
    sourceLine: files.sourceLine,
  };
}

/** A document with errors of its own, as a name references may point at (none without a name). */
function invalidDeclaration(doc: LoadedDocument, docProblems: readonly Problem[]): InvalidDeclaration[] {
  const [cause] = sortProblems(docProblems.filter((p) => p.severity === 'error'));
  if (doc.name === undefined || cause === undefined) return [];
  const value = doc.value as { metadata?: { project?: unknown }; spec?: { project?: unknown } };
  const project = value.metadata?.project ?? value.spec?.project;
  return [
    {
      kind: (SPEC_KINDS as readonly string[]).includes(doc.kind ?? '') ? doc.kind : undefined,
      name: doc.name,
      project: typeof project === 'string' ? project : undefined,
      cause,
    },
  ];
}

/** Documents that did not load (YAML errors), by what they seem to declare, each with its first error. */
function brokenDeclarations(files: LabFiles): InvalidDeclaration[] {
  const out: InvalidDeclaration[] = [];
  const errorsByFile = new Map<string, Problem[]>();
  for (const p of files.problems) {
    if (p.severity !== 'error') continue;
    const list = errorsByFile.get(p.file) ?? [];
    list.push(p);
    errorsByFile.set(p.file, list);
  }
  for (const broken of files.broken) {
    if (broken.name === undefined) continue;
    const [cause] = sortProblems(
      (errorsByFile.get(broken.file) ?? []).filter((p) => p.line >= broken.lines.start && p.line <= broken.lines.end),
    );
    if (cause === undefined) continue;
    out.push({
      kind: (SPEC_KINDS as readonly string[]).includes(broken.kind ?? '') ? broken.kind : undefined,
      name: broken.name,
      project: broken.project,
      cause,
    });
  }
  return out;
}

function addSpec(specs: LabSpecs, doc: LoadedDocument): void {
  switch (doc.kind) {
    case 'Workstation':
      specs.workstations.push({ doc, spec: doc.value as Workstation });
      break;
    case 'Budget':
      specs.budgets.push({ doc, spec: doc.value as Budget });
      break;
    case 'SnapshotSchedule':
      specs.schedules.push({ doc, spec: doc.value as SnapshotSchedule });
      break;
    case 'Job':
      specs.jobs.push({ doc, spec: doc.value as Job });
      break;
    case 'JobQueue':
      specs.queues.push({ doc, spec: doc.value as JobQueue });
      break;
    case 'Environment':
      specs.environments.push({ doc, spec: doc.value as Environment });
      break;
    case 'EnvironmentImage':
      specs.images.push({ doc, spec: doc.value as EnvironmentImage });
      break;
    default:
      break;
  }
}

/**
 * Moves specs with an error inside their document out of `specs`, and lists them (plus files
 * that did not parse) as invalid.
 */
function splitInvalid(
  specs: LabSpecs,
  documents: LoadedDocument[],
  lab: LoadedDocument | undefined,
  problems: Problem[],
  claims: ReadonlyMap<string, string> = new Map(),
): InvalidSpec[] {
  const errors = problems.filter((p) => p.severity === 'error');
  const hasError = (doc: LoadedDocument): boolean =>
    errors.some((p) => p.file === doc.file && p.line >= doc.lines.start && p.line <= doc.lines.end);
  const invalid: InvalidSpec[] = [];
  for (const doc of documents) {
    if (!hasError(doc)) continue;
    // `kind: Workstaton` says nothing about which names the document stood for: like a file that
    // does not parse, it makes every undeclared resource unknown rather than deleted.
    const known = (SPEC_KINDS as readonly string[]).includes(doc.kind ?? '');
    invalid.push(
      known ? { file: doc.file, kind: doc.kind, name: doc.name } : { file: doc.file, kind: undefined, name: undefined },
    );
  }
  const parsedFiles = new Set([...documents.map((d) => d.file), ...(lab ? [lab.file] : [])]);
  for (const file of new Set(errors.map((p) => p.file))) {
    if (!parsedFiles.has(file)) invalid.push({ file, kind: undefined, name: undefined });
  }
  // Every name a file now invalid declared at the base stays protected: unknown, never deleted.
  const invalidFiles = new Set(invalid.map((i) => i.file));
  for (const [key, file] of claims) {
    if (!invalidFiles.has(file)) continue;
    const [kind, ...name] = key.split('/');
    if (!invalid.some((i) => i.kind === kind && i.name === name.join('/')))
      invalid.push({ file, kind, name: name.join('/') });
  }
  if (lab && hasError(lab)) {
    invalid.push({ file: lab.file, kind: 'Lab', name: lab.name });
    specs.lab = undefined;
  }
  const valid = <T>(entries: SpecEntry<T>[]): SpecEntry<T>[] => entries.filter((e) => !hasError(e.doc));
  specs.workstations = valid(specs.workstations);
  specs.budgets = valid(specs.budgets);
  specs.schedules = valid(specs.schedules);
  specs.jobs = valid(specs.jobs);
  specs.images = valid(specs.images);
  specs.queues = valid(specs.queues);
  specs.environments = valid(specs.environments);
  return invalid;
}
