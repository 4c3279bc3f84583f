/**
 * Knock-on problems attached to their cause. A spec with an error of its own is left out of the
 * cross-document checks, so a reference to it would read "no Workstation named …" — false, and
 * listed before the real problem when its file sorts first. Instead the reference says the spec
 * is invalid and where (`Workstation "bob-atmos" is invalid (see workstations/bob.yaml:3:5)`),
 * and is listed after the problems of that file.
 */
import { compareText } from '../model/problem.js';
import type { FieldPath, Problem, Severity } from '../model/problem.js';
import { problemAt } from './lab-specs.js';
import type { LoadedDocument } from './load.js';

/** A spec that is invalid on its own: what it declares, as far as can be told, and its first error. */
export interface InvalidDeclaration {
  /** Its kind, when labops knows it (a misspelt kind is undefined and matches any). */
  kind: string | undefined;
  name: string;
  /** `metadata.project` (Workstation, Job) or `spec.project` (Budget), when it is a string. */
  project: string | undefined;
  /** Its first error: what a reference to it points at. */
  cause: Problem;
}

/** The invalid specs of a lab, and the knock-on problems found while checking references to them. */
export class InvalidNames {
  /** Each knock-on problem → the problem it follows from. */
  readonly follows = new Map<Problem, Problem>();
  /** By `kind/name` (`/name` for a misspelt kind), the first declaration of each. */
  private readonly byName = new Map<string, InvalidDeclaration>();
  /** By project, in declaration order. */
  private readonly byProject = new Map<string, InvalidDeclaration[]>();

  constructor(declarations: readonly InvalidDeclaration[] = []) {
    for (const d of declarations) {
      const key = `${d.kind ?? ''}/${d.name}`;
      if (!this.byName.has(key)) this.byName.set(key, d);
      if (d.project === undefined) continue;
      const list = this.byProject.get(d.project) ?? [];
      list.push(d);
      this.byProject.set(d.project, list);
    }
  }

  /** The invalid spec of `kind` named `name` (or a spec of a misspelt kind with that name). */
  find(kind: string, name: string): InvalidDeclaration | undefined {
    return this.byName.get(`${kind}/${name}`) ?? this.byName.get(`/${name}`);
  }

  /** Whether any invalid spec is of `kind`. */
  anyOfKind(kind: string): boolean {
    return [...this.byName.values()].some((d) => d.kind === kind);
  }

  /** An invalid spec of one of `kinds` with `project`. */
  withProject(kinds: readonly string[], project: string): InvalidDeclaration | undefined {
    return this.byProject.get(project)?.find((d) => d.kind === undefined || kinds.includes(d.kind));
  }

  /**
   * The problem for a reference from `doc` at `path` to the invalid `declaration`: `lead` (or
   * `Kind "name" is invalid`) with where its own error is; recorded as following from it.
   */
  knockOn(
    doc: LoadedDocument,
    path: FieldPath,
    declaration: InvalidDeclaration,
    kind: string,
    severity: Severity = 'error',
    lead = `${kind} "${declaration.name}" is invalid`,
  ): Problem {
    const { cause } = declaration;
    const problem = problemAt(doc, path, `${lead} (see ${cause.file}:${cause.line}:${cause.column})`, severity);
    this.follows.set(problem, cause);
    return problem;
  }

  /**
   * `sorted` with every knock-on problem moved to just after the problems of the file its cause is
   * in, so a root cause is always listed before what follows from it (knock-ons on one cause file
   * keep their sorted order).
   */
  causesFirst(sorted: readonly Problem[]): Problem[] {
    if (!this.follows.size) return [...sorted];
    const after = new Map<string, Problem[]>();
    const rest: Problem[] = [];
    for (const problem of sorted) {
      const cause = this.follows.get(problem);
      if (cause === undefined) rest.push(problem);
      else {
        const list = after.get(cause.file) ?? [];
        list.push(problem);
        after.set(cause.file, list);
      }
    }
    const out: Problem[] = [];
    for (const [i, problem] of rest.entries()) {
      out.push(problem);
      if (rest[i + 1]?.file === problem.file) continue;
      out.push(...(after.get(problem.file) ?? []));
      after.delete(problem.file);
    }
    // A cause whose file has no problem left in the list (it cannot happen; kept so nothing is lost).
    for (const file of [...after.keys()].sort(compareText)) out.push(...(after.get(file) ?? []));
    return out;
  }
}
